/**
 * The local engine: a sweep's runs in this machine's worker processes, one
 * single-threaded run per core (lib/train/sweep.ts, as notebooks do today),
 * into the same store; runs already stored are read, not recomputed. Needs no
 * cluster. As runSweep, it stops starting runs after the first failure and
 * throws it once the running ones finish.
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * import { runLocalSweep } from "./local_engine.ts";
 * assertEquals(typeof runLocalSweep, "function");
 * ```
 */
import type { ProgressSink } from "../core/progress.ts";
import { runSweep } from "../train/sweep.ts";
import type { SweepPlan } from "./plan.ts";
import { type RunStatus, storeStatus } from "./status.ts";

export interface LocalOptions {
  /** Parallel workers (default one per core). */
  workers?: number;
  progress?: (label: string) => ProgressSink;
  /** Called as each run finishes (read from the store or computed), with every run's standing. */
  onStatus?: (statuses: RunStatus[]) => void | Promise<void>;
}

/** Run (or read) every run of the plan locally; resolves to every run's standing (all done). */
export async function runLocalSweep(plan: SweepPlan, opts: LocalOptions = {}): Promise<RunStatus[]> {
  const statuses = await Promise.all(plan.runs.map((r) => storeStatus(r)));
  const index = new Map(plan.runs.map((r, i) => [r.label, i]));
  await runSweep(plan.trainer, plan.runs.map((r) => ({ label: r.label, config: r.config })), {
    root: plan.root,
    workers: opts.workers,
    progress: opts.progress,
    onRun: (label, run, seconds) => {
      const s = statuses[index.get(label)!];
      s.state = "done";
      s.detail = run.cached ? "stored" : `computed in ${seconds.toFixed(1)} s`;
      s.attempts = run.cached ? s.attempts : 1;
      opts.onStatus?.(statuses);
    },
  });
  return statuses;
}
