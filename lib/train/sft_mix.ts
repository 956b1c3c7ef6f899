/**
 * The SFT mix: which call formats and context kinds a base model trains on
 * (lib/harness/formats.ts), with what weight and at which levels, so "bare"
 * and "harness" are both meaningful modes of one model. A config's `mix`
 * lists entries {format, weight, levels?}; each example of a batch draws its
 * entry by weight, then a level uniformly from the entry's levels (default:
 * the config's train_levels with their level_weights).
 *
 * A batch is split by format into sub-batches, each padded only to its own
 * longest row, and the loss is the token-weighted mean over all of them, so
 * a short bare row is not padded to a 90-token verify row (padding a mixed
 * batch to its longest row cost up to 8x on the short formats).
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * import { MixEntrySchema } from "./sft_mix.ts";
 * assertEquals(MixEntrySchema.parse({ format: "plan" }).weight, 1);
 * ```
 */
import * as tf from "@tensorflow/tfjs";
import { z } from "zod";
import type { Rng } from "../core/rng.ts";
import type { Gpt } from "../model/gpt.ts";
import type { Task } from "../tasks/task.ts";
import { encode } from "../tasks/tokenizer.ts";
import { FORMATS, type FormatSampler } from "../harness/formats.ts";
import { buildBatch, type TokenPair } from "./batch.ts";

export const MixEntrySchema = z.strictObject({
  /** A format of the task's family (lib/harness/formats.ts FORMATS). */
  format: z.string(),
  weight: z.number().positive().default(1),
  /** Levels this format is drawn at (default: train_levels, with level_weights). */
  levels: z.array(z.number().int().min(1)).min(1).optional(),
});
export type MixEntry = z.output<typeof MixEntrySchema>;

/** A config issue (path, message), as zod's superRefine takes them. */
export interface MixIssue {
  path: (string | number)[];
  message: string;
}

/** Cross-field rules of a mix: known formats, valid levels, every example fits block_size. */
export function mixIssues(
  mix: readonly MixEntry[],
  task: Task,
  sampler: FormatSampler,
  trainLevels: readonly number[],
  blockSize: number,
): MixIssue[] {
  const issues: MixIssue[] = [];
  const allowed: readonly string[] = FORMATS[task.family];
  mix.forEach((m, i) => {
    if (!allowed.includes(m.format)) {
      issues.push({
        path: ["mix", i, "format"],
        message: `format '${m.format}' does not exist for ${task.family}; use one of ${allowed.join(", ")}`,
      });
      return;
    }
    for (const level of m.levels ?? trainLevels) {
      if (!task.levels.includes(level)) {
        issues.push({
          path: ["mix", i, "levels"],
          message: `level ${level} is not a ${task.family} level (${task.levels[0]}..${task.levels.at(-1)})`,
        });
        continue;
      }
      const need = sampler.maxLength(m.format, level);
      if (need - 1 > blockSize) {
        issues.push({
          path: ["model", "block_size"],
          message: `block_size ${blockSize} is too short for mix format '${m.format}' at level ${level} ` +
            `(up to ${need} tokens); raise block_size to ${need - 1} or drop the level`,
        });
      }
    }
  });
  return issues;
}

/** One batch's (prompt, target) pairs, tagged with their format. */
export function drawMixBatch(
  mix: readonly MixEntry[],
  sampler: FormatSampler,
  rng: Rng,
  batchSize: number,
  trainLevels: readonly number[],
  levelWeights: readonly number[],
): { format: string; level: number; prompt: string; target: string }[] {
  const weights = mix.map((m) => m.weight);
  return Array.from({ length: batchSize }, () => {
    const m = mix[rng.categorical(weights)];
    const level = m.levels ? rng.choice(m.levels) : trainLevels[rng.categorical(levelWeights)];
    return { format: m.format, level, ...sampler.sample(m.format, rng, level) };
  });
}

/**
 * Token-weighted mean cross-entropy over sub-batches (one per group), each
 * padded to its own longest row. One group is exactly `model.loss` on it.
 */
export function groupedLoss(
  model: Gpt,
  groups: readonly TokenPair[][],
  blockSize: number,
  offsetsFor?: (rows: number, width: number) => number[],
): { loss: tf.Scalar; tokens: number } {
  const parts = groups.filter((g) => g.length > 0).map((g) => {
    const batch = buildBatch(g, blockSize);
    const B = g.length, T = batch.ids[0].length;
    const offsets = offsetsFor?.(B, T);
    const ids = tf.tensor2d(batch.ids, [B, T], "int32");
    const targets = tf.tensor2d(batch.targets, [B, T], "int32");
    const w = tf.tensor2d(batch.weights, [B, T], "float32");
    const loss = model.loss(ids, targets, w, offsets);
    tf.dispose([ids, targets, w]);
    const weight = batch.weights.reduce((a, row) => a + row.reduce((x, y) => x + y, 0), 0);
    return { loss, weight, tokens: batch.lengths.reduce((a, b) => a + b, 0) };
  });
  const tokens = parts.reduce((a, p) => a + p.tokens, 0);
  if (parts.length === 1) return { loss: parts[0].loss, tokens };
  const total = parts.reduce((a, p) => a + p.weight, 0);
  // Inside the loop's gradient tape, which disposes the parts' losses with every other intermediate.
  return { loss: tf.addN(parts.map((p) => tf.mul(p.loss, p.weight / total))) as tf.Scalar, tokens };
}

/** Group tagged pairs by format (in order of first appearance), encoded. */
export function groupByFormat(
  rows: readonly { format: string; prompt: string; target: string }[],
): TokenPair[][] {
  const groups = new Map<string, TokenPair[]>();
  for (const r of rows) {
    const pair = { prompt: encode(r.prompt), target: encode(r.target) };
    const g = groups.get(r.format);
    if (g) g.push(pair);
    else groups.set(r.format, [pair]);
  }
  return [...groups.values()];
}
