/**
 * Where each run of a sweep stands: `done` (a complete entry in the store),
 * `running`, `pending` (queued, or not submitted yet), `failed` (its last
 * attempt ended without a result; the log tail says why) or `cancelled`
 * (scancel; not retried automatically: requeue it or run the sweep again).
 * This module holds the shape, the store's side (entry complete? lock held?
 * checkpoint step?) and the text of `lab sweep status`; slurm_engine.ts adds
 * what the queue and the task logs say.
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * import { summaryLine } from "./status.ts";
 * const run = { label: "seed=0", kind: "sft", key: "0123456789abcdef", detail: "", attempts: 1 };
 * assertEquals(
 *   summaryLine([{ ...run, state: "done" }, { ...run, state: "running" }, { ...run, state: "failed" }]),
 *   "3 runs: 1 done, 1 running, 0 pending, 1 failed",
 * );
 * ```
 */
import { staleReason } from "../core/lock.ts";
import { checkEntry } from "../core/run_entry.ts";
import type { PlannedRun } from "./plan.ts";

export type RunState = "done" | "running" | "pending" | "failed" | "cancelled";

/** One run's standing. */
export interface RunStatus {
  label: string;
  kind: string;
  key: string;
  state: RunState;
  /** "stored", "queued (Resources)", "on node3, checkpoint at step 80/200", "FAILED, exit 1", ... */
  detail: string;
  /** Times the run was started (from the task logs; 0 for the local engine). */
  attempts: number;
  /** The Slurm task of the latest attempt ("123_4"). */
  task?: string;
  /** Last checkpointed step and the run's total, while it is unfinished. */
  step?: number;
  steps?: number;
  /** The latest attempt's log and, for a failed or cancelled run, its last lines. */
  log?: string;
  logTail?: string[];
}

const ORDER: RunState[] = ["done", "running", "pending", "failed", "cancelled"];

/** How many runs are in each state. */
export function countStates(statuses: readonly RunStatus[]): Record<RunState, number> {
  const n = Object.fromEntries(ORDER.map((s) => [s, 0])) as Record<RunState, number>;
  for (const s of statuses) n[s.state]++;
  return n;
}

/** "12 runs: 10 done, 1 running, 1 pending, 0 failed" (and ", N cancelled" when any are). */
export function summaryLine(statuses: readonly RunStatus[]): string {
  const n = countStates(statuses);
  const parts = ORDER.filter((s) => s !== "cancelled" || n.cancelled > 0).map((s) => `${n[s]} ${s}`);
  return `${statuses.length} runs: ${parts.join(", ")}`;
}

/** Is every run done, failed or cancelled (nothing left that will change by itself)? */
export function settled(statuses: readonly RunStatus[]): boolean {
  return statuses.every((s) => s.state === "done" || s.state === "failed" || s.state === "cancelled");
}

/** The status table: one aligned row per run, then the summary line. */
export function statusTable(statuses: readonly RunStatus[]): string {
  const rows = [["state", "run", "key", "tries", "task", "detail"]];
  for (const s of statuses) {
    rows.push([s.state, s.label, `${s.kind}/${s.key}`, String(s.attempts), s.task ?? "-", s.detail]);
  }
  const widths = rows[0].map((_, c) => Math.max(...rows.map((r) => r[c].length)));
  const lines = rows.map((r) =>
    r.map((cell, c) => c === r.length - 1 ? cell : cell.padEnd(widths[c])).join("  ")
  );
  return [...lines, summaryLine(statuses)].join("\n");
}

/** For each failed or cancelled run: what happened and the tail of its log. */
export function failureReport(statuses: readonly RunStatus[]): string {
  return statuses.filter((s) => s.state === "failed" || s.state === "cancelled").map((s) =>
    [
      `${s.state}: ${s.label} (${s.kind}/${s.key}) after ${s.attempts} attempt(s): ${s.detail}`,
      ...(s.log ? [`  log: ${s.log}`] : []),
      ...(s.logTail ?? []).map((l) => `  | ${l}`),
    ].join("\n")
  ).join("\n");
}

/** The last checkpointed step of an unfinished run (its KEY.work/checkpoint), if any. */
export async function checkpointStep(entryDir: string): Promise<number | undefined> {
  try {
    const state = JSON.parse(await Deno.readTextFile(`${entryDir}.work/checkpoint/state.json`));
    return Number.isInteger(state?.step) ? state.step : undefined;
  } catch {
    return undefined;
  }
}

/** What the store alone says about a run: done, or running (a live process holds its lock), or pending. */
export async function storeStatus(run: PlannedRun, knownDone?: Set<string>): Promise<RunStatus> {
  const base = { label: run.label, kind: run.kind, key: run.key, attempts: 0, steps: run.steps };
  if (knownDone?.has(run.fullKey) || (await checkEntry(run.dir, run.fullKey))?.ok) {
    knownDone?.add(run.fullKey);
    return { ...base, state: "done", detail: "stored" };
  }
  const step = await checkpointStep(run.dir);
  const at = step === undefined ? "" : `checkpoint at step ${step}${run.steps ? `/${run.steps}` : ""}`;
  const holder = await lockHolder(`${run.dir}.lock`);
  if (holder?.live) {
    return {
      ...base,
      state: "running",
      step,
      detail: [`lock held by ${holder.text}`, at].filter(Boolean).join(", "),
    };
  }
  const stale = holder ? `a stale lock (${holder.text})` : "";
  return { ...base, state: "pending", step, detail: [at, stale].filter(Boolean).join(", ") || "not started" };
}

/** Who holds a run's lock, and whether that holder lives as lock.ts judges it (`staleReason`). */
async function lockHolder(path: string): Promise<{ text: string; live: boolean } | null> {
  try {
    const text = (await Deno.readTextFile(path)).trim();
    return { text: text || "empty", live: (await staleReason(path)) === null };
  } catch {
    return null;
  }
}
