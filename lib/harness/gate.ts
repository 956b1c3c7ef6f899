/**
 * The gate (DESIGN.md: "a harness must help the base model before anything is
 * distilled from it"): a reusable precondition with its own generated
 * sentence, like notebook 01's graded-start check.
 *
 * It is checked on each base model (each seed), because each is what a
 * distillation run starts from: on every level where that model's bare mode
 * is weak (accuracy at most `weak_share` of the level's ceiling: 1 for
 * arithmetic, the Bayes accuracy for precedent), harness minus bare, paired
 * per problem (both modes answer the same frozen problems), must have a 95%
 * interval above zero (normal over the paired per-problem differences). A
 * base model passes when every one of its weak levels does; it cannot decide
 * when bare is weak nowhere (no room for the harness to show it helps).
 * Beside it, `gateSummary` gives the mean over seeds with a Student-t interval
 * (seeds as the unit of replication): descriptive, not the verdict, since a
 * seed whose training failed should fail its own gate, not hide the others.
 *
 * Verdict: passed (every base model passed), failed (some failed; the sentence
 * names them and those that passed), or cannot decide. Nothing downstream is
 * claimed for a base model and harness mode that failed.
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * import { gateRows, gateVerdict } from "./gate.ts";
 * const pairs = [0, 1].map((seed) => ({ seed, level: 6, bare: [false, false, true, false], harness: [true, true, true, true] }));
 * const rows = gateRows(pairs, () => 1);
 * assertEquals([rows[0].weak, rows[0].diff, rows[0].passes], [true, 0.75, true]);
 * assertEquals(gateVerdict(rows, "plan-solve").passedSeeds, [0, 1]);
 * ```
 */
import { LabError } from "../core/errors.ts";
import { meanInterval } from "../stats/intervals.ts";

/** One seed's paired outcomes on one level: correct or not, problem by problem, in the same order. */
export interface PairedLevel {
  seed: number;
  level: number;
  bare: readonly boolean[];
  harness: readonly boolean[];
}

/** One base model (seed) at one level. */
export interface GateRow {
  seed: number;
  level: number;
  n: number;
  bare: number;
  harness: number;
  ceiling: number;
  /** This model's bare accuracy is at most weak_share x ceiling. */
  weak: boolean;
  /** Mean paired difference harness - bare, with its 95% normal interval over problems. */
  diff: number;
  lo: number;
  hi: number;
  /** On a weak level: the interval lies above zero; elsewhere null (not part of the gate). */
  passes: boolean | null;
}

