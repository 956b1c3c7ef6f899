/**
 * Tiny causal transformer (GPT-2 / nanoGPT architecture) in TensorFlow.js.
 *
 * Follows nanoGPT (karpathy/nanoGPT model.py): pre-LayerNorm blocks, fused
 * c_attn projection, 4x MLP, tied lm_head, N(0, 0.02) init with c_proj scaled
 * by 1/sqrt(2 n_layer). Departures: no dropout; optional rotary positions and
 * random position offsets (see config.ts); Linear weights are held [in, out]
 * internally (PyTorch holds [out, in]) so the hot path has no transposed
 * matmuls — `stateDict()` / `fromStateDict()` convert to and from nanoGPT's layout.
 *
 * With the native kernel provider active (lib/core/native, the wasm backend on
 * OpenBLAS), the attention block is one fused kernel from the c_attn output
 * (no head transposes or mask tensor) and the KV cache is preallocated to
 * block_size and written in place; without it, the stock tfjs composition
 * below runs with the numbers it always had.
 *
 * Shapes: B batch, T new tokens, S = past + T keys, C n_embd, H heads, D head size.
 */
import * as tf from "@tensorflow/tfjs";
import type { Rng } from "../core/rng.ts";
import type { GptConfig } from "./config.ts";
import { expectedShapes, type StateDict } from "./state_dict.ts";
import {
  activate,
  embed,
  layerNorm,
  linear,
  logSoftmax,
  mm,
  mmTransposeB,
  targetLogProbs,
  transposeLast,
} from "./ops.ts";
import { LabError } from "../core/errors.ts";
import { nativeAttention, nativeEmbed, nativeKernelsActive } from "../core/native/mod.ts";
import { applyRope, ropeTables } from "./rope.ts";
import { nativeStep } from "./native_step.ts";

/** Log-probs of softmax(logits / temperature) (default 1), positions shifted by rowOffsets (training). */
export interface LogProbOptions {
  temperature?: number;
  rowOffsets?: number[];
}

/**
 * Per-layer keys and values of all positions seen so far. Stock: [B, H, S, D],
 * grown by concat. Preallocated (`capacity` set, native path): keys
 * [B, H, D, capacity] and values [B, capacity, C], written in place.
 */
export interface KvCache {
  pos: number;
  k: tf.Tensor[];
  v: tf.Tensor[];
  capacity?: number;
}

const LINEAR_WEIGHT = /\.(c_attn|c_proj|c_fc)\.weight$/;

export class Gpt {
  readonly config: GptConfig;
  /** Trainable variables by nanoGPT name (Linear weights stored [in, out]). */
  readonly params: Map<string, tf.Variable>;

  private constructor(config: GptConfig, params: Map<string, tf.Variable>) {
    this.config = config;
    this.params = params;
  }

  /** Fresh weights drawn from `rng` as nanoGPT's `_init_weights`. */
  static init(config: GptConfig, rng: Rng): Gpt {
    const sd: StateDict = new Map();
    const projStd = 0.02 / Math.sqrt(2 * config.n_layer);
    for (const [name, shape] of expectedShapes(config)) {
      if (name === "lm_head.weight") continue;
      const n = shape.reduce((a, b) => a * b, 1);
      const data = new Float32Array(n);
      if (name.endsWith(".bias")) {
        // zeros
      } else if (/ln_\w+\.weight$/.test(name)) {
        data.fill(1);
      } else {
        const std = name.endsWith("c_proj.weight") ? projStd : 0.02;
        const r = rng.fork(name);
        for (let i = 0; i < n; i++) data[i] = r.normal() * std;
      }
      sd.set(name, { shape, data });
    }
    return Gpt.fromStateDict(config, sd);
  }

  /** Build from a nanoGPT-layout state dict (lm_head.weight optional: tied to wte). */
  static fromStateDict(config: GptConfig, sd: StateDict): Gpt {
    const params = new Map<string, tf.Variable>();
    for (const [name, shape] of expectedShapes(config)) {
      if (name === "lm_head.weight") continue;
      const t = sd.get(name);
      if (!t) {
        throw new LabError(
          `state dict lacks tensor '${name}'`,
          "load a checkpoint saved with the same model config",
        );
      }
      if (t.shape.join(",") !== shape.join(",")) {
        throw new LabError(
          `tensor '${name}' has shape [${t.shape}], config expects [${shape}]`,
          "check the model config",
        );
      }
      const value = tf.tidy(() => {
        const x = tf.tensor(t.data, t.shape, "float32");
        return LINEAR_WEIGHT.test(name) ? tf.transpose(x) : x;
      });
      params.set(name, tf.variable(value, true));
      value.dispose();
    }
    return new Gpt(config, params);
  }

