/**
 * Linear layer y = x @ W + b (W stored [in, out]) as one kernel: the bias is
 * written into the output rows and sgemm accumulates onto it (beta = 1). Its
 * gradient is one kernel too: dx = dy W^T and dW = x^T dy (sgemm with
 * transpose flags, no transposed copies) and db = column sums of dy.
 */
import * as tf from "@tensorflow/tfjs";
import type { NativeSymbols } from "./library.ts";
import { defineKernel, runKernel, weightGradients } from "./kernel.ts";

export const LINEAR = "HlLinear";
const LINEAR_GRAD = "HlLinearGrad";

export function linearKernels(sym: NativeSymbols): tf.KernelConfig[] {
  return [
    defineKernel({
      name: LINEAR,
      outputs: ({ x, w }) => [[x.shape[0], w.shape[1]]],
      call: (heap, at, { x, w, b }, [y]) =>
        sym.hl_linear(heap, at(x), at(w), at(b), b ? 1 : 0, at(y), x.shape[0], x.shape[1], w.shape[1]),
    }),
    defineKernel({
      name: LINEAR_GRAD,
      outputs: ({ x, w }, { bias }) => [x.shape, w.shape, ...(bias ? [[w.shape[1]]] : [])],
      call: (heap, at, { x, w, dy }, [dx, dw, db]) =>
        sym.hl_linear_grad(
          heap,
          at(x),
          at(w),
          at(dy),
          at(dx),
          at(dw),
          at(db),
          db ? 7 : 3,
          x.shape[0],
          x.shape[1],
          w.shape[1],
        ),
    }),
  ];
}

export const linearGradient: tf.GradConfig = {
  kernelName: LINEAR,
  inputsToSave: ["x", "w"],
  gradFunc: (dy, [x, w], attrs) =>
    weightGradients(
      attrs.bias,
      runKernel<tf.Tensor[]>(LINEAR_GRAD, { x, w, dy: dy as tf.Tensor }, { bias: attrs.bias }),
    ),
};

/** y [N, O] = x [N, I] @ w [I, O] (+ b [O]). */
export function nativeLinear(x: tf.Tensor2D, w: tf.Tensor, b?: tf.Tensor): tf.Tensor2D {
  return runKernel<tf.Tensor2D>(LINEAR, { x, w, b }, { bias: Boolean(b) });
}
