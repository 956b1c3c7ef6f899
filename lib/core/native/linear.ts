/**
 * Linear layer y = x @ W + b (W stored [in, out]) as one kernel: the bias is
 * written into the output rows and sgemm accumulates onto it (beta = 1). Its
 * gradient is one kernel too: dx = dy W^T and dW = x^T dy (sgemm with
 * transpose flags, no transposed copies) and db = column sums of dy.
 */
import * as tf from "@tensorflow/tfjs";
import type { NativeSymbols } from "./library.ts";
import { checkCode, heapFor, offsetOf, type WasmBackend } from "./heap.ts";
import { runKernel } from "./run.ts";

export const LINEAR = "HlLinear";
const LINEAR_GRAD = "HlLinearGrad";

export function linearKernels(sym: NativeSymbols): tf.KernelConfig[] {
  return [{
    kernelName: LINEAR,
    backendName: "wasm",
    kernelFunc: ({ inputs, backend: be }) => {
      const { x, w, b } = inputs as { x: tf.TensorInfo; w: tf.TensorInfo; b?: tf.TensorInfo };
      const backend = be as WasmBackend;
      const [N, I] = x.shape, O = w.shape[1];
      const y = backend.makeOutput([N, O], "float32");
      const heap = heapFor(backend, x, w, y, ...(b ? [b] : []));
      const code = sym.hl_linear(
        heap,
        offsetOf(backend, x),
        offsetOf(backend, w),
        b ? offsetOf(backend, b) : 0,
        b ? 1 : 0,
        offsetOf(backend, y),
        N,
        I,
        O,
      );
      checkCode(code, LINEAR);
      return y;
    },
  }, {
    kernelName: LINEAR_GRAD,
    backendName: "wasm",
    kernelFunc: ({ inputs, backend: be, attrs }) => {
      const { x, w, dy } = inputs as { x: tf.TensorInfo; w: tf.TensorInfo; dy: tf.TensorInfo };
      const backend = be as WasmBackend;
      const [N, I] = x.shape, O = w.shape[1];
      const bias = Boolean(attrs?.bias);
      const dx = backend.makeOutput([N, I], "float32"), dw = backend.makeOutput([I, O], "float32");
      const db = bias ? backend.makeOutput([O], "float32") : undefined;
      const heap = heapFor(backend, x, w, dy, dx, dw, ...(db ? [db] : []));
      const code = sym.hl_linear_grad(
        heap,
        offsetOf(backend, x),
        offsetOf(backend, w),
        offsetOf(backend, dy),
        offsetOf(backend, dx),
        offsetOf(backend, dw),
        db ? offsetOf(backend, db) : 0,
        db ? 7 : 3,
        N,
        I,
        O,
      );
      checkCode(code, LINEAR_GRAD);
      return db ? [dx, dw, db] : [dx, dw];
    },
  }];
}

export const linearGradient: tf.GradConfig = {
  kernelName: LINEAR,
  inputsToSave: ["x", "w"],
  gradFunc: (dy, saved, attrs) => {
    const [x, w] = saved;
    const [dx, dw, db] = runKernel<tf.Tensor[]>(LINEAR_GRAD, { x, w, dy: dy as tf.Tensor }, {
      bias: attrs.bias,
    });
    const grads: Record<string, () => tf.Tensor> = { x: () => dx, w: () => dw };
    if (attrs.bias) grads.b = () => db;
    return grads;
  },
};

/** y [N, O] = x [N, I] @ w [I, O] (+ b [O]). */
export function nativeLinear(x: tf.Tensor2D, w: tf.Tensor, b?: tf.Tensor): tf.Tensor2D {
  return runKernel<tf.Tensor2D>(LINEAR, { x, w, b }, { bias: Boolean(b) });
}
