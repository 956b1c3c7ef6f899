/**
 * The quickstart's knobs per scale (short diffs over the default) and the SFT
 * config of one seed.
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * import { quickstartParams, sftConfigFor } from "./params.ts";
 * const p = quickstartParams("smoke");
 * assertEquals(sftConfigFor(p, 1).seed, 1);
 * ```
 */
import { z } from "zod";
import { parseConfig } from "../../core/config.ts";
import type { Scale } from "../../notebook/scale.ts";
import { makeTask, type Task } from "../../tasks/task.ts";
import { parseSftConfig } from "../../train/sft.ts";

export const QuickstartParamsSchema = z.strictObject({
  seeds: z.array(z.number().int().min(0)).min(1),
  steps: z.number().int().min(2),
  batch_size: z.number().int().min(1),
  lr: z.number().positive(),
  n_layer: z.number().int().min(1),
  n_head: z.number().int().min(1),
  n_embd: z.number().int().min(8),
  train_levels: z.array(z.number().int().min(1).max(16)).min(1),
  eval_levels: z.array(z.number().int().min(1).max(16)).min(1),
  eval_per_level: z.number().int().min(1).max(200),
  ops: z.array(z.enum(["+", "-", "*"])).min(1),
});
export type QuickstartParams = z.output<typeof QuickstartParamsSchema>;

const DEFAULT: QuickstartParams = {
  seeds: [0, 1, 2],
  steps: 1500,
  batch_size: 64,
  lr: 3e-3,
  n_layer: 2,
  n_head: 4,
  n_embd: 64,
  train_levels: [1, 2, 3, 4],
  eval_levels: [1, 2, 3, 4, 5, 6, 7, 8],
  eval_per_level: 100,
  ops: ["+", "-"],
};

/** Each scale as a short diff over the default. */
const BY_SCALE: Record<Scale, QuickstartParams> = {
  smoke: {
    ...DEFAULT,
    seeds: [0, 1],
    steps: 40,
    batch_size: 32,
    n_layer: 1,
    n_head: 2,
    n_embd: 32,
    train_levels: [1, 2],
    eval_levels: [1, 2, 3],
    eval_per_level: 20,
  },
  default: DEFAULT,
  full: { ...DEFAULT, seeds: [0, 1, 2, 3, 4], steps: 3000, eval_per_level: 200 },
};

/** The quickstart's knobs at `scale` (a fresh copy: edit it in the notebook). */
export function quickstartParams(scale: Scale): QuickstartParams {
  return structuredClone(BY_SCALE[scale]);
}

/** The SFT config of one seed. Levels longer than the context are a config error from runSft. */
export function sftConfigFor(params: QuickstartParams, seed: number): Record<string, unknown> {
  const p = parseConfig(QuickstartParamsSchema, params, "quickstart params");
  const maxLevel = Math.max(...p.train_levels, ...p.eval_levels);
  return {
    seed,
    model: {
      n_layer: p.n_layer,
      n_head: p.n_head,
      n_embd: p.n_embd,
      block_size: 8 * maxLevel + 8, // a level-L example is 8L + 5 tokens
      position: "learned",
    },
    task: { family: "arithmetic", ops: p.ops },
    train_levels: p.train_levels,
    steps: p.steps,
    batch_size: p.batch_size,
    lr: p.lr,
    warmup_steps: Math.min(100, Math.floor(p.steps / 10)),
    eval_set: p.ops.includes("*") ? "arith_eval" : "arith_pm_eval",
    eval_levels: p.eval_levels,
    eval_per_level: p.eval_per_level,
    eval_every: Math.max(1, Math.floor(p.steps / 6)),
    checkpoint_every: Math.max(1, Math.floor(p.steps / 6)),
  };
}

/** The task the quickstart trains and evaluates on (chance comes from it). */
export function quickstartTask(params: QuickstartParams): Task {
  return makeTask(parseSftConfig(sftConfigFor(params, 0), "quickstart SFT config").task);
}
