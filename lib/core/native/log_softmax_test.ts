import * as tf from "@tensorflow/tfjs";
import { useWasm } from "../../../tests/helpers/tiny.ts";
import { checkOp, NATIVE_BUILT } from "../../../tests/helpers/native_check.ts";
import { logSoftmax64 } from "../../../tests/helpers/reference64.ts";
import { logSoftmax, targetLogProbs } from "../../model/ops.ts";

await useWasm();

for (const [rows, V, scale] of [[9, 32, 1], [3, 57, 30], [2, 5, 1e-3]] as const) {
  Deno.test({
    name: `log-softmax [${rows}, ${V}] inputs x${scale}: values and gradients match stock and float64`,
    ignore: !NATIVE_BUILT,
    fn: () =>
      checkOp({
        name: "logSoftmax",
        inputs: [{ shape: [rows, V], scale }],
        op: (x) => logSoftmax(x),
        ref: (x) => logSoftmax64(x, V),
        tol: 1e-6 * Math.max(1, scale), // x - lse cancels: error is the inputs' float32 rounding
        gradTol: 1e-5,
      }),
  });
  Deno.test({
    name: `target log-prob [${rows}, ${V}] x${scale}: values and gradients match stock and float64`,
    ignore: !NATIVE_BUILT,
    fn: () =>
      checkOp({
        name: "targetLogProbs",
        inputs: [{ shape: [rows, V], scale }, { shape: [rows], int: V }],
        op: (x, t) => targetLogProbs(x as tf.Tensor2D, t as tf.Tensor1D),
        ref: (x, t) => {
          const lp = logSoftmax64(x, V);
          return Float64Array.from(t, (tok, r) => lp[r * V + tok]);
        },
        tol: 1e-6 * Math.max(1, scale),
        gradTol: 1e-5,
      }),
  });
}
