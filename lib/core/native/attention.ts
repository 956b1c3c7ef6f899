/**
 * Causal self-attention straight from the fused q/k/v projection, as one
 * kernel forward and one backward (see c/attention.c): qkv [B*T, 3C] ->
 * y [B*T, C], heads side by side, so none of the stock path's head
 * transposes, mask tensor, separate scale and softmax kernels (about 12
 * kernels forward, 25 backward a layer). With rotary positions, cos/sin tables
 * [T, D/2] are inputs and the rotation happens inside. (Sampling attends
 * against a preallocated cache inside the fused decode step, ./decode_step.ts.)
 */
import * as tf from "@tensorflow/tfjs";
import type { NativeSymbols } from "./library.ts";
import { defineKernel, runKernel } from "./kernel.ts";

export const ATTENTION = "HlAttention";
/** With rotary positions (two names: tfjs saves inputs by name for the gradient). */
export const ATTENTION_ROPE = "HlAttentionRope";
const ATTENTION_GRAD = "HlAttentionGrad";

export function attentionKernels(sym: NativeSymbols): tf.KernelConfig[] {
  const dims = (qkv: tf.TensorInfo, attrs: tf.NamedAttrMap) => {
    const { B, T, H } = attrs as { B: number; T: number; H: number };
    const D = qkv.shape[1] / 3 / H;
    return [B, T, H, D, 1 / Math.sqrt(D)] as const;
  };
  const forward = (name: string) =>
    defineKernel({
      name,
      outputs: ({ qkv }) => [[qkv.shape[0], qkv.shape[1] / 3]],
      call: (heap, at, { qkv, cos, sin }, [y], attrs) =>
        sym.hl_attention(heap, at(qkv), at(y), at(cos), at(sin), cos ? 1 : 0, ...dims(qkv, attrs)),
    });
  return [
    forward(ATTENTION),
    forward(ATTENTION_ROPE),
    defineKernel({
      name: ATTENTION_GRAD,
      outputs: ({ qkv }) => [qkv.shape],
      call: (heap, at, { qkv, dy, cos, sin }, [dqkv], attrs) =>
        sym.hl_attention_grad(
          heap,
          at(qkv),
          at(dy),
          at(dqkv),
          at(cos),
          at(sin),
          cos ? 1 : 0,
          ...dims(qkv, attrs),
        ),
    }),
  ];
}

const backward = (dy: tf.Tensor | tf.Tensor[], saved: tf.Tensor[], attrs: tf.NamedAttrMap) => {
  const [qkv, cos, sin] = saved;
  const zeros = (t: tf.Tensor) => () => tf.zeros(t.shape);
  return {
    qkv: () => runKernel<tf.Tensor>(ATTENTION_GRAD, { qkv, dy: dy as tf.Tensor, cos, sin }, attrs),
    ...(cos ? { cos: zeros(cos), sin: zeros(sin) } : {}),
  };
};

export const attentionGradients: tf.GradConfig[] = [
  { kernelName: ATTENTION, inputsToSave: ["qkv"], gradFunc: backward },
  { kernelName: ATTENTION_ROPE, inputsToSave: ["qkv", "cos", "sin"], gradFunc: backward },
];

/** Rotary tables for the rows' positions: cos and sin, each [T, D/2]. */
export interface RopeTables {
  cos: tf.Tensor2D;
  sin: tf.Tensor2D;
}

/** Causal attention of B rows of T positions and H heads: qkv [B*T, 3C] -> y [B*T, C]. */
export function nativeAttention(
  qkv: tf.Tensor2D,
  B: number,
  T: number,
  H: number,
  rope?: RopeTables,
): tf.Tensor2D {
  return runKernel<tf.Tensor2D>(rope ? ATTENTION_ROPE : ATTENTION, { qkv, cos: rope?.cos, sin: rope?.sin }, {
    B,
    T,
    H,
  });
}
