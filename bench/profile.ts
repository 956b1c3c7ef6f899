/**
 * `deno task bench:profile`: where a training step and a sampling round spend
 * their time, per TensorFlow.js kernel (tf.profile), on the benchmark workload.
 * Prints, per kernel, the calls and milliseconds per step, largest first, and
 * the share of the step's wall time the kernels account for (the rest is
 * JavaScript: tape bookkeeping, tensor allocation, data movement; with the
 * native kernels, the optimizer's update is native but not a tfjs kernel, so
 * it is in the rest too). Then the speed of each matmul path, native and stock.
 *
 *   deno task bench:profile [--n_embd 64] [--n_layer 2] [--ctx 32] [--batch 64] [--steps 3]
 */
import * as tf from "@tensorflow/tfjs";
import { selectBackend } from "../lib/core/backend.ts";
import { withStockKernels, withUnfusedOps } from "../lib/core/native/mod.ts";
import { numberFlag, parseFlags } from "../lib/cli/args.ts";
import { REFERENCE_SHAPE, Workload } from "./workload.ts";

const flags = parseFlags(
  "bench:profile",
  Deno.args,
  { string: ["n_embd", "n_layer", "ctx", "batch", "steps"] },
  "bench:profile [--n_embd N] [--n_layer N] [--ctx N] [--batch N] [--steps N]",
);
const shape = {
  ...REFERENCE_SHAPE,
  n_embd: numberFlag("bench:profile", "n_embd", flags.n_embd, REFERENCE_SHAPE.n_embd),
  n_layer: numberFlag("bench:profile", "n_layer", flags.n_layer, REFERENCE_SHAPE.n_layer),
  ctx: numberFlag("bench:profile", "ctx", flags.ctx, REFERENCE_SHAPE.ctx),
  batch: numberFlag("bench:profile", "batch", flags.batch, REFERENCE_SHAPE.batch),
};
const steps = numberFlag("bench:profile", "steps", flags.steps, 3);
const backend = await selectBackend({ quiet: true });
const work = new Workload(shape);
work.timeTrain(2);
work.timeSample();

async function report(title: string, fn: () => void, reps: number) {
  const t0 = performance.now();
  const info = await tf.profile(() => {
    for (let i = 0; i < reps; i++) fn();
  });
  const wallMs = (performance.now() - t0) / reps;
  const by = new Map<string, { n: number; ms: number }>();
  for (const k of info.kernels) {
    const e = by.get(k.name) ?? { n: 0, ms: 0 };
    e.n++;
    e.ms += typeof k.kernelTimeMs === "number" ? k.kernelTimeMs : 0;
    by.set(k.name, e);
  }
  const rows = [...by].sort((a, b) => b[1].ms - a[1].ms);
  const total = rows.reduce((a, [, e]) => a + e.ms, 0) / reps;
  console.log(
    `\n${title}: ${wallMs.toFixed(1)} ms wall under the profiler, kernels ${total.toFixed(1)} ms ` +
      `(${(100 * total / wallMs).toFixed(0)}%), ${(info.kernels.length / reps).toFixed(0)} kernel calls`,
  );
  console.log("kernel                      calls    ms   share");
  for (const [name, e] of rows.slice(0, 18)) {
    console.log(
      `${name.padEnd(26)} ${(e.n / reps).toFixed(0).padStart(6)} ${(e.ms / reps).toFixed(1).padStart(6)} ` +
        `${(100 * e.ms / reps / total).toFixed(1).padStart(6)}%`,
    );
  }
}

console.log(
  `backend ${backend.label}; n_embd ${shape.n_embd}, ${shape.n_layer} layers, batch ${shape.batch}, ctx ${shape.ctx}; ` +
    `per step, mean of ${steps}`,
);
/** Milliseconds and GFLOP/s of one matmul shape on the current kernels. */
function matmulSpeed(a: number[], b: number[], transposeB: boolean): [number, number] {
  const x = tf.randomUniform(a), y = tf.randomUniform(b);
  const f = () => tf.matMul(x as tf.Tensor3D, y as tf.Tensor3D, false, transposeB);
  f().dispose();
  const reps = 10, t0 = performance.now();
  for (let i = 0; i < reps; i++) {
    const z = f();
    z.dataSync();
    z.dispose();
  }
  const ms = (performance.now() - t0) / reps;
  const batch = a.length === 3 ? a[0] : 1;
  const flops = 2 * batch * a.at(-2)! * a.at(-1)! * (transposeB ? b.at(-2)! : b.at(-1)!);
  tf.dispose([x, y]);
  return [ms, flops / ms / 1e6];
}

/** One matmul shape on the native kernels and on tfjs-wasm's own (XNNPACK for 2-D untransposed, else a loop). */
function matmulPath(name: string, a: number[], b: number[], transposeB = false) {
  const [ms, gf] = matmulSpeed(a, b, transposeB);
  const [sms, sgf] = withStockKernels(() => matmulSpeed(a, b, transposeB));
  console.log(
    `${name.padEnd(44)} ${ms.toFixed(2).padStart(6)} ms ${gf.toFixed(1).padStart(6)} GFLOP/s` +
      (backend.label === "wasm"
        ? ""
        : `   stock ${sms.toFixed(2).padStart(6)} ms ${sgf.toFixed(1).padStart(6)} GFLOP/s`),
  );
}

const { batch: B, ctx: T, n_embd: C, n_head: H } = shape;
console.log(
  `\nmatmul paths (BatchMatMul kernel; the model's linears and attention use fused kernels when native)`,
);
matmulPath(`linear [${B * T},${C}] @ [${C},${4 * C}]`, [B * T, C], [C, 4 * C]);
matmulPath(`same with transposeB`, [B * T, C], [4 * C, C], true);
matmulPath(`attention [${B * H},${T},${C / H}] @ [${B * H},${C / H},${T}]`, [B * H, T, C / H], [
  B * H,
  C / H,
  T,
]);
if (backend.label !== "wasm") {
  // What each layer of the provider adds: tfjs-wasm's own kernels; OpenBLAS for BatchMatMul, Sum and
  // Identity under the stock op compositions (the spike's configuration); and the fused kernels.
  const ms = (f: () => void) => {
    f();
    const t0 = performance.now();
    for (let i = 0; i < steps; i++) f();
    return (performance.now() - t0) / steps;
  };
  const rounds = [0, 1, 2].map(() => [
    withStockKernels(() => ms(() => work.trainStep())),
    withUnfusedOps(() => ms(() => work.trainStep())),
    ms(() => work.trainStep()),
  ]);
  const med = (i: number) => rounds.map((r) => r[i]).sort((a, b) => a - b)[1];
  console.log(
    `\ntraining step, median of 3 alternating rounds: tfjs-wasm kernels ${med(0).toFixed(1)} ms; ` +
      `OpenBLAS matmul/Sum/Identity, stock ops ${med(1).toFixed(1)} ms; fused native kernels ${
        med(2).toFixed(1)
      } ms`,
  );
}
await report("training step", () => work.trainStep(), steps);
await report("sampling round", () => work.sampleRound(), 1);
work.dispose();
