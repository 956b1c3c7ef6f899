/**
 * The optimizer's two whole-model passes as one native call each: the sum of
 * squares of every gradient (for the global norm; in double) and the AdamW
 * update of every parameter and both moments, in place (c/adamw.c; the float
 * ops of lib/train/optimizer.ts's tfjs path, in its order). The stock path is
 * about 14 kernels and 3 new tensors per parameter.
 *
 * In place is safe only for data no other tensor shares: a parameter or moment
 * whose data is shared (e.g. with a copy-free clone) is first given data of
 * its own.
 */
import * as tf from "@tensorflow/tfjs";
import type { NativeSymbols } from "./library.ts";
import { checkCode, heapFor, offsetOf, type WasmBackend } from "./heap.ts";

/** AdamW's hyperparameters for one step; the bias corrections and clip scale are computed by the caller. */
export interface AdamWStep {
  lr: number;
  beta1: number;
  beta2: number;
  eps: number;
  weightDecay: number;
  bc1: number;
  bc2: number;
  /** Gradient scale from clipping (1 = none). */
  scale: number;
}

/** One parameter's tensors; `decay` says whether weight decay applies. */
export interface AdamWSlot {
  p: tf.Variable;
  m: tf.Variable;
  v: tf.Variable;
  g: tf.Tensor;
  decay: boolean;
}

function backendOf(): WasmBackend {
  return tf.backend() as unknown as WasmBackend;
}

/** Sum of squares of all tensors (float32), accumulated in double. */
export function nativeSumSquares(sym: NativeSymbols, tensors: tf.Tensor[]): number {
  const backend = backendOf();
  const table = new Uint32Array(2 * tensors.length);
  tensors.forEach((t, i) => {
    table[2 * i] = offsetOf(backend, t);
    table[2 * i + 1] = t.size;
  });
  const sum = sym.hl_sum_squares(heapFor(backend, ...tensors), table, tensors.length);
  if (sum < 0) checkCode(-1, "hl_sum_squares");
  return sum;
}

/** Give a variable data of its own when another tensor shares it. */
function ownData(backend: WasmBackend, x: tf.Variable): void {
  if (backend.refCount(x.dataId) <= 1) return;
  const own = tf.mul(x, 1); // a kernel output: new data (x * 1 keeps every value, -0 and NaN included)
  x.assign(own);
  own.dispose();
}

/** Apply one AdamW step to every slot, in place. */
export function nativeAdamW(sym: NativeSymbols, slots: AdamWSlot[], s: AdamWStep): void {
  const backend = backendOf();
  for (const slot of slots) for (const x of [slot.p, slot.m, slot.v]) ownData(backend, x);
  const table = new Uint32Array(5 * slots.length), decay = new Uint8Array(slots.length);
  const all: tf.TensorInfo[] = [];
  slots.forEach((slot, i) => {
    table.set([
      offsetOf(backend, slot.p),
      offsetOf(backend, slot.m),
      offsetOf(backend, slot.v),
      offsetOf(backend, slot.g),
      slot.p.size,
    ], 5 * i);
    decay[i] = slot.decay ? 1 : 0;
    all.push(slot.p, slot.m, slot.v, slot.g);
  });
  const heap = heapFor(backend, ...all);
  const code = sym.hl_adamw(
    heap,
    table,
    decay,
    slots.length,
    s.lr,
    s.beta1,
    1 - s.beta1,
    s.beta2,
    1 - s.beta2,
    s.eps,
    1 - s.lr * s.weightDecay,
    s.bc1,
    s.bc2,
    s.scale,
    s.scale === 1 ? 0 : 1,
  );
  checkCode(code, "hl_adamw");
}
