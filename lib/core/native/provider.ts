/**
 * The native kernel provider for tfjs's wasm backend, in the way tfjs-node
 * gives TensorFlow.js libtensorflow's kernels: TensorFlow.js keeps its ops,
 * gradients, tape and the wasm backend for everything else, and the heaviest
 * kernels run in the lab's C library on OpenBLAS (./library.ts), reading and
 * writing the wasm heap in place.
 *
 * Installing registers, for the "wasm" backend: replacements of BatchMatMul,
 * Sum (leading axes) and Identity (the stock kernels are kept, for the cases
 * the replacements hand back and for `withStockKernels`), and the fused
 * kernels the model calls through lib/model/ops.ts (linear, LayerNorm, GELU,
 * attention, embedding, log-softmax), each with its gradient, and the fused
 * sampling step lib/model/gpt.ts calls (./decode_step.ts). When the library
 * is not available (browser, no build, HARNESSLAB_NATIVE=off) nothing is
 * registered and the caller prints the one-line reason: the stock path runs.
 */
import * as tf from "@tensorflow/tfjs";
import "@tensorflow/tfjs-backend-wasm";
import { loadNative, type NativeSymbols } from "./library.ts";
import { batchMatMulKernel } from "./batch_matmul.ts";
import { sumKernel } from "./sum.ts";
import { identityKernel } from "./identity.ts";
import { linearGradient, linearKernels } from "./linear.ts";
import { layerNormGradient, layerNormKernels } from "./layer_norm.ts";
import { geluGradient, geluKernels } from "./gelu.ts";
import { attentionGradients, attentionKernels } from "./attention.ts";
import { embedGradients, embedKernels } from "./embed.ts";
import { logSoftmaxGradients, logSoftmaxKernels } from "./log_softmax.ts";
import { decodeStepKernels } from "./decode_step.ts";

interface Installed {
  symbols: NativeSymbols;
  blasCore: string;
  stock: tf.KernelConfig[];
  replacements: tf.KernelConfig[];
}

let installed: Installed | undefined;
let suspended = 0;
let unfused = 0;

function swap(out: tf.KernelConfig[], into: tf.KernelConfig[]): void {
  for (const k of out) tf.unregisterKernel(k.kernelName, "wasm");
  for (const k of into) tf.registerKernel(k);
}

/**
 * Register the native kernels for the wasm backend (once per process).
 * Returns null when they are active, else one line saying why not.
 */
export function installNativeKernels(): string | null {
  if (installed) return null;
  const lib = loadNative();
  if (typeof lib === "string") return lib;
  const sym = lib.symbols;
  const stock = [tf.BatchMatMul, tf.Sum, tf.Identity].map((name) => {
    const k = tf.getKernel(name, "wasm");
    if (!k) {
      throw new Error(`tfjs-wasm has no ${name} kernel to replace (is @tensorflow/tfjs-backend-wasm 4.22?)`);
    }
    return k;
  });
  const [matmul, sum, identity] = stock;
  const replacements = [batchMatMulKernel(sym, matmul), sumKernel(sym, sum), identityKernel(identity)];
  swap(stock, replacements);
  const fused = [
    ...linearKernels(sym),
    ...layerNormKernels(sym),
    ...geluKernels(sym),
    ...attentionKernels(sym),
    ...embedKernels(sym),
    ...logSoftmaxKernels(sym),
    ...decodeStepKernels(sym),
  ];
  for (const k of fused) tf.registerKernel(k);
  for (
    const g of [linearGradient, layerNormGradient, geluGradient, ...attentionGradients, ...embedGradients]
  ) {
    tf.registerGradient(g);
  }
  for (const g of logSoftmaxGradients) tf.registerGradient(g);
  installed = { symbols: sym, blasCore: lib.blasCore, stock, replacements };
  return null;
}

/** Whether ops should take the native path now: installed, not suspended, and wasm is the active backend. */
export function nativeKernelsActive(): boolean {
  return installed !== undefined && suspended === 0 && unfused === 0 && tf.getBackend() === "wasm";
}

/** The library's symbols while the provider is installed. */
export function nativeSymbols(): NativeSymbols | undefined {
  return installed?.symbols;
}

/** What the provider runs, for a run's record: e.g. { kernels: "openblas", blasCore: "Haswell" }. */
export function nativeInfo(): { kernels: "openblas"; blasCore: string } | null {
  return installed ? { kernels: "openblas", blasCore: installed.blasCore } : null;
}

/**
 * Run `fn` with the replaced kernels (BatchMatMul, Sum, Identity on OpenBLAS)
 * but the model's stock op compositions, no fused kernels: what fusion adds,
 * for benchmarks. Synchronous only.
 */
export function withUnfusedOps<T>(fn: () => T): T {
  unfused++;
  try {
    return fn();
  } finally {
    unfused--;
  }
}

/**
 * Run `fn` on tfjs-wasm's own kernels and the model's stock ops (the provider
 * suspended), e.g. to compare the two paths in one process. Synchronous only.
 */
export function withStockKernels<T>(fn: () => T): T {
  if (!installed) return fn();
  if (suspended++ === 0) swap(installed.replacements, installed.stock);
  try {
    return fn();
  } finally {
    if (--suspended === 0) swap(installed.stock, installed.replacements);
  }
}