  /** Overwrite the weights in place from a nanoGPT-layout state dict of the same config. */
  loadStateDict(sd: StateDict): void {
    const fresh = Gpt.fromStateDict(this.config, sd);
    for (const [name, v] of this.params) v.assign(fresh.params.get(name)!);
    fresh.dispose();
  }

  /** Weights in nanoGPT's layout ([out, in] Linear weights, lm_head = wte). */
  stateDict(): StateDict {
    const sd: StateDict = new Map();
    for (const [name, shape] of expectedShapes(this.config)) {
      const src = name === "lm_head.weight" ? "transformer.wte.weight" : name;
      const v = this.params.get(src)!;
      const data = tf.tidy(() => (LINEAR_WEIGHT.test(src) ? tf.transpose(v) : v).dataSync() as Float32Array);
      sd.set(name, { shape, data: Float32Array.from(data) });
    }
    return sd;
  }

  /** Number of trainable scalars (wte counted once). */
  numParams(): number {
    let n = 0;
    for (const v of this.params.values()) n += v.size;
    return n;
  }

  private p(name: string): tf.Variable {
    return this.params.get(name)!;
  }

  /**
   * Core forward. `ids` [B, T] int32; keys/values of `cache` (if any) precede them.
   * `rowOffsets` (training only) shifts each row's positions. Returns final
   * hidden states [B*T, C] and the extended cache when one was given.
   */
  private hidden(
    ids: tf.Tensor2D,
    start: number,
    rowOffsets?: number[],
    cache?: KvCache,
    attnOut?: tf.Tensor4D[],
  ) {
    const c = this.config;
    const [B, T] = ids.shape;
    if (start + T + maxOffset(rowOffsets) > c.block_size) {
      throw new LabError(
        `sequence of ${start + T} tokens (+ offset ${
          maxOffset(rowOffsets)
        }) exceeds block_size ${c.block_size}`,
        "raise block_size in the model config or shorten the inputs",
      );
    }
    // A stock cache (concat) runs on stock ops; so does a diagnostic pass that returns attention probabilities.
    const native = nativeKernelsActive() && !cache && !attnOut;
    const { x: x0, rope } = native
      ? this.inputsNative(ids, start, rowOffsets)
      : this.inputsStock(ids, start, rowOffsets);
    let x = x0;
    // One new token attends to every cached key: no mask, and [B,1,H,D] -> [B,H,1,D] is a reshape
    // (same memory order), so the KV-cache sampler skips a mask add and four transposes a layer.
    const mask = T > 1 && !native ? causalMask(start, T) : undefined; // [T, S]
    const newK: tf.Tensor[] = [], newV: tf.Tensor[] = [];
    for (let l = 0; l < c.n_layer; l++) {
      const pre = `transformer.h.${l}`;
      const h = layerNorm(
        x,
        this.p(`${pre}.ln_1.weight`),
        this.params.get(`${pre}.ln_1.bias`),
      ) as tf.Tensor2D;
      const y = native
        ? this.attendNative(h, l, B, T, rope)
        : this.attendStock(h, l, B, T, mask, rope, cache, newK, newV, attnOut);
      x = tf.add(
        x,
        linear(y, this.p(`${pre}.attn.c_proj.weight`), this.params.get(`${pre}.attn.c_proj.bias`)),
      );
      const h2 = layerNorm(
        x,
        this.p(`${pre}.ln_2.weight`),
        this.params.get(`${pre}.ln_2.bias`),
      ) as tf.Tensor2D;
      const f = activate(
        linear(h2, this.p(`${pre}.mlp.c_fc.weight`), this.params.get(`${pre}.mlp.c_fc.bias`)),
        c.activation,
      );
      x = tf.add(
        x,
        linear(
          f as tf.Tensor2D,
          this.p(`${pre}.mlp.c_proj.weight`),
          this.params.get(`${pre}.mlp.c_proj.bias`),
        ),
      );
    }
    x = layerNorm(
      x,
      this.p("transformer.ln_f.weight"),
      this.params.get("transformer.ln_f.bias"),
    ) as tf.Tensor2D;
    return { x: x as tf.Tensor2D, cache: cache ? { pos: start + T, k: newK, v: newV } : undefined };
  }

