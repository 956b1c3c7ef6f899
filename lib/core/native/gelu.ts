/**
 * GELU as one kernel forward and one backward (the stock exact form is five
 * kernels forward, its erf a scalar loop at about 1.6 ms a call on the
 * reference model, and about ten backward). `tanh` selects GPT-2's tanh
 * approximation instead of the exact erf form.
 */
import * as tf from "@tensorflow/tfjs";
import type { NativeSymbols } from "./library.ts";
import { numel } from "./heap.ts";
import { defineKernel, runKernel } from "./kernel.ts";

export const GELU = "HlGelu";
const GELU_GRAD = "HlGeluGrad";

export function geluKernels(sym: NativeSymbols): tf.KernelConfig[] {
  return [
    defineKernel({
      name: GELU,
      outputs: ({ x }) => [x.shape],
      call: (heap, at, { x }, [y], { tanh }) => sym.hl_gelu(heap, at(x), at(y), numel(x.shape), tanh ? 1 : 0),
    }),
    defineKernel({
      name: GELU_GRAD,
      outputs: ({ x }) => [x.shape],
      call: (heap, at, { x, dy }, [dx], { tanh }) =>
        sym.hl_gelu_grad(heap, at(x), at(dy), at(dx), numel(x.shape), tanh ? 1 : 0),
    }),
  ];
}

export const geluGradient: tf.GradConfig = {
  kernelName: GELU,
  inputsToSave: ["x"],
  gradFunc: (dy, [x], attrs) => ({
    x: () => runKernel<tf.Tensor>(GELU_GRAD, { x, dy: dy as tf.Tensor }, attrs),
  }),
};

/** GELU of x: exact (erf) or, with `tanh`, the tanh approximation. */
export function nativeGelu(x: tf.Tensor, tanh: boolean): tf.Tensor {
  return runKernel<tf.Tensor>(GELU, { x }, { tanh });
}
