import { useWasm } from "../../../tests/helpers/tiny.ts";
import { checkOp, NATIVE_BUILT } from "../../../tests/helpers/native_check.ts";
import { matmul64 } from "../../../tests/helpers/reference64.ts";
import { linear } from "../../model/ops.ts";
import type * as tf from "@tensorflow/tfjs";

await useWasm();

for (
  const [N, I, O, bias] of [[7, 5, 3, true], [33, 16, 48, true], [4, 8, 2, false], [1, 3, 9, true]] as const
) {
  Deno.test({
    name: `linear [${N},${I}] @ [${I},${O}]${
      bias ? " + b" : ""
    }: values and gradients match stock and float64`,
    ignore: !NATIVE_BUILT,
    fn: () =>
      checkOp({
        name: "linear",
        inputs: [{ shape: [N, I] }, { shape: [I, O] }, ...(bias ? [{ shape: [O] }] : [])],
        op: (x, w, b) => linear(x as tf.Tensor2D, w, b),
        ref: (x, w, b) => {
          const y = matmul64(x, [N, I], w, [I, O]);
          return b ? y.map((v, i) => v + b[i % O]) : y;
        },
      }),
  });
}
