/**
 * The runs of analysis 1, through the run cache: the start model (one SFT
 * run) and every condition x seed (GRPO runs in parallel worker processes).
 * Changing one knob recomputes only the runs whose config it changes.
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * import { runLabel } from "./runs.ts";
 * assertEquals(runLabel("over_hard", 2), "over_hard s2");
 * ```
 */
import type { CachedRun } from "../../core/run_cache.ts";
import { runSweep, type SweepOptions } from "../../train/sweep.ts";
import type { SftResult } from "../../train/sft.ts";
import type { GrpoResult } from "../../train/grpo/grpo.ts";
import { type BandParams, type Condition, grpoConfigFor, parseBandParams, startConfigFor } from "./params.ts";

export interface BandRun {
  condition: Condition;
  seed: number;
  run: CachedRun<GrpoResult>;
}

/** Progress views, the run log and the cache root, for both the start model and the GRPO sweep. */
export type BandHooks = SweepOptions<unknown>;

/** The start model (SFT through the cache). */
export async function runStartModel(
  params: BandParams,
  hooks: BandHooks = {},
): Promise<CachedRun<SftResult>> {
  const [run] = await runSweep<SftResult>("sft", [{ label: "start model", config: startConfigFor(params) }], {
    ...hooks,
    workers: 1,
  });
  return run;
}

/** Label of a run in progress views and logs. */
export const runLabel = (condition: Condition, seed: number) => `${condition} s${seed}`;

/** Every condition x seed through the cache, in parallel workers. */
export async function runConditions(params: BandParams, hooks: BandHooks = {}): Promise<BandRun[]> {
  const p = parseBandParams(params);
  const plan = p.conditions.flatMap((condition) => p.seeds.map((seed) => ({ condition, seed })));
  const runs = await runSweep<GrpoResult>(
    "grpo",
    plan.map(({ condition, seed }) => ({
      label: runLabel(condition, seed),
      config: grpoConfigFor(p, condition, seed),
    })),
    hooks,
  );
  return runs.map((run, i) => ({ ...plan[i], run }));
}
