/**
 * Synthetic precedent classification (DESIGN.md, analysis 2: the task for a
 * draft-verify harness with a memory bank of labelled examples).
 *
 * A world (from `world_seed`) has K classes in confusable pairs. Each pair
 * shares a base prototype over F feature slots; the two classes differ in one
 * decisive slot. Slot s takes one of 4 letters, (4s + j) mod 16 of "a".."p".
 * An example of class c copies c's prototype, then resamples every
 * non-decisive slot with probability noise(level) = 0.1 * (level - 1)
 * (levels 1..5: 0, 0.1, ..., 0.4). The decisive slot is never corrupted, but
 * noise can make an example look like another pair's prototype, so accuracy
 * has a ceiling below 1 at high levels: `bayesAccuracy` computes it exactly by
 * enumerating all 4^F feature vectors.
 * Format: prompt "^" + F letters + "?", target label + "$" (e.g. "^aeimbf?C", "C$").
 */
import { z } from "zod";
import { Rng } from "../core/rng.ts";

export const LETTERS = "abcdefghijklmnop";
export const LABELS = "ABCDEFGH";
export const VALUES_PER_SLOT = 4;
export const MAX_PRECEDENT_LEVEL = 5;

export const PrecedentSettingsSchema = z.strictObject({
  classes: z.number().int().min(2).max(8).default(8).refine(
    (k) => k % 2 === 0,
    "classes must be even (they come in confusable pairs)",
  ),
  slots: z.number().int().min(2).max(8).default(6),
  world_seed: z.number().int().min(0).default(1),
});
export type PrecedentSettings = z.output<typeof PrecedentSettingsSchema>;

export interface World {
  /** prototypes[c][s] = value index 0..3 of slot s for class c. */
  prototypes: number[][];
  /** decisive[c] = the slot separating c from its pair twin. */
  decisive: number[];
}

export interface PrecedentExample {
  level: number;
  label: string;
  values: number[];
  prompt: string;
  target: string;
}

const worlds = new Map<string, World>();

/** The class prototypes of a world (deterministic in the settings). */
export function makeWorld(s: PrecedentSettings): World {
  const key = `${s.classes}/${s.slots}/${s.world_seed}`;
  const hit = worlds.get(key);
  if (hit) return hit;
  const rng = new Rng(s.world_seed).fork("precedent-world");
  const prototypes: number[][] = [], decisive: number[] = [];
  for (let p = 0; p < s.classes / 2; p++) {
    const base = Array.from({ length: s.slots }, () => rng.int(VALUES_PER_SLOT));
    const d = rng.int(s.slots);
    const twin = [...base];
    twin[d] = (base[d] + 1 + rng.int(VALUES_PER_SLOT - 1)) % VALUES_PER_SLOT;
    prototypes.push(base, twin);
    decisive.push(d, d);
  }
  const w = { prototypes, decisive };
  worlds.set(key, w);
  return w;
}

/** Probability that a non-decisive slot is resampled at a level. */
export function noiseRate(level: number): number {
  return 0.1 * (level - 1);
}

/** Letter of value v in slot s. */
export function letter(slot: number, v: number): string {
  return LETTERS[(VALUES_PER_SLOT * slot + v) % LETTERS.length];
}

/** A labelled example at `level` (1..5), class uniform. */
export function generatePrecedent(rng: Rng, level: number, s: PrecedentSettings): PrecedentExample {
  if (!Number.isInteger(level) || level < 1 || level > MAX_PRECEDENT_LEVEL) {
    throw new Error(`precedent level must be 1..${MAX_PRECEDENT_LEVEL}, got ${level}`);
  }
  const w = makeWorld(s);
  const c = rng.int(s.classes);
  const values = w.prototypes[c].map((v, slot) =>
    slot !== w.decisive[c] && rng.float() < noiseRate(level) ? rng.int(VALUES_PER_SLOT) : v
  );
  const label = LABELS[c];
  return {
    level,
    label,
    values,
    prompt: `^${values.map((v, slot) => letter(slot, v)).join("")}?`,
    target: `${label}$`,
  };
}

/** Tokens of prompt + target. */
export function sequenceLength(s: PrecedentSettings): number {
  return s.slots + 4;
}

/** Exact match on the label (completion "C$" or "C"). */
export function verifyLabel(example: { label: string }, completion: string): boolean {
  return completion.replace(/\$$/, "") === example.label;
}

/** P(values | class) under the noise model. */
function likelihood(values: number[], c: number, w: World, level: number): number {
  const q = noiseRate(level);
  let p = 1;
  values.forEach((v, slot) => {
    const proto = w.prototypes[c][slot];
    if (slot === w.decisive[c]) p *= v === proto ? 1 : 0;
    else p *= (v === proto ? 1 - q : 0) + q / VALUES_PER_SLOT;
  });
  return p;
}

/** Accuracy of the Bayes-optimal classifier at a level (the task's ceiling). */
export function bayesAccuracy(level: number, s: PrecedentSettings): number {
  const w = makeWorld(s);
  let acc = 0;
  const values = new Array(s.slots).fill(0);
  const total = VALUES_PER_SLOT ** s.slots;
  for (let i = 0; i < total; i++) {
    let x = i;
    for (let slot = 0; slot < s.slots; slot++) {
      values[slot] = x % VALUES_PER_SLOT;
      x = Math.floor(x / VALUES_PER_SLOT);
    }
    let best = 0;
    for (let c = 0; c < s.classes; c++) best = Math.max(best, likelihood(values, c, w, level) / s.classes);
    acc += best;
  }
  return acc;
}

/** Macro-averaged F1 over classes that occur in either list (absent-from-both skipped). */
export function macroF1(truth: string[], pred: string[]): number {
  if (truth.length !== pred.length) {
    throw new Error(`macroF1: ${truth.length} labels vs ${pred.length} predictions`);
  }
  const classes = [...new Set([...truth, ...pred])];
  if (classes.length === 0) return 0;
  let sum = 0;
  for (const c of classes) {
    let tp = 0, fp = 0, fn = 0;
    truth.forEach((t, i) => {
      if (pred[i] === c && t === c) tp++;
      else if (pred[i] === c) fp++;
      else if (t === c) fn++;
    });
    const precision = tp + fp ? tp / (tp + fp) : 0, recall = tp + fn ? tp / (tp + fn) : 0;
    sum += precision + recall ? (2 * precision * recall) / (precision + recall) : 0;
  }
  return sum / classes.length;
}
