/**
 * LayerNorm over the last axis (torch.nn.LayerNorm: biased variance, eps
 * inside the square root) as one kernel, and its gradient (dx, dw, db) as one
 * kernel that recomputes the row statistics from x; the stock composition is
 * about 8 kernels forward and 20 backward.
 */
import * as tf from "@tensorflow/tfjs";
import type { NativeSymbols } from "./library.ts";
import { checkCode, heapFor, offsetOf, type WasmBackend } from "./heap.ts";
import { runKernel } from "./run.ts";

export const LAYER_NORM = "HlLayerNorm";
const LAYER_NORM_GRAD = "HlLayerNormGrad";

export function layerNormKernels(sym: NativeSymbols): tf.KernelConfig[] {
  return [{
    kernelName: LAYER_NORM,
    backendName: "wasm",
    kernelFunc: ({ inputs, backend: be, attrs }) => {
      const { x, w, b } = inputs as { x: tf.TensorInfo; w: tf.TensorInfo; b?: tf.TensorInfo };
      const backend = be as WasmBackend;
      const C = x.shape[x.shape.length - 1], N = x.shape.reduce((p, q) => p * q, 1) / C;
      const y = backend.makeOutput(x.shape, "float32");
      const heap = heapFor(backend, x, w, y, ...(b ? [b] : []));
      const code = sym.hl_layernorm(
        heap,
        offsetOf(backend, x),
        offsetOf(backend, w),
        b ? offsetOf(backend, b) : 0,
        b ? 1 : 0,
        offsetOf(backend, y),
        N,
        C,
        attrs!.eps as number,
      );
      checkCode(code, LAYER_NORM);
      return y;
    },
  }, {
    kernelName: LAYER_NORM_GRAD,
    backendName: "wasm",
    kernelFunc: ({ inputs, backend: be, attrs }) => {
      const { x, w, dy } = inputs as { x: tf.TensorInfo; w: tf.TensorInfo; dy: tf.TensorInfo };
      const backend = be as WasmBackend;
      const C = x.shape[x.shape.length - 1], N = x.shape.reduce((p, q) => p * q, 1) / C;
      const bias = Boolean(attrs?.bias);
      const dx = backend.makeOutput(x.shape, "float32"), dw = backend.makeOutput([C], "float32");
      const db = bias ? backend.makeOutput([C], "float32") : undefined;
      const heap = heapFor(backend, x, w, dy, dx, dw, ...(db ? [db] : []));
      const code = sym.hl_layernorm_grad(
        heap,
        offsetOf(backend, x),
        offsetOf(backend, w),
        offsetOf(backend, dy),
        offsetOf(backend, dx),
        offsetOf(backend, dw),
        db ? offsetOf(backend, db) : 0,
        db ? 1 : 0,
        N,
        C,
        attrs!.eps as number,
      );
      checkCode(code, LAYER_NORM_GRAD);
      return db ? [dx, dw, db] : [dx, dw];
    },
  }];
}

export const layerNormGradient: tf.GradConfig = {
  kernelName: LAYER_NORM,
  inputsToSave: ["x", "w"],
  gradFunc: (dy, saved, attrs) => {
    const [x, w] = saved;
    const [dx, dw, db] = runKernel<tf.Tensor[]>(LAYER_NORM_GRAD, { x, w, dy: dy as tf.Tensor }, {
      bias: attrs.bias,
      eps: attrs.eps,
    });
    const grads: Record<string, () => tf.Tensor> = { x: () => dx, w: () => dw };
    if (attrs.bias) grads.b = () => db;
    return grads;
  },
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
