/**
 * The knobs of notebook 02's first sections per scale (short diffs over the
 * default), held as the trainers' and harnesses' own partial configs (nanoGPT
 * style: the SFT schema and the harness schema validate them when they run).
 * Each family has one base-model SFT config (its mix of call formats and
 * context kinds), one harness config, and how it is evaluated.
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * import { baseConfigFor, reattachmentParams } from "./params.ts";
 * const p = reattachmentParams("smoke");
 * assertEquals(baseConfigFor(p, "precedent", 1).seed, 1);
 * ```
 */
import { z } from "zod";
import { parseConfig } from "../../core/config.ts";
import { LabError } from "../../core/errors.ts";
import type { Scale } from "../../notebook/scale.ts";
import { type HarnessConfig, parseHarnessConfig } from "../../harness/config.ts";
import { FormatOptionsSchema } from "../../harness/formats.ts";
import { parseSftConfig, type SftConfig } from "../../train/sft.ts";

export const FAMILIES = ["arithmetic", "precedent"] as const;
export type HarnessFamily = typeof FAMILIES[number];

const FamilySchema = z.strictObject({
  /** The base model's SFT config without its seed (lib/train/sft.ts; `mix` holds the formats). */
  sft: z.record(z.string(), z.unknown()),
  /** The harness config (lib/harness/config.ts). */
  harness: z.record(z.string(), z.unknown()),
  /** Problems per level of the SFT config's eval set that the gate evaluates (its first ones). */
  eval_per_level: z.number().int().min(1).max(200),
});

export const ReattachmentParamsSchema = z.strictObject({
  /** Base-model seeds (the unit of replication of the gate's t intervals). */
  seeds: z.array(z.number().int().min(0)).min(1),
  arithmetic: FamilySchema,
  precedent: FamilySchema,
  /** A level is "weak" for bare when its mean accuracy is at most this share of the level's ceiling. */
  weak_share: z.number().min(0).max(1),
  /** Fresh-bank evaluation: largest chunk between bank updates. */
  fresh_batch: z.number().int().min(1),
  /** Example traces kept per harness mode. */
  traces: z.number().int().min(0),
});
export type ReattachmentParams = z.output<typeof ReattachmentParamsSchema>;

const ARITH_LEVELS = [2, 3, 4, 5, 6, 7, 8];
// Arithmetic: learned positions, bare on chains of 1-2 operations at a constant learning rate (bare is
// exact there and at chance beyond: the harness, segments of 2, has room on 3-8), planner calls on 2-8.
// Measured while choosing (one run each): with chains of 1-3 and a cosine decay to 3e-4, 1 of 3 seeds
// learnt bare arithmetic in 1000 steps (the others sat on a loss plateau of 0.3 while the rate decayed);
// with 1-2 and a constant 3e-3, the two seeds that had failed were exact on 1-2 by step 1000. Rotary
// positions (with teacher contexts in the mix) left bare L1 at 0.26 after 1000 steps; a plan that copied
// the operations with separators was valid for only 17-63% of 2-4 operation chains (segment sizes:
// 100%); adding teacher-context formats (12% of examples, block after the body) cost 36% more time and
// the model still read a full-trace context right only 0-34% of the time, so the default mix holds none
// (FORMATS lists them; distillation adds them with the budget they need).
// Precedent: the harness formats come from 64 other worlds and only ~5% of examples are bare ones of
// the evaluated world, so the weights know that world only partly and the bank has something to add.
// At 400 steps with ~8% bare examples the harness helped too little on the hardest levels of 2 of 3
// seeds (warm bank L4-5 +0.07 [-0.00, +0.15]); 600 steps with ~5% trains the reading of precedents
// 50% longer while the evaluated world's examples stay about 1000 (they are also the warm bank).
// Verify drafts are the precedents' majority label, 10% replaced by a wrong one: with 25% the verify
// call revised right drafts often and hurt; with 0% it learnt never to revise.
const DEFAULT: ReattachmentParams = {
  seeds: [0, 1, 2],
  arithmetic: {
    sft: {
      model: { n_layer: 2, n_head: 4, n_embd: 64, block_size: 72, position: "learned" },
      task: { family: "arithmetic", ops: ["+", "-"] },
      train_levels: [1, 2],
      steps: 1000,
      batch_size: 64,
      lr: 3e-3,
      min_lr: 3e-3,
      warmup_steps: 50,
      mix: [
        { format: "bare", weight: 4 },
        { format: "plan", weight: 1, levels: ARITH_LEVELS },
      ],
      formats: { segment_lengths: [2, 3] },
      eval_set: "arith_pm_eval",
      eval_levels: [1, 2, 3, 4, 5, 6, 7, 8],
      eval_per_level: 50,
      eval_every: 250,
      checkpoint_every: 250,
    },
    harness: { kind: "plan_solve", segment_length: 2 },
    eval_per_level: 100,
  },
  precedent: {
    sft: {
      model: { n_layer: 2, n_head: 4, n_embd: 64, block_size: 96, position: "learned" },
      task: { family: "precedent" },
      train_levels: [1, 2, 3, 4, 5],
      steps: 600,
      batch_size: 32,
      lr: 3e-3,
      min_lr: 3e-4,
      warmup_steps: 50,
      mix: [
        { format: "bare", weight: 0.2 },
        { format: "draft", weight: 2 },
        { format: "verify", weight: 1 },
        { format: "answer_like", weight: 0.2 },
        { format: "trace", weight: 0.2 },
        { format: "answer", weight: 0.2 },
      ],
      formats: { pool_worlds: 64, pool_bank: 2000, draft_noise: 0.1 },
      bank_max: 5000,
      eval_set: "precedent_eval",
      eval_per_level: 50,
      eval_every: 150,
      checkpoint_every: 150,
    },
    harness: { kind: "draft_verify" },
    eval_per_level: 200,
  },
  weak_share: 0.8,
  fresh_batch: 32,
  traces: 4,
};

