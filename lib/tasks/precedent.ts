/**
 * Synthetic precedent classification (DESIGN.md, analysis 2: the task for a
 * draft-verify harness with a memory bank of labelled examples).
 *
 * World. `world_seed` fixes K classes (labels "A".."H") over F feature slots, in
 * K/2 confusable pairs (A/B, C/D, ...). A pair has a shared base prototype; its
 * two classes differ in ONE decisive slot d. Each pair also has a tell slot
 * t != d, where each class of the pair has its own tell value (both differ from
 * the base value). Every slot takes one of 4 values, written as letter
 * (4s + v) mod 16 of "a".."p": slots 0-3 use disjoint letters, slot s+4 reuses
 * slot s's letters (position tells them apart; featurise by (slot, letter)).
 * Worlds are redrawn until no two classes share a clean form, so level 1 is
 * perfectly separable.
 *
 * Example at level l of D (`max_level`, default 5), u = (l - 1) / (D - 1):
 *   1. class c uniform over K;
 *   2. with probability u ("confusable share") the example is confusable: it
 *      keeps the base value at the tell slot and differs from its twin's
 *      prototype in the decisive slot only; otherwise it carries its class's
 *      tell value (a second, redundant cue);
 *   3. every slot except d is resampled uniformly from its 4 values with
 *      probability noise = 0.4 u (levels 1..5: 0, 0.1, 0.2, 0.3, 0.4).
 * The decisive slot is never corrupted, but noise can make an example look
 * like another pair, so accuracy has a ceiling below 1 at high levels:
 * `bayesAccuracy` computes it exactly by enumerating all 4^F feature vectors.
 *
 * Format: prompt "^" + F letters + "?", target label + "$" ("^aeimbf?", "C$").
 */
import { z } from "zod";
import { Rng } from "../core/rng.ts";
import { LabError } from "../core/errors.ts";
import { type CompletionFacts, NO_SCRATCHPAD } from "./completion_facts.ts";

export const LETTERS = "abcdefghijklmnop";
export const LABELS = "ABCDEFGH";
export const VALUES_PER_SLOT = 4;
/** Largest allowed `max_level`; JSONL lines are checked against it. */
export const MAX_PRECEDENT_LEVEL = 9;
/** Slot noise at the top level. */
export const MAX_NOISE = 0.4;

export const PrecedentSettingsSchema = z.strictObject({
  classes: z.number().int().min(2).max(8).default(8).refine(
    (k) => k % 2 === 0,
    "classes must be even (they come in confusable pairs)",
  ),
  slots: z.number().int().min(2).max(8).default(6),
  world_seed: z.number().int().min(0).default(1),
  max_level: z.number().int().min(1).max(MAX_PRECEDENT_LEVEL).default(5),
});
export type PrecedentSettings = z.output<typeof PrecedentSettingsSchema>;

/** A world's classes, indexed by class (0 = "A"). Twins are classes 2p and 2p+1. */
export interface World {
  /** prototypes[c][s]: value 0..3 of slot s in c's confusable form (twins differ only at decisive). */
  prototypes: number[][];
  /** decisive[c]: the slot separating c from its twin. */
  decisive: number[];
  /** tell[c]: the slot where c's non-confusable examples carry their own value. */
  tell: number[];
  /** tellValue[c]: that value (differs from the base and from the twin's). */
  tellValue: number[];
}

export interface PrecedentExample {
  level: number;
  label: string;
  values: number[];
  /** True when the example carries no tell: only the decisive slot separates it from its twin. */
  confusable: boolean;
  prompt: string;
  target: string;
}

const worlds = new Map<string, World>();

/** Clean forms of class c: [confusable form, tell form]. */
function cleanForms(w: World, c: number): number[][] {
  const tellForm = [...w.prototypes[c]];
  tellForm[w.tell[c]] = w.tellValue[c];
  return [w.prototypes[c], tellForm];
}

