/**
 * `lab sweep --config SWEEP [--engine local|slurm] ...`: run a sweep file's
 * runs that are not in the store yet, here (local, the default) or as Slurm
 * job arrays (slurm: partition, time, memory, CPUs from the sweep file or the
 * flags); with slurm it follows the sweep until every run is done, failed or
 * cancelled (`--no-wait` returns once submitted), printing a line as counts
 * change, then the table and the log tail of each failed run.
 * `lab sweep status --config SWEEP`: every run's standing (lib/sweep/status.ts).
 * Exit 1 when a run failed or was cancelled.
 */
import { LabError } from "../core/errors.ts";
import {
  type Engine,
  failureReport,
  loadSweep,
  type RunStatus,
  runSweepPlan,
  statusTable,
  summaryLine,
  sweepStatus,
} from "../sweep/mod.ts";
import { type Flags, numberFlag, parseFlags } from "./args.ts";

export const SWEEP_USAGE =
  "sweep --config SWEEP [--engine local|slurm] [--runs DIR] [--workers N] [--partition P] [--time T] [--mem M] " +
  "[--cpus-per-task N] [--max-parallel N] [--max-attempts N] [--poll S] [--no-wait]";
export const SWEEP_STATUS_USAGE = "sweep status --config SWEEP [--runs DIR]";

export const SWEEP_FLAGS = {
  string: [
    "config",
    "engine",
    "runs",
    "workers",
    "partition",
    "time",
    "mem",
    "cpus-per-task",
    "max-parallel",
    "max-attempts",
    "poll",
  ],
  boolean: ["no-wait"],
  required: ["config"],
};

/** `lab sweep status ...` or `lab sweep ...`, from the words after `sweep`. */
export async function sweepMain(argv: string[]): Promise<void> {
  if (argv[0] === "status") {
    const f = parseFlags(
      "sweep status",
      argv.slice(1),
      { string: ["config", "runs"], required: ["config"] },
      SWEEP_STATUS_USAGE,
    );
    const statuses = await sweepStatus(
      await loadSweep(f.config as string, { root: f.runs as string | undefined }),
    );
    report(statuses);
    return;
  }
  await sweepCommand(parseFlags("sweep", argv, SWEEP_FLAGS, SWEEP_USAGE));
}

function report(statuses: RunStatus[]): void {
  console.log(statusTable(statuses));
  const failures = failureReport(statuses);
  if (failures) console.log(failures);
}

export async function sweepCommand(f: Flags): Promise<void> {
  const engine = (f.engine ?? "local") as Engine;
  if (engine !== "local" && engine !== "slurm") {
    throw new LabError(`sweep: --engine must be local or slurm, got '${engine}'`, `usage: ${SWEEP_USAGE}`);
  }
  const plan = await loadSweep(f.config as string, { root: f.runs as string | undefined });
  const num = (name: string) => f[name] === undefined ? undefined : numberFlag("sweep", name, f[name], 0);
  console.log(
    `sweep ${plan.id}: ${plan.runs.length} ${plan.trainer} runs, store ${plan.root}, engine ${engine}`,
  );
  const t0 = performance.now();
  let last = "";
  const statuses = await runSweepPlan(plan, {
    engine,
    workers: num("workers"),
    wait: !f["no-wait"],
    pollS: num("poll"),
    slurm: {
      partition: f.partition as string | undefined,
      time: f.time as string | undefined,
      mem: f.mem as string | undefined,
      cpus_per_task: num("cpus-per-task"),
      max_parallel: num("max-parallel"),
      max_attempts: num("max-attempts"),
    },
    onStatus: (s) => {
      const line = summaryLine(s);
      if (line !== last) {
        console.log(`[${((performance.now() - t0) / 1000).toFixed(0).padStart(5)} s] ${line}`);
      }
      last = line;
    },
    log: (m) => console.log(m),
  });
  report(statuses);
  console.log(`wall time ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  const bad = statuses.filter((s) => s.state === "failed" || s.state === "cancelled");
  if (bad.length) {
    throw new LabError(
      `sweep: ${bad.length} of ${statuses.length} runs did not finish (${
        bad.map((s) => s.label).join("; ")
      })`,
      "read the log tails above; fix the cause and run the sweep again (stored runs are skipped)",
    );
  }
}
