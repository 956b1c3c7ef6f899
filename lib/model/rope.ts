/**
 * Rotary position embeddings (RoFormer, Su et al. 2021) in the GPT-NeoX
 * half-split layout: the first and second halves of each head's vector are
 * rotated as pairs, (x1, x2) -> (x1 cos - x2 sin, x2 cos + x1 sin), at angle
 * position * base^(-2i/D). The native attention kernels rotate inside C from
 * the same tables.
 */
import * as tf from "@tensorflow/tfjs";

/** cos/sin tables [T, D/2] for positions start..start+T-1 (GPT-NeoX half-split RoPE). */
export function ropeTables(start: number, T: number, D: number, base: number) {
  const half = D / 2;
  const cos = new Float32Array(T * half), sin = new Float32Array(T * half);
  for (let t = 0; t < T; t++) {
    for (let i = 0; i < half; i++) {
      const angle = (start + t) * Math.pow(base, (-2 * i) / D);
      cos[t * half + i] = Math.cos(angle);
      sin[t * half + i] = Math.sin(angle);
    }
  }
  return { cos: tf.tensor2d(cos, [T, half]), sin: tf.tensor2d(sin, [T, half]) };
}

/** Rotate x [B,H,T,D]: (x1, x2) -> (x1 cos - x2 sin, x2 cos + x1 sin). */
export function applyRope(x: tf.Tensor4D, r: { cos: tf.Tensor2D; sin: tf.Tensor2D }): tf.Tensor4D {
  const [x1, x2] = tf.split(x, 2, 3);
  return tf.concat([
    tf.sub(tf.mul(x1, r.cos), tf.mul(x2, r.sin)),
    tf.add(tf.mul(x2, r.cos), tf.mul(x1, r.sin)),
  ], 3) as tf.Tensor4D;
}
