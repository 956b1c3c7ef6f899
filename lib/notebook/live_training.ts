/**
 * Live training view for notebooks: one output per sweep, updated in place
 * (each run's progress bar has the colour of its loss curve)
 * through a Jupyter display id, holding a progress row per run (bar, step,
 * rate, ETA, latest loss) and a plot of the loss curves so far. Updates are
 * throttled (at most one redraw per `minIntervalS`, plus the first step and
 * the end of each run), so a 10,000-step run sends a few hundred updates, not
 * 10,000, and the saved notebook keeps only the final state.
 *
 * Outside Jupyter the sweep gets one terminal progress bar (steps summed over
 * its runs), so runs training in parallel workers do not overwrite each
 * other's lines.
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * import { LiveTraining } from "./live_training.ts";
 * const live = new LiveTraining({ title: "sft", quiet: true });
 * const sink = live.sink("seed 0");
 * sink.update(1, 10, { loss: 2.5 });
 * assertEquals([live.rows()[0].step, live.rows()[0].total], [1, 10]);
 * ```
 */
import { formatDuration, formatMetric, type ProgressSink, terminalProgress } from "../core/progress.ts";
import { escapeXml } from "../plot/figure.ts";
import { lossCurves } from "../plot/charts/loss_curves.ts";
import { seriesColor } from "../plot/theme.ts";
import { inJupyter, type MimeBundle, newDisplayId, show } from "./jupyter.ts";

export interface LiveTrainingOptions {
  title: string;
  /** The metric plotted (default "loss"). */
  metric?: string;
  yLabel?: string;
  logY?: boolean;
  /** Seconds between redraws (default 1). */
  minIntervalS?: number;
  /** Points kept per curve in the live plot (default 300; the saved figures use every step). */
  maxPoints?: number;
  /** Never display (tests). */
  quiet?: boolean;
}

/** One run's row in the view. */
export interface LiveRow {
  series: string;
  step: number;
  total: number;
  startedS: number;
  elapsedS: number;
  metrics: Record<string, number>;
  /** "running", "computed in 12s", "cached", ... */
  status: string;
}

export class LiveTraining {
  readonly #opts: Required<Omit<LiveTrainingOptions, "yLabel">> & { yLabel: string };
  readonly #id = newDisplayId("live");
  readonly #rows = new Map<string, LiveRow>();
  readonly #curves = new Map<string, { step: number; value: number }[]>();
  #shown = false;
  #lastDrawS = -Infinity;
  #pending: Promise<void> = Promise.resolve();

