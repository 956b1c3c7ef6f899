/**
 * Embedding lookup as one kernel: rows of `table` for int32 `ids`, plus rows
 * of a second table (learned positions) for int32 `pos` when given. Its
 * gradient is a scatter-add per table. Replaces the one-hot matmul
 * (oneHot(ids) @ table, an [N, V] operand) that the stock path uses because
 * tfjs-wasm lacks UnsortedSegmentSum for gather's gradient.
 */
import * as tf from "@tensorflow/tfjs";
import type { NativeSymbols } from "./library.ts";
import { checkCode, heapFor, offsetOf, type WasmBackend } from "./heap.ts";
import { runKernel } from "./run.ts";

export const EMBED = "HlEmbed";
/** The same lookup plus a second table (two kernel names, as tfjs saves inputs by name for the gradient). */
export const EMBED_POS = "HlEmbedPos";
const EMBED_GRAD = "HlEmbedGrad";

export function embedKernels(sym: NativeSymbols): tf.KernelConfig[] {
  const lookup: tf.KernelFunc = ({ inputs, backend: be }) => {
    const { ids, table, pos, posTable } = inputs as Record<string, tf.TensorInfo>;
    const backend = be as WasmBackend;
    const N = ids.shape[0], [V, C] = table.shape;
    const y = backend.makeOutput([N, C], "float32");
    const heap = heapFor(backend, ids, table, y, ...(pos ? [pos, posTable] : []));
    const code = sym.hl_embed(
      heap,
      offsetOf(backend, ids),
      offsetOf(backend, table),
      V,
      pos ? offsetOf(backend, pos) : 0,
      pos ? offsetOf(backend, posTable) : 0,
      pos ? posTable.shape[0] : 0,
      pos ? 1 : 0,
      offsetOf(backend, y),
      N,
      C,
    );
    checkCode(code, EMBED);
    return y;
  };
  return [{ kernelName: EMBED, backendName: "wasm", kernelFunc: lookup }, {
    kernelName: EMBED_POS,
    backendName: "wasm",
    kernelFunc: lookup,
  }, {
    kernelName: EMBED_GRAD,
    backendName: "wasm",
    kernelFunc: ({ inputs, backend: be, attrs }) => {
      const { ids, dy } = inputs as Record<string, tf.TensorInfo>;
      const backend = be as WasmBackend;
      const V = attrs!.rows as number, [N, C] = dy.shape;
      const d = backend.makeOutput([V, C], "float32");
      const heap = heapFor(backend, ids, dy, d);
      checkCode(
        sym.hl_embed_grad(heap, offsetOf(backend, ids), offsetOf(backend, dy), offsetOf(backend, d), N, V, C),
        EMBED_GRAD,
      );
      return d;
    },
  }];
}

const scatter = (dy: tf.Tensor | tf.Tensor[], at: tf.Tensor, rows: unknown) => () =>
  runKernel<tf.Tensor>(EMBED_GRAD, { ids: at, dy: dy as tf.Tensor }, { rows: rows as number });
const zeros = (t: tf.Tensor) => () => tf.zeros(t.shape);

export const embedGradients: tf.GradConfig[] = [{
  kernelName: EMBED,
  inputsToSave: ["ids"],
  gradFunc: (dy, [ids], attrs) => ({ ids: zeros(ids), table: scatter(dy, ids, attrs.rows) }),
}, {
  kernelName: EMBED_POS,
  inputsToSave: ["ids", "pos"],
  gradFunc: (dy, [ids, pos], attrs) => ({
    ids: zeros(ids),
    table: scatter(dy, ids, attrs.rows),
    pos: zeros(pos),
    posTable: scatter(dy, pos, attrs.posRows),
  }),
}];

/** table[ids] (+ posTable[pos]): ids, pos int32 [N]; tables [rows, C] -> [N, C]. */
export function nativeEmbed(
  ids: tf.Tensor1D,
  table: tf.Tensor,
  pos?: tf.Tensor1D,
  posTable?: tf.Tensor,
): tf.Tensor2D {
  return runKernel<tf.Tensor2D>(pos ? EMBED_POS : EMBED, { ids, table, pos, posTable }, {
    rows: table.shape[0],
    posRows: posTable?.shape[0] ?? 0,
  });
}
