/**
 * One sampling step of the whole model as one kernel (c/decode.c): the same
 * native kernels as the per-op path, in the same order, without the ~25 tfjs
 * kernel dispatches a step. Inference only (no gradient); it writes the new
 * positions' keys and values into the preallocated KV cache in place.
 */
import * as tf from "@tensorflow/tfjs";
import type { NativeSymbols } from "./library.ts";
import { defineKernel, runKernel } from "./kernel.ts";
import type { RopeTables } from "./attention.ts";

export const DECODE_STEP = "HlDecodeStep";
const HEAD = 9, PER_LAYER = 14;

/** One block's tensors, in the order c/decode.c reads them (biases optional). */
export interface DecodeLayer {
  ln1: [tf.Tensor, tf.Tensor?];
  attn: [tf.Tensor, tf.Tensor?];
  attnProj: [tf.Tensor, tf.Tensor?];
  ln2: [tf.Tensor, tf.Tensor?];
  fc: [tf.Tensor, tf.Tensor?];
  mlpProj: [tf.Tensor, tf.Tensor?];
  /** This layer's cache: keys [B, H, D, S_max], values [B, S_max, C]. */
  keys: tf.Tensor;
  values: tf.Tensor;
}

export interface DecodeModel {
  wte: tf.Tensor;
  wpe?: tf.Tensor;
  lnF: [tf.Tensor, tf.Tensor?];
  layers: DecodeLayer[];
  nHead: number;
  /** 0 exact GELU, 1 tanh GELU, 2 ReLU. */
  activation: number;
  eps: number;
}

export function decodeStepKernels(sym: NativeSymbols): tf.KernelConfig[] {
  return [defineKernel({
    name: DECODE_STEP,
    outputs: (_, { B, V }) => [[B as number, V as number]],
    call: (heap, at, inputs, [out], attrs) => {
      const a = attrs as Record<string, number>;
      const table = new Uint32Array(HEAD + PER_LAYER * a.L);
      for (const [k, t] of Object.entries(inputs)) table[Number(k)] = at(t);
      table[8] = at(out);
      const scale = 1 / Math.sqrt(a.C / a.H);
      return sym.hl_decode_step(
        heap,
        table,
        a.L,
        a.act,
        a.B,
        a.T,
        a.C,
        a.H,
        a.V,
        a.P,
        a.start,
        a.smax,
        a.eps,
        scale,
      );
    },
  })];
}

/**
 * Log-probs of the next token [B, V] after feeding ids [B*T] (int32) at
 * positions start..start+T-1 of every row; `pos` (learned positions) or
 * `rope` (rotary tables for those positions) as the model uses.
 */
export function nativeDecodeStep(
  m: DecodeModel,
  ids: tf.Tensor1D,
  B: number,
  start: number,
  pos?: tf.Tensor1D,
  rope?: RopeTables,
): tf.Tensor2D {
  const inputs: Record<string, tf.Tensor | undefined> = {
    0: ids,
    1: pos,
    2: m.wte,
    3: m.wpe,
    4: rope?.cos,
    5: rope?.sin,
    6: m.lnF[0],
    7: m.lnF[1],
  };
  m.layers.forEach((l, i) => {
    const at = HEAD + PER_LAYER * i;
    [l.ln1, l.attn, l.attnProj, l.ln2, l.fc, l.mlpProj].forEach(([w, b], j) => {
      inputs[at + 2 * j] = w;
      inputs[at + 2 * j + 1] = b;
    });
    inputs[at + 12] = l.keys;
    inputs[at + 13] = l.values;
  });
  const [V, C] = m.wte.shape;
  return runKernel<tf.Tensor2D>(DECODE_STEP, inputs, {
    L: m.layers.length,
    act: m.activation,
    B,
    T: ids.shape[0] / B,
    C,
    H: m.nHead,
    V,
    P: m.wpe?.shape[0] ?? 0,
    start,
    smax: m.layers[0]?.values.shape[1] ?? 0,
    eps: m.eps,
  });
}
