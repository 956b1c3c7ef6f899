/**
 * Progress reporting. Trainers report to a `ProgressSink`; this module has the
 * terminal sink, `ProgressBar` (on a TTY one line redrawn in place with \r, at
 * most 10 times a second; on a pipe or log file at most ~20 plain lines a run,
 * so output never floods), the pure formatter it uses, and a no-op sink.
 * Notebooks supply their own sink (Jupyter display ids updated in place, per
 * DESIGN.md "The reactive part"); it only has to implement `ProgressSink`.
 *
 * Departs from a tqdm-style bar: no nesting and no global registry; a run with
 * an unknown total (total <= 0) prints a step count and at most one plain line
 * every `minIntervalS` seconds.
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * import { formatProgress } from "./progress.ts";
 * assertEquals(
 *   formatProgress({ label: "sft", step: 50, total: 200, elapsedS: 10, metrics: { loss: 1.23456 } }, 10),
 *   "sft [##........]  50/200  5.0 it/s  eta 30s  loss=1.235",
 * );
 * ```
 */

/** Where a long run reports progress: a terminal bar, a notebook display, or nothing. */
export interface ProgressSink {
  /** Step `step` of `total` is done; `metrics` are the latest named values (loss, lr, ...). */
  update(step: number, total: number, metrics?: Record<string, number>): void;
  /** The run finished; `summary` is a short phrase such as "200 steps". */
  done(summary?: string): void;
}

/** Everything one progress line shows. */
export interface ProgressState {
  label: string;
  step: number;
  /** Total steps; 0 or less when unknown. */
  total: number;
  elapsedS: number;
  metrics?: Record<string, number>;
  /** Steps a second, when not step / elapsedS (a run first seen at a later step, e.g. resumed). */
  rate?: number;
}

/** "42s", "3m07s", "2h05m"; "?" when not finite. */
export function formatDuration(s: number): string {
  if (!Number.isFinite(s) || s < 0) return "?";
  const r = Math.round(s);
  if (r < 60) return `${r}s`;
  if (r < 3600) return `${Math.floor(r / 60)}m${String(r % 60).padStart(2, "0")}s`;
  return `${Math.floor(r / 3600)}h${String(Math.floor((r % 3600) / 60)).padStart(2, "0")}m`;
}

/** A metric value in few characters: integers as is, 3 decimals, or 3 significant digits when tiny. */
export function formatMetric(v: number): string {
  if (Number.isNaN(v)) return "nan";
  if (!Number.isFinite(v)) return v > 0 ? "inf" : "-inf";
  if (Number.isInteger(v)) return String(v);
  const a = Math.abs(v);
  if (a >= 1000) return v.toFixed(0);
  if (a >= 0.01) return v.toFixed(3);
  return v.toExponential(2);
}

function formatRate(perS: number): string {
  return perS > 0 && perS < 1 ? `${(1 / perS).toFixed(1)} s/it` : `${perS.toFixed(1)} it/s`;
}

/**
 * One progress line: label, bar of `width` cells, step/total, rate, ETA and
 * metrics. With an unknown total: label, step, rate, elapsed, metrics.
 */
export function formatProgress(p: ProgressState, width = 24): string {
  const rate = p.rate ?? (p.elapsedS > 0 ? p.step / p.elapsedS : 0);
  const metrics = Object.entries(p.metrics ?? {}).map(([k, v]) => `${k}=${formatMetric(v)}`).join(" ");
  const tail = metrics ? `  ${metrics}` : "";
  if (!(p.total > 0)) {
    return `${p.label} step ${p.step}  ${formatRate(rate)}  ${formatDuration(p.elapsedS)}${tail}`;
  }
  const frac = Math.min(1, Math.max(0, p.step / p.total));
  const filled = Math.floor(frac * width);
  const eta = rate > 0 ? Math.max(0, p.total - p.step) / rate : Infinity;
  const steps = `${String(p.step).padStart(String(p.total).length)}/${p.total}`;
  const bar = `[${"#".repeat(filled)}${".".repeat(width - filled)}]`;
  return `${p.label} ${bar} ${steps}  ${formatRate(rate)}  eta ${formatDuration(eta)}${tail}`;
}

