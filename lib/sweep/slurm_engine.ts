/**
 * The slurm engine: a sweep's runs as one `sbatch --array` per submission,
 * one array task per run, each task running the lab's CLI on one config
 * (slurm_script.ts), results landing in the shared store under the usual
 * rules (manifest last, checksums, one writer per key by lock and lease).
 *
 * The sweep's folder in the store (plan.ts) holds what every node and every
 * later `lab sweep` needs:
 *   configs/KEY.json         each run's config, as the task reads it
 *   batch/XXXXXXXX.sh        the batch scripts submitted
 *   submissions/JOBID.json   which run keys each array job holds, in index order
 *   logs/JOBID_INDEX.out     each task's log, appended across requeues
 *
 * A run's standing (status.ts) comes from the store (done, checkpoint step),
 * then squeue (pending, running, or how it ended, while the controller
 * remembers), then the task log (the lab's start and exit lines, Slurm's
 * "CANCELLED AT" line), so it is known without sacct and after the
 * controller has forgotten the job. Following a sweep, a run whose attempt
 * ended without a result is submitted again until the sweep holds
 * `max_attempts` submissions of it; then it is reported failed with its log
 * tail while the rest go on (running the sweep again gives it one more
 * attempt). A cancelled run is not retried by the engine: `scontrol requeue`
 * it, or run the sweep again. Killed or cancelled, a task loses only the steps since its
 * run's last checkpoint: rerun, it resumes from there.
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * import { endedAs } from "./slurm_engine.ts";
 * assertEquals(endedAs("FAILED", ["harnesslab: run sft/ab as task 7_0", "error: boom", "harnesslab: exit 1 at t"]), {
 *   state: "failed",
 *   detail: "FAILED, exit 1: error: boom",
 * });
 * ```
 */
import { writeFileAtomic } from "../core/atomic.ts";
import { canonicalJson, sha256Hex } from "../core/hash.ts";
import { PROJECT_ROOT } from "../core/paths.ts";
import type { PlannedRun, SweepPlan } from "./plan.ts";
import { batchScript, sbatchArgs } from "./slurm_script.ts";
import { sbatch, type SlurmTask, squeueTasks } from "./slurm_client.ts";
import { type RunStatus, settled, storeStatus } from "./status.ts";
import type { SlurmSettings } from "./sweep_file.ts";

/** The lab's CLI module, which each task runs. */
export const LAB_CLI = `${PROJECT_ROOT}lib/cli/main.ts`;

/** One submitted array job. */
export interface Submission {
  jobId: string;
  /** Run keys by array index. */
  keys: string[];
  submittedAt: string;
}

const RUNNING = new Set(["RUNNING", "COMPLETING", "CONFIGURING", "SIGNALING", "STAGE_OUT", "RESIZING"]);
const QUEUED = new Set([
  "PENDING",
  "REQUEUED",
  "REQUEUE_FED",
  "REQUEUE_HOLD",
  "SUSPENDED",
  "STOPPED",
  "SPECIAL_EXIT",
  "RESV_DEL_HOLD",
]);
const TAIL = 12;

/** The Slurm job name of a sweep's arrays (squeue finds them by it). */
export function jobName(plan: SweepPlan): string {
  return `hl-${plan.id}`;
}

/** How an attempt that left no result ended, from squeue's last state ("" when forgotten) and its log lines. */
export function endedAs(
  state: string,
  lines: readonly string[],
): { state: "failed" | "cancelled"; detail: string } {
  const start = lines.findLastIndex((l) => l.startsWith("harnesslab: run "));
  const attempt = lines.slice(Math.max(0, start));
  const cancelled = attempt.find((l) => / CANCELLED AT /.test(l));
  if (state === "CANCELLED" || cancelled) {
    return {
      state: "cancelled",
      detail: `cancelled${
        cancelled ? ` (${cancelled.replace(/^.*\*\*\* /, "").replace(/ \*\*\*$/, "")})` : ""
      }`,
    };
  }
  const exit = attempt.findLast((l) => l.startsWith("harnesslab: exit "))?.split(" ")[2];
  const error = attempt.findLast((l) => /^error: |Error: /.test(l));
  const how = [state || "ended", exit === undefined ? "" : `exit ${exit}`].filter(Boolean).join(", ");
  return { state: "failed", detail: error ? `${how}: ${error}` : how };
}

