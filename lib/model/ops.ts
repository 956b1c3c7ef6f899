/**
 * Tensor ops for the tiny transformer, shaped around what is fast on the tfjs
 * wasm backend (measured in ../shared/TOOLCHAIN.md):
 *  - `mm`: matMul whose gradient uses explicit transposes. tfjs's own matMul
 *    gradient calls matMul with transposeA/transposeB, which runs ~10x slower on
 *    wasm than `transpose` + plain matMul.
 *  - `embed`: token embedding as oneHot(ids) @ W. The gradient of `tf.gather`
 *    needs UnsortedSegmentSum, which wasm lacks.
 *  - only 4-D transposes (5-D ones are ~300x slower on wasm).
 */
import * as tf from "@tensorflow/tfjs";

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

/** a @ b (rank 2, or equal-rank batched) with an explicit-transpose gradient. */
export function mm(a: tf.Tensor, b: tf.Tensor): tf.Tensor {
  return mmWithGrad(a, b);
}

/** Token embedding rows for int32 ids [N] from table [V, C] -> [N, C]. */
export function embed(ids: tf.Tensor1D, table: tf.Tensor): tf.Tensor2D {
  return mm(tf.oneHot(ids, table.shape[0]).toFloat(), table) as tf.Tensor2D;
}

/** LayerNorm over the last axis (eps 1e-5, as torch.nn.LayerNorm). */
export function layerNorm(x: tf.Tensor, weight: tf.Tensor, bias?: tf.Tensor): tf.Tensor {
  const mean = tf.mean(x, -1, true);
  const xc = tf.sub(x, mean);
  const variance = tf.mean(tf.square(xc), -1, true);
  const y = tf.mul(tf.mul(xc, tf.rsqrt(tf.add(variance, 1e-5))), weight);
  return bias ? tf.add(y, bias) : y;
}

/** Activations: exact GELU (erf), tanh-approximate GELU, ReLU. */
export function activate(x: tf.Tensor, kind: "gelu" | "gelu_tanh" | "relu"): tf.Tensor {
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
  const y = mm(x, weightInOut) as tf.Tensor2D;
  return bias ? tf.add(y, bias) as tf.Tensor2D : y;
}
