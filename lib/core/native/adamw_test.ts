import * as tf from "@tensorflow/tfjs";
import { assertAlmostEquals, assertEquals } from "@std/assert";
import { useWasm } from "../../../tests/helpers/tiny.ts";
import { NATIVE_BUILT } from "../../../tests/helpers/native_check.ts";
import { Rng } from "../rng.ts";
import { AdamW, globalNorm } from "../../train/optimizer.ts";
import { withStockKernels } from "./provider.ts";

await useWasm();

const opts = { beta1: 0.9, beta2: 0.95, eps: 1e-8, weightDecay: 0.1, gradClip: 1 };

/** Three steps of AdamW on seeded parameters and gradients; returns the parameters and moments. */
function threeSteps(): number[][] {
  const rng = new Rng(9);
  const rand = (shape: number[]) =>
    tf.tensor(Float32Array.from({ length: shape[0] * (shape[1] ?? 1) }, () => rng.normal()), shape);
  const params = new Map([["w", tf.variable(rand([5, 3]))], ["b", tf.variable(rand([3]))]]);
  const opt = new AdamW(params, opts);
  for (let s = 0; s < 3; s++) {
    const grads = { w: tf.mul(rand([5, 3]), 2), b: rand([3]) };
    opt.apply(grads, 0.01 * (s + 1), 4 + s); // norms above the clip (the scaled path); globalNorm is tested below
    tf.dispose(Object.values(grads));
  }
  const st = opt.exportState();
  const out = [...params.values()].map((p) => Array.from(p.dataSync()));
  for (const t of st.tensors.values()) out.push(Array.from(t.data));
  opt.dispose();
  for (const p of params.values()) p.dispose();
  return out;
}

Deno.test({
  name: "native AdamW is bit-identical to the tfjs path (same float ops, same order)",
  ignore: !NATIVE_BUILT,
  fn: () => assertEquals(threeSteps(), withStockKernels(threeSteps)),
});

Deno.test({
  name: "native global norm: the float64 sum of squares, rounded once",
  ignore: !NATIVE_BUILT,
  fn: () => {
    const g = { a: tf.tensor1d([3, 4]), b: tf.tensor2d([[1e-3, -2], [12, 0]]) };
    assertEquals(globalNorm(g), Math.fround(Math.sqrt(9 + 16 + 1e-6 + 4 + 144)));
    assertAlmostEquals(globalNorm(g), withStockKernels(() => globalNorm(g)), 1e-5);
  },
});

Deno.test({
  name: "the in-place update leaves a tensor that shares a parameter's data (a copy-free clone) unchanged",
  ignore: !NATIVE_BUILT,
  fn: () => {
    const p = tf.variable(tf.tensor1d([1, 2, 3]));
    const frozen = tf.clone(p); // shares p's data (copy-free Identity)
    const opt = new AdamW(new Map([["p", p]]), { ...opts, gradClip: 0 });
    const before = tf.memory().numTensors;
    opt.apply({ p: tf.tensor1d([1, 1, 1]) }, 0.1, 1);
    assertEquals(Array.from(frozen.dataSync()), [1, 2, 3]);
    assertEquals(Array.from(p.dataSync()).map((v) => Math.round(v * 1e4) / 1e4), [0.9, 1.9, 2.9]);
    assertEquals(tf.memory().numTensors, before + 1); // the gradient tensor above; nothing else
    opt.dispose();
    tf.dispose([p, frozen]);
  },
});
