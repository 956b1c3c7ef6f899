/**
 * BatchMatMul on OpenBLAS for the wasm backend, replacing tfjs-wasm's kernel,
 * which runs XNNPACK only for 2-D untransposed operands and a scalar loop for
 * everything else (1.5-3 GFLOP/s against sgemm's 40-120 here). Handles every
 * transpose flag and general batch broadcasting ([2,1,..] x [1,3,..], which the
 * stock kernel computes wrongly); non-float32 operands go to the stock kernel.
 * tfjs-core's gradient of BatchMatMul is itself made of transposed matmuls, so
 * it runs here too.
 */
import * as tf from "@tensorflow/tfjs";
import type { NativeSymbols } from "./library.ts";
import { checkCode, heapFor, numel, offsetOf, type WasmBackend } from "./heap.ts";

/** Output batch shape and, per output batch axis, each operand's stride in matrices (0 = broadcast). */
export function broadcastBatch(
  aBatch: number[],
  bBatch: number[],
): { shape: number[]; sa: number[]; sb: number[] } {
  const rank = Math.max(aBatch.length, bBatch.length);
  const pad = (s: number[]) => [...new Array(rank - s.length).fill(1), ...s];
  const a = pad(aBatch), b = pad(bBatch);
  const shape: number[] = [], sa = new Array(rank).fill(0), sb = new Array(rank).fill(0);
  for (let d = 0; d < rank; d++) {
    if (a[d] !== b[d] && a[d] !== 1 && b[d] !== 1) {
      throw new Error(`matMul: batch shapes [${aBatch}] and [${bBatch}] do not broadcast`);
    }
    shape.push(Math.max(a[d], b[d]));
  }
  let strideA = 1, strideB = 1;
  for (let d = rank - 1; d >= 0; d--) {
    sa[d] = a[d] === 1 ? 0 : strideA;
    sb[d] = b[d] === 1 ? 0 : strideB;
    strideA *= a[d];
    strideB *= b[d];
  }
  return { shape, sa, sb };
}

export function batchMatMulKernel(sym: NativeSymbols, stock: tf.KernelConfig): tf.KernelConfig {
  return {
    kernelName: tf.BatchMatMul,
    backendName: "wasm",
    kernelFunc: (args) => {
      const { a, b } = args.inputs as { a: tf.TensorInfo; b: tf.TensorInfo };
      if (a.dtype !== "float32" || b.dtype !== "float32") return stock.kernelFunc(args);
      const transposeA = Boolean(args.attrs?.transposeA), transposeB = Boolean(args.attrs?.transposeB);
      const ra = a.shape.length, rb = b.shape.length;
      const M = transposeA ? a.shape[ra - 1] : a.shape[ra - 2];
      const K = transposeA ? a.shape[ra - 2] : a.shape[ra - 1];
      const Kb = transposeB ? b.shape[rb - 1] : b.shape[rb - 2];
      const N = transposeB ? b.shape[rb - 2] : b.shape[rb - 1];
      if (K !== Kb) {
        throw new Error(
          `matMul: inner sizes ${K} and ${Kb} of shapes [${a.shape}] and [${b.shape}] ` +
            `(transposeA=${transposeA}, transposeB=${transposeB}) must match`,
        );
      }
      const batch = broadcastBatch(a.shape.slice(0, -2), b.shape.slice(0, -2));
      const backend = args.backend as WasmBackend;
      const out = backend.makeOutput([...batch.shape, M, N], "float32");
      if (numel(out.shape) === 0) return out;
      const dims = new Int32Array([...batch.shape, ...batch.sa, ...batch.sb]);
      const heap = heapFor(backend, a, b, out);
      const code = sym.hl_batch_matmul(
        heap,
        offsetOf(backend, a),
        offsetOf(backend, b),
        offsetOf(backend, out),
        transposeA ? 1 : 0,
        transposeB ? 1 : 0,
        M,
        N,
        K,
        batch.shape.length,
        dims,
      );
      checkCode(code, "BatchMatMul");
      return out;
    },
  };
}
