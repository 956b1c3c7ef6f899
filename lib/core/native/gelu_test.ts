import { useWasm } from "../../../tests/helpers/tiny.ts";
import { checkOp, NATIVE_BUILT } from "../../../tests/helpers/native_check.ts";
import { gelu64 } from "../../../tests/helpers/reference64.ts";
import { activate } from "../../model/ops.ts";

await useWasm();

// Values across the range where erf and tanh saturate, plus random ones.
const grid = Array.from({ length: 161 }, (_, i) => -10 + i / 8);

for (const kind of ["gelu", "gelu_tanh"] as const) {
  Deno.test({
    name: `${kind}: values and gradients on a grid over [-10, 10] match stock and float64`,
    ignore: !NATIVE_BUILT,
    fn: () =>
      checkOp({
        name: kind,
        inputs: [{ shape: [grid.length], values: grid }],
        op: (x) => activate(x, kind),
        ref: (x) => gelu64(x, kind === "gelu_tanh"),
        tol: 1e-6,
        gradTol: 1e-5,
      }),
  });
  Deno.test({
    name: `${kind}: random [37, 29] inputs match stock and float64`,
    ignore: !NATIVE_BUILT,
    fn: () =>
      checkOp({
        name: kind,
        inputs: [{ shape: [37, 29], scale: 2 }],
        op: (x) => activate(x, kind),
        ref: (x) => gelu64(x, kind === "gelu_tanh"),
        tol: 1e-6,
        gradTol: 1e-5,
      }),
  });
}
