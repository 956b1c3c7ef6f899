/**
 * The terminal view of `deno task notebooks` (and `main`): which notebook and
 * which cell is running, a progress line per run being computed (step, rate,
 * ETA, from the worker processes through the progress feed), a line per run
 * computed, and at the end a summary table (notebook, wall time, runs
 * computed / from the cache, figures written).
 *
 * On a terminal the cell and the running runs are a block of lines redrawn in
 * place (at most 10 times a second); lines that stay (a run computed, a
 * notebook done) are printed above it. Elsewhere (CI logs, a file) output is
 * sparse: a cell is named when its first run reports or after it has run
 * 30 s, a run prints a progress line only after another 10% of its steps and
 * at least 30 s since its last line (or after 5 minutes without one), so a
 * run prints at most about ten lines, never one every few steps.
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * import { summaryTable } from "./run_progress.ts";
 * const table = summaryTable([{ notebook: "00_quickstart.ipynb", seconds: 4, computed: 2, cached: 0, figures: 1 }]);
 * assertEquals(table.split("\n")[2].split(/ {2,}/), ["00_quickstart.ipynb", "4s", "2", "0", "1"]);
 * ```
 */
import { formatDuration, formatProgress } from "../../core/progress.ts";
import type { FeedEvent } from "../../core/progress_feed.ts";

/** Sparse output (not a terminal): a run's line needs this much more progress ... */
export const SPARSE_FRACTION = 0.1;
/** ... and this many seconds since its last line; */
export const SPARSE_MIN_S = 30;
/** or this many seconds without a line. A cell is named after SPARSE_MIN_S too. */
export const SPARSE_MAX_S = 300;

/** One notebook's row of the summary table. */
export interface SummaryRow {
  notebook: string;
  seconds: number;
  computed: number;
  cached: number;
  figures: number;
}

export interface RunProgressOptions {
  /** Redraw a block in place (default: whether stdout is a terminal). */
  tty?: boolean;
  /** Where text goes (default: stdout). */
  write?: (s: string) => void;
  /** Wall-clock seconds, the feed's time base (default Date.now() / 1000). */
  now?: () => number;
  /** Terminal width (default: the console's). */
  columns?: number;
}

interface RunState {
  firstStep: number;
  step: number;
  total: number;
  firstT: number;
  t: number;
  metrics?: Record<string, number>;
  printedFrac: number;
  printedT: number;
}

/** The first line of a cell worth showing: the first that awaits, else the first code line. */
export function cellHeadline(source: string): string {
  const lines = source.split("\n").map((l) => l.trim()).filter((l) => l && !l.startsWith("//"));
  return lines.find((l) => /\bawait\b/.test(l)) ?? lines[0] ?? "";
}

/** The end-of-job table: one row per notebook and a total. */
export function summaryTable(rows: readonly SummaryRow[]): string {
  const head = ["notebook", "wall time", "runs computed", "from cache", "figures written"];
  const cells = (r: SummaryRow) => [
    r.notebook,
    formatDuration(r.seconds),
    String(r.computed),
    String(r.cached),
    String(r.figures),
  ];
  const sum = (f: (r: SummaryRow) => number) => rows.reduce((a, r) => a + f(r), 0);
  const total: SummaryRow = {
    notebook: `all ${rows.length}`,
    seconds: sum((r) => r.seconds),
    computed: sum((r) => r.computed),
    cached: sum((r) => r.cached),
    figures: sum((r) => r.figures),
  };
  const body = [...rows.map(cells), ...(rows.length > 1 ? [cells(total)] : [])];
  const width = head.map((h, i) => Math.max(h.length, ...body.map((b) => b[i].length)));
  const line = (c: string[]) =>
    c.map((x, i) => (i === 0 ? x.padEnd(width[i]) : x.padStart(width[i]))).join("  ");
  return [line(head), width.map((w) => "-".repeat(w)).join("  "), ...body.map(line)].join("\n");
}

/** Renders the progress feed of one notebook execution at a time (see the module doc). */
export class RunProgressView {
  readonly tty: boolean;
  readonly #write: (s: string) => void;
  readonly #now: () => number;
  readonly #columns?: number;
  #name = "";
  #sources: string[] = [];
  #cell = -1;
  #cellT = 0;
  #cellNamed = false;
  #runs = new Map<string, RunState>();
  #computed = 0;
  #cached = 0;
  #block = 0;
  #drawn = "";
  #lastDraw = -Infinity;

  constructor(opts: RunProgressOptions = {}) {
    const enc = new TextEncoder();
    this.tty = opts.tty ?? Deno.stdout.isTerminal();
    this.#write = opts.write ?? ((s) => Deno.stdout.writeSync(enc.encode(s)));
    this.#now = opts.now ?? (() => Date.now() / 1000);
    this.#columns = opts.columns;
  }

  /** A notebook starts: `sources` are its cells' sources, for naming the running cell. */
  begin(name: string, sources: readonly string[]): void {
    this.#name = name;
    this.#sources = [...sources];
    this.#reset();
  }

