/**
 * Result tables of notebook 02's first sections (arquero), all from the
 * evaluations' per-problem outcomes: accuracy (and macro-F1 for labels) per
 * family, mode and level, mean over base-model seeds with a Student-t 95%
 * interval (one seed: its Wilson interval over problems), beside each level's
 * ceiling (1 for arithmetic, the exact Bayes accuracy for precedent) and
 * chance; and the gate's rows (lib/harness/gate.ts), paired per problem.
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * import { modeTable } from "./tables.ts";
 * const o = (correct: boolean) => ({ id: "a", level: 1, truth: "A", predicted: correct ? "A" : "B", correct });
 * const evals = [0, 1].map((seed) => ({ family: "precedent", seed, modes: ["bare"], outcomes: { bare: [o(true), o(seed === 0)] }, traces: {}, seconds: 0 }));
 * const [first] = modeTable(evals as never, () => 1).objects() as { accuracy: number }[];
 * assertEquals(first.accuracy, 0.75); // seeds 0 and 1: 2 of 2 and 1 of 2 right
 * ```
 */
import * as aq from "arquero";
import { meanInterval, wilson } from "../../stats/intervals.ts";
import { macroF1 } from "../../tasks/precedent.ts";
import { makeTask } from "../../tasks/task.ts";
import { bayesAccuracy, type PrecedentSettings } from "../../tasks/precedent.ts";
import {
  type GateRow,
  gateRows,
  gateSummary,
  type GateVerdict,
  gateVerdict,
  type PairedLevel,
} from "../../harness/gate.ts";
import { baseSftConfig, type HarnessFamily, type ReattachmentParams } from "./params.ts";
import type { HarnessEvaluation, Outcome } from "./runs.ts";

/** What a harness is called in tables and sentences. */
export const HARNESS_TEXT: Record<HarnessFamily, string> = {
  arithmetic: "plan-solve",
  precedent: "draft-verify",
};

/** Each level's ceiling: 1 for arithmetic, the exact Bayes accuracy for precedent. */
export function ceilingFor(params: ReattachmentParams, family: HarnessFamily): (level: number) => number {
  const task = baseSftConfig(params, family).task;
  return task.family === "precedent" ? (level) => bayesAccuracy(level, task as PrecedentSettings) : () => 1;
}

/** Exact chance per level (the task's best constant answer). */
export function chanceFor(params: ReattachmentParams, family: HarnessFamily): (level: number) => number {
  const task = makeTask(baseSftConfig(params, family).task);
  return (level) => task.chance(level);
}

const accuracy = (xs: readonly Outcome[]) => xs.filter((o) => o.correct).length / xs.length;
const levelsOf = (xs: readonly Outcome[]) => [...new Set(xs.map((o) => o.level))].sort((a, b) => a - b);

/** Mean over seeds with a t interval, or one seed's value with its Wilson interval. */
function summarise(perSeed: readonly Outcome[][], stat: (xs: Outcome[]) => number) {
  const values = perSeed.map((xs) => stat([...xs]));
  if (values.length > 1) {
    const m = meanInterval(values);
    return { mean: m.mean, lo: m.lo, hi: m.hi };
  }
  const xs = perSeed[0];
  const [lo, hi] = stat === accuracy ? wilson(xs.filter((o) => o.correct).length, xs.length) : [NaN, NaN];
  return { mean: values[0], lo, hi };
}

/**
 * Accuracy (and macro-F1 for labels) per family, mode and level: columns
 * family, mode, level, seeds, n, accuracy, lo, hi, macro_f1, f1_lo, f1_hi, ceiling.
 */
export function modeTable(
  evals: readonly HarnessEvaluation[],
  ceiling: (family: HarnessFamily, level: number) => number,
) {
  const rows = [];
  for (const family of [...new Set(evals.map((e) => e.family))]) {
    const mine = evals.filter((e) => e.family === family);
    for (const mode of mine[0].modes) {
      for (const level of levelsOf(mine[0].outcomes[mode])) {
        const perSeed = mine.map((e) => e.outcomes[mode].filter((o) => o.level === level));
        const acc = summarise(perSeed, accuracy);
        const labels = family === "precedent";
        // Label tasks only: null (an empty cell) for arithmetic.
        const f1 = labels
          ? summarise(perSeed, (xs) => macroF1(xs.map((o) => o.truth), xs.map((o) => o.predicted)))
          : { mean: null, lo: null, hi: null };
        rows.push({
          family,
          mode,
          level,
          seeds: mine.length,
          n: perSeed[0].length,
          accuracy: acc.mean,
          lo: acc.lo,
          hi: acc.hi,
          macro_f1: f1.mean,
          f1_lo: f1.lo,
          f1_hi: f1.hi,
          ceiling: ceiling(family, level),
        });
      }
    }
  }
  return aq.from(rows);
}

