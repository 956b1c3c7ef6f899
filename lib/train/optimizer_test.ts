import * as tf from "@tensorflow/tfjs";
import { assertAlmostEquals, assertEquals } from "@std/assert";
import { useWasm } from "../../tests/helpers/tiny.ts";
import { AdamW, globalNorm } from "./optimizer.ts";

await useWasm();

function close(got: ArrayLike<number>, want: number[], tol = 1e-6) {
  want.forEach((w, i) => assertAlmostEquals(got[i], w, tol, `index ${i}`));
}

const opts = { beta1: 0.9, beta2: 0.999, eps: 1e-8, weightDecay: 0.1, gradClip: 0 };

Deno.test("AdamW first step: bias-corrected update is sign(g); decay only on matrices", () => {
  const vec = tf.variable(tf.tensor1d([1, -2]));
  const mat = tf.variable(tf.tensor2d([[1, -2]]));
  const opt = new AdamW(new Map<string, tf.Variable>([["vec", vec], ["mat", mat]]), opts);
  const grads = { vec: tf.tensor1d([0.5, -1]), mat: tf.tensor2d([[0.5, -1]]) };
  opt.apply(grads, 0.1, globalNorm(grads));
  close(vec.dataSync(), [0.9, -1.9]); // p - lr * sign(g)
  close(mat.dataSync(), [1 * (1 - 0.01) - 0.1, -2 * (1 - 0.01) + 0.1]); // decoupled decay lr*wd = 0.01
});

Deno.test("AdamW second step matches the hand-computed moments", () => {
  const p = tf.variable(tf.tensor1d([0]));
  const opt = new AdamW(new Map([["p", p]]), { ...opts, weightDecay: 0 });
  opt.apply({ p: tf.tensor1d([1]) }, 0.1, 1);
  opt.apply({ p: tf.tensor1d([3]) }, 0.1, 3);
  // m2 = 0.9*0.1 + 0.1*3 = 0.39; v2 = 0.999*0.001 + 0.001*9 = 0.009999
  const mhat = 0.39 / (1 - 0.81), vhat = 0.009999 / (1 - 0.998001);
  close(p.dataSync(), [-0.1 - 0.1 * mhat / (Math.sqrt(vhat) + 1e-8)], 1e-6);
  const st = opt.exportState();
  close(st.tensors.get("m.p")!.data, [0.39]);
  close(st.tensors.get("v.p")!.data, [0.009999]);
});

Deno.test("gradient clipping scales by clip / global norm", () => {
  const p = tf.variable(tf.tensor1d([0, 0]));
  const opt = new AdamW(new Map([["p", p]]), { ...opts, gradClip: 0.5 });
  const g = { p: tf.tensor1d([3, 4]) };
  const norm = globalNorm(g);
  assertAlmostEquals(norm, 5, 1e-6);
  opt.apply(g, 0.1, norm);
  close(opt.exportState().tensors.get("m.p")!.data, [0.1 * 0.3, 0.1 * 0.4]);
});

Deno.test("AdamW allocates only its moments and frees them on dispose (state import included)", () => {
  const p = tf.variable(tf.tensor2d([[1, 2]]));
  const before = tf.memory().numTensors;
  const opt = new AdamW(new Map([["p", p]]), opts);
  assertEquals(tf.memory().numTensors, before + 2);
  opt.importState(opt.exportState(), "test");
  assertEquals(tf.memory().numTensors, before + 2);
  opt.dispose();
  assertEquals(tf.memory().numTensors, before);
  p.dispose();
});
