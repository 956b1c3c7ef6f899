/**
 * One sampling step of a Gpt on the native kernels: the model's weights and
 * KV cache handed to the fused decode kernel (lib/core/native/decode_step.ts)
 * in the order it reads them, plus the new positions (learned) or their
 * rotary tables. The numbers are those of the model's per-op native path.
 */
import * as tf from "@tensorflow/tfjs";
import type { Gpt, KvCache } from "./gpt.ts";
import { LN_EPS } from "./ops.ts";
import { ropeTables } from "./rope.ts";
import { type DecodeModel, nativeDecodeStep, nativeKernelsActive } from "../core/native/mod.ts";
import { LabError } from "../core/errors.ts";

/** Log-probs of the next token [B, V] after ids [B, T], continuing a preallocated `cache`, written in place. */
export function nativeStep(model: Gpt, ids: tf.Tensor2D, cache: KvCache): tf.Tensor2D {
  const c = model.config, [B, T] = ids.shape, start = cache.pos;
  if (!nativeKernelsActive()) {
    throw new LabError(
      "a preallocated KV cache needs the native kernels, which are no longer active",
      "make the cache with emptyCache() under the same kernels as step()",
    );
  }
  if (start + T > c.block_size) {
    throw new LabError(
      `sequence of ${start + T} tokens exceeds block_size ${c.block_size}`,
      "raise block_size in the model config or shorten the inputs",
    );
  }
  const w = (name: string) => model.params.get(name)!;
  const opt = (
    name: string,
  ): [tf.Tensor, tf.Tensor?] => [w(`${name}.weight`), model.params.get(`${name}.bias`)];
  const m: DecodeModel = {
    wte: w("transformer.wte.weight"),
    wpe: model.params.get("transformer.wpe.weight"),
    lnF: opt("transformer.ln_f"),
    layers: cache.k.map((keys, l) => {
      const pre = `transformer.h.${l}`;
      return {
        ln1: opt(`${pre}.ln_1`),
        attn: opt(`${pre}.attn.c_attn`),
        attnProj: opt(`${pre}.attn.c_proj`),
        ln2: opt(`${pre}.ln_2`),
        fc: opt(`${pre}.mlp.c_fc`),
        mlpProj: opt(`${pre}.mlp.c_proj`),
        keys,
        values: cache.v[l],
      };
    }),
    nHead: c.n_head,
    activation: { gelu: 0, gelu_tanh: 1, relu: 2 }[c.activation],
    eps: LN_EPS,
  };
  return tf.tidy(() => {
    const flat = tf.reshape(ids, [B * T]) as tf.Tensor1D;
    if (c.position !== "learned") {
      const rope = ropeTables(start, T, c.n_embd / c.n_head, c.rope_base);
      return nativeDecodeStep(m, flat, B, start, undefined, rope);
    }
    const pos = new Int32Array(B * T);
    for (let i = 0; i < B * T; i++) pos[i] = start + (i % T);
    return nativeDecodeStep(m, flat, B, start, tf.tensor1d(pos, "int32"));
  });
}