  /** Stock: token embeddings (one-hot matmul) plus learned positions, or rotary tables; x [B*T, C]. */
  private inputsStock(ids: tf.Tensor2D, start: number, rowOffsets?: number[]) {
    const c = this.config;
    const [B, T] = ids.shape;
    const C = c.n_embd, D = C / c.n_head;
    let x = embed(tf.reshape(ids, [B * T]) as tf.Tensor1D, this.p("transformer.wte.weight")); // [B*T, C]
    let rope: { cos: tf.Tensor2D; sin: tf.Tensor2D } | undefined;
    if (c.position === "learned") {
      const wpe = this.p("transformer.wpe.weight");
      if (rowOffsets) {
        const pos = new Int32Array(B * T);
        for (let b = 0; b < B; b++) for (let t = 0; t < T; t++) pos[b * T + t] = rowOffsets[b] + start + t;
        x = tf.add(x, embed(tf.tensor1d(pos, "int32"), wpe));
      } else {
        const pe = tf.slice(wpe, [start, 0], [T, C]);
        x = tf.reshape(tf.add(tf.reshape(x, [B, T, C]), pe), [B * T, C]);
      }
    } else {
      rope = ropeTables(start, T, D, c.rope_base);
    }
    return { x: x as tf.Tensor2D, rope };
  }

  /** Native: token and learned-position embeddings in one lookup kernel, or rotary tables; x [B*T, C]. */
  private inputsNative(ids: tf.Tensor2D, start: number, rowOffsets?: number[]) {
    const c = this.config;
    const [B, T] = ids.shape;
    const flat = tf.reshape(ids, [B * T]) as tf.Tensor1D, wte = this.p("transformer.wte.weight");
    if (c.position !== "learned") {
      return { x: nativeEmbed(flat, wte), rope: ropeTables(start, T, c.n_embd / c.n_head, c.rope_base) };
    }
    const pos = new Int32Array(B * T);
    for (let b = 0; b < B; b++) {
      for (let t = 0; t < T; t++) pos[b * T + t] = (rowOffsets?.[b] ?? 0) + start + t;
    }
    return {
      x: nativeEmbed(flat, wte, tf.tensor1d(pos, "int32"), this.p("transformer.wpe.weight")),
      rope: undefined,
    };
  }

  /** Stock attention block: q, k, v heads, optional rotary, cache concat, masked softmax; y [B*T, C]. */
  private attendStock(
    h: tf.Tensor2D,
    l: number,
    B: number,
    T: number,
    mask: tf.Tensor2D | undefined,
    rope: { cos: tf.Tensor2D; sin: tf.Tensor2D } | undefined,
    cache: KvCache | undefined,
    newK: tf.Tensor[],
    newV: tf.Tensor[],
    attnOut?: tf.Tensor4D[],
  ): tf.Tensor2D {
    const pre = `transformer.h.${l}`;
    const C = this.config.n_embd, H = this.config.n_head, D = C / H;
    // Training (many rows): q, k, v from column slices of the fused c_attn weight [C, 3C]; three
    // plain matmuls cost less on wasm than one matmul and a SplitV of the [B*T, 3C] result (+3%
    // tokens/s). Sampling (one row a sequence): one matmul and a split, fewer kernel calls.
    const wAttn = this.p(`${pre}.attn.c_attn.weight`), bAttn = this.params.get(`${pre}.attn.c_attn.bias`);
    const [q2, k2, v2] = T > 1
      ? [0, 1, 2].map((i) =>
        linear(h, tf.slice(wAttn, [0, i * C], [C, C]), bAttn ? tf.slice(bAttn, [i * C], [C]) : undefined)
      )
      : tf.split(linear(h, wAttn, bAttn), 3, 1);
    const heads = (t: tf.Tensor) =>
      (T === 1
        ? tf.reshape(t, [B, H, 1, D])
        : tf.transpose(tf.reshape(t, [B, T, H, D]), [0, 2, 1, 3])) as tf.Tensor4D; // [B,H,T,D]
    let q = heads(q2), k = heads(k2);
    let v = heads(v2);
    if (rope) {
      q = applyRope(q, rope);
      k = applyRope(k, rope);
    }
    if (cache) {
      k = tf.concat([cache.k[l], k], 2) as tf.Tensor4D;
      v = tf.concat([cache.v[l], v], 2) as tf.Tensor4D;
      newK.push(k);
      newV.push(v);
    }
    const scores = tf.mul(mm(q, transposeLast(k)), 1 / Math.sqrt(D)); // [B,H,T,S]
    const att = tf.softmax(mask ? tf.add(scores, mask) : scores);
    attnOut?.push(att as tf.Tensor4D);
    const yh = mm(att, v); // [B,H,T,D]
    return tf.reshape(T === 1 ? yh : tf.transpose(yh, [0, 2, 1, 3]), [B * T, C]) as tf.Tensor2D;
  }