/** A sink that discards everything (for tests, and runs nobody watches). */
export const silentProgress: ProgressSink = { update() {}, done() {} };

/** Options for {@link ProgressBar}; all injectable for tests. */
export interface ProgressBarOptions {
  /** Redraw in place (default: whether stderr is a terminal). */
  tty?: boolean;
  /** Where text goes (default: stderr). */
  write?: (s: string) => void;
  /** Seconds, monotonic (default: performance.now() / 1000). */
  now?: () => number;
  /** Plain lines a run prints when not a TTY (default 20, plus the summary). */
  maxLines?: number;
  /** Unknown total, not a TTY: at most one line this often (default 30 s). */
  minIntervalS?: number;
  /** TTY: the line is cut to this many characters (default: terminal width - 1). */
  columns?: number;
  /** Bar width in cells (default 24). */
  barWidth?: number;
}

/** The terminal sink: a redrawn line on a TTY, a few throttled plain lines otherwise. */
export class ProgressBar implements ProgressSink {
  readonly #label: string;
  readonly #tty: boolean;
  readonly #write: (s: string) => void;
  readonly #now: () => number;
  readonly #opts: ProgressBarOptions;
  readonly #t0: number;
  #lastDraw = -Infinity;
  #lastBucket = -1;
  #line = "";
  #printed = "";

  constructor(label: string, opts: ProgressBarOptions = {}) {
    const enc = new TextEncoder();
    this.#label = label;
    this.#opts = opts;
    this.#tty = opts.tty ?? Deno.stderr.isTerminal();
    this.#write = opts.write ?? ((s: string) => Deno.stderr.writeSync(enc.encode(s)));
    this.#now = opts.now ?? (() => performance.now() / 1000);
    this.#t0 = this.#now();
  }

  update(step: number, total: number, metrics?: Record<string, number>): void {
    const t = this.#now();
    const state = { label: this.#label, step, total, elapsedS: t - this.#t0, metrics };
    this.#line = formatProgress(state, this.#opts.barWidth ?? 24);
    const last = total > 0 && step >= total;
    if (this.#tty) {
      if (t - this.#lastDraw >= 0.1 || last) {
        this.#write(`\r${this.#line.slice(0, this.#columns())}\x1b[K`);
        this.#lastDraw = t;
        this.#printed = this.#line;
      }
      return;
    }
    let due: boolean;
    if (total > 0) {
      const bucket = Math.floor(Math.min(1, step / total) * (this.#opts.maxLines ?? 20));
      due = bucket > this.#lastBucket;
      if (due) this.#lastBucket = bucket;
    } else due = t - this.#lastDraw >= (this.#opts.minIntervalS ?? 30);
    if (due) {
      this.#write(this.#line + "\n");
      this.#lastDraw = t;
      this.#printed = this.#line;
    }
  }

  done(summary?: string): void {
    if (this.#tty && this.#printed !== this.#line) {
      this.#write(`\r${this.#line.slice(0, this.#columns())}\x1b[K`);
    }
    if (this.#tty && this.#line) this.#write("\n");
    if (!this.#tty && this.#printed !== this.#line) this.#write(this.#line + "\n"); // the final state
    if (summary) this.#write(`${this.#label}: ${summary} in ${formatDuration(this.#now() - this.#t0)}\n`);
  }

  #columns(): number {
    if (this.#opts.columns) return this.#opts.columns;
    try {
      return Math.max(20, Deno.consoleSize().columns - 1);
    } catch {
      return 200;
    }
  }
}

/** A {@link ProgressBar} on stderr (kept for callers that want a factory). */
export function terminalProgress(label: string, opts: ProgressBarOptions = {}): ProgressSink {
  return new ProgressBar(label, opts);
}
