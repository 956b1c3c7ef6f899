import * as tf from "@tensorflow/tfjs";
import { assertEquals } from "@std/assert";
import { useWasm } from "../../../tests/helpers/tiny.ts";
import { checkOp, NATIVE_BUILT } from "../../../tests/helpers/native_check.ts";

await useWasm();

/** float64 sum of x [rows, cols] over its rows. */
function colsum64(x: Float64Array, rows: number): Float64Array {
  const cols = x.length / rows, out = new Float64Array(cols);
  for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) out[c] += x[r * cols + c];
  return out;
}

const cases: [string, number[], number[], number][] = [
  ["axis 0 of [N, C] (a bias gradient)", [300, 7], [0], 300],
  ["axes 0, 1 of [B, T, C]", [4, 5, 6], [0, 1], 20],
  ["axis 0 of [B, T, C]", [4, 5, 6], [0], 4],
  ["more columns than one block (256)", [3, 600], [0], 3],
];
for (const [name, shape, axes, rows] of cases) {
  Deno.test({
    name: `Sum over leading axes, ${name}: values and gradients match stock and float64`,
    ignore: !NATIVE_BUILT,
    fn: () =>
      checkOp({
        name,
        inputs: [{ shape }],
        op: (x) => tf.sum(x, axes),
        ref: (x) => colsum64(x, rows),
      }),
  });
}

Deno.test({
  name: "Sum: keepDims shapes, inner axes and the whole tensor still go to the stock kernel",
  ignore: !NATIVE_BUILT,
  fn: () => {
    const x = tf.tensor3d([[[1, 2], [3, 4]], [[5, 6], [7, 8]]]);
    const kept = tf.sum(x, [0, 1], true), inner = tf.sum(x, 2), all = tf.sum(x), neg = tf.sum(x, -3);
    assertEquals([kept.shape, Array.from(kept.dataSync())], [[1, 1, 2], [16, 20]]);
    assertEquals(Array.from(inner.dataSync()), [3, 7, 11, 15]);
    assertEquals(Array.from(all.dataSync()), [36]);
    assertEquals(Array.from(neg.dataSync()), [6, 8, 10, 12]);
    const ints = tf.sum(tf.tensor2d([[1, 2], [3, 4]], undefined, "int32"), 0);
    assertEquals([ints.dtype, Array.from(ints.dataSync())], ["int32", [4, 6]]);
    tf.dispose([x, kept, inner, all, neg, ints]);
  },
});
