/**
 * Analysis 3's knobs per scale, as short diffs over the default: the
 * pre-training config every tier shares (the trainer's own partial config,
 * validated by its schema), the two ladders (training budget at a fixed
 * architecture: snapshots of one run; size: architectures at one budget), and
 * the measurement (workload seeds, dev and held-out keys, sheet slots,
 * writing rules, arrangements). Every ladder is trained once per training
 * seed (`train_seeds`); the matrices are filled per training seed, and the
 * intervals are over training seeds (tables.ts).
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * import { pretrainConfigs, tierUptakeParams, trainSeeds } from "./params.ts";
 * const p = tierUptakeParams("smoke");
 * assertEquals(pretrainConfigs(p).length, trainSeeds(p).length * p.sizes.length);
 * assertEquals(trainSeeds({ ...p, train_seeds: undefined }), [0]);
 * ```
 */
import { z } from "zod";
import { parseConfig } from "../../core/config.ts";
import type { Scale } from "../../notebook/scale.ts";
import { parseFactPretrainConfig } from "../../train/facts/pretrain.ts";
import { WRITING_RULES } from "../../harness/edits/fact_sheet.ts";

const ArchSchema = z.strictObject({
  n_layer: z.number().int().min(1),
  n_embd: z.number().int().min(4),
  n_head: z.number().int().min(1),
});
export type Arch = z.output<typeof ArchSchema>;

export const TierUptakeParamsSchema = z.strictObject({
  /** Partial fact pre-training config shared by every tier (lib/train/facts/pretrain.ts). */
  pretrain: z.record(z.string(), z.unknown()),
  /** The fixed architecture of the training-budget ladder. */
  budget_arch: ArchSchema,
  /** Training steps of every run; the size ladder's budget. */
  steps: z.number().int().min(2),
  /** Budget-ladder tiers: snapshot steps of the fixed-architecture run (the last is `steps`). */
  budget_steps: z.array(z.number().int().min(1)).min(2),
  /** Size-ladder tiers (one must be budget_arch for the ladders to share a model, not required). */
  sizes: z.array(ArchSchema).min(2),
  /**
   * Training seeds: each trains every architecture (and so both ladders) anew;
   * absent means [0] (one training seed, as before).
   */
  train_seeds: z.array(z.number().int().min(0)).min(1).optional(),
  /** Workload seeds (per training seed): each draws dev and held-out keys and arrangement orders. */
  seeds: z.array(z.number().int().min(0)).min(2),
  n_dev: z.number().int().min(1),
  n_held: z.number().int().min(0),
  /** Ranked guesses an evolver may try on a failed key (the failures and padded rules). */
  tries: z.number().int().min(1).max(10),
  rules: z.array(z.enum(WRITING_RULES)).min(1),
  /**
   * How the harness shows a sheet to the agent: "retrieve" places only the
   * entry for the queried key (or nothing), "whole" places every entry.
   */
  harness: z.enum(["retrieve", "whole"]),
  /** Context arrangements every harness is scored under. */
  arrangements: z.array(z.enum(["near", "far", "spread"])).min(1),
  /** Probe sheet: right entries on keys the agent failed and wrong ones on keys it knew (each). */
  probe_each: z.number().int().min(1),
});
export type TierUptakeParams = z.output<typeof TierUptakeParamsSchema>;

const DEFAULT: TierUptakeParams = {
  pretrain: { batch_size: 64, lr: 3e-3, warmup_steps: 50 },
  budget_arch: { n_layer: 2, n_embd: 64, n_head: 4 },
  steps: 2000,
  budget_steps: [30, 100, 300, 600, 1000, 2000],
  sizes: [
    { n_layer: 1, n_embd: 4, n_head: 2 },
    { n_layer: 1, n_embd: 8, n_head: 2 },
    { n_layer: 1, n_embd: 16, n_head: 2 },
    { n_layer: 1, n_embd: 32, n_head: 4 },
    { n_layer: 2, n_embd: 32, n_head: 4 },
    { n_layer: 2, n_embd: 64, n_head: 4 },
  ],
  train_seeds: [0, 1, 2],
  seeds: [0, 1, 2, 3],
  n_dev: 8,
  n_held: 8,
  tries: 3,
  rules: ["failures", "padded", "own"],
  harness: "retrieve",
  arrangements: ["near", "far", "spread"],
  probe_each: 2,
};

const BY_SCALE: Record<Scale, TierUptakeParams> = {
  smoke: {
    ...DEFAULT,
    steps: 20,
    budget_steps: [5, 10, 20],
    sizes: [{ n_layer: 1, n_embd: 8, n_head: 2 }, { n_layer: 1, n_embd: 16, n_head: 2 }],
    budget_arch: { n_layer: 1, n_embd: 16, n_head: 2 },
    pretrain: { ...DEFAULT.pretrain, batch_size: 16, warmup_steps: 2 },
    train_seeds: [0, 1],
    seeds: [0, 1],
    n_dev: 4,
    n_held: 2,
    arrangements: ["near", "far"],
    probe_each: 1,
  },
  default: DEFAULT,
  full: {
    ...DEFAULT,
    steps: 3000,
    budget_steps: [30, 100, 300, 600, 1000, 2000, 3000],
    train_seeds: [0, 1, 2, 3, 4],
    seeds: [...Array(8).keys()],
  },
};

/** The knobs at `scale` (a fresh copy: edit it in the notebook). */
export function tierUptakeParams(scale: Scale): TierUptakeParams {
  return structuredClone(BY_SCALE[scale]);
}

/** The training seeds (default [0]). */
export function trainSeeds(params: TierUptakeParams): number[] {
  return params.train_seeds ?? [0];
}

/**
 * One pre-training config per training seed and size (seed-major); the run of
 * budget_arch (added if absent) alone saves the budget ladder's snapshots, so
 * changing budget_steps retrains only that run. Training seed 0's configs are
 * those of the single-seed design (their cached runs are reused).
 */
export function pretrainConfigs(params: TierUptakeParams): Record<string, unknown>[] {
  const p = parseConfig(TierUptakeParamsSchema, params, "tier uptake params");
  const same = (a: Arch, b: Arch) =>
    a.n_layer === b.n_layer && a.n_embd === b.n_embd && a.n_head === b.n_head;
  const archs = p.sizes.some((a) => same(a, p.budget_arch)) ? p.sizes : [...p.sizes, p.budget_arch];
  return trainSeeds(p).flatMap((seed) =>
    archs.map((model) => {
      const c = {
        ...p.pretrain,
        seed,
        model,
        steps: p.steps,
        snapshots: same(model, p.budget_arch) ? p.budget_steps : [],
      };
      parseFactPretrainConfig(c, `tier uptake pre-training config (${archLabel(model)}, seed ${seed})`);
      return c;
    })
  );
}

/** "L2-d64". */
export function archLabel(a: Arch): string {
  return `L${a.n_layer}-d${a.n_embd}`;
}
