/**
 * The gate (DESIGN.md: "a harness must help the base model before anything is
 * distilled from it"): a reusable precondition with its own generated
 * sentence, like notebook 01's graded-start check. On the base model, the
 * harness must beat bare, with an interval that excludes zero, on every level
 * where bare is weak (mean bare accuracy at most `weak_share` of the level's
 * ceiling: 1 for arithmetic, the Bayes accuracy for precedent).
 *
 * The comparison is paired per problem (both modes answer the same frozen
 * problems): per seed, the mean of harness-correct minus bare-correct over a
 * level's problems. With several seeds the interval is the 95% Student t over
 * seeds (seeds are the unit of replication); with one seed it is the 95%
 * normal interval over the paired per-problem differences.
 *
 * Verdicts: passed (at least one weak level, and every weak level's interval
 * lies above zero), failed (some weak level's does not), or undecided (bare is
 * weak nowhere: the harness has no room to show it helps). A harness that fails
 * is reported as failing, and nothing downstream is claimed for it.
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * import { gateRows, gateVerdict } from "./gate.ts";
 * const pairs = [0, 1, 2].map((seed) => ({ seed, level: 6, bare: [false, false, true, false], harness: [true, true, true, false] }));
 * const rows = gateRows(pairs, () => 1);
 * assertEquals([rows[0].weak, rows[0].diff, rows[0].passes], [true, 0.5, true]); // identical seeds: [0.5, 0.5]
 * assertEquals(gateVerdict(rows, "plan-solve").passed, true);
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

export interface GateRow {
  level: number;
  seeds: number;
  /** Problems per seed. */
  n: number;
  bare: number;
  harness: number;
  ceiling: number;
  /** Bare is weak here: its mean accuracy is at most weak_share x ceiling. */
  weak: boolean;
  /** Mean paired difference harness - bare. */
  diff: number;
  lo: number;
  hi: number;
  interval: "t over seeds" | "normal over problems";
  /** The interval lies above zero. */
  passes: boolean;
}

const mean = (xs: readonly number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;

/** Paired difference of one seed: mean and the normal 95% interval over problems. */
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

/** The gate's table: one row per level. */
export function gateRows(
  pairs: readonly PairedLevel[],
  ceiling: (level: number) => number,
  opts: { weakShare?: number } = {},
): GateRow[] {
  const weakShare = opts.weakShare ?? 0.8;
  const levels = [...new Set(pairs.map((p) => p.level))].sort((a, b) => a - b);
  return levels.map((level) => {
    const mine = pairs.filter((p) => p.level === level);
    const acc = (xs: readonly boolean[]) => xs.filter(Boolean).length / xs.length;
    const bare = mean(mine.map((p) => acc(p.bare))), harness = mean(mine.map((p) => acc(p.harness)));
    const perSeed = mine.map((p) => pairedDifference(p.bare, p.harness));
    const one = mine.length === 1;
    const iv = one ? perSeed[0] : meanInterval(perSeed.map((d) => d.diff));
    const lo = one ? perSeed[0].lo : (iv as { lo: number }).lo,
      hi = one ? perSeed[0].hi : (iv as { hi: number }).hi;
    const diff = one ? perSeed[0].diff : (iv as { mean: number }).mean;
    const c = ceiling(level);
    return {
      level,
      seeds: mine.length,
      n: mine[0].bare.length,
      bare,
      harness,
      ceiling: c,
      weak: bare <= weakShare * c,
      diff,
      lo,
      hi,
      interval: one ? "normal over problems" : "t over seeds",
      passes: lo > 0,
    };
  });
}

const f2 = (x: number) => (Number.isFinite(x) ? x.toFixed(2) : "n/a");
const s2 = (x: number) => (Number.isFinite(x) ? (x >= 0 ? "+" : "") + x.toFixed(2) : "n/a");
const diffText = (r: GateRow) => `L${r.level} ${s2(r.diff)} [${s2(r.lo)}, ${s2(r.hi)}]`;

/** The verdict and its generated sentence (markdown). */
export function gateVerdict(
  rows: readonly GateRow[],
  harness: string,
  opts: { weakShare?: number } = {},
): { passed: boolean | null; sentence: string } {
  const weakShare = opts.weakShare ?? 0.8;
  const weak = rows.filter((r) => r.weak), strong = rows.filter((r) => !r.weak);
  const how = rows.length === 0
    ? ""
    : rows[0].interval === "t over seeds"
    ? `paired per problem, mean over ${rows[0].seeds} seeds with a 95% t interval`
    : "paired per problem, one seed, 95% normal interval over problems";
  const strongText = strong.length
    ? ` Where bare is strong (not part of the gate): ${strong.map(diffText).join(", ")}.`
    : "";
  if (weak.length === 0) {
    return {
      passed: null,
      sentence:
        `**Gate (${harness}): cannot decide.** Bare is weak (mean accuracy at most ${weakShare} of the ` +
        `level's ceiling) on no level (${
          rows.map((r) => `L${r.level} ${f2(r.bare)}/${f2(r.ceiling)}`).join(", ")
        }), ` +
        `so there is no room for the harness to show it helps; nothing downstream is claimed for it.${strongText}`,
    };
  }
  const failing = weak.filter((r) => !r.passes);
  const head = `Bare is weak (mean accuracy at most ${weakShare} of the level's ceiling) on ` +
    `${
      weak.map((r) => `L${r.level} (${f2(r.bare)} of ${f2(r.ceiling)})`).join(", ")
    }; harness minus bare, ${how}: ` +
    `${weak.map(diffText).join(", ")}.`;
  if (failing.length === 0) {
    return {
      passed: true,
      sentence:
        `**Gate (${harness}): passed.** ${head} Every interval lies above zero: the harness helps this base ` +
        `model, so results built on it can be read.${strongText}`,
    };
  }
  return {
    passed: false,
    sentence:
      `**Gate (${harness}): failed.** ${head} On ${
        failing.map((r) => `L${r.level}`).join(", ")
      } the interval ` +
      `does not lie above zero: the harness does not reliably help this base model there, and nothing downstream ` +
      `is claimed for it.${strongText}`,
  };
}
