/**
 * Log-softmax over the last axis, and the log-probability of one target per
 * row, each one kernel forward and one backward (stock log-softmax is six
 * kernels; picking a target through a one-hot product three more). The target
 * form's gradient recomputes the softmax from the saved logits.
 */
import * as tf from "@tensorflow/tfjs";
import type { NativeSymbols } from "./library.ts";
import { checkCode, heapFor, offsetOf, type WasmBackend } from "./heap.ts";
import { runKernel } from "./run.ts";

export const LOG_SOFTMAX = "HlLogSoftmax";
const LOG_SOFTMAX_GRAD = "HlLogSoftmaxGrad";
export const TARGET_LOG_PROB = "HlTargetLogProb";
const TARGET_LOG_PROB_GRAD = "HlTargetLogProbGrad";

type Infos = Record<string, tf.TensorInfo>;
const rowsOf = (t: tf.TensorInfo) => {
  const V = t.shape[t.shape.length - 1];
  return [t.shape.reduce((p, q) => p * q, 1) / V, V];
};

export function logSoftmaxKernels(sym: NativeSymbols): tf.KernelConfig[] {
  return [{
    kernelName: LOG_SOFTMAX,
    backendName: "wasm",
    kernelFunc: ({ inputs, backend: be }) => {
      const { x } = inputs as Infos;
      const backend = be as WasmBackend;
      const [N, V] = rowsOf(x);
      const y = backend.makeOutput(x.shape, "float32");
      const heap = heapFor(backend, x, y);
      checkCode(sym.hl_log_softmax(heap, offsetOf(backend, x), offsetOf(backend, y), N, V), LOG_SOFTMAX);
      return y;
    },
  }, {
    kernelName: LOG_SOFTMAX_GRAD,
    backendName: "wasm",
    kernelFunc: ({ inputs, backend: be }) => {
      const { y, dy } = inputs as Infos;
      const backend = be as WasmBackend;
      const [N, V] = rowsOf(y);
      const dx = backend.makeOutput(y.shape, "float32");
      const heap = heapFor(backend, y, dy, dx);
      const code = sym.hl_log_softmax_grad(
        heap,
        offsetOf(backend, y),
        offsetOf(backend, dy),
        offsetOf(backend, dx),
        N,
        V,
      );
      checkCode(code, LOG_SOFTMAX_GRAD);
      return dx;
    },
  }, {
    kernelName: TARGET_LOG_PROB,
    backendName: "wasm",
    kernelFunc: ({ inputs, backend: be }) => {
      const { x, targets } = inputs as Infos;
      const backend = be as WasmBackend;
      const [N, V] = rowsOf(x);
      const out = backend.makeOutput([N], "float32");
      const heap = heapFor(backend, x, targets, out);
      const code = sym.hl_target_log_prob(
        heap,
        offsetOf(backend, x),
        offsetOf(backend, targets),
        offsetOf(backend, out),
        N,
        V,
      );
      checkCode(code, TARGET_LOG_PROB);
      return out;
    },
  }, {
    kernelName: TARGET_LOG_PROB_GRAD,
    backendName: "wasm",
    kernelFunc: ({ inputs, backend: be }) => {
      const { x, targets, dy } = inputs as Infos;
      const backend = be as WasmBackend;
      const [N, V] = rowsOf(x);
      const dx = backend.makeOutput(x.shape, "float32");
      const heap = heapFor(backend, x, targets, dy, dx);
      const code = sym.hl_target_log_prob_grad(
        heap,
        offsetOf(backend, x),
        offsetOf(backend, targets),
        offsetOf(backend, dy),
        offsetOf(backend, dx),
        N,
        V,
      );
      checkCode(code, TARGET_LOG_PROB_GRAD);
      return dx;
    },
  }];
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
