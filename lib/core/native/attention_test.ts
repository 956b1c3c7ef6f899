import * as tf from "@tensorflow/tfjs";
import { useWasm } from "../../../tests/helpers/tiny.ts";
import { checkOp, NATIVE_BUILT } from "../../../tests/helpers/native_check.ts";
import { attention64 } from "../../../tests/helpers/reference64.ts";
import { nativeAttention, type RopeTables } from "./attention.ts";
import { ropeTables } from "../../model/rope.ts";

await useWasm();

/** cos/sin tables [T, D/2] for positions start.., as the model builds them. */
const rope = (start: number, T: number, D: number): RopeTables => ropeTables(start, T, D, 10000);

const shapes: [number, number, number, number][] = [
  [2, 5, 2, 4], // B, T, H, D
  [1, 9, 1, 8], // T past one block of 8
  [2, 7, 3, 6], // head size not a multiple of 8
  [1, 1, 2, 4], // a single position
  [1, 10, 1, 16], // the lab's usual head size
];

for (const [B, T, H, D] of shapes) {
  for (const rotary of [false, true]) {
    Deno.test({
      name: `attention B${B} T${T} H${H} D${D}${rotary ? " rotary" : ""}: values and gradients match float64`,
      ignore: !NATIVE_BUILT,
      fn: () => {
        const r = rotary ? rope(0, T, D) : undefined;
        checkOp({
          name: "attention",
          inputs: [{ shape: [B * T, 3 * H * D] }],
          op: (qkv) => nativeAttention(qkv as tf.Tensor2D, B, T, H, r),
          ref: (qkv) => attention64(qkv, B, T, H, rotary ? { base: 10000, start: 0 } : undefined),
          noStock: true, // the stock composition is compared in lib/model/native_path_test.ts
          tol: 1e-5,
          gradTol: 1e-4,
        });
        if (r) tf.dispose([r.cos, r.sin]);
      },
    });
  }
}