  /** Runs computed and read from the cache in the current execution. */
  counts(): { computed: number; cached: number } {
    return { computed: this.#computed, cached: this.#cached };
  }

  /** A line that stays (printed above the live block on a terminal). */
  say(text: string): void {
    this.#clear();
    this.#write(text + "\n");
    this.#draw(true);
  }

  event(e: FeedEvent): void {
    if (e.ev === "start") {
      this.#reset(); // a re-execution counts again from zero
    } else if (e.ev === "cell") {
      this.#cell = e.cell;
      this.#cellT = e.t;
      this.#cellNamed = false;
      this.#runs.clear();
    } else if (e.ev === "progress") this.#progress(e);
    else if (e.ev === "run") {
      this.#runs.delete(e.run);
      if (e.cached) this.#cached++;
      else {
        this.#computed++;
        this.say(`  computed ${e.run} (${e.kind} ${e.key}) in ${formatDuration(e.seconds)}`);
      }
    }
    this.#draw(false);
  }

  /** Called periodically: redraws the terminal block, names a long cell elsewhere. */
  tick(): void {
    if (!this.tty && this.#cell >= 0 && !this.#cellNamed && this.#now() - this.#cellT >= SPARSE_MIN_S) {
      this.#nameCell();
    }
    this.#draw(false);
  }

  /** Remove the live block (before the caller prints the notebook's result or an error). */
  finish(): void {
    this.#clear();
    this.#cell = -1;
    this.#runs.clear();
  }

  #reset(): void {
    this.#cell = -1;
    this.#runs.clear();
    this.#computed = this.#cached = 0;
  }

  #cellText(): string {
    const src = this.#sources[this.#cell] ?? "";
    return `cell ${this.#cell}: ${cellHeadline(src)}`;
  }

  #nameCell(): void {
    this.#cellNamed = true;
    this.#write(`  ${this.#name} ${this.#cellText()}\n`);
  }

  #progress(e: Extract<FeedEvent, { ev: "progress" }>): void {
    let r = this.#runs.get(e.run);
    const frac = e.total > 0 ? e.step / e.total : 0;
    if (!r) {
      r = {
        firstStep: e.step,
        step: e.step,
        total: e.total,
        firstT: e.t,
        t: e.t,
        printedFrac: frac,
        printedT: e.t,
      };
      this.#runs.set(e.run, r);
      if (!this.tty && !this.#cellNamed && this.#cell >= 0) this.#nameCell();
    }
    Object.assign(r, { step: e.step, total: e.total, t: e.t, metrics: e.metrics });
    if (this.tty) return;
    const since = e.t - r.printedT;
    const due = (frac - r.printedFrac >= SPARSE_FRACTION && since >= SPARSE_MIN_S) ||
      (since >= SPARSE_MAX_S && frac > r.printedFrac);
    if (due) {
      r.printedFrac = frac;
      r.printedT = e.t;
      this.#write(`    ${this.#runLine(e.run, r, e.run.length)}\n`);
    }
  }

  #runLine(label: string, r: RunState, pad: number): string {
    return formatProgress({
      label: label.padEnd(pad),
      step: r.step,
      total: r.total,
      elapsedS: r.t - r.firstT,
      metrics: r.metrics,
      rate: r.t > r.firstT ? (r.step - r.firstStep) / (r.t - r.firstT) : 0, // from the first step seen
    }, 20);
  }

  #width(): number {
    if (this.#columns) return this.#columns;
    let columns = 0;
    try {
      columns = Deno.consoleSize().columns; // 0 on a pseudo-terminal without a size (script, CI runners)
    } catch {
      // not a console
    }
    columns ||= Number(Deno.env.get("COLUMNS")) || 120;
    return Math.max(40, columns - 1);
  }

  /** Terminal: rewrite the block (cell line + one line per running run), at most 10 times a second. */
  #draw(force: boolean): void {
    if (!this.tty || this.#cell < 0) return;
    const t = this.#now();
    if (!force && t - this.#lastDraw < 0.1) return;
    this.#lastDraw = t;
    const pad = Math.max(0, ...[...this.#runs.keys()].map((k) => k.length));
    const counts = this.#computed + this.#cached
      ? `; runs: ${this.#computed} computed, ${this.#cached} from cache`
      : "";
    const src = cellHeadline(this.#sources[this.#cell] ?? "");
    const lines = [
      `> ${this.#name} cell ${this.#cell} (${formatDuration(t - this.#cellT)}${counts}): ${src}`,
      ...[...this.#runs].map(([label, r]) => `    ${this.#runLine(label, r, pad)}`),
    ].map((l) => l.slice(0, this.#width()));
    const text = lines.map((l) => l + "\n").join("");
    if (!force && this.#block && text === this.#drawn) return;
    this.#clear();
    this.#write(text);
    this.#drawn = text;
    this.#block = lines.length;
  }

  #clear(): void {
    if (!this.#block) return;
    this.#write(`\x1b[${this.#block}A\r\x1b[J`); // up to the block's first line, erase to the end
    this.#block = 0;
  }
}
