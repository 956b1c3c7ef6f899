/**
 * LayerNorm over the last axis (torch.nn.LayerNorm: biased variance, eps
 * inside the square root) as one kernel, and its gradient (dx, dw, db) as one
 * kernel that recomputes the row statistics from x; the stock composition is
 * about 8 kernels forward and 20 backward.
 */
import * as tf from "@tensorflow/tfjs";
import type { NativeSymbols } from "./library.ts";
import { defineKernel, rowsOf, runKernel, weightGradients } from "./kernel.ts";

export const LAYER_NORM = "HlLayerNorm";
const LAYER_NORM_GRAD = "HlLayerNormGrad";

export function layerNormKernels(sym: NativeSymbols): tf.KernelConfig[] {
  return [
    defineKernel({
      name: LAYER_NORM,
      outputs: ({ x }) => [x.shape],
      call: (heap, at, { x, w, b }, [y], { eps }) =>
        sym.hl_layernorm(heap, at(x), at(w), at(b), b ? 1 : 0, at(y), rowsOf(x), w.shape[0], eps as number),
    }),
    defineKernel({
      name: LAYER_NORM_GRAD,
      outputs: ({ x, w }, { bias }) => [x.shape, w.shape, ...(bias ? [w.shape] : [])],
      call: (heap, at, { x, w, dy }, [dx, dw, db], { eps }) =>
        sym.hl_layernorm_grad(
          heap,
          at(x),
          at(w),
          at(dy),
          at(dx),
          at(dw),
          at(db),
          db ? 1 : 0,
          rowsOf(x),
          w.shape[0],
          eps as number,
        ),
    }),
  ];
}

export const layerNormGradient: tf.GradConfig = {
  kernelName: LAYER_NORM,
  inputsToSave: ["x", "w"],
  gradFunc: (dy, [x, w], attrs) =>
    weightGradients(
      attrs.bias,
      runKernel<tf.Tensor[]>(LAYER_NORM_GRAD, { x, w, dy: dy as tf.Tensor }, attrs),
    ),
};

/** LayerNorm of x over its last axis with gain w and optional bias b. */
export function nativeLayerNorm(
  x: tf.Tensor,
  w: tf.Tensor,
  b: tf.Tensor | undefined,
  eps: number,
): tf.Tensor {
  return runKernel<tf.Tensor>(LAYER_NORM, { x, w, b }, { bias: Boolean(b), eps });
}
