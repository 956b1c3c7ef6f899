/**
 * The benchmark workload shared by `deno task bench`, `bench:peer` and the
 * sweep workers: the reference model of ../shared/TOOLCHAIN.md (vocab 32,
 * context 32, 2 layers, 4 heads, MLP 4x, AdamW, clip 1.0) at a chosen width and
 * batch, trained on random tokens (speed does not depend on the data) and
 * sampled with the KV cache from one-token prompts.
 */
import * as tf from "@tensorflow/tfjs";
import { Rng } from "../lib/core/rng.ts";
import { parseGptConfig } from "../lib/model/config.ts";
import { Gpt } from "../lib/model/gpt.ts";
import { AdamW, globalNorm } from "../lib/train/optimizer.ts";
import { generate } from "../lib/sample/generate.ts";

export interface WorkloadShape {
  vocab: number;
  ctx: number;
  n_embd: number;
  n_layer: number;
  n_head: number;
  batch: number;
  /** New tokens a row when sampling. */
  new: number;
}

export const REFERENCE_SHAPE: WorkloadShape = {
  vocab: 32,
  ctx: 32,
  n_embd: 64,
  n_layer: 2,
  n_head: 4,
  batch: 64,
  new: 32,
};

/** Matmul FLOPs of one training step (forward + backward = 3x forward), attention included. */
export function trainFlopsPerStep(s: WorkloadShape): number {
  const d = s.n_embd, T = s.ctx, tokens = s.batch * T;
  const perTokenLinear = s.n_layer * (2 * d * 3 * d + 2 * d * d + 2 * 2 * d * 4 * d) + 2 * d * s.vocab;
  const perTokenAttention = s.n_layer * 2 * 2 * T * d; // q k^T and att v over T keys (full, as computed)
  return 3 * tokens * (perTokenLinear + perTokenAttention);
}

export class Workload {
  readonly model: Gpt;
  readonly #opt: AdamW;
  readonly #rng = new Rng(1);
  readonly #vars: tf.Variable[];

  constructor(readonly shape: WorkloadShape) {
    const config = parseGptConfig({
      vocab_size: shape.vocab,
      block_size: shape.ctx + 1 + shape.new,
      n_layer: shape.n_layer,
      n_head: shape.n_head,
      n_embd: shape.n_embd,
    });
    this.model = Gpt.init(config, new Rng(0));
    this.#opt = new AdamW(this.model.params, {
      beta1: 0.9,
      beta2: 0.95,
      eps: 1e-8,
      weightDecay: 0.1,
      gradClip: 1,
    });
    this.#vars = [...this.model.params.values()];
  }

  #rows(): number[][] {
    const { batch, ctx, vocab } = this.shape;
    return Array.from({ length: batch }, () => Array.from({ length: ctx }, () => this.#rng.int(vocab)));
  }

  /** One AdamW step on a random batch; returns the tokens trained. */
  trainStep(): number {
    const { batch: B, ctx: T } = this.shape;
    const ids = tf.tensor2d(this.#rows(), [B, T], "int32"), tg = tf.tensor2d(this.#rows(), [B, T], "int32");
    const w = tf.ones([B, T]) as tf.Tensor2D;
    const { value, grads } = tf.variableGrads(() => this.model.loss(ids, tg, w), this.#vars);
    const named: Record<string, tf.Tensor> = {};
    for (const [n, v] of this.model.params) named[n] = grads[v.name];
    this.#opt.apply(named, 1e-3, globalNorm(named));
    value.dataSync();
    tf.dispose([value, ids, tg, w]);
    tf.dispose(grads);
    return B * T;
  }

  /** Sample `new` tokens for each of `batch` one-token prompts; returns the tokens produced. */
  sampleRound(): number {
    const prompts = Array.from({ length: this.shape.batch }, () => [this.#rng.int(this.shape.vocab)]);
    const g = generate(this.model, prompts, { maxNewTokens: this.shape.new, temperature: 1, rng: this.#rng });
    return g.tokens.reduce((a, t) => a + t.length, 0);
  }

  /** Tokens per second of `steps` training steps. */
  timeTrain(steps: number): number {
    const t0 = performance.now();
    let n = 0;
    for (let i = 0; i < steps; i++) n += this.trainStep();
    return n / ((performance.now() - t0) / 1000);
  }

  /** Tokens per second of one sampling round. */
  timeSample(): number {
    const t0 = performance.now();
    const n = this.sampleRound();
    return n / ((performance.now() - t0) / 1000);
  }

  dispose(): void {
    this.#opt.dispose();
    this.model.dispose();
  }
}

/** GFLOP/s of an n x n float32 matmul on the current backend. */
export function matmulGflops(n: number, reps: number): number {
  const a = tf.randomUniform([n, n], -1, 1, "float32", 1), b = tf.randomUniform([n, n], -1, 1, "float32", 2);
  tf.matMul(a, b).dispose();
  const t0 = performance.now();
  for (let i = 0; i < reps; i++) {
    const c = tf.matMul(a, b);
    c.dataSync();
    c.dispose();
  }
  const s = (performance.now() - t0) / 1000;
  tf.dispose([a, b]);
  return (2 * n ** 3 * reps) / s / 1e9;
}

export const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
