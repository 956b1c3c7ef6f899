import { assertAlmostEquals, assertEquals, assertStringIncludes } from "@std/assert";
import { bayesAccuracy, PrecedentSettingsSchema } from "../../tasks/precedent.ts";
import { reattachmentParams } from "./params.ts";
import type { HarnessEvaluation, Outcome } from "./runs.ts";
import {
  baseTable,
  ceilingFor,
  chanceFor,
  gateChecks,
  gateSeedTable,
  gateTable,
  modeTable,
  pairedLevels,
  verifyTable,
} from "./tables.ts";
import { baseFindings, gateFindings, verifyFindings } from "./findings.ts";
import { gateFigure } from "./figures.ts";
import { tracesMarkdown } from "./traces.ts";

/** n outcomes at a level, the first k correct. */
const outcomes = (level: number, n: number, k: number): Outcome[] =>
  Array.from(
    { length: n },
    (_, i) => ({ id: `L${level}-${i}`, level, truth: "5", predicted: i < k ? "5" : "0", correct: i < k }),
  );

// Arithmetic, two seeds, 10 problems a level. Bare: L1 10 and 9 right, L6 1 and 2 right. Harness: L1 9 and 9, L6 7 and 8.
const arith = (seed: number, bare6: number, harness6: number): HarnessEvaluation => ({
  family: "arithmetic",
  seed,
  modes: ["bare", "harness"],
  outcomes: {
    bare: [...outcomes(1, 10, 10 - seed), ...outcomes(6, 10, bare6)],
    harness: [...outcomes(1, 10, 9), ...outcomes(6, 10, harness6)],
  },
  traces: { harness: [] },
  seconds: 0,
});
const evals = [arith(0, 1, 7), arith(1, 2, 8)];
const params = reattachmentParams("default");
const ceiling = (f: "arithmetic" | "precedent", l: number) => ceilingFor(params, f)(l);
const chance = (f: "arithmetic" | "precedent", l: number) => chanceFor(params, f)(l);

Deno.test("mode table: mean over seeds with a t interval", () => {
  const rows = modeTable(evals, ceiling).objects() as {
    mode: string;
    level: number;
    accuracy: number;
    lo: number;
    ceiling: number;
  }[];
  const bare6 = rows.find((r) => r.mode === "bare" && r.level === 6)!;
  assertAlmostEquals(bare6.accuracy, 0.15, 1e-12);
  assertAlmostEquals(bare6.lo, 0.15 - 12.706 * 0.05, 1e-9); // sd of 0.1, 0.2 is 0.0707, so se 0.05; t(1) 12.706
  assertEquals(rows.map((r) => [r.mode, r.level]), [["bare", 1], ["bare", 6], ["harness", 1], [
    "harness",
    6,
  ]]);
  const base = baseTable(modeTable(evals, ceiling), chance).objects() as {
    level: number;
    chance: number;
    ceiling: number;
  }[];
  assertEquals(base.map((r) => [r.level, +r.chance.toFixed(6), r.ceiling]), [[1, 0.1, 1], [6, 0.1, 1]]);
});

Deno.test("the gate pairs outcomes per problem and checks each base model", () => {
  const pairs = pairedLevels(evals, "arithmetic", "harness");
  assertEquals(
    pairs.map((p) => [p.seed, p.level, p.bare.filter(Boolean).length, p.harness.filter(Boolean).length]),
    [
      [0, 1, 10, 9],
      [0, 6, 1, 7],
      [1, 1, 9, 9],
      [1, 6, 2, 8],
    ],
  );
  const [check] = gateChecks(evals, params);
  assertEquals([check.family, check.mode, check.passed, check.passedSeeds], ["arithmetic", "harness", true, [
    0,
    1,
  ]]);
  // seed 0 at L6: 6 of 10 paired differences are +1: mean 0.6, sd 0.516, half 0.320
  const s0 = check.rows.find((r) => r.seed === 0 && r.level === 6)!;
  assertEquals([s0.weak, +s0.diff.toFixed(2), +s0.lo.toFixed(2), s0.passes], [true, 0.6, 0.28, true]);
  assertEquals(check.rows.filter((r) => r.level === 1).map((r) => r.weak), [false, false]);
  assertStringIncludes(
    check.sentence,
    "**Gate (plan-solve, harness vs bare): passed on 2 of 2 base models.**",
  );
  const table = gateTable([check]).objects() as {
    level: number;
    weak_seeds: number;
    passing_seeds: number;
  }[];
  assertEquals(table.map((r) => [r.level, r.weak_seeds, r.passing_seeds]), [[1, 0, 0], [6, 2, 2]]);
  assertEquals(gateSeedTable([check]).numRows(), 4);
  assertStringIncludes(gateFindings([check]), "can be read for plan-solve (harness) on every base model;");
});

Deno.test("precedent ceilings are the exact Bayes accuracy; findings and figure name them", () => {
  const s = PrecedentSettingsSchema.parse({});
  assertEquals(ceilingFor(params, "precedent")(5), bayesAccuracy(5, s));
  const prec: HarnessEvaluation = {
    family: "precedent",
    seed: 0,
    modes: ["bare", "fresh", "warm"],
    outcomes: { bare: outcomes(5, 10, 6), fresh: outcomes(5, 10, 7), warm: outcomes(5, 10, 8) },
    traces: { fresh: [], warm: [] },
    seconds: 0,
  };
  const modes = modeTable([prec], ceiling);
  const text = baseFindings(baseTable(modes, chance));
  assertStringIncludes(text, `the exact Bayes ceiling L5 ${bayesAccuracy(5, s).toFixed(2)}`);
  assertStringIncludes(text, "one seed, Wilson 95% interval");
  assertStringIncludes(gateFigure(modes, chance).svg, "Bayes ceiling");
  assertStringIncludes(tracesMarkdown([prec]), "_No problem where the modes differ._");
});

Deno.test("verify table: how often the verify call revised, and which way (hand-counted)", () => {
  const o = (id: number, draft: string, predicted: string): Outcome => ({
    id: `p${id}`,
    level: 4,
    truth: "A",
    predicted,
    correct: predicted === "A",
    draft,
  });
  // four problems: kept right, kept wrong, wrong -> right, right -> wrong
  const outcomes = [o(0, "A", "A"), o(1, "B", "B"), o(2, "B", "A"), o(3, "A", "C")];
  const prec: HarnessEvaluation = {
    family: "precedent",
    seed: 0,
    modes: ["bare", "warm"],
    outcomes: { bare: outcomes.map((x) => ({ ...x, draft: undefined })), warm: outcomes },
    traces: {},
    seconds: 0,
  };
  const [row] = verifyTable([prec]).objects() as Record<string, number>[];
  assertEquals([row.draft, row.final, row.revised, row.right_to_wrong, row.wrong_to_right], [
    0.5,
    0.5,
    0.5,
    0.25,
    0.25,
  ]);
  assertStringIncludes(
    verifyFindings(verifyTable([prec])),
    "warm bank: revised 0.50, a wrong draft made right 0.25",
  );
});
