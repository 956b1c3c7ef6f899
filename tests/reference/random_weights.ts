/**
 * Seeded random state dicts for any model config, built from expectedShapes
 * alone (no tfjs), so checkpoint and reference tests do not depend on the model
 * class. Weights are N(0, scale^2), LayerNorm gains 1 + N(0, 0.1^2), biases
 * N(0, 0.1^2): large enough that log-probs are far from uniform, so agreement
 * between implementations means something. lm_head.weight is a copy of wte (tied).
 */
import type { GptConfig } from "../../lib/model/config.ts";
import { expectedShapes, type StateDict } from "../../lib/model/state_dict.ts";
import type { Rng } from "../../lib/core/rng.ts";

/** A random nanoGPT-layout state dict for `config`, drawn from `rng` (one fork per tensor). */
export function randomStateDict(config: GptConfig, rng: Rng, scale = 0.5): StateDict {
  const sd: StateDict = new Map();
  for (const [name, shape] of expectedShapes(config)) {
    if (name === "lm_head.weight") {
      const wte = sd.get("transformer.wte.weight")!;
      sd.set(name, { shape: [...wte.shape], data: Float32Array.from(wte.data) });
      continue;
    }
    const r = rng.fork(name);
    const n = shape.reduce((a, b) => a * b, 1);
    const isGain = /ln_\w+\.weight$/.test(name), isBias = name.endsWith(".bias");
    const data = Float32Array.from(
      { length: n },
      () => isGain ? 1 + 0.1 * r.normal() : isBias ? 0.1 * r.normal() : scale * r.normal(),
    );
    sd.set(name, { shape, data });
  }
  return sd;
}

/** Random token rows in 0..vocab-1. */
export function randomRows(rng: Rng, rows: number, len: number, vocab: number): number[][] {
  return Array.from({ length: rows }, () => Array.from({ length: len }, () => rng.int(vocab)));
}

/** Every activation x position kind, with bias on and off, checked against each reference. */
export const MODEL_VARIANTS = [
  { activation: "gelu", position: "learned", bias: true },
  { activation: "gelu_tanh", position: "learned", bias: false },
  { activation: "relu", position: "learned", bias: true },
  { activation: "gelu", position: "rotary", bias: false },
  { activation: "gelu_tanh", position: "rotary", bias: true },
  { activation: "relu", position: "rotary", bias: false },
] as const;
