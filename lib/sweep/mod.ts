/**
 * Sweeps from a sweep file (sweep_file.ts) on one of two engines, into one
 * store: `local` (worker processes on this machine, local_engine.ts) or
 * `slurm` (one job array per submission on a cluster sharing the store,
 * slurm_engine.ts). What `lab sweep` runs, and what a notebook calls to
 * submit a sweep and watch it: `onStatus` is called after every poll (slurm)
 * or finished run (local) with every run's standing (status.ts), which
 * lib/notebook/sweep_view.ts shows in the live view; `watchSweep` follows a
 * sweep submitted elsewhere (`lab sweep --no-wait`) without submitting.
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * import { loadSweep, sweepStatus } from "./mod.ts";
 * const dir = await Deno.makeTempDir();
 * await Deno.writeTextFile(`${dir}/seeds.json`, JSON.stringify({ trainer: "sft", grid: { seed: [0, 1] } }));
 * const plan = await loadSweep(`${dir}/seeds.json`, { root: `${dir}/store` });
 * assertEquals(plan.id.startsWith("seeds-"), true);
 * assertEquals((await sweepStatus(plan)).map((s) => [s.label, s.state]), [["seed=0", "pending"], ["seed=1", "pending"]]);
 * await Deno.remove(dir, { recursive: true });
 * ```
 */
import { parseConfig } from "../core/config.ts";
import { LabError } from "../core/errors.ts";
import type { ProgressSink } from "../core/progress.ts";
import { runLocalSweep } from "./local_engine.ts";
import { planSweep, type SweepPlan } from "./plan.ts";
import { readSubmissions, runSlurmSweep, slurmStatus } from "./slurm_engine.ts";
import { type RunStatus, storeStatus } from "./status.ts";
import { loadSweepFile, type SlurmSettings, SlurmSettingsSchema } from "./sweep_file.ts";

export type { PlannedRun, SweepPlan } from "./plan.ts";
export type { RunState, RunStatus } from "./status.ts";
export { failureReport, statusTable, summaryLine } from "./status.ts";

export type Engine = "local" | "slurm";

/** Read a sweep file and plan it against the store (`root`, default $HARNESSLAB_RUNS or runs/). */
export async function loadSweep(path: string, opts: { root?: string } = {}): Promise<SweepPlan> {
  return await planSweep(await loadSweepFile(path), path, opts.root);
}

export interface SweepRunOptions {
  /** Default "local". */
  engine?: Engine;
  /** Overrides of the sweep file's `slurm` part (partition, time, mem, ...). */
  slurm?: Partial<SlurmSettings>;
  /** slurm: follow until every run is settled (default), or return once submitted. */
  wait?: boolean;
  /** slurm: seconds between polls (default 5). */
  pollS?: number;
  /** local: parallel workers (default one per core). */
  workers?: number;
  /** local: a progress sink per run. */
  progress?: (label: string) => ProgressSink;
  onStatus?: (statuses: RunStatus[]) => void | Promise<void>;
  /** Notices; default stderr. */
  log?: (msg: string) => void;
}

/** Run every run of the plan that is not stored yet on `engine`; resolves to every run's standing. */
export async function runSweepPlan(plan: SweepPlan, opts: SweepRunOptions = {}): Promise<RunStatus[]> {
  const engine = opts.engine ?? "local";
  if (engine === "local") return await runLocalSweep(plan, opts);
  if (engine !== "slurm") {
    throw new LabError(
      `unknown engine '${engine}'`,
      "use --engine local (this machine) or slurm (a cluster)",
    );
  }
  const given = Object.entries(opts.slurm ?? {}).filter(([, v]) => v !== undefined);
  const slurm = parseConfig(
    SlurmSettingsSchema,
    { ...plan.slurm, ...Object.fromEntries(given) },
    `${plan.where} with the slurm options given`,
  );
  return await runSlurmSweep(plan, { ...opts, slurm });
}

/** Every run's standing: from the store, and from the queue and task logs once submitted to Slurm. */
export async function sweepStatus(plan: SweepPlan): Promise<RunStatus[]> {
  if ((await readSubmissions(plan)).length) return await slurmStatus(plan);
  return await Promise.all(plan.runs.map((r) => storeStatus(r)));
}

/**
 * Poll every run's standing until no run is running or queued, calling
 * `onStatus` after each poll; submits nothing (runs never submitted stay
 * pending).
 */
export async function watchSweep(
  plan: SweepPlan,
  opts: { pollS?: number; onStatus?: (statuses: RunStatus[]) => void | Promise<void> } = {},
): Promise<RunStatus[]> {
  for (;;) {
    const statuses = await sweepStatus(plan);
    await opts.onStatus?.(statuses);
    if (!statuses.some((s) => s.state === "running" || (s.state === "pending" && s.task))) return statuses;
    await new Promise((r) => setTimeout(r, (opts.pollS ?? 5) * 1000));
  }
}
