/**
 * `deno task bench`: training tokens/s, sampling tokens/s (KV cache) and
 * matmul GFLOP/s on the backend the lab selects (or HARNESSLAB_BACKEND).
 * Reference model as in ../shared/TOOLCHAIN.md: vocab 32, context 32,
 * n_embd 64, 2 layers, 4 heads, MLP 256, batch 64, AdamW.
 * Speed is measured here, never asserted in tests. Each figure is the median
 * of `--rounds` rounds (default 5).
 */
import * as tf from "@tensorflow/tfjs";
import { selectBackend } from "../lib/core/backend.ts";
import { Rng } from "../lib/core/rng.ts";
import { parseGptConfig } from "../lib/model/config.ts";
import { Gpt } from "../lib/model/gpt.ts";
import { AdamW, globalNorm } from "../lib/train/optimizer.ts";
import { generate } from "../lib/sample/generate.ts";
import { numberFlag, parseFlags } from "../lib/cli/args.ts";

const flags = parseFlags(
  "bench",
  Deno.args,
  { string: ["rounds", "steps"], boolean: ["json"] },
  "bench [--rounds N] [--steps N] [--json]",
);
const rounds = numberFlag("bench", "rounds", flags.rounds, 5);
const stepsPerRound = numberFlag("bench", "steps", flags.steps, 8);

const backend = await selectBackend();
const B = 64, T = 32, V = 32, NEW = 32;
const config = parseGptConfig({ vocab_size: V, block_size: T + 1 + NEW, n_layer: 2, n_head: 4, n_embd: 64 });
const model = Gpt.init(config, new Rng(0));
const opt = new AdamW(model.params, { beta1: 0.9, beta2: 0.95, eps: 1e-8, weightDecay: 0.1, gradClip: 1 });
const rng = new Rng(1);
const vars = [...model.params.values()];
const rows = () => Array.from({ length: B }, () => Array.from({ length: T }, () => rng.int(V)));

function trainStep(): void {
  const ids = tf.tensor2d(rows(), [B, T], "int32"), tg = tf.tensor2d(rows(), [B, T], "int32");
  const w = tf.ones([B, T]) as tf.Tensor2D;
  const { value, grads } = tf.variableGrads(() => model.loss(ids, tg, w), vars);
  const named: Record<string, tf.Tensor> = {};
  for (const [n, v] of model.params) named[n] = grads[v.name];
  opt.apply(named, 1e-3, globalNorm(named));
  value.dataSync();
  tf.dispose([value, ids, tg, w]);
  tf.dispose(grads);
}

function sampleRound(): number {
  const prompts = Array.from({ length: B }, () => [rng.int(V)]);
  const g = generate(model, prompts, { maxNewTokens: NEW, temperature: 1, rng });
  return g.tokens.reduce((a, t) => a + t.length, 0);
}

function matmulGflops(n: number, reps: number): number {
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

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
for (let i = 0; i < 2; i++) trainStep();
sampleRound();
const train: number[] = [], sample: number[] = [], gflops: number[] = [];
for (let r = 0; r < rounds; r++) {
  let t0 = performance.now();
  for (let i = 0; i < stepsPerRound; i++) trainStep();
  train.push((stepsPerRound * B * T) / ((performance.now() - t0) / 1000));
  t0 = performance.now();
  const n = sampleRound();
  sample.push(n / ((performance.now() - t0) / 1000));
  gflops.push(matmulGflops(256, 20));
}
const out = {
  backend: backend.name,
  model: "vocab 32, ctx 32, n_embd 64, 2 layers, 4 heads, MLP 256",
  batch: B,
  train_tokens_per_s: Math.round(median(train)),
  train_steps_per_s: +(median(train) / (B * T)).toFixed(2),
  sample_tokens_per_s: Math.round(median(sample)),
  sample_new_tokens: NEW,
  matmul_256_gflops: +median(gflops).toFixed(2),
  rounds,
};
if (flags.json) console.log(JSON.stringify(out));
else {
  console.log(`backend ${out.backend}; ${out.model}; batch ${B}; median of ${rounds} rounds`);
  console.log(
    `train   ${out.train_tokens_per_s} tokens/s (${out.train_steps_per_s} steps/s, ${T} tokens a row)`,
  );
  console.log(`sample  ${out.sample_tokens_per_s} tokens/s (KV cache, ${NEW} new tokens a row)`);
  console.log(`matmul  ${out.matmul_256_gflops} GFLOP/s (256x256 @ 256x256 float32)`);
}
