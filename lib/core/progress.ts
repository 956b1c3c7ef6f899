/**
 * Progress reporting. Trainers report to a `ProgressSink`; this module has the
 * terminal sink (one line redrawn in place on a TTY; on a pipe or log file at
 * most ~20 plain lines a run, so output never floods) and the pure formatter
 * it uses. Notebooks supply their own sink (display ids updated in place).
 *
 * @example
 * ```ts
 * import { formatProgress } from "./progress.ts";
 * formatProgress({ label: "sft", step: 50, total: 200, elapsedS: 10, metrics: { loss: 1.23456 } }, 10);
 * // "sft [##........]  50/200  5.0 it/s  eta 30s  loss=1.235"
 * ```
 */

export interface ProgressSink {
  update(step: number, total: number, metrics?: Record<string, number>): void;
  done(summary?: string): void;
}

export interface ProgressState {
  label: string;
  step: number;
  total: number;
  elapsedS: number;
  metrics?: Record<string, number>;
}

function duration(s: number): string {
  if (!Number.isFinite(s)) return "?";
  if (s < 60) return `${Math.round(s)}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m${String(Math.floor(s % 60)).padStart(2, "0")}s`;
  return `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, "0")}m`;
}

/** One progress line: label, bar of `width` cells, step/total, rate, ETA, metrics. */
export function formatProgress(p: ProgressState, width = 24): string {
  const frac = p.total > 0 ? Math.min(1, p.step / p.total) : 0;
  const filled = Math.floor(frac * width);
  const rate = p.elapsedS > 0 ? p.step / p.elapsedS : 0;
  const eta = rate > 0 ? (p.total - p.step) / rate : Infinity;
  const metrics = Object.entries(p.metrics ?? {}).map(([k, v]) =>
    `${k}=${Number.isInteger(v) ? v : v.toFixed(3)}`
  ).join(" ");
  const steps = `${String(p.step).padStart(String(p.total).length)}/${p.total}`;
  return `${p.label} [${"#".repeat(filled)}${".".repeat(width - filled)}] ${steps}  ${
    rate.toFixed(1)
  } it/s  eta ${duration(eta)}${metrics ? "  " + metrics : ""}`;
}

/** A sink that discards everything. */
export const silentProgress: ProgressSink = { update() {}, done() {} };

/**
 * Progress on stderr: redrawn in place on a terminal, throttled plain lines
 * otherwise (`maxLines` per run). `now` is injectable for tests.
 */
export function terminalProgress(
  label: string,
  opts: { tty?: boolean; write?: (s: string) => void; now?: () => number; maxLines?: number } = {},
): ProgressSink {
  const tty = opts.tty ?? Deno.stderr.isTerminal();
  const enc = new TextEncoder();
  const write = opts.write ?? ((s: string) => Deno.stderr.writeSync(enc.encode(s)));
  const now = opts.now ?? (() => performance.now() / 1000);
  const maxLines = opts.maxLines ?? 20;
  const t0 = now();
  let lastDraw = -Infinity, lastBucket = -1, lastLine = "";
  return {
    update(step, total, metrics) {
      const t = now();
      lastLine = formatProgress({ label, step, total, elapsedS: t - t0, metrics });
      if (tty) {
        if (t - lastDraw >= 0.1 || step === total) {
          write(`\r${lastLine}\x1b[K`);
          lastDraw = t;
        }
      } else {
        const bucket = Math.floor((step / Math.max(1, total)) * maxLines);
        if (bucket > lastBucket) {
          write(lastLine + "\n");
          lastBucket = bucket;
        }
      }
    },
    done(summary) {
      if (tty && lastLine) write("\n");
      if (summary) write(`${label}: ${summary} in ${duration(now() - t0)}\n`);
    },
  };
}