/** Submit `runs` as one array job; writes their configs and the batch script first. */
export async function submitRuns(
  plan: SweepPlan,
  runs: readonly PlannedRun[],
  slurm: SlurmSettings,
): Promise<Submission> {
  for (const r of runs) {
    const path = `${plan.dir}/configs/${r.key}.json`;
    if (!(await Deno.stat(path).then(() => true, () => false))) {
      await writeFileAtomic(path, JSON.stringify(r.config, null, 2) + "\n");
    }
  }
  await writeFileAtomic(
    `${plan.dir}/sweep.json`,
    JSON.stringify(
      {
        name: plan.name,
        trainer: plan.trainer,
        file: plan.where,
        runs: plan.runs.map((r) => ({ label: r.label, kind: r.kind, key: r.key })),
      },
      null,
      2,
    ) + "\n",
  );
  const keys = runs.map((r) => r.key);
  const script = batchScript({
    sweepId: plan.id,
    trainer: plan.trainer,
    keys,
    sweepDir: plan.dir,
    store: plan.root,
    deno: Deno.execPath(),
    cli: LAB_CLI,
  });
  const scriptPath = `${plan.dir}/batch/${(await sha256Hex(script)).slice(0, 8)}.sh`;
  await writeFileAtomic(scriptPath, script);
  await Deno.mkdir(`${plan.dir}/logs`, { recursive: true });
  const jobId = await sbatch(
    sbatchArgs({
      jobName: jobName(plan),
      tasks: keys.length,
      logDir: `${plan.dir}/logs`,
      workDir: PROJECT_ROOT,
      slurm,
    }),
    scriptPath,
  );
  const sub: Submission = { jobId, keys, submittedAt: new Date().toISOString() };
  await writeFileAtomic(`${plan.dir}/submissions/${jobId}.json`, canonicalJson(sub) + "\n");
  return sub;
}

/** Every submission of the sweep, oldest first. */
export async function readSubmissions(plan: SweepPlan): Promise<Submission[]> {
  const out: Submission[] = [];
  try {
    for await (const e of Deno.readDir(`${plan.dir}/submissions`)) {
      if (e.isFile && /^\d+\.json$/.test(e.name)) {
        out.push(JSON.parse(await Deno.readTextFile(`${plan.dir}/submissions/${e.name}`)));
      }
    }
  } catch (e) {
    if (!(e instanceof Deno.errors.NotFound)) throw e;
  }
  return out.sort((a, b) => Number(a.jobId) - Number(b.jobId));
}

async function logLines(path: string): Promise<string[]> {
  return await Deno.readTextFile(path).then((t) => t.split("\n").filter((l) => l.trim()), () => []);
}

/**
 * Each run's standing: the store, then the queue, then the task logs.
 * `knownDone` (full keys) skips re-checking entries already found complete.
 */
