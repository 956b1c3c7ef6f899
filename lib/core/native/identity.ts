/**
 * A copy-free Identity for the wasm backend: the output shares the input's
 * data (reference counted), as tfjs's cpu backend and tfjs-wasm's own Reshape
 * do. tfjs calls Identity for every tensor it saves for a gradient
 * (`engine.clone`), and tfjs-wasm's kernel copies each one.
 * Tensors are immutable in tfjs, so sharing is safe; the one code path that
 * writes a tensor in place (the optimizer's fused update) checks that no other
 * tensor shares its data first.
 */
import * as tf from "@tensorflow/tfjs";
import type { WasmBackend } from "./heap.ts";

export function identityKernel(stock: tf.KernelConfig): tf.KernelConfig {
  return {
    kernelName: tf.Identity,
    backendName: "wasm",
    kernelFunc: (args) => {
      const { x } = args.inputs as { x: tf.TensorInfo };
      if (x.dtype === "string") return stock.kernelFunc(args);
      (args.backend as WasmBackend).incRef(x.dataId);
      return { dataId: x.dataId, shape: x.shape, dtype: x.dtype };
    },
  };
}
