/**
 * The two tier ladders, trained through the run cache in parallel worker
 * processes: one fact pre-training run per size-ladder architecture, all at
 * the same budget, each saving snapshots at the budget-ladder steps; the run
 * of the fixed architecture gives the training-budget ladder (its snapshots)
 * and is also a size tier (its last snapshot), so both ladders meet at one model.
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
import { type Arch, archLabel, pretrainConfigs, type TierUptakeParams } from "./params.ts";

export type Ladder = "budget" | "size";

/** One model of a ladder. */
export interface Tier {
  ladder: Ladder;
  label: string;
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
    configs.map((config) => ({ label: archLabel(config.model as Arch), config })),
    hooks,
  );
  return runs.map((run, i) => ({ arch: configs[i].model as Arch, run }));
}

/** Both ladders' tiers, weakest first within each. */
export function tiersOf(params: TierUptakeParams, runs: readonly LadderRun[]): Tier[] {
  const same = (a: Arch) =>
    a.n_layer === params.budget_arch.n_layer && a.n_embd === params.budget_arch.n_embd &&
    a.n_head === params.budget_arch.n_head;
  const fixed = runs.find((r) => same(r.arch))!;
  const snap = (r: LadderRun, step: number) => r.run.result.snapshots.find((s) => s.step === step)!;
  const budget: Tier[] = params.budget_steps.map((step) => {
    const s = snap(fixed, step);
    return {
      ladder: "budget",
      label: `steps-${step}`,
      x: step,
      steps: step,
      numParams: fixed.run.result.numParams,
      modelDir: `${fixed.run.dir}/${s.modelDir}`,
      base: s.accuracy,
      byBand: s.byBand,
    };
  });
  const size: Tier[] = params.sizes.map((arch) => {
    const r = runs.find((x) => archLabel(x.arch) === archLabel(arch) && x.arch.n_head === arch.n_head)!;
    const s = snap(r, params.steps);
    return {
      ladder: "size",
      label: archLabel(arch),
      x: r.run.result.numParams,
      steps: params.steps,
      numParams: r.run.result.numParams,
      modelDir: `${r.run.dir}/${s.modelDir}`,
      base: s.accuracy,
      byBand: s.byBand,
    };
  });
  return [...budget, ...size.sort((a, b) => a.x - b.x)];
}
