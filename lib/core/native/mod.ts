/**
 * Native kernels for the wasm backend: the provider (install, status, stock
 * fallback) and the fused ops lib/model/ops.ts calls when it is active.
 *
 * @example
 * ```ts
 * import { installNativeKernels, nativeKernelsActive } from "./mod.ts";
 * const why = installNativeKernels(); // null, or why the stock kernels run
 * if (why) console.error(`native kernels off: ${why}`);
 * ```
 */
export {
  installNativeKernels,
  nativeInfo,
  nativeKernelsActive,
  nativeSymbols,
  withStockKernels,
  withUnfusedOps,
} from "./provider.ts";
export { nativeLinear } from "./linear.ts";
export { nativeLayerNorm } from "./layer_norm.ts";
export { nativeGelu } from "./gelu.ts";
export { nativeAttention, type RopeTables } from "./attention.ts";
export { type DecodeLayer, type DecodeModel, nativeDecodeStep } from "./decode_step.ts";
export { nativeEmbed } from "./embed.ts";
export { nativeLogSoftmax, nativeTargetLogProb } from "./log_softmax.ts";
export { type AdamWSlot, type AdamWStep, nativeAdamW, nativeSumSquares } from "./adamw.ts";
export { NATIVE_ENV, NATIVE_LIBRARY } from "./library.ts";
