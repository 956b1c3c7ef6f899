/**
 * How much wasm heap a training step needs, so a run that would not fit is
 * refused before it starts. TensorFlow.js's wasm heap is capped at 4 GiB and
 * never shrinks; a run that outgrows it dies midway with "out of memory".
 *
 * The estimate is linear in the activations a step keeps for its backward
 * pass, calibrated on measured peaks (two training steps of bench/workload.ts
 * in a fresh process; MB = 2^20 bytes):
 *
 * | n_embd | layers | rows x tokens | native | stock | estimate native / stock |
 * | ------ | ------ | ------------- | ------ | ----- | ----------------------- |
 * |     64 |      2 |    64 x 32    |     48 |   207 |      91 / 254           |
 * |     64 |      2 |   256 x 32    |    184 |   818 |     236 / 890           |
 * |     64 |      2 |    64 x 128   |    184 |  1024 |     236 / 1082          |
 * |    256 |      2 |    64 x 32    |    212 |   810 |     267 / 873           |
 * |    256 |      4 |    64 x 64    |    725 |  2937 |     875 / 3363          |
 * |    128 |      4 |   128 x 64    |    674 |  2977 |     822 / 3438          |
 * |    256 |      4 |    16 x 64    |    207 |   806 |     303 / 925           |
 *
 * Native kernels (lib/core/native) keep about 47 floats per token, channel and
 * layer (their attention recomputes its probabilities); tfjs's stock kernels
 * keep about 4x that plus the [rows, heads, T, T] attention tensors.
 */
import * as tf from "@tensorflow/tfjs";
import type { GptConfig } from "./config.ts";
import { LabError } from "../core/errors.ts";
import { nativeKernelsActive } from "../core/native/mod.ts";

/** TensorFlow.js's wasm heap limit. */
export const WASM_HEAP_LIMIT = 4 * 2 ** 30;
/** Runs estimated above this share of the limit are refused (the estimate is an approximation). */
const HEADROOM = 0.9;
const MB = 2 ** 20;

/** Estimated peak wasm heap, in bytes, of training `rows` sequences of `T` tokens. */
export function trainingHeapBytes(c: GptConfig, rows: number, T: number, native: boolean): number {
  const params = c.vocab_size * c.n_embd + (c.position === "learned" ? c.block_size * c.n_embd : 0) +
    c.n_layer * 12 * c.n_embd * c.n_embd;
  const tokens = rows * T, activations = tokens * c.n_embd * c.n_layer;
  const perActivation = native ? 190 : 780, attention = native ? 0 : 32 * tokens * c.n_head * T * c.n_layer;
  return 40 * MB + 24 * params + perActivation * activations + attention + 16 * tokens * c.vocab_size;
}

/**
 * On the wasm backend, refuse a run whose training step would not fit the
 * heap: a LabError naming the estimate and the largest batch that fits.
 * `batchField` names the config field(s) that set `rows` (e.g. "batch_size").
 */
export function assertTrainingFits(
  c: GptConfig,
  rows: number,
  T: number,
  where: string,
  batchField: string,
): void {
  if (tf.getBackend() !== "wasm") return;
  const native = nativeKernelsActive();
  const need = trainingHeapBytes(c, rows, T, native);
  if (need <= HEADROOM * WASM_HEAP_LIMIT) return;
  let fits = rows;
  while (fits > 1 && trainingHeapBytes(c, fits, T, native) > HEADROOM * WASM_HEAP_LIMIT) fits--;
  const gb = (b: number) => (b / 2 ** 30).toFixed(1);
  const path = native ? "with the native kernels" : "on tfjs-wasm's own kernels";
  throw new LabError(
    `${where}: training ${rows} sequences of ${T} tokens on a ${c.n_layer}-layer, n_embd ${c.n_embd} model needs ` +
      `about ${gb(need)} GB of wasm heap ${path}; TensorFlow.js's wasm heap is capped at 4 GB`,
    trainingHeapBytes(c, 1, T, native) > HEADROOM * WASM_HEAP_LIMIT
      ? "shorten block_size or use a smaller model"
      : `lower ${batchField} so that it makes at most ${fits} sequences a step, or shorten block_size`,
  );
}
