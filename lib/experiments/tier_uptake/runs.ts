/**
 * The two tier ladders, trained through the run cache in parallel worker
 * processes: one fact pre-training run per size-ladder architecture, all at
 * the same budget, each saving snapshots at the budget-ladder steps; the run
 * of the fixed architecture gives the training-budget ladder (its snapshots)
 * and is also a size tier (its last snapshot), so both ladders meet at one model.
 * All of it once per training seed: a tier is a (ladder, label) with one model
 * per training seed; `tierSummaries` gives its base pass rate over them.
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * import { tiersOf } from "./runs.ts";
 * assertEquals(typeof tiersOf, "function");
 * ```
 */
import type { CachedRun } from "../../core/run_cache.ts";
import { runSweep, type SweepOptions } from "../../train/sweep.ts";
import type { FactPretrainResult } from "../../train/facts/pretrain.ts";
import { proportionInterval } from "../../stats/intervals.ts";
import { type Arch, archLabel, pretrainConfigs, type TierUptakeParams, trainSeeds } from "./params.ts";

export type Ladder = "budget" | "size";

export const LADDER_TEXT: Record<Ladder, string> = {
  budget: "training-budget ladder (fixed architecture)",
  size: "size ladder (fixed budget)",
};

/** One model of a ladder: a tier trained with one training seed. */
export interface Tier {
  ladder: Ladder;
  label: string;
  trainSeed: number;
  /** Position on its ladder: training steps (budget) or parameter count (size). */
  x: number;
  steps: number;
  numParams: number;
  /** The saved model directory (absolute). */
  modelDir: string;
  /** Bare pass rate on the frozen fact eval set and its number of queries. */
  base: number;
  byBand: number[];
}

export interface LadderRun {
  arch: Arch;
  trainSeed: number;
  run: CachedRun<FactPretrainResult>;
}

/** Train (or read) every architecture's run. */
export async function trainLadders(
  params: TierUptakeParams,
  hooks: SweepOptions<FactPretrainResult> = {},
): Promise<LadderRun[]> {
  const configs = pretrainConfigs(params);
  const runs = await runSweep<FactPretrainResult>(
    "facts-pretrain",
    configs.map((config) => ({ label: `${archLabel(config.model as Arch)}-s${config.seed}`, config })),
    hooks,
  );
  return runs.map((run, i) => ({
    arch: configs[i].model as Arch,
    trainSeed: configs[i].seed as number,
    run,
  }));
}

/** Both ladders' tiers per training seed: seed-major, weakest first within each ladder. */
export function tiersOf(params: TierUptakeParams, runs: readonly LadderRun[]): Tier[] {
  const sameArch = (a: Arch, b: Arch) =>
    a.n_layer === b.n_layer && a.n_embd === b.n_embd && a.n_head === b.n_head;
  const snap = (r: LadderRun, step: number) => r.run.result.snapshots.find((s) => s.step === step)!;
  return trainSeeds(params).flatMap((trainSeed) => {
    const mine = runs.filter((r) => r.trainSeed === trainSeed);
    const fixed = mine.find((r) => sameArch(r.arch, params.budget_arch));
    if (!fixed) throw new Error(`tiersOf: no run of the budget architecture for training seed ${trainSeed}`);
    const budget: Tier[] = params.budget_steps.map((step) => {
      const s = snap(fixed, step);
      return {
        ladder: "budget",
        label: `steps-${step}`,
        trainSeed,
        x: step,
        steps: step,
        numParams: fixed.run.result.numParams,
        modelDir: `${fixed.run.dir}/${s.modelDir}`,
        base: s.accuracy,
        byBand: s.byBand,
      };
    });
    const size: Tier[] = params.sizes.map((arch) => {
      const r = mine.find((x) => sameArch(x.arch, arch));
      if (!r) throw new Error(`tiersOf: no run of ${archLabel(arch)} for training seed ${trainSeed}`);
      const s = snap(r, params.steps);
      return {
        ladder: "size",
        label: archLabel(arch),
        trainSeed,
        x: r.run.result.numParams,
        steps: params.steps,
        numParams: r.run.result.numParams,
        modelDir: `${r.run.dir}/${s.modelDir}`,
        base: s.accuracy,
        byBand: s.byBand,
      };
    });
    return [...budget, ...size.sort((a, b) => a.x - b.x)];
  });
}

/** A tier over its training seeds: base pass rate mean and t 95% over them (clipped to [0, 1]). */
export interface TierSummary {
  ladder: Ladder;
  label: string;
  x: number;
  steps: number;
  numParams: number;
  base: number;
  lo: number;
  hi: number;
  /** Base pass rate per training seed. */
  bases: Record<number, number>;
  /** Mean per frequency band over training seeds. */
  byBand: number[];
}

/** One summary per (ladder, label), in the order tiers first appear. */
export function tierSummaries(tiers: readonly Tier[]): TierSummary[] {
  const out = new Map<string, Tier[]>();
  for (const t of tiers) {
    const k = `${t.ladder}/${t.label}`;
    out.set(k, [...(out.get(k) ?? []), t]);
  }
  return [...out.values()].map((g) => {
    const m = proportionInterval(g.map((t) => t.base));
    return {
      ladder: g[0].ladder,
      label: g[0].label,
      x: g[0].x,
      steps: g[0].steps,
      numParams: g[0].numParams,
      base: m.mean,
      lo: m.lo,
      hi: m.hi,
      bases: Object.fromEntries(g.map((t) => [t.trainSeed, t.base])),
      byBand: g[0].byBand.map((_, i) => g.reduce((a, t) => a + t.byBand[i], 0) / g.length),
    };
  });
}
