/**
 * A sweep's standing in the live training view (live_training.ts): give
 * `sweepView(live, plan)` as the `onStatus` of `runSweepPlan` or
 * `watchSweep` (lib/sweep/mod.ts) and each run gets a row that follows it:
 * its last checkpoint step while it runs on the cluster, its loss curve from
 * the store once it is done, and what happened when it failed or was
 * cancelled. So a notebook can submit a Slurm sweep and watch tasks finish.
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * import { LiveTraining } from "./live_training.ts";
 * import { sweepView } from "./sweep_view.ts";
 * const live = new LiveTraining({ title: "sweep", quiet: true });
 * const onStatus = sweepView(live, { runs: [{ label: "seed=0", dir: "/nowhere" }] });
 * await onStatus([{ label: "seed=0", kind: "sft", key: "k", state: "running", detail: "on n1", attempts: 1, step: 40, steps: 200 }]);
 * assertEquals(live.rows().map((r) => [r.series, r.step, r.total]), [["seed=0", 40, 200]]);
 * ```
 */
import type { ProgressSink } from "../core/progress.ts";
import type { RunStatus } from "../sweep/status.ts";
import type { LiveTraining } from "./live_training.ts";

/** A status callback that keeps `live` showing every run of the sweep. */
export function sweepView(
  live: LiveTraining,
  plan: { runs: readonly { label: string; dir: string }[] },
): (statuses: readonly RunStatus[]) => Promise<void> {
  const dirs = new Map(plan.runs.map((r) => [r.label, r.dir]));
  const sinks = new Map<string, ProgressSink>();
  const shown = new Map<string, string>();
  return async (statuses) => {
    for (const s of statuses) {
      const text = s.state === "running" || s.state === "pending" ? `${s.state}: ${s.detail}` : s.state;
      if (s.state === "running" && s.step !== undefined && s.steps) {
        if (!sinks.has(s.label)) sinks.set(s.label, live.sink(s.label));
        sinks.get(s.label)!.update(s.step, s.steps);
      }
      const key = `${text}|${s.step}`;
      if (shown.get(s.label) === key) continue;
      shown.set(s.label, key);
      const history = s.state === "done" ? await metricsOf(dirs.get(s.label)) : undefined;
      live.finish(
        s.label,
        s.state === "failed" || s.state === "cancelled" ? `${s.state}: ${s.detail}` : text,
        history,
      );
    }
  };
}

/** The metric history a stored result carries (`result.metrics`), if any. */
async function metricsOf(dir: string | undefined): Promise<Record<string, number | string>[] | undefined> {
  if (!dir) return undefined;
  try {
    const result = JSON.parse(await Deno.readTextFile(`${dir}/result.json`));
    return Array.isArray(result?.metrics) ? result.metrics : undefined;
  } catch {
    return undefined;
  }
}
