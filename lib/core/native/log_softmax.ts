/**
 * Log-softmax over the last axis, and the log-probability of one target per
 * row, each one kernel forward and one backward (stock log-softmax is six
 * kernels; picking a target through a one-hot product three more). The target
 * form's gradient recomputes the softmax from the saved logits.
 */
import * as tf from "@tensorflow/tfjs";
import type { NativeSymbols } from "./library.ts";
import { defineKernel, rowsOf, runKernel } from "./kernel.ts";

export const LOG_SOFTMAX = "HlLogSoftmax";
const LOG_SOFTMAX_GRAD = "HlLogSoftmaxGrad";
export const TARGET_LOG_PROB = "HlTargetLogProb";
const TARGET_LOG_PROB_GRAD = "HlTargetLogProbGrad";

const last = (t: tf.TensorInfo) => t.shape[t.shape.length - 1];

export function logSoftmaxKernels(sym: NativeSymbols): tf.KernelConfig[] {
  return [
    defineKernel({
      name: LOG_SOFTMAX,
      outputs: ({ x }) => [x.shape],
      call: (heap, at, { x }, [y]) => sym.hl_log_softmax(heap, at(x), at(y), rowsOf(x), last(x)),
    }),
    defineKernel({
      name: LOG_SOFTMAX_GRAD,
      outputs: ({ y }) => [y.shape],
      call: (heap, at, { y, dy }, [dx]) =>
        sym.hl_log_softmax_grad(heap, at(y), at(dy), at(dx), rowsOf(y), last(y)),
    }),
    defineKernel({
      name: TARGET_LOG_PROB,
      outputs: ({ x }) => [[rowsOf(x)]],
      call: (heap, at, { x, targets }, [out]) =>
        sym.hl_target_log_prob(heap, at(x), at(targets), at(out), rowsOf(x), last(x)),
    }),
    defineKernel({
      name: TARGET_LOG_PROB_GRAD,
      outputs: ({ x }) => [x.shape],
      call: (heap, at, { x, targets, dy }, [dx]) =>
        sym.hl_target_log_prob_grad(heap, at(x), at(targets), at(dy), at(dx), rowsOf(x), last(x)),
    }),
  ];
}

export const logSoftmaxGradients: tf.GradConfig[] = [{
  kernelName: LOG_SOFTMAX,
  outputsToSave: [true],
  gradFunc: (dy, [y]) => ({ x: () => runKernel<tf.Tensor>(LOG_SOFTMAX_GRAD, { y, dy: dy as tf.Tensor }) }),
}, {
  kernelName: TARGET_LOG_PROB,
  inputsToSave: ["x", "targets"],
  gradFunc: (dy, [x, targets]) => ({
    x: () => runKernel<tf.Tensor>(TARGET_LOG_PROB_GRAD, { x, targets, dy: dy as tf.Tensor }),
    targets: () => tf.zeros(targets.shape),
  }),
}];

/** Log-softmax over the last axis. */
export function nativeLogSoftmax<T extends tf.Tensor>(x: T): T {
  return runKernel<T>(LOG_SOFTMAX, { x });
}

/** log softmax(x[n])[targets[n]] for logits x [N, V] and int32 targets [N] -> [N]. */
export function nativeTargetLogProb(x: tf.Tensor2D, targets: tf.Tensor1D): tf.Tensor1D {
  return runKernel<tf.Tensor1D>(TARGET_LOG_PROB, { x, targets });
}
