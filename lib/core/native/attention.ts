/**
 * Causal self-attention straight from the fused q/k/v projection, as one
 * kernel forward and one backward (see c/attention.c): qkv [B*T, 3C] ->
 * y [B*T, C], heads side by side, so none of the stock path's head
 * transposes, mask tensor, separate scale and softmax kernels (about 12
 * kernels forward, 25 backward a layer). With rotary positions, cos/sin tables
 * [T, D/2] are inputs and the rotation happens inside.
 * (Sampling attends against a preallocated cache inside the fused decode step,
 * ./decode_step.ts.)
 */
import * as tf from "@tensorflow/tfjs";
import type { NativeSymbols } from "./library.ts";
import { checkCode, heapFor, offsetOf, type WasmBackend } from "./heap.ts";
import { runKernel } from "./run.ts";

export const ATTENTION = "HlAttention";
/** With rotary positions (two names: tfjs saves inputs by name for the gradient). */
export const ATTENTION_ROPE = "HlAttentionRope";
const ATTENTION_GRAD = "HlAttentionGrad";

type Infos = Record<string, tf.TensorInfo>;

export function attentionKernels(sym: NativeSymbols): tf.KernelConfig[] {
  const forward: tf.KernelFunc = ({ inputs, backend: be, attrs }) => {
    const { qkv, cos, sin } = inputs as Infos;
    const backend = be as WasmBackend;
    const { B, T, H } = attrs as { B: number; T: number; H: number };
    const C = qkv.shape[1] / 3, D = C / H;
    const y = backend.makeOutput([B * T, C], "float32");
    const heap = heapFor(backend, qkv, y, ...(cos ? [cos, sin] : []));
    const code = sym.hl_attention(
      heap,
      offsetOf(backend, qkv),
      offsetOf(backend, y),
      cos ? offsetOf(backend, cos) : 0,
      cos ? offsetOf(backend, sin) : 0,
      cos ? 1 : 0,
      B,
      T,
      H,
      D,
      1 / Math.sqrt(D),
    );
    checkCode(code, ATTENTION);
    return y;
  };
  return [
    { kernelName: ATTENTION, backendName: "wasm", kernelFunc: forward },
    { kernelName: ATTENTION_ROPE, backendName: "wasm", kernelFunc: forward },
    {
      kernelName: ATTENTION_GRAD,
      backendName: "wasm",
      kernelFunc: ({ inputs, backend: be, attrs }) => {
        const { qkv, dy, cos, sin } = inputs as Infos;
        const backend = be as WasmBackend;
        const { B, T, H } = attrs as { B: number; T: number; H: number };
        const C = qkv.shape[1] / 3, D = C / H;
        const dqkv = backend.makeOutput(qkv.shape, "float32");
        const heap = heapFor(backend, qkv, dy, dqkv, ...(cos ? [cos, sin] : []));
        const code = sym.hl_attention_grad(
          heap,
          offsetOf(backend, qkv),
          offsetOf(backend, dy),
          offsetOf(backend, dqkv),
          cos ? offsetOf(backend, cos) : 0,
          cos ? offsetOf(backend, sin) : 0,
          cos ? 1 : 0,
          B,
          T,
          H,
          D,
          1 / Math.sqrt(D),
        );
        checkCode(code, ATTENTION_GRAD);
        return dqkv;
      },
    },
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
