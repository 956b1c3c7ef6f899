/**
 * The quickstart's runs: one SFT run per seed through the run cache, trained
 * in parallel worker processes (one per core).
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * import { runQuickstart } from "./runs.ts";
 * assertEquals(typeof runQuickstart, "function");
 * ```
 */
import type { CachedRun } from "../../core/run_cache.ts";
import type { SftResult } from "../../train/sft.ts";
import { runSweep, type SweepOptions } from "../../train/sweep.ts";
import { type QuickstartParams, sftConfigFor } from "./params.ts";

export interface QuickstartRun {
  seed: number;
  run: CachedRun<SftResult>;
}

/**
 * Train (or fetch from the cache) one SFT run per seed, in parallel worker
 * processes (one per core; `workers: 1` trains in this process). Hooks: a
 * progress sink per seed (e.g. LiveTraining.sink), a callback per finished run
 * (cached or computed), the cache root.
 */
export async function runQuickstart(
  params: QuickstartParams,
  hooks: SweepOptions<SftResult> = {},
): Promise<QuickstartRun[]> {
  const runs = await runSweep<SftResult>(
    "sft",
    params.seeds.map((seed) => ({ label: `seed ${seed}`, config: sftConfigFor(params, seed) })),
    hooks,
  );
  return runs.map((run, i) => ({ seed: params.seeds[i], run }));
}