  constructor(opts: LiveTrainingOptions) {
    this.#opts = {
      metric: "loss",
      logY: true,
      minIntervalS: 1,
      maxPoints: 300,
      quiet: false,
      ...opts,
      yLabel: opts.yLabel ?? `${opts.metric ?? "loss"} (nats/token)`,
    };
  }

  /** A progress sink for one run of the sweep. */
  sink(series: string): ProgressSink {
    const now = () => performance.now() / 1000;
    const row: LiveRow = {
      series,
      step: 0,
      total: 0,
      startedS: now(),
      elapsedS: 0,
      metrics: {},
      status: "running",
    };
    this.#rows.set(series, row);
    this.#curves.set(series, []);
    if (!this.#opts.quiet && !inJupyter()) return this.#terminalSink(row);
    return {
      update: (step, total, metrics = {}) => {
        row.step = step;
        row.total = total;
        row.elapsedS = now() - row.startedS;
        row.metrics = metrics;
        const v = metrics[this.#opts.metric];
        if (Number.isFinite(v)) this.#curves.get(series)!.push({ step, value: v });
        this.#redraw(step === 1);
      },
      done: (summary) => {
        row.status = `done${summary ? `, ${summary}` : ""} in ${formatDuration(now() - row.startedS)}`;
        this.#redraw(true);
      },
    };
  }

  #terminal?: ProgressSink;

  /** Terminal: one bar for the whole sweep, steps summed over its runs. */
  #terminalSink(row: LiveRow): ProgressSink {
    this.#terminal ??= terminalProgress(this.#opts.title);
    const sum = (f: (r: LiveRow) => number) => this.rows().reduce((a, r) => a + f(r), 0);
    return {
      update: (step, total, metrics = {}) => {
        Object.assign(row, { step, total, metrics });
        this.#terminal!.update(sum((r) => r.step), sum((r) => r.total), metrics);
      },
      done: () => {
        row.status = "done";
        if (this.rows().every((r) => r.status !== "running")) this.#terminal!.done(`${this.#rows.size} runs`);
      },
    };
  }

  /**
   * Record the outcome of a run ("from the cache", "computed in 5m") and, for
   * a run the cache answered, its stored metric history, so the view shows
   * the same curves whether the runs were computed now or before.
   */
  finish(series: string, status: string, history?: readonly Record<string, number | string>[]): void {
    const row = this.#rows.get(series) ??
      { series, step: 0, total: 0, startedS: 0, elapsedS: 0, metrics: {}, status };
    row.status = status;
    this.#rows.set(series, row);
    const metric = this.#opts.metric;
    const pts = (history ?? []).filter((m) => typeof m[metric] === "number" && typeof m.step === "number")
      .map((m) => ({ step: m.step as number, value: m[metric] as number }));
    if (pts.length && !this.#curves.get(series)?.length) {
      this.#curves.set(series, pts);
      row.step = row.total = pts.at(-1)!.step;
      row.metrics = { [metric]: pts.at(-1)!.value };
    }
    this.#redraw(true);
  }

  /** The rows as they stand. */
  rows(): LiveRow[] {
    return [...this.#rows.values()];
  }

  /** Wait for the last display update to be sent. */
  async flush(): Promise<void> {
    await this.#pending;
  }

  #redraw(force: boolean): void {
    if (this.#opts.quiet) return;
    const t = performance.now() / 1000;
    if (!force && t - this.#lastDrawS < this.#opts.minIntervalS) return;
    this.#lastDrawS = t;
    const bundle = this.bundle();
    const update = this.#shown;
    this.#shown = true;
    this.#pending = this.#pending.then(() => show(bundle, { displayId: this.#id, update }));
  }

  /** The current view as HTML (bars + plot) and plain text. */
  bundle(): MimeBundle {
    const rows = this.rows();
    const text = rows.map((r) => {
      const pct = r.total > 0 ? Math.round((100 * r.step) / r.total) : 0;
      const m = r.metrics[this.#opts.metric];
      return `${r.series}: ${r.step}/${r.total} (${pct}%) ${this.#opts.metric}=${
        m === undefined ? "-" : formatMetric(m)
      } ${r.status}`;
    });
    const html = rows.map((r, i) => {
      const frac = r.total > 0 ? r.step / r.total : r.status === "running" ? 0 : 1;
      const rate = r.elapsedS > 0 ? r.step / r.elapsedS : 0;
      const eta = rate > 0 && r.total > r.step ? ` · eta ${formatDuration((r.total - r.step) / rate)}` : "";
      const m = r.metrics[this.#opts.metric];
      const metric = m === undefined ? "" : ` · ${this.#opts.metric} ${formatMetric(m)}`;
      return `<div style="font-family:monospace;font-size:12px;margin:2px 0">` +
        `<span style="display:inline-block;width:9em">${escapeXml(r.series)}</span>` +
        `<span style="display:inline-block;width:14em;height:0.8em;background:#e8e8e8;vertical-align:middle">` +
        `<span style="display:block;height:100%;width:${(100 * frac).toFixed(1)}%;background:${
          seriesColor(i)
        }"></span></span> ` +
        `${r.step}/${r.total}${rate ? ` · ${rate.toFixed(1)} it/s` : ""}${eta}${metric}` +
        ` · ${escapeXml(r.status)}</div>`;
    });
    const points = [...this.#curves].flatMap(([series, pts]) =>
      thin(pts, this.#opts.maxPoints).map((p) => ({ ...p, series }))
    );
    const plot = points.length > 1
      ? lossCurves(points, { yLabel: this.#opts.yLabel, logY: this.#opts.logY, width: 520, height: 240 })
      : "";
    return {
      "text/html": `<div><b>${escapeXml(this.#opts.title)}</b>${html.join("")}${plot}</div>`,
      "text/plain": [this.#opts.title, ...text].join("\n"),
    };
  }
}

/** At most `n` points: means over equal buckets of steps (the last point kept as is). */
export function thin(
  pts: readonly { step: number; value: number }[],
  n: number,
): { step: number; value: number }[] {
  if (pts.length <= n) return [...pts];
  const out: { step: number; value: number }[] = [];
  const size = pts.length / n;
  for (let b = 0; b < n; b++) {
    const slice = pts.slice(Math.floor(b * size), Math.floor((b + 1) * size));
    if (!slice.length) continue;
    out.push({
      step: slice[slice.length - 1].step,
      value: slice.reduce((a, p) => a + p.value, 0) / slice.length,
    });
  }
  return out;
}
