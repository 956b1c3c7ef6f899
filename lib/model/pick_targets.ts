/**
 * The entries of next-token log-distributions at given target tokens: what
 * `Gpt.targetLogProbs` returns, and what a caller that also needs the whole
 * distributions (scoring, distillation) picks from `Gpt.nextTokenLogProbs`.
 * A one-hot product, not a gather: tfjs-wasm has no gradient for gather, and
 * the product adds only exact zeros, so the picked value is the entry itself.
 *
 * @example
 * ```ts
 * import * as tf from "@tensorflow/tfjs";
 * import { assertEquals } from "@std/assert";
 * import { pickTargets } from "./pick_targets.ts";
 * const lp = tf.tensor3d([[[-1, -2, -3], [-4, -5, -6]]]); // [B 1, T 2, V 3]
 * const picked = pickTargets(lp, tf.tensor2d([[2, 0]], undefined, "int32"));
 * assertEquals(picked.arraySync(), [[-3, -4]]);
 * ```
 */
import * as tf from "@tensorflow/tfjs";

/** log-distributions [B, T, V] at the target tokens [B, T] (int32): [B, T]. */
export function pickTargets(logProbs: tf.Tensor3D, targets: tf.Tensor2D): tf.Tensor2D {
  return tf.tidy(() => {
    const [B, T, V] = logProbs.shape;
    const flat = tf.reshape(logProbs, [B * T, V]);
    const picked = tf.sum(tf.mul(flat, tf.oneHot(tf.reshape(targets, [B * T]) as tf.Tensor1D, V)), 1);
    return tf.reshape(picked, [B, T]) as tf.Tensor2D;
  });
}
