/**
 * Embedding lookup as one kernel: rows of `table` for int32 `ids`, plus rows
 * of a second table (learned positions) for int32 `pos` when given. Its
 * gradient is a scatter-add per table. Replaces the one-hot matmul
 * (oneHot(ids) @ table, an [N, V] operand) that the stock path uses because
 * tfjs-wasm lacks UnsortedSegmentSum for gather's gradient.
 */
import * as tf from "@tensorflow/tfjs";
import type { NativeSymbols } from "./library.ts";
import { defineKernel, runKernel } from "./kernel.ts";

export const EMBED = "HlEmbed";
/** The same lookup plus a second table (two kernel names, as tfjs saves inputs by name for the gradient). */
export const EMBED_POS = "HlEmbedPos";
const EMBED_GRAD = "HlEmbedGrad";

export function embedKernels(sym: NativeSymbols): tf.KernelConfig[] {
  const lookup = (name: string) =>
    defineKernel({
      name,
      outputs: ({ ids, table }) => [[ids.shape[0], table.shape[1]]],
      call: (heap, at, { ids, table, pos, posTable }, [y]) =>
        sym.hl_embed(
          heap,
          at(ids),
          at(table),
          table.shape[0],
          at(pos),
          at(posTable),
          posTable?.shape[0] ?? 0,
          pos ? 1 : 0,
          at(y),
          ids.shape[0],
          table.shape[1],
        ),
    });
  return [
    lookup(EMBED),
    lookup(EMBED_POS),
    defineKernel({
      name: EMBED_GRAD,
      outputs: ({ dy }, { rows }) => [[rows as number, dy.shape[1]]],
      call: (heap, at, { ids, dy }, [d], { rows }) =>
        sym.hl_embed_grad(heap, at(ids), at(dy), at(d), dy.shape[0], rows as number, dy.shape[1]),
    }),
  ];
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
