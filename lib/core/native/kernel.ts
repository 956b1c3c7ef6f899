/**
 * Defining and invoking the lab's own kernels. A native kernel allocates its
 * float32 outputs on the wasm heap, then calls C with the heap's current view
 * and byte offsets (read after the last allocation: see ./heap.ts), and throws
 * on a negative return code. Invoking goes through the tfjs engine, so the
 * kernels are taped for gradients, tracked for disposal and profiled.
 */
import * as tf from "@tensorflow/tfjs";
import { checkCode, heapFor, offsetOf, type WasmBackend } from "./heap.ts";

type Infos = Record<string, tf.TensorInfo>;

/** What a native kernel needs: its output shapes, and the C call. */
export interface NativeKernelSpec {
  name: string;
  /** Shapes of the float32 outputs, from the inputs and attrs. */
  outputs: (inputs: Infos, attrs: tf.NamedAttrMap) => number[][];
  /** The C call: `at(t)` is a tensor's byte offset (0 for an absent one); returns the C function's code. */
  call: (
    heap: Uint8Array,
    at: (t?: tf.TensorInfo) => number,
    inputs: Infos,
    outs: tf.TensorInfo[],
    attrs: tf.NamedAttrMap,
  ) => number;
}

/** A wasm kernel config from a spec; a kernel with one output returns it alone. */
export function defineKernel(spec: NativeKernelSpec): tf.KernelConfig {
  return {
    kernelName: spec.name,
    backendName: "wasm",
    kernelFunc: ({ inputs, backend: be, attrs = {} }) => {
      const backend = be as WasmBackend, given = inputs as Infos;
      const outs = spec.outputs(given, attrs).map((shape) => backend.makeOutput(shape, "float32"));
      const present = Object.values(given).filter((t) => t !== undefined);
      const heap = heapFor(backend, ...present, ...outs);
      const at = (t?: tf.TensorInfo) => (t ? offsetOf(backend, t) : 0);
      checkCode(spec.call(heap, at, given, outs, attrs), spec.name);
      return outs.length === 1 ? outs[0] : outs;
    },
  };
}

/** Run a registered kernel by name; inputs that are undefined are left out (tfjs's tape needs every input defined). */
export function runKernel<T extends tf.Tensor | tf.Tensor[]>(
  name: string,
  inputs: Record<string, tf.Tensor | undefined>,
  attrs: tf.NamedAttrMap = {},
): T {
  const defined: tf.NamedTensorMap = {};
  for (const [k, v] of Object.entries(inputs)) if (v) defined[k] = v;
  return tf.engine().runKernel(name, defined, attrs) as T;
}

/** The gradient map of a layer with a weight and an optional bias (bias only when the forward had one). */
export function weightGradients(bias: unknown, [dx, dw, db]: tf.Tensor[]): Record<string, () => tf.Tensor> {
  const grads: Record<string, () => tf.Tensor> = { x: () => dx, w: () => dw };
  if (bias) grads.b = () => db;
  return grads;
}

/** The number of rows of a tensor read as [rows, last axis]. */
export function rowsOf(t: tf.TensorInfo): number {
  return t.shape.reduce((p, q) => p * q, 1) / t.shape[t.shape.length - 1];
}
