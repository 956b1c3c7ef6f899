import { assertAlmostEquals, assertEquals, assertStringIncludes } from "@std/assert";
import { gateRows, gateSummary, gateVerdict, pairedDifference, type PairedLevel } from "./gate.ts";

const T = true, F = false;
/** n problems, the first k correct. */
const first = (n: number, k: number) => Array.from({ length: n }, (_, i) => i < k);
const level = (lvl: number, seed: number, bare: number, harness: number, n = 20): PairedLevel => ({
  seed,
  level: lvl,
  bare: first(n, bare),
  harness: first(n, harness),
});

Deno.test("paired difference over problems: mean and 95% normal interval, hand-computed", () => {
  // d = 1, 1, 1, 0, 0: mean 0.6, sd sqrt(0.3), half 1.96 sqrt(0.3) / sqrt(5) = 0.4801
  const d = pairedDifference([F, F, F, F, T], [T, T, T, F, T]);
  assertAlmostEquals(d.diff, 0.6, 1e-12);
  assertAlmostEquals(d.lo, 0.6 - 0.48010, 1e-4);
  assertAlmostEquals(d.hi, 0.6 + 0.48010, 1e-4);
});

Deno.test("weak levels are judged per base model against the level's ceiling (Bayes for precedent)", () => {
  const ceiling = (l: number) => (l === 1 ? 1 : 0.9);
  const rows = gateRows(
    [level(1, 0, 19, 19), level(4, 0, 15, 18), level(5, 0, 14, 18), level(5, 1, 15, 18)],
    ceiling,
  );
  // 0.95 of 1: strong; 0.75 > 0.8 * 0.9 = 0.72: strong; 0.70 <= 0.72: weak; seed 1 at L5 0.75: strong
  assertEquals(rows.map((r) => [r.seed, r.level, r.weak, r.passes]), [
    [0, 1, false, null],
    [0, 4, false, null],
    [0, 5, true, true], // d: 4 of 20 are +1, the rest 0 -> mean 0.2, sd 0.41, half 0.18: [0.02, 0.38]
    [1, 5, false, null],
  ]);
  assertAlmostEquals(
    rows[2].lo,
    0.2 - 1.96 * Math.sqrt((4 * 0.8 ** 2 + 16 * 0.2 ** 2) / 19) / Math.sqrt(20),
    1e-9,
  );
});

Deno.test("the summary over seeds is a Student t interval: diffs 0.5, 0.25, 0.75 give 0.5 +- 4.303 * 0.25 / sqrt(3)", () => {
  const rows = gateRows([2, 1, 3].map((k, seed) => level(7, seed, 0, k, 4)), () => 1);
  const [s] = gateSummary(rows);
  assertEquals([s.seeds, s.bare, s.harness, s.weak_seeds], [3, 0, 0.5, 3]);
  assertAlmostEquals(s.diff, 0.5, 1e-12);
  assertAlmostEquals(s.lo, 0.5 - 4.303 * 0.25 / Math.sqrt(3), 1e-9);
});

const verdicts: [string, PairedLevel[], boolean | null, number[], string[]][] = [
  [
    "passed",
    [0, 1, 2].flatMap((s) => [level(1, s, 20, 20), level(6, s, 2, 15 + s)]),
    true,
    [0, 1, 2],
    [
      "**Gate (plan-solve): passed on 3 of 3 base models.**",
      "Passed: s0, s1, s2",
      "s0 L6 +0.65 [+0.44, +0.86]", // 13 of 20 differences are +1: sd 0.489, half 0.214
      "Mean over 3 seeds (95% t interval, descriptive): L6 +0.70 [+0.58, +0.82]", // diffs 0.65 0.70 0.75
    ],
  ],
  [
    "failed on one seed",
    [0, 1, 2].flatMap((s) => [level(5, s, 2, 15), level(6, s, 2, s === 1 ? 3 : 15)]),
    false,
    [0, 2],
    [
      "**Gate (plan-solve): failed on 1 of 3 base models**",
      "Not above zero: s1: L6 +0.05",
      "nothing downstream is claimed for s1",
    ],
  ],
  ["undecided", [level(1, 0, 20, 20), level(2, 0, 18, 20)], null, [], [
    "**Gate (plan-solve): cannot decide.**",
  ]],
];
for (const [name, pairs, passed, passedSeeds, phrases] of verdicts) {
  Deno.test(`gate verdict: ${name}`, () => {
    const v = gateVerdict(gateRows(pairs, () => 1), "plan-solve");
    assertEquals([v.passed, v.passedSeeds], [passed, passedSeeds]);
    for (const p of phrases) assertStringIncludes(v.sentence, p);
  });
}