const mean = (xs: readonly number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
const share = (xs: readonly boolean[]) => xs.filter(Boolean).length / xs.length;

/** Paired difference harness - bare over problems: mean and the normal 95% interval. */
export function pairedDifference(bare: readonly boolean[], harness: readonly boolean[]) {
  if (bare.length !== harness.length || bare.length === 0) {
    throw new LabError(
      `gate: ${bare.length} bare vs ${harness.length} harness outcomes`,
      "pair them per problem",
    );
  }
  const d = bare.map((b, i) => Number(harness[i]) - Number(b));
  const m = mean(d), n = d.length;
  const sd = n > 1 ? Math.sqrt(d.reduce((a, x) => a + (x - m) ** 2, 0) / (n - 1)) : NaN;
  const half = 1.96 * sd / Math.sqrt(n);
  return { diff: m, lo: m - half, hi: m + half };
}

/** The gate's rows: one per seed and level, sorted by seed then level. */
export function gateRows(
  pairs: readonly PairedLevel[],
  ceiling: (level: number) => number,
  opts: { weakShare?: number } = {},
): GateRow[] {
  const weakShare = opts.weakShare ?? 0.8;
  return [...pairs].sort((a, b) => a.seed - b.seed || a.level - b.level).map((p) => {
    const d = pairedDifference(p.bare, p.harness);
    const c = ceiling(p.level), bare = share(p.bare);
    const weak = bare <= weakShare * c;
    return {
      seed: p.seed,
      level: p.level,
      n: p.bare.length,
      bare,
      harness: share(p.harness),
      ceiling: c,
      weak,
      ...d,
      passes: weak ? d.lo > 0 : null,
    };
  });
}

export interface GateSummaryRow {
  level: number;
  seeds: number;
  bare: number;
  harness: number;
  /** Mean over seeds of the paired difference, with a Student-t 95% interval over seeds. */
  diff: number;
  lo: number;
  hi: number;
  /** Seeds where bare is weak at this level, and of those, seeds that pass. */
  weak_seeds: number;
  passing_seeds: number;
}

/** Per level: means over seeds (t interval on the paired difference) and how many seeds are weak and pass. */
export function gateSummary(rows: readonly GateRow[]): GateSummaryRow[] {
  const levels = [...new Set(rows.map((r) => r.level))].sort((a, b) => a - b);
  return levels.map((level) => {
    const mine = rows.filter((r) => r.level === level);
    const iv = meanInterval(mine.map((r) => r.diff));
    return {
      level,
      seeds: mine.length,
      bare: mean(mine.map((r) => r.bare)),
      harness: mean(mine.map((r) => r.harness)),
      diff: iv.mean,
      lo: iv.lo,
      hi: iv.hi,
      weak_seeds: mine.filter((r) => r.weak).length,
      passing_seeds: mine.filter((r) => r.passes === true).length,
    };
  });
}

const s2 = (x: number) => (Number.isFinite(x) ? (x >= 0 ? "+" : "") + x.toFixed(2) : "n/a");
const diffText = (r: { level: number; diff: number; lo: number; hi: number }) =>
  `L${r.level} ${s2(r.diff)} [${s2(r.lo)}, ${s2(r.hi)}]`;
const seedList = (xs: readonly number[]) => xs.map((s) => `s${s}`).join(", ");

export interface GateVerdict {
  passed: boolean | null;
  /** Seeds whose base model passed, failed, or had no weak level. */
  passedSeeds: number[];
  failedSeeds: number[];
  undecidedSeeds: number[];
  sentence: string;
}

/** The verdict and its generated sentence (markdown). */
export function gateVerdict(
  rows: readonly GateRow[],
  harness: string,
  opts: { weakShare?: number } = {},
): GateVerdict {
  const weakShare = opts.weakShare ?? 0.8;
  const seeds = [...new Set(rows.map((r) => r.seed))].sort((a, b) => a - b);
  const weakOf = (s: number) => rows.filter((r) => r.seed === s && r.weak);
  const undecidedSeeds = seeds.filter((s) => weakOf(s).length === 0);
  const failedSeeds = seeds.filter((s) => weakOf(s).some((r) => !r.passes));
  const passedSeeds = seeds.filter((s) => !undecidedSeeds.includes(s) && !failedSeeds.includes(s));
  const n = rows[0]?.n ?? 0;
  const weakLevels = [...new Set(rows.filter((r) => r.weak).map((r) => r.level))].sort((a, b) => a - b);
  const summary = gateSummary(rows).filter((r) => weakLevels.includes(r.level));
  const mean = summary.length
    ? ` Mean over ${seeds.length} seed${seeds.length === 1 ? "" : "s"} (95% t interval, descriptive): ${
      summary.map(diffText).join(", ")
    }.`
    : "";
  const rule =
    `bare weak = accuracy at most ${weakShare} of the level's ceiling; harness minus bare paired over ` +
    `the ${n} problems of each level, 95% interval`;
  const passedText = passedSeeds.length
    ? ` Passed: ${seedList(passedSeeds)} (weakest weak level: ${
      passedSeeds.map((s) => {
        const w = weakOf(s).reduce((a, r) => (r.lo < a.lo ? r : a));
        return `s${s} ${diffText(w)}`;
      }).join("; ")
    }).`
    : "";
  if (seeds.length === 0 || undecidedSeeds.length === seeds.length) {
    return {
      passed: null,
      passedSeeds,
      failedSeeds,
      undecidedSeeds,
      sentence:
        `**Gate (${harness}): cannot decide.** No base model's bare mode is weak on any level (${rule}), ` +
        `so the harness has no room to show it helps; nothing downstream is claimed for it.`,
    };
  }
  if (failedSeeds.length === 0) {
    return {
      passed: true,
      passedSeeds,
      failedSeeds,
      undecidedSeeds,
      sentence:
        `**Gate (${harness}): passed on ${passedSeeds.length} of ${seeds.length} base models.** On every ` +
        `level where a model's bare mode is weak (${rule}), the harness beats bare.${passedText}` +
        (undecidedSeeds.length ? ` Bare was weak nowhere for ${seedList(undecidedSeeds)}.` : "") + mean,
    };
  }
  const failures = failedSeeds.map((s) =>
    `s${s}: ${weakOf(s).filter((r) => !r.passes).map(diffText).join(", ")}`
  );
  return {
    passed: false,
    passedSeeds,
    failedSeeds,
    undecidedSeeds,
    sentence:
      `**Gate (${harness}): failed on ${failedSeeds.length} of ${seeds.length} base models** (${rule}). ` +
      `Not above zero: ${failures.join("; ")}; nothing downstream is claimed for ${
        seedList(failedSeeds)
      } with ` +
      `this harness mode.${passedText}${mean}`,
  };
}
