/**
 * What the slurm engine submits: one batch script per submission, run as an
 * array with one task per run, each task running the lab's own CLI on one
 * config (`lab run --trainer T --config SWEEP/configs/KEY.json --runs STORE`),
 * and the sbatch options (job name, array, per-task log `logs/%A_%a.out`
 * appended across requeues, time, memory, CPUs, partition, requeue allowed).
 * Pure: builds text and argument lists, runs nothing.
 *
 * A task that is cancelled or killed dies with its run's lock and checkpoint
 * left in the store; rerun (requeued, or submitted again) it breaks the stale
 * lock and resumes from the checkpoint (run_cache.ts, loop.ts).
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * import { shellQuote } from "./slurm_script.ts";
 * assertEquals(shellQuote("/runs/it's"), `'/runs/it'\\''s'`);
 * ```
 */
import type { SlurmSettings } from "./sweep_file.ts";

/** Quote for a POSIX shell. */
export function shellQuote(s: string): string {
  return `'${s.replaceAll("'", `'\\''`)}'`;
}

/** What one submission runs. */
export interface BatchSpec {
  /** The sweep's id (NAME-XXXXXXXX), for the header. */
  sweepId: string;
  trainer: string;
  /** The run keys, one per array index. */
  keys: readonly string[];
  /** The sweep folder (holds configs/KEY.json). */
  sweepDir: string;
  /** The store every node sees. */
  store: string;
  /** The deno binary and the lab's CLI module, on a path every node sees. */
  deno: string;
  cli: string;
}

/** The batch script: array index -> run key -> `lab run` on that key's config, with a start and an exit line. */
export function batchScript(b: BatchSpec): string {
  const q = shellQuote;
  return [
    "#!/bin/bash",
    `# harnesslab sweep ${b.sweepId}: one array task per run (written by lib/sweep/slurm_engine.ts)`,
    "set -u",
    `keys=(${b.keys.join(" ")})`,
    'key="${keys[$SLURM_ARRAY_TASK_ID]}"',
    'echo "harnesslab: run ' + b.trainer + "/$key as task ${SLURM_ARRAY_JOB_ID}_${SLURM_ARRAY_TASK_ID}" +
    ' (restart ${SLURM_RESTART_COUNT:-0}) on $(hostname) at $(date -u +%FT%TZ)"',
    `${q(b.deno)} run -A ${q(b.cli)} run --trainer ${q(b.trainer)} --config ${
      q(b.sweepDir)
    }/configs/"$key".json \\`,
    `  --runs ${q(b.store)}`,
    "code=$?",
    'echo "harnesslab: exit $code at $(date -u +%FT%TZ)"',
    "exit $code",
    "",
  ].join("\n");
}

/** sbatch options for `tasks` array tasks of the sweep. */
export function sbatchArgs(o: {
  jobName: string;
  tasks: number;
  logDir: string;
  workDir: string;
  slurm: SlurmSettings;
}): string[] {
  const s = o.slurm;
  const limit = s.max_parallel > 0 ? `%${s.max_parallel}` : "";
  return [
    `--job-name=${o.jobName}`,
    `--array=0-${o.tasks - 1}${limit}`,
    `--output=${o.logDir}/%A_%a.out`,
    "--open-mode=append",
    "--requeue",
    `--chdir=${o.workDir}`,
    `--time=${s.time}`,
    `--mem=${s.mem}`,
    `--cpus-per-task=${s.cpus_per_task}`,
    ...(s.partition ? [`--partition=${s.partition}`] : []),
    ...s.sbatch_args,
  ];
}