/** The world of these settings (deterministic in classes, slots and world_seed). */
export function makeWorld(s: PrecedentSettings): World {
  const key = `${s.classes}/${s.slots}/${s.world_seed}`;
  const hit = worlds.get(key);
  if (hit) return hit;
  const rng = new Rng(s.world_seed).fork("precedent-world");
  const w: World = { prototypes: [], decisive: [], tell: [], tellValue: [] };
  const seen = new Set<string>();
  for (let p = 0; p < s.classes / 2; p++) {
    for (let attempt = 0;; attempt++) {
      if (attempt > 1000) throw new LabError(`cannot build a separable world for ${key}`, "use more slots");
      const base = Array.from({ length: s.slots }, () => rng.int(VALUES_PER_SLOT));
      const d = rng.int(s.slots), t = (d + 1 + rng.int(s.slots - 1)) % s.slots;
      const twin = [...base];
      twin[d] = (base[d] + 1 + rng.int(VALUES_PER_SLOT - 1)) % VALUES_PER_SLOT;
      const o1 = 1 + rng.int(3), o2 = 1 + ((o1 + rng.int(2)) % 3); // distinct offsets in 1..3
      const cand: World = {
        prototypes: [base, twin],
        decisive: [d, d],
        tell: [t, t],
        tellValue: [(base[t] + o1) % VALUES_PER_SLOT, (base[t] + o2) % VALUES_PER_SLOT],
      };
      const forms = [0, 1].flatMap((c) => cleanForms(cand, c).map((f) => f.join("")));
      if (forms.some((f) => seen.has(f))) continue;
      forms.forEach((f) => seen.add(f));
      w.prototypes.push(...cand.prototypes);
      w.decisive.push(d, d);
      w.tell.push(t, t);
      w.tellValue.push(...cand.tellValue);
      break;
    }
  }
  worlds.set(key, w);
  return w;
}

function levelFraction(level: number, s: PrecedentSettings): number {
  return s.max_level === 1 ? 0 : (level - 1) / (s.max_level - 1);
}

/** Probability that a non-decisive slot is resampled at a level. */
export function noiseRate(level: number, s: PrecedentSettings): number {
  return MAX_NOISE * levelFraction(level, s);
}

/** Share of examples that are confusable (no tell) at a level. */
export function confusableShare(level: number, s: PrecedentSettings): number {
  return levelFraction(level, s);
}

/** Letter of value v in slot s. */
export function letter(slot: number, v: number): string {
  return LETTERS[(VALUES_PER_SLOT * slot + v) % LETTERS.length];
}

/** Slot values of a prompt ("^aeimbf?"), or null if a letter is not one of its slot's 4 letters. */
export function parsePrompt(prompt: string): number[] | null {
  const m = /^\^([a-p]+)\?$/.exec(prompt);
  if (!m) return null;
  const values = [...m[1]].map((ch, slot) =>
    (LETTERS.indexOf(ch) - VALUES_PER_SLOT * slot + 4 * LETTERS.length) % LETTERS.length
  );
  return values.every((v) => v < VALUES_PER_SLOT) ? values : null;
}

/** A labelled example at `level` (1..max_level), class uniform. */
export function generatePrecedent(rng: Rng, level: number, s: PrecedentSettings): PrecedentExample {
  if (!Number.isInteger(level) || level < 1 || level > s.max_level) {
    throw new LabError(`precedent level must be 1..${s.max_level}, got ${level}`, "pick a level in range");
  }
  const w = makeWorld(s);
  const c = rng.int(s.classes);
  const confusable = rng.float() < confusableShare(level, s);
  const form = cleanForms(w, c)[confusable ? 0 : 1];
  const q = noiseRate(level, s);
  const values = form.map((v, slot) =>
    slot !== w.decisive[c] && rng.float() < q ? rng.int(VALUES_PER_SLOT) : v
  );
  const label = LABELS[c];
  const prompt = `^${values.map((v, slot) => letter(slot, v)).join("")}?`;
  return { level, label, values, confusable, prompt, target: `${label}$` };
}