/** The base models' bare mode: accuracy and macro-F1 per level beside the ceiling and chance. */
export function baseTable(
  modes: ReturnType<typeof modeTable>,
  chance: (family: HarnessFamily, level: number) => number,
) {
  const rows = (modes.objects() as { family: HarnessFamily; mode: string; level: number }[])
    .filter((r) => r.mode === "bare")
    .map(({ mode: _mode, ...r }) => ({ ...r, chance: chance(r.family, r.level) }));
  return aq.from(rows);
}

/** Per-seed paired outcomes of bare and one harness mode (matched by problem id). */
export function pairedLevels(
  evals: readonly HarnessEvaluation[],
  family: HarnessFamily,
  mode: string,
): PairedLevel[] {
  return evals.filter((e) => e.family === family).flatMap((e) => {
    const harness = new Map(e.outcomes[mode].map((o) => [o.id, o]));
    return levelsOf(e.outcomes.bare).map((level) => {
      const bare = e.outcomes.bare.filter((o) => o.level === level);
      return {
        seed: e.seed,
        level,
        bare: bare.map((o) => o.correct),
        harness: bare.map((o) => harness.get(o.id)!.correct),
      };
    });
  });
}

export interface GateCheck extends GateVerdict {
  family: HarnessFamily;
  mode: string;
  /** One row per base model (seed) and level. */
  rows: GateRow[];
}

/** The gate for every family and harness mode. */
export function gateChecks(evals: readonly HarnessEvaluation[], params: ReattachmentParams): GateCheck[] {
  const families = [...new Set(evals.map((e) => e.family))];
  return families.flatMap((family) => {
    const modes = evals.find((e) => e.family === family)!.modes.filter((m) => m !== "bare");
    return modes.map((mode) => {
      const rows = gateRows(pairedLevels(evals, family, mode), ceilingFor(params, family), {
        weakShare: params.weak_share,
      });
      const label = `${HARNESS_TEXT[family]}, ${mode === "harness" ? "harness" : `${mode} bank`} vs bare`;
      return { family, mode, rows, ...gateVerdict(rows, label, { weakShare: params.weak_share }) };
    });
  });
}

/**
 * The gates as one table, one row per family, mode and level: mean bare and harness accuracy over
 * seeds, the paired difference with a t interval over seeds (descriptive), and how many base models
 * are weak there and how many of those pass.
 */
export function gateTable(checks: readonly GateCheck[]) {
  return aq.from(
    checks.flatMap((c) => gateSummary(c.rows).map((r) => ({ family: c.family, mode: c.mode, ...r }))),
  );
}

/** Every base model's gate rows: family, mode, seed, level, bare, harness, weak, diff, lo, hi, passes. */
export function gateSeedTable(checks: readonly GateCheck[]) {
  return aq.from(checks.flatMap((c) =>
    c.rows.map((r) => ({
      family: c.family,
      mode: c.mode,
      seed: r.seed,
      level: r.level,
      bare: r.bare,
      harness: r.harness,
      weak: r.weak,
      diff: r.diff,
      lo: r.lo,
      hi: r.hi,
      passes: r.passes,
    }))
  ));
}

/**
 * What the verify call does (draft-verify modes): per mode and level, means over seeds of the draft's
 * accuracy, the final accuracy, the share of problems whose draft was revised, and the shares where a
 * revision turned a right draft wrong or a wrong draft right.
 */
export function verifyTable(evals: readonly HarnessEvaluation[]) {
  const rows = [];
  const mine = evals.filter((e) => e.family === "precedent");
  if (mine.length === 0) return aq.from([]);
  for (const mode of mine[0].modes.filter((m) => m !== "bare")) {
    for (const level of levelsOf(mine[0].outcomes[mode])) {
      const per = mine.map((e) => e.outcomes[mode].filter((o) => o.level === level));
      const avg = (f: (o: Outcome) => boolean) =>
        per.reduce((a, xs) => a + xs.filter(f).length / xs.length, 0) / per.length;
      const revised = (o: Outcome) => o.draft != null && o.predicted !== o.draft;
      rows.push({
        mode,
        level,
        seeds: mine.length,
        draft: avg((o) => o.draft === o.truth),
        final: avg((o) => o.correct),
        revised: avg(revised),
        right_to_wrong: avg((o) => revised(o) && o.draft === o.truth),
        wrong_to_right: avg((o) => revised(o) && o.correct),
      });
    }
  }
  return aq.from(rows);
}
