import { useWasm } from "../../../tests/helpers/tiny.ts";
import { checkOp, NATIVE_BUILT } from "../../../tests/helpers/native_check.ts";
import { layerNorm64 } from "../../../tests/helpers/reference64.ts";
import { layerNorm } from "../../model/ops.ts";

await useWasm();

for (
  const [shape, bias, scale] of [[[6, 8], true, 1], [[2, 3, 16], true, 3], [[5, 7], false, 1], [
    [4, 300],
    true,
    0.01,
  ]] as const
) {
  Deno.test({
    name: `LayerNorm [${shape}]${
      bias ? " with bias" : ""
    }, inputs x${scale}: values and gradients match stock and float64`,
    ignore: !NATIVE_BUILT,
    fn: () =>
      checkOp({
        name: "layerNorm",
        inputs: [
          { shape: [...shape], scale },
          { shape: [shape.at(-1)!] },
          ...(bias ? [{ shape: [shape.at(-1)!] }] : []),
        ],
        op: (x, w, b) => layerNorm(x, w, b),
        ref: (x, w, b) => layerNorm64(x, w, b),
        tol: 1e-5,
        gradTol: 1e-3,
      }),
  });
}