/** Tokens of prompt + target: "^", F letters, "?", label, "$". */
export function sequenceLength(s: PrecedentSettings): number {
  return s.slots + 4;
}

/** The label a completion gives ("C$", or "C" without EOS; text after the first "$" ignored), or null. */
export function parseLabel(completion: string): string | null {
  const body = completion.split("$")[0];
  return body.length === 1 && LABELS.includes(body) ? body : null;
}

/** Exact match on the label. */
export function verifyLabel(example: { label: string }, completion: string): boolean {
  return parseLabel(completion) === example.label;
}

/** The facts of a label completion: the text before EOS as the answer; well formed when EOS follows it. */
export function labelFacts(completion: string): CompletionFacts {
  const eos = completion.indexOf("$");
  const body = eos >= 0 ? completion.slice(0, eos) : completion;
  return { answer: body || null, wellFormed: eos > 0, ...NO_SCRATCHPAD };
}

/** P(values | class c) under the generative model at a level. */
export function likelihood(values: number[], c: number, level: number, s: PrecedentSettings): number {
  const w = makeWorld(s);
  const q = noiseRate(level, s), u = confusableShare(level, s);
  const slotP = (v: number, clean: number) => (v === clean ? 1 - q : 0) + q / VALUES_PER_SLOT;
  let p = 1;
  values.forEach((v, slot) => {
    if (slot === w.decisive[c]) p *= v === w.prototypes[c][slot] ? 1 : 0;
    else if (slot === w.tell[c]) {
      p *= u * slotP(v, w.prototypes[c][slot]) + (1 - u) * slotP(v, w.tellValue[c]);
    } else p *= slotP(v, w.prototypes[c][slot]);
  });
  return p;
}

/** P(values) at a level: the chance that one draw produces this prompt. */
export function promptProbability(values: number[], level: number, s: PrecedentSettings): number {
  let p = 0;
  for (let c = 0; c < s.classes; c++) p += likelihood(values, c, level, s) / s.classes;
  return p;
}

/** Accuracy of the Bayes-optimal classifier at a level (the task's ceiling). */
export function bayesAccuracy(level: number, s: PrecedentSettings): number {
  let acc = 0;
  const values = new Array(s.slots).fill(0);
  for (let i = 0; i < VALUES_PER_SLOT ** s.slots; i++) {
    let x = i;
    for (let slot = 0; slot < s.slots; slot++) {
      values[slot] = x % VALUES_PER_SLOT;
      x = Math.floor(x / VALUES_PER_SLOT);
    }
    let best = 0;
    for (let c = 0; c < s.classes; c++) best = Math.max(best, likelihood(values, c, level, s));
    acc += best / s.classes;
  }
  return acc;
}

/**
 * Macro-averaged F1 over the classes that occur in either list (classes absent
 * from both are skipped). A null prediction (no valid label) is a miss for the
 * true class and adds no class of its own. Empty input gives 0.
 */
export function macroF1(truth: readonly string[], pred: readonly (string | null)[]): number {
  if (truth.length !== pred.length) {
    throw new LabError(`macroF1: ${truth.length} labels vs ${pred.length} predictions`, "pass equal lengths");
  }
  const classes = [...new Set([...truth, ...pred.filter((p): p is string => p !== null)])];
  if (classes.length === 0) return 0;
  let sum = 0;
  for (const c of classes) {
    let tp = 0, fp = 0, fn = 0;
    truth.forEach((t, i) => {
      if (pred[i] === c && t === c) tp++;
      else if (pred[i] === c) fp++;
      else if (t === c) fn++;
    });
    sum += tp === 0 ? 0 : (2 * tp) / (2 * tp + fp + fn); // F1 = 2PR/(P+R) = 2tp/(2tp+fp+fn)
  }
  return sum / classes.length;
}
