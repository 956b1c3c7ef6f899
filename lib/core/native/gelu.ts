/**
 * GELU as one kernel forward and one backward (the stock exact form is five
 * kernels forward, its erf a scalar loop at about 1.6 ms a call on the
 * reference model, and about ten backward). `tanh` selects GPT-2's tanh
 * approximation instead of the exact erf form.
 */
import * as tf from "@tensorflow/tfjs";
import type { NativeSymbols } from "./library.ts";
import { checkCode, heapFor, numel, offsetOf, type WasmBackend } from "./heap.ts";
import { runKernel } from "./run.ts";

export const GELU = "HlGelu";
const GELU_GRAD = "HlGeluGrad";

export function geluKernels(sym: NativeSymbols): tf.KernelConfig[] {
  return [{
    kernelName: GELU,
    backendName: "wasm",
    kernelFunc: ({ inputs, backend: be, attrs }) => {
      const { x } = inputs as { x: tf.TensorInfo };
      const backend = be as WasmBackend;
      const y = backend.makeOutput(x.shape, "float32");
      const heap = heapFor(backend, x, y);
      const code = sym.hl_gelu(
        heap,
        offsetOf(backend, x),
        offsetOf(backend, y),
        numel(x.shape),
        attrs?.tanh ? 1 : 0,
      );
      checkCode(code, GELU);
      return y;
    },
  }, {
    kernelName: GELU_GRAD,
    backendName: "wasm",
    kernelFunc: ({ inputs, backend: be, attrs }) => {
      const { x, dy } = inputs as { x: tf.TensorInfo; dy: tf.TensorInfo };
      const backend = be as WasmBackend;
      const dx = backend.makeOutput(x.shape, "float32");
      const heap = heapFor(backend, x, dy, dx);
      const code = sym.hl_gelu_grad(
        heap,
        offsetOf(backend, x),
        offsetOf(backend, dy),
        offsetOf(backend, dx),
        numel(x.shape),
        attrs?.tanh ? 1 : 0,
      );
      checkCode(code, GELU_GRAD);
      return dx;
    },
  }];
}

export const geluGradient: tf.GradConfig = {
  kernelName: GELU,
  inputsToSave: ["x"],
  gradFunc: (dy, saved, attrs) => {
    const [x] = saved;
    return { x: () => runKernel<tf.Tensor>(GELU_GRAD, { x, dy: dy as tf.Tensor }, { tanh: attrs.tanh }) };
  },
};

/** GELU of x: exact (erf) or, with `tanh`, the tanh approximation. */
export function nativeGelu(x: tf.Tensor, tanh: boolean): tf.Tensor {
  return runKernel<tf.Tensor>(GELU, { x }, { tanh });
}
