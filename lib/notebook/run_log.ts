/**
 * Which runs a notebook cell used, and whether each came from the run cache
 * or was computed now: the visible side of reactive re-execution. Change one
 * knob, re-run the cell, and the log shows that only the runs the knob touches
 * were computed.
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * import { RunLog } from "./run_log.ts";
 * const log = new RunLog();
 * log.add({ label: "seed 0", kind: "sft", key: "abc", cached: true, seconds: 0 });
 * assertEquals(log.summary(), "1 run: 1 cached, 0 computed");
 * ```
 */
import { JUPYTER_DISPLAY } from "../core/display.ts";
import { formatDuration } from "../core/progress.ts";
import { tableBundle } from "./table.ts";
import type { LiveTraining } from "./live_training.ts";

export interface RunRecord {
  label: string;
  kind: string;
  key: string;
  cached: boolean;
  /** Wall seconds this cell spent on the run (near 0 when cached). */
  seconds: number;
}

export class RunLog {
  readonly records: RunRecord[] = [];

  add(r: RunRecord): void {
    this.records.push(r);
  }

  /** "3 runs: 2 cached, 1 computed". */
  summary(): string {
    const n = this.records.length, c = this.records.filter((r) => r.cached).length;
    return `${n} run${n === 1 ? "" : "s"}: ${c} cached, ${n - c} computed`;
  }

  /** Jupyter: a table of the runs under the summary line. */
  [JUPYTER_DISPLAY](): Record<string, string> {
    const rows = this.records.map((r) => ({
      run: r.label,
      kind: r.kind,
      key: r.key,
      source: r.cached ? "cache" : "computed",
      seconds: Math.round(r.seconds * 10) / 10,
    }));
    return tableBundle(rows, { caption: this.summary(), digits: 1 });
  }
}

/**
 * Hooks that wire a sweep into a notebook: each run reports progress to the
 * live view, and each finished run is logged as cached or computed (a cached
 * run also gets its row in the live view).
 */
export function notebookRunHooks(live: LiveTraining, log: RunLog, kind: string) {
  return {
    progress: (label: string) => live.sink(label),
    onRun: (
      label: string,
      run: { key: string; cached: boolean; result?: { metrics?: Record<string, number | string>[] } },
      seconds: number,
    ) => {
      log.add({ label, kind, key: run.key, cached: run.cached, seconds });
      live.finish(
        label,
        run.cached ? `from the cache (${run.key})` : `computed in ${formatDuration(seconds)} (${run.key})`,
        run.result?.metrics,
      );
    },
  };
}