  /** Native attention block: one c_attn linear and one attention kernel; y [B*T, C]. */
  private attendNative(
    h: tf.Tensor2D,
    l: number,
    B: number,
    T: number,
    rope: { cos: tf.Tensor2D; sin: tf.Tensor2D } | undefined,
  ): tf.Tensor2D {
    const pre = `transformer.h.${l}`;
    const qkv = linear(h, this.p(`${pre}.attn.c_attn.weight`), this.params.get(`${pre}.attn.c_attn.bias`));
    return nativeAttention(qkv, B, T, this.config.n_head, rope);
  }

  private head(x: tf.Tensor2D): tf.Tensor2D {
    return mmTransposeB(x, this.p("transformer.wte.weight") as tf.Tensor2D); // tied lm_head, [N, V]
  }

  /** Logits [B, T, V] for ids [B, T] from position 0 (plus per-row offsets in training). */
  logits(ids: tf.Tensor2D, rowOffsets?: number[]): tf.Tensor3D {
    return tf.tidy(() => {
      const [B, T] = ids.shape;
      return tf.reshape(this.head(this.hidden(ids, 0, rowOffsets).x), [
        B,
        T,
        this.config.vocab_size,
      ]) as tf.Tensor3D;
    });
  }

  /**
   * Diagnostic: the attention probabilities of every layer, [B, H, T, T] each
   * (row: query position, column: key position; causal, rows sum to 1), for
   * ids [B, T] from position 0. Always the stock tfjs path (the native kernel
   * does not expose them), so numbers match the native path to float rounding.
   */
  attentionProbs(ids: tf.Tensor2D): tf.Tensor4D[] {
    return tf.tidy(() => {
      const out: tf.Tensor4D[] = [];
      this.hidden(ids, 0, undefined, undefined, out);
      return out;
    });
  }

  /** Final hidden states (after ln_f) [B, T, C] for ids [B, T] from position 0: what retrieval pools. */
  hiddenStates(ids: tf.Tensor2D): tf.Tensor3D {
    return tf.tidy(() =>
      tf.reshape(this.hidden(ids, 0).x, [...ids.shape, this.config.n_embd]) as tf.Tensor3D
    );
  }

  /** Next-token log-probs at every position, log softmax(logits / temperature): [B, T, V] for ids [B, T]. */
  nextTokenLogProbs(ids: tf.Tensor2D, opts: LogProbOptions = {}): tf.Tensor3D {
    return tf.tidy(() => {
      const [B, T] = ids.shape;
      const t = opts.temperature ?? 1;
      const logits = this.head(this.hidden(ids, 0, opts.rowOffsets).x); // [B*T, V]
      const logp = logSoftmax(t === 1 ? logits : tf.div(logits, t));
      return tf.reshape(logp, [B, T, this.config.vocab_size]) as tf.Tensor3D;
    });
  }

  /** log p(targets[b, t] | ids[b, 0..t]): [B, T]; behind SFT's loss, GRPO's ratios and KL, and scoring. */
  targetLogProbs(ids: tf.Tensor2D, targets: tf.Tensor2D, opts: LogProbOptions = {}): tf.Tensor2D {
    return tf.tidy(() => {
      const [B, T] = ids.shape;
      const t = opts.temperature ?? 1;
      const logits = this.head(this.hidden(ids, 0, opts.rowOffsets).x); // [B*T, V]
      // ops.targetLogProbs: one fused kernel on the native path; log-softmax then a one-hot pick (as
      // pickTargets) on the stock path
      const picked = targetLogProbs(
        t === 1 ? logits : tf.div(logits, t),
        tf.reshape(targets, [B * T]) as tf.Tensor1D,
      );
      return tf.reshape(picked, [B, T]) as tf.Tensor2D;
    });
  }

