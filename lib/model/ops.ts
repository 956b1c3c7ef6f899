/**
 * Tensor ops for the tiny transformer. Two paths with the same maths:
 *
 * Native (the wasm backend with the native kernel provider of
 * lib/core/native active): each op is one fused kernel on OpenBLAS and C, and
 * matmuls use matMul's transpose flags (free with BLAS).
 *
 * Stock (any other backend, or no provider), shaped around what is fast on
 * plain tfjs-wasm (measured in ../shared/TOOLCHAIN.md):
 *  - `mm`: matMul whose gradient uses explicit transposes. tfjs's own matMul
 *    gradient calls matMul with transposeA/transposeB, which runs ~10x slower on
 *    wasm than `transpose` + plain matMul.
 *  - `embed`: token embedding as oneHot(ids) @ W. The gradient of `tf.gather`
 *    needs UnsortedSegmentSum, which wasm lacks.
 *  - only 4-D transposes (5-D ones are ~300x slower on wasm).
 * The stock path's numbers are those of the lab before the provider existed.
 */
import * as tf from "@tensorflow/tfjs";
import {
  nativeEmbed,
  nativeGelu,
  nativeKernelsActive,
  nativeLayerNorm,
  nativeLinear,
  nativeLogSoftmax,
  nativeTargetLogProb,
} from "../core/native/mod.ts";

/** Swap the last two axes (explicit transpose; works for rank 2..4). */
export function transposeLast(x: tf.Tensor): tf.Tensor {
  const r = x.rank;
  const perm = [...Array(r).keys()];
  [perm[r - 2], perm[r - 1]] = [perm[r - 1], perm[r - 2]];
  return tf.transpose(x, perm);
}

const mmWithGrad = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
  const [a, b, save] = args as [tf.Tensor, tf.Tensor, tf.GradSaveFunc];
  save([a, b]);
  return {
    value: tf.matMul(a as tf.Tensor2D, b as tf.Tensor2D),
    gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
      const [sa, sb] = saved;
      return [
        tf.matMul(dy as tf.Tensor2D, transposeLast(sb) as tf.Tensor2D),
        tf.matMul(transposeLast(sa) as tf.Tensor2D, dy as tf.Tensor2D),
      ];
    },
  };
});

/** a @ b (rank 2, or equal-rank batched); stock: with an explicit-transpose gradient. */
export function mm(a: tf.Tensor, b: tf.Tensor): tf.Tensor {
  return nativeKernelsActive() ? tf.matMul(a as tf.Tensor2D, b as tf.Tensor2D) : mmWithGrad(a, b);
}

/** a @ b^T (rank 2): native, matMul's transposeB flag; stock, an explicit transpose. */
export function mmTransposeB(a: tf.Tensor2D, b: tf.Tensor2D): tf.Tensor2D {
  return (nativeKernelsActive() ? tf.matMul(a, b, false, true) : mm(a, tf.transpose(b))) as tf.Tensor2D;
}

/** Token embedding rows for int32 ids [N] from table [V, C] -> [N, C]. */
export function embed(ids: tf.Tensor1D, table: tf.Tensor): tf.Tensor2D {
  if (nativeKernelsActive()) return nativeEmbed(ids, table);
  return mm(tf.oneHot(ids, table.shape[0]).toFloat(), table) as tf.Tensor2D;
}

/** LayerNorm epsilon (torch.nn.LayerNorm's default). */
export const LN_EPS = 1e-5;

/** LayerNorm over the last axis (eps 1e-5, as torch.nn.LayerNorm). */
export function layerNorm(x: tf.Tensor, weight: tf.Tensor, bias?: tf.Tensor): tf.Tensor {
  if (nativeKernelsActive()) return nativeLayerNorm(x, weight, bias, LN_EPS);
  const mean = tf.mean(x, -1, true);
  const xc = tf.sub(x, mean);
  const variance = tf.mean(tf.square(xc), -1, true);
  const y = tf.mul(tf.mul(xc, tf.rsqrt(tf.add(variance, LN_EPS))), weight);
  return bias ? tf.add(y, bias) : y;
}

/** Activations: exact GELU (erf), tanh-approximate GELU, ReLU. */
export function activate(x: tf.Tensor, kind: "gelu" | "gelu_tanh" | "relu"): tf.Tensor {
  if (kind !== "relu" && nativeKernelsActive()) return nativeGelu(x, kind === "gelu_tanh");
  switch (kind) {
    case "relu":
      return tf.relu(x);
    case "gelu":
      return tf.mul(tf.mul(x, 0.5), tf.add(1, tf.erf(tf.mul(x, Math.SQRT1_2))));
    case "gelu_tanh": {
      const inner = tf.mul(tf.add(x, tf.mul(tf.pow(x, 3), 0.044715)), Math.sqrt(2 / Math.PI));
      return tf.mul(tf.mul(x, 0.5), tf.add(1, tf.tanh(inner)));
    }
  }
}

/** Linear layer with weight stored [in, out] (transposed vs PyTorch). */
export function linear(x: tf.Tensor2D, weightInOut: tf.Tensor, bias?: tf.Tensor): tf.Tensor2D {
  if (nativeKernelsActive()) return nativeLinear(x, weightInOut, bias);
  const y = mm(x, weightInOut) as tf.Tensor2D;
  return bias ? tf.add(y, bias) as tf.Tensor2D : y;
}

/** Log-softmax over the last axis. */
export function logSoftmax<T extends tf.Tensor>(x: T): T {
  return nativeKernelsActive() ? nativeLogSoftmax(x) : tf.logSoftmax(x);
}

/** log softmax(logits[n])[targets[n]]: logits [N, V], int32 targets [N] -> [N]. */
export function targetLogProbs(logits: tf.Tensor2D, targets: tf.Tensor1D): tf.Tensor1D {
  if (nativeKernelsActive()) return nativeTargetLogProb(logits, targets);
  return tf.sum(tf.mul(tf.logSoftmax(logits), tf.oneHot(targets, logits.shape[1])), 1) as tf.Tensor1D;
}
