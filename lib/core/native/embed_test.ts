import * as tf from "@tensorflow/tfjs";
import { assertThrows } from "@std/assert";
import { useWasm } from "../../../tests/helpers/tiny.ts";
import { checkOp, NATIVE_BUILT } from "../../../tests/helpers/native_check.ts";
import { embed } from "../../model/ops.ts";
import { nativeEmbed } from "./embed.ts";

await useWasm();

/** Rows of table [rows, C] for ids. */
function gather64(ids: Float64Array, table: Float64Array, C: number): Float64Array {
  const out = new Float64Array(ids.length * C);
  ids.forEach((id, n) => out.set(table.subarray(id * C, (id + 1) * C), n * C));
  return out;
}

Deno.test({
  name: "embedding lookup: values and the scatter-add gradient match the one-hot matmul and float64",
  ignore: !NATIVE_BUILT,
  fn: () =>
    checkOp({
      name: "embed",
      inputs: [{ shape: [40], int: 7 }, { shape: [7, 5] }],
      op: (ids, table) => embed(ids as tf.Tensor1D, table),
      ref: (ids, table) => gather64(ids, table, 5),
    }),
});

Deno.test({
  name: "embedding plus positions in one kernel: values and both tables' gradients match float64",
  ignore: !NATIVE_BUILT,
  fn: () =>
    checkOp({
      name: "embed+pos",
      inputs: [{ shape: [12], int: 5 }, { shape: [5, 3] }, { shape: [12], int: 9 }, { shape: [9, 3] }],
      op: (ids, table, pos, posTable) => nativeEmbed(ids as tf.Tensor1D, table, pos as tf.Tensor1D, posTable),
      ref: (ids, table, pos, posTable) => {
        const a = gather64(ids, table, 3), b = gather64(pos, posTable, 3);
        return a.map((v, i) => v + b[i]);
      },
      noStock: true,
    }),
});

Deno.test({
  name: "an id outside the table is an error (the one-hot matmul would silently give zeros)",
  ignore: !NATIVE_BUILT,
  fn: () => {
    assertThrows(
      () => nativeEmbed(tf.tensor1d([0, 7], "int32"), tf.zeros([7, 2])),
      Error,
      "an index (token id, position or target) is outside its table",
    );
    assertThrows(() => nativeEmbed(tf.tensor1d([-1], "int32"), tf.zeros([7, 2])), Error, "outside its table");
  },
});