/** Each scale as a short diff over the default. */
const BY_SCALE: Record<Scale, ReattachmentParams> = {
  smoke: {
    ...DEFAULT,
    seeds: [0, 1],
    arithmetic: {
      sft: {
        ...DEFAULT.arithmetic.sft,
        model: { n_layer: 1, n_head: 2, n_embd: 32, block_size: 40, position: "learned" },
        train_levels: [1, 2],
        steps: 30,
        batch_size: 16,
        warmup_steps: 5,
        mix: [{ format: "bare", weight: 3 }, { format: "plan", weight: 1, levels: [2, 3] }],
        eval_levels: [1, 2, 3],
        eval_per_level: 8,
        eval_every: 15,
        checkpoint_every: 15,
      },
      harness: { kind: "plan_solve", segment_length: 2 },
      eval_per_level: 8,
    },
    precedent: {
      sft: {
        ...DEFAULT.precedent.sft,
        model: { n_layer: 1, n_head: 2, n_embd: 32, block_size: 48, position: "learned" },
        steps: 30,
        batch_size: 16,
        warmup_steps: 5,
        formats: { k: 2, confirmers: 2, challengers: 2, pool_worlds: 4, pool_bank: 50 },
        bank_max: 200,
        eval_per_level: 8,
        eval_every: 15,
        checkpoint_every: 15,
      },
      harness: { kind: "draft_verify", k: 2, confirmers: 2, challengers: 2 },
      eval_per_level: 16,
    },
    fresh_batch: 8,
    traces: 2,
  },
  default: DEFAULT,
  full: {
    ...DEFAULT,
    seeds: [0, 1, 2, 3, 4],
    arithmetic: { ...DEFAULT.arithmetic, eval_per_level: 200 },
  },
};

/** The knobs at `scale` (a fresh copy: edit it in the notebook). */
export function reattachmentParams(scale: Scale): ReattachmentParams {
  return structuredClone(BY_SCALE[scale]);
}

/** Validate params, and that each harness reads its base model's formats (same k, confirmers, challengers, arrangement). */
export function parseReattachmentParams(params: ReattachmentParams): ReattachmentParams {
  const p = parseConfig(ReattachmentParamsSchema, params, "reattachment params");
  const h = harnessConfig(p, "precedent");
  const f = FormatOptionsSchema.parse(p.precedent.sft.formats ?? {});
  if (h.kind === "draft_verify") {
    for (const key of ["k", "confirmers", "challengers"] as const) {
      if (h[key] !== f[key]) {
        throw new LabError(
          `reattachment params: precedent.harness.${key} is ${
            h[key]
          } but the base model trains with formats.${key} ${f[key]}`,
          `set both to the same value`,
        );
      }
    }
    if (JSON.stringify(h.arrangement) !== JSON.stringify(f.arrangement)) {
      throw new LabError(
        "reattachment params: precedent.harness.arrangement differs from the base model's formats.arrangement",
        "set both to the same arrangement",
      );
    }
  }
  return p;
}

/** The base model's SFT config for one family and seed. */
export function baseConfigFor(
  params: ReattachmentParams,
  family: HarnessFamily,
  seed: number,
): Record<string, unknown> {
  return { ...params[family].sft, seed };
}

/** The validated SFT config (for its task, levels and eval set). */
export function baseSftConfig(params: ReattachmentParams, family: HarnessFamily): SftConfig {
  return parseSftConfig(baseConfigFor(params, family, params.seeds[0]), `${family} base model`);
}

/** The validated harness config of a family. */
export function harnessConfig(params: ReattachmentParams, family: HarnessFamily): HarnessConfig {
  return parseHarnessConfig(params[family].harness, `${family} harness`);
}
