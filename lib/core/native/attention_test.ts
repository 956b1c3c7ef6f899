import * as tf from "@tensorflow/tfjs";
import { assertEquals } from "@std/assert";
import { useWasm } from "../../../tests/helpers/tiny.ts";
import { checkOp, maxRelErr, NATIVE_BUILT } from "../../../tests/helpers/native_check.ts";
import { attention64 } from "../../../tests/helpers/reference64.ts";
import { nativeAttention, nativeAttentionCached, type RopeTables } from "./attention.ts";

await useWasm();

/** cos/sin tables [T, D/2] for positions start.. (as lib/model/gpt.ts builds them). */
function rope(start: number, T: number, D: number, base = 10000): RopeTables {
  const half = D / 2, cos = new Float32Array(T * half), sin = new Float32Array(T * half);
  for (let t = 0; t < T; t++) {
    for (let i = 0; i < half; i++) {
      const a = (start + t) * Math.pow(base, (-2 * i) / D);
      cos[t * half + i] = Math.cos(a);
      sin[t * half + i] = Math.sin(a);
    }
  }
  return { cos: tf.tensor2d(cos, [T, half]), sin: tf.tensor2d(sin, [T, half]) };
}

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

Deno.test({
  name: "cached attention: a prefill then one position at a time equals attention over the whole sequence",
  ignore: !NATIVE_BUILT,
  fn: () => {
    const B = 3, T = 11, H = 2, D = 8, C = H * D, S = 16;
    for (const rotary of [false, true]) {
      const qkv = tf.randomNormal([B, T, 3 * C], 0, 1, "float32", 5);
      const full = nativeAttention(
        tf.reshape(qkv, [B * T, 3 * C]),
        B,
        T,
        H,
        rotary ? rope(0, T, D) : undefined,
      );
      const kc = tf.zeros([B, H, D, S]), vc = tf.zeros([B, S, C]);
      const parts: tf.Tensor[] = [];
      const feed = (start: number, n: number) => {
        const x = tf.reshape(tf.slice(qkv, [0, start, 0], [B, n, 3 * C]), [B * n, 3 * C]) as tf.Tensor2D;
        const y = nativeAttentionCached(x, kc, vc, B, n, H, start, rotary ? rope(start, n, D) : undefined);
        parts.push(tf.reshape(y, [B, n, C]));
      };
      feed(0, 4);
      for (let t = 4; t < T; t++) feed(t, 1);
      const stepped = tf.concat(parts, 1);
      const err = maxRelErr(stepped.dataSync(), full.dataSync());
      if (!(err < 1e-6)) throw new Error(`rotary=${rotary}: cached vs full max error ${err}`);
      assertEquals(stepped.shape, [B, T, C]);
    }
  },
});

Deno.test({
  name: "cached attention past the cache's capacity is an error, not a write out of bounds",
  ignore: !NATIVE_BUILT,
  fn: () => {
    const kc = tf.zeros([1, 1, 4, 2]), vc = tf.zeros([1, 2, 4]);
    let msg = "";
    try {
      nativeAttentionCached(tf.zeros([3, 12]) as tf.Tensor2D, kc, vc, 1, 3, 1, 0);
    } catch (e) {
      msg = (e as Error).message;
    }
    assertEquals(msg, "native kernel HlAttentionCached failed: the KV cache is full");
  },
});
