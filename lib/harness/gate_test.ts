import { assertAlmostEquals, assertEquals, assertStringIncludes } from "@std/assert";
import { gateRows, gateVerdict, pairedDifference, type PairedLevel } from "./gate.ts";

const T = true, F = false;
/** n problems, the first k correct. */
const first = (n: number, k: number) => Array.from({ length: n }, (_, i) => i < k);

Deno.test("paired difference over problems (one seed): mean and 95% normal interval, hand-computed", () => {
  // d = 1, 1, 1, 0, 0: mean 0.6, sd sqrt(0.3), half 1.96 sqrt(0.3) / sqrt(5) = 0.4801
  const d = pairedDifference([F, F, F, F, T], [T, T, T, F, T]);
  assertAlmostEquals(d.diff, 0.6, 1e-12);
  assertAlmostEquals(d.lo, 0.6 - 0.48010, 1e-4);
  assertAlmostEquals(d.hi, 0.6 + 0.48010, 1e-4);
});

Deno.test("over seeds the interval is Student t: diffs 0.5, 0.25, 0.75 give 0.5 +- 4.303 * 0.25 / sqrt(3)", () => {
  const pairs: PairedLevel[] = [2, 1, 3].map((k, seed) => ({
    seed,
    level: 7,
    bare: first(4, 0),
    harness: first(4, k),
  }));
  const [row] = gateRows(pairs, () => 1);
  assertEquals([row.seeds, row.n, row.bare, row.harness, row.weak, row.interval], [
    3,
    4,
    0,
    0.5,
    true,
    "t over seeds",
  ]);
  assertAlmostEquals(row.diff, 0.5, 1e-12);
  assertAlmostEquals(row.lo, 0.5 - 4.303 * 0.25 / Math.sqrt(3), 1e-9);
  assertEquals(row.passes, false); // [-0.12, 1.12] includes zero
});

const level = (lvl: number, seed: number, bare: number, harness: number): PairedLevel => ({
  seed,
  level: lvl,
  bare: first(20, bare),
  harness: first(20, harness),
});

Deno.test("weak levels are judged against the level's ceiling (Bayes for precedent)", () => {
  const ceiling = (l: number) => (l === 1 ? 1 : 0.9);
  const rows = gateRows([level(1, 0, 19, 19), level(4, 0, 15, 18), level(5, 0, 14, 18)], ceiling);
  // 0.95 of 1: strong; 0.75 > 0.8 * 0.9 = 0.72: strong; 0.70 <= 0.72: weak
  assertEquals(rows.map((r) => [r.level, r.weak]), [[1, false], [4, false], [5, true]]);
});

const verdicts: [string, PairedLevel[], boolean | null, string[]][] = [
  [
    "passed",
    [0, 1, 2].flatMap((s) => [level(1, s, 20, 20), level(6, s, 2, 15 + s)]),
    true,
    // per-seed diffs 0.65, 0.70, 0.75: sd 0.05, half 4.303 * 0.05 / sqrt(3) = 0.124
    [
      "**Gate (plan-solve): passed.**",
      "L6 (0.10 of 1.00)",
      "L6 +0.70 [+0.58, +0.82]",
      "Where bare is strong (not part of the gate): L1 +0.00",
    ],
  ],
  [
    "failed",
    [0, 1, 2].flatMap((s) => [level(5, s, 2, 15), level(6, s, 2, 2 + s)]),
    false,
    [
      "**Gate (plan-solve): failed.**",
      "On L6 the interval does not lie above zero",
      "nothing downstream is claimed",
    ],
  ],
  ["undecided", [level(1, 0, 20, 20), level(2, 0, 18, 20)], null, [
    "**Gate (plan-solve): cannot decide.**",
    "L2 0.90/1.00",
  ]],
];
for (const [name, pairs, passed, phrases] of verdicts) {
  Deno.test(`gate verdict: ${name}`, () => {
    const v = gateVerdict(gateRows(pairs, () => 1), "plan-solve");
    assertEquals(v.passed, passed);
    for (const p of phrases) assertStringIncludes(v.sentence, p);
  });
}
