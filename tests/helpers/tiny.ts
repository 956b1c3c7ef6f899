/** Shared fixtures for tests: a tiny model on the wasm backend. */
import * as tf from "@tensorflow/tfjs";
import "@tensorflow/tfjs-backend-wasm";
import { Gpt } from "../../lib/model/gpt.ts";
import { type GptConfigInput, parseGptConfig } from "../../lib/model/config.ts";
import { Rng } from "../../lib/core/rng.ts";
import { installNativeKernels } from "../../lib/core/native/mod.ts";

let ready = false;
/**
 * Use wasm (the CI backend) once per test process, with the native kernels
 * when their library loads (as selectBackend does); HARNESSLAB_NATIVE=off
 * tests the stock path.
 */
export async function useWasm(): Promise<void> {
  if (ready) return;
  await tf.setBackend("wasm");
  await tf.ready();
  assertBackend("wasm");
  installNativeKernels();
  ready = true;
}

/** Tests pin the backend CI runs on; fail loudly if tfjs fell back to another. */
export function assertBackend(name: string): void {
  if (tf.getBackend() !== name) {
    throw new Error(`tests expected the ${name} backend, tfjs is on ${tf.getBackend()}`);
  }
}

/** A 2-layer model small enough for unit tests. */
export function tinyModel(over: Partial<GptConfigInput> = {}, seed = 1): Gpt {
  const cfg = parseGptConfig({ vocab_size: 16, block_size: 24, n_layer: 2, n_head: 2, n_embd: 16, ...over });
  return Gpt.init(cfg, new Rng(seed));
}

/** Random token rows from a seeded generator. */
export function randomTokens(rng: Rng, rows: number, len: number, vocab: number): number[][] {
  return Array.from({ length: rows }, () => Array.from({ length: len }, () => rng.int(vocab)));
}

/** A raw SFT config that trains in well under a second: 1 layer, 6 steps, 4 eval problems a level. */
export function tinySftConfig(over: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    seed: 3,
    backend: "wasm",
    model: { n_layer: 1, n_head: 2, n_embd: 16, block_size: 24, random_position_offset: true },
    task: { family: "arithmetic", ops: ["+", "-"] },
    train_levels: [1, 2],
    steps: 6,
    batch_size: 8,
    warmup_steps: 2,
    eval_set: "arith_pm_eval",
    eval_levels: [1, 2],
    eval_per_level: 4,
    eval_every: 3,
    checkpoint_every: 0,
    ...over,
  };
}
