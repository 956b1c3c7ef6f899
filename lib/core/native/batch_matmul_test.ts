import * as tf from "@tensorflow/tfjs";
import { assertEquals, assertThrows } from "@std/assert";
import { useWasm } from "../../../tests/helpers/tiny.ts";
import { checkOp, NATIVE_BUILT } from "../../../tests/helpers/native_check.ts";
import { matmul64 } from "../../../tests/helpers/reference64.ts";
import { broadcastBatch } from "./batch_matmul.ts";

await useWasm();

const cases: [string, number[], number[], boolean, boolean][] = [
  ["2-D", [5, 7], [7, 3], false, false],
  ["2-D transposeA", [7, 5], [7, 3], true, false],
  ["2-D transposeB", [5, 7], [3, 7], false, true],
  ["2-D both transposed", [7, 5], [3, 7], true, true],
  ["3-D batched", [4, 6, 5], [4, 5, 3], false, false],
  ["4-D attention-like, transposeB", [2, 3, 6, 4], [2, 3, 6, 4], false, true],
  ["4-D transposeA", [2, 3, 4, 6], [2, 3, 4, 5], true, false],
  ["3-D x 2-D (one weight for every batch)", [3, 4, 5], [5, 2], false, false],
  ["3-D x 2-D transposeB", [3, 4, 5], [2, 5], false, true],
  ["2-D x 3-D", [4, 5], [3, 5, 2], false, false],
  ["single row", [1, 9], [9, 4], false, false],
];

for (const [name, a, b, ta, tb] of cases) {
  Deno.test({
    name: `BatchMatMul ${name}: values and gradients match stock and float64`,
    ignore: !NATIVE_BUILT,
    fn: () =>
      checkOp({
        name,
        inputs: [{ shape: a }, { shape: b }],
        op: (x, y) => tf.matMul(x as tf.Tensor3D, y as tf.Tensor3D, ta, tb),
        ref: (x, y) => matmul64(x, a, y, b, ta, tb),
        // tfjs-core's gradient of a broadcast matmul does not reduce over the broadcast axes
        noGrad: a.length !== b.length,
      }),
  });
}

Deno.test({
  name: "BatchMatMul general broadcasting [2,1,..] x [1,3,..], which the stock kernel gets wrong",
  ignore: !NATIVE_BUILT,
  fn: () =>
    checkOp({
      name: "broadcast",
      inputs: [{ shape: [2, 1, 4, 5] }, { shape: [1, 3, 5, 2] }],
      op: (x, y) => tf.matMul(x as tf.Tensor4D, y as tf.Tensor4D),
      ref: (x, y) => matmul64(x, [2, 1, 4, 5], y, [1, 3, 5, 2]),
      noGrad: true,
      noStock: true,
    }),
});

Deno.test("broadcastBatch: output batch shape and per-operand strides; incompatible shapes throw", () => {
  assertEquals(broadcastBatch([2, 1], [1, 3]), { shape: [2, 3], sa: [1, 0], sb: [0, 1] });
  assertEquals(broadcastBatch([4], []), { shape: [4], sa: [1], sb: [0] });
  assertEquals(broadcastBatch([], []), { shape: [], sa: [], sb: [] });
  assertThrows(() => broadcastBatch([2], [3]), Error, "do not broadcast");
});

Deno.test({
  name: "BatchMatMul with an empty operand gives an empty result; int32 goes to the stock kernel",
  ignore: !NATIVE_BUILT,
  fn: () => {
    const e = tf.matMul(tf.zeros([0, 3]), tf.ones([3, 2]));
    assertEquals(e.shape, [0, 2]);
    const z = tf.matMul(tf.ones([2, 0]), tf.ones([0, 3]));
    assertEquals(Array.from(z.dataSync()), [0, 0, 0, 0, 0, 0]);
    tf.dispose([e, z]);
  },
});