  /**
   * Mean next-token cross-entropy over positions with weight > 0.
   * ids, targets: int32 [B, T]; weights: float32 [B, T] (0 masks a position).
   */
  loss(ids: tf.Tensor2D, targets: tf.Tensor2D, weights: tf.Tensor2D, rowOffsets?: number[]): tf.Scalar {
    return tf.tidy(() => {
      const [B, T] = ids.shape;
      const picked = tf.reshape(this.targetLogProbs(ids, targets, { rowOffsets }), [B * T]);
      const w = tf.reshape(weights, [B * T]);
      return tf.div(tf.neg(tf.sum(tf.mul(picked, w))), tf.maximum(tf.sum(w), 1)) as tf.Scalar;
    });
  }

  /**
   * An empty KV cache for a batch of B rows: native path, preallocated to
   * block_size and written in place; stock path, grown by concat.
   */
  emptyCache(B: number): KvCache {
    const L = this.config.n_layer, C = this.config.n_embd, H = this.config.n_head, D = C / H;
    const S = this.config.block_size;
    if (nativeKernelsActive()) {
      const k = Array.from({ length: L }, () => tf.zeros([B, H, D, S]));
      return { pos: 0, k, v: Array.from({ length: L }, () => tf.zeros([B, S, C])), capacity: S };
    }
    const k: tf.Tensor4D[] = [], v: tf.Tensor4D[] = [];
    for (let l = 0; l < L; l++) {
      k.push(tf.zeros([B, H, 0, D]));
      v.push(tf.zeros([B, H, 0, D]));
    }
    return { pos: 0, k, v };
  }

  /**
   * Incremental forward: ids [B, T] continue `cache`. Returns log-probs of the
   * next token at the last position [B, V] and the extended cache. The caller
   * owns the returned cache and must no longer use the one passed in: a stock
   * cache's old tensors are disposed; a preallocated one is the same tensors,
   * written in place.
   */
  step(ids: tf.Tensor2D, cache: KvCache): { logProbs: tf.Tensor2D; cache: KvCache } {
    if (cache.capacity !== undefined) {
      return { logProbs: nativeStep(this, ids, cache), cache: { ...cache, pos: cache.pos + ids.shape[1] } };
    }
    const out = tf.tidy(() => {
      const { x, cache: next } = this.hidden(ids, cache.pos, undefined, cache);
      const [B, T] = ids.shape;
      const last = tf.reshape(tf.slice(tf.reshape(x, [B, T, -1]), [0, T - 1, 0], [B, 1, -1]), [
        B,
        -1,
      ]) as tf.Tensor2D;
      return { logProbs: logSoftmax(this.head(last)), k: next!.k, v: next!.v };
    });
    disposeCache(cache);
    return { logProbs: out.logProbs, cache: { pos: cache.pos + ids.shape[1], k: out.k, v: out.v } };
  }

  /** Log-softmax over the vocabulary at every position, for equal-length rows: [B][T][V]. */
  logProbs(tokens: number[][]): number[][][] {
    const T = tokens[0]?.length ?? 0;
    if (tokens.some((r) => r.length !== T)) throw new Error("logProbs: rows must have equal length");
    const out = tf.tidy(() => this.nextTokenLogProbs(tf.tensor2d(tokens, undefined, "int32")));
    const arr = out.arraySync() as number[][][];
    out.dispose();
    return arr;
  }

  dispose(): void {
    for (const v of this.params.values()) v.dispose();
  }
}

/** Dispose a cache's tensors. */
export function disposeCache(cache: KvCache): void {
  for (const t of cache.k) t.dispose();
  for (const t of cache.v) t.dispose();
}

/** A cache of the given rows of `cache` (batch indices, in order); `cache` itself is disposed. */
export function keepCacheRows(cache: KvCache, rows: number[]): KvCache {
  const idx = tf.tensor1d(rows, "int32");
  const kept = {
    ...cache,
    k: cache.k.map((t) => tf.gather(t, idx, 0)),
    v: cache.v.map((t) => tf.gather(t, idx, 0)),
  };
  idx.dispose();
  disposeCache(cache);
  return kept;
}

function maxOffset(o?: number[]): number {
  return o && o.length ? Math.max(...o) : 0;
}

/** Additive mask [T, start+T]: 0 where key j <= start + i, else -1e9. */
function causalMask(start: number, T: number): tf.Tensor2D {
  const S = start + T;
  const m = new Float32Array(T * S);
  for (let i = 0; i < T; i++) for (let j = start + i + 1; j < S; j++) m[i * S + j] = -1e9;
  return tf.tensor2d(m, [T, S]);
}
