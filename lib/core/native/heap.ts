/**
 * Tensors on the tfjs-wasm heap, as the native kernels see them: each float32
 * or int32 tensor is a run of bytes at `memoryOffset` in the wasm memory, and
 * a kernel passes the heap's current view plus byte offsets to C.
 *
 * Two pitfalls this module guards against (see ../shared/TOOLCHAIN.md):
 *  - growth: an allocation (`makeOutput`) can grow the wasm memory, which
 *    detaches the old ArrayBuffer; a view on it hands C a null pointer. So
 *    kernels allocate every output first and call `heapFor` last, which reads
 *    the backend's current HEAPU8 and checks every tensor lies inside it.
 *  - offsets past 2 GiB: `memoryOffset` is unsigned; it is passed as a u32
 *    byte offset and never shifted.
 */
import type * as tf from "@tensorflow/tfjs";

/** The parts of tfjs-wasm's BackendWasm the kernels use. */
export interface WasmBackend {
  wasm: { HEAPU8: Uint8Array };
  dataIdMap: { get(dataId: unknown): { memoryOffset: number; refCount: number } | undefined };
  makeOutput(shape: number[], dtype: tf.DataType): tf.TensorInfo;
  incRef(dataId: unknown): void;
  refCount(dataId: unknown): number;
}

/** Byte offset of a tensor's data in the wasm heap. */
export function offsetOf(backend: WasmBackend, t: tf.TensorInfo): number {
  const data = backend.dataIdMap.get(t.dataId);
  if (!data) throw new Error(`native kernel: tensor of shape [${t.shape}] has no data on the wasm backend`);
  return data.memoryOffset;
}

function sizeOf(shape: number[]): number {
  let n = 1;
  for (const d of shape) n *= d;
  return n;
}

/**
 * The heap's current view, after checking that each tensor's bytes lie inside
 * it. Call after the last `makeOutput` of a kernel.
 */
export function heapFor(backend: WasmBackend, ...tensors: tf.TensorInfo[]): Uint8Array {
  const heap = backend.wasm.HEAPU8;
  const limit = heap.byteLength;
  if (limit === 0) {
    throw new Error("native kernel: the wasm heap view is detached (memory grew after it was read)");
  }
  for (const t of tensors) {
    const end = offsetOf(backend, t) + 4 * sizeOf(t.shape);
    if (end > limit) {
      throw new Error(
        `native kernel: tensor [${t.shape}] ends at byte ${end}, past the wasm heap (${limit} bytes)`,
      );
    }
  }
  return heap;
}

/** Throw on a native kernel's error code (negative). */
export function checkCode(code: number, kernel: string): void {
  if (code >= 0) return;
  const why = code === -1
    ? "the heap pointer was null"
    : code === -2
    ? "scratch memory could not be allocated"
    : code === -3
    ? "the KV cache is full"
    : code === -4
    ? "an index (token id, position or target) is outside its table"
    : `error ${code}`;
  throw new Error(`native kernel ${kernel} failed: ${why}`);
}

/** Element count of a shape. */
export const numel = sizeOf;
