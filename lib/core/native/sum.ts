/**
 * Sum over leading axes (a bias gradient: [N, C] -> [C]) as a column sum in
 * one pass, accumulated in double. tfjs-wasm reduces only innermost axes, so
 * it first transposes the whole input; every other case still goes to its
 * kernel.
 */
import * as tf from "@tensorflow/tfjs";
import type { NativeSymbols } from "./library.ts";
import { checkCode, heapFor, numel, offsetOf, type WasmBackend } from "./heap.ts";

export function sumKernel(sym: NativeSymbols, stock: tf.KernelConfig): tf.KernelConfig {
  return {
    kernelName: tf.Sum,
    backendName: "wasm",
    kernelFunc: (args) => {
      const { x } = args.inputs as { x: tf.TensorInfo };
      const axes = tf.util.parseAxisParam(args.attrs?.axis as number | number[], x.shape).sort((p, q) =>
        p - q
      );
      const k = axes.length;
      const leading = k > 0 && k < x.shape.length && axes.every((v, i) => v === i);
      if (x.dtype !== "float32" || !leading || numel(x.shape) === 0) return stock.kernelFunc(args);
      const rows = numel(x.shape.slice(0, k)), rest = x.shape.slice(k);
      const backend = args.backend as WasmBackend;
      const out = backend.makeOutput(
        args.attrs?.keepDims ? [...new Array(k).fill(1), ...rest] : rest,
        "float32",
      );
      const heap = heapFor(backend, x, out);
      checkCode(sym.hl_colsum(heap, offsetOf(backend, x), offsetOf(backend, out), rows, numel(rest)), "Sum");
      return out;
    },
  };
}