export async function slurmStatus(plan: SweepPlan, knownDone?: Set<string>): Promise<RunStatus[]> {
  const subs = await readSubmissions(plan);
  // The queue before the store: a task seen finished has written its entry already.
  const queue = subs.length ? await squeueTasks(jobName(plan)) : [];
  const byTask = new Map<string, SlurmTask>(queue.map((t) => [`${t.jobId}_${t.index}`, t]));
  const out: RunStatus[] = [];
  for (const run of plan.runs) {
    const tasks = subs.flatMap((s) => s.keys.map((k, i) => ({ k, id: `${s.jobId}_${i}` }))).filter((t) =>
      t.k === run.key
    );
    const logs = await Promise.all(tasks.map((t) => logLines(`${plan.dir}/logs/${t.id}.out`)));
    const attempts = logs.flat().filter((l) => l.startsWith("harnesslab: run ")).length;
    const store = await storeStatus(run, knownDone);
    const latest = tasks.at(-1);
    if (store.state === "done" || !latest) {
      const unsubmitted = !latest && store.state === "pending";
      out.push({
        ...store,
        attempts,
        task: latest?.id,
        detail: unsubmitted ? "not submitted" : store.detail,
      });
      continue;
    }
    const log = `${plan.dir}/logs/${latest.id}.out`;
    const q = byTask.get(latest.id);
    const base = { ...store, attempts, task: latest.id, log };
    const at = store.step === undefined
      ? ""
      : `, checkpoint at step ${store.step}${run.steps ? `/${run.steps}` : ""}`;
    if (q && RUNNING.has(q.state)) {
      out.push({ ...base, state: "running", detail: `on ${q.node || "?"}${at}` });
    } else if (q && QUEUED.has(q.state)) {
      out.push({ ...base, state: "pending", detail: `${q.state.toLowerCase()} (${q.reason})${at}` });
    } else {
      const lines = logs.at(-1)!;
      out.push({ ...base, ...endedAs(q?.state ?? "", lines), logTail: lines.slice(-TAIL) });
    }
  }
  return out;
}

/** What `runSlurmSweep` reports and how often. */
export interface FollowOptions {
  slurm: SlurmSettings;
  /** Follow until every run is done, failed or cancelled (default); false returns after submitting. */
  wait?: boolean;
  /** Seconds between polls (default 5). */
  pollS?: number;
  /** Called after every poll with every run's standing. */
  onStatus?: (statuses: RunStatus[]) => void | Promise<void>;
  /** Notices (submissions, resubmissions); default stderr. */
  log?: (msg: string) => void;
}

/**
 * Submit every run that is neither stored nor queued nor running (asked for
 * explicitly, a failed or cancelled run gets another attempt), then, unless
 * `wait` is false, follow the sweep: a run whose attempt ended without a
 * result is submitted again while the sweep holds fewer than `max_attempts`
 * submissions of it; then it stays failed.
 */
export async function runSlurmSweep(plan: SweepPlan, opts: FollowOptions): Promise<RunStatus[]> {
  const log = opts.log ?? ((m: string) => console.error(m));
  const done = new Set<string>();
  const submit = async (runs: PlannedRun[], why: string) => {
    if (!runs.length) return;
    const sub = await submitRuns(plan, runs, opts.slurm);
    log(
      `sweep ${plan.id}: ${why} ${runs.length} run(s) as job ${sub.jobId} (logs: ${plan.dir}/logs/${sub.jobId}_*.out)`,
    );
  };
  // Neither stored nor queued nor running (a run computing elsewhere under its lock is left to finish).
  const idle = (s: RunStatus) =>
    s.state === "failed" || s.state === "cancelled" || (s.state === "pending" && !s.task);
  let statuses = await slurmStatus(plan, done);
  await submit(plan.runs.filter((_, i) => idle(statuses[i])), "submitted");
  if (opts.wait === false) return await slurmStatus(plan, done);
  for (;;) {
    statuses = await slurmStatus(plan, done);
    const subs = await readSubmissions(plan);
    const tries = (key: string) => subs.filter((s) => s.keys.includes(key)).length;
    const again = plan.runs.filter((r, i) =>
      statuses[i].state === "failed" && tries(r.key) < opts.slurm.max_attempts
    );
    for (const r of again) {
      const s = statuses[r.index];
      log(
        `sweep ${plan.id}: run '${r.label}' attempt ${tries(r.key)} ended (${s.detail}); submitting it again`,
      );
      s.state = "pending";
    }
    await opts.onStatus?.(statuses);
    await submit(again, "resubmitted");
    if (!again.length && settled(statuses)) return statuses;
    await new Promise((r) => setTimeout(r, (opts.pollS ?? 5) * 1000));
  }
}
