import { assertAlmostEquals, assertEquals, assertStringIncludes } from "@std/assert";
import type { CachedRun } from "../../core/run_cache.ts";
import type { SftResult } from "../../train/sft.ts";
import { noisyChainPass } from "../../tasks/arithmetic.ts";
import { bandParams } from "./params.ts";
import { startCheck, type StartRow, startTable } from "./start.ts";
import { runs } from "./testdata/fake_runs.ts";

Deno.test("start table: greedy Wilson interval, step-0 sampled pass pooled over seeds, geometric expectation", () => {
  const final = [
    { level: 1, n: 20, correct: 10, accuracy: 0.5, lo: 0, hi: 0 },
    { level: 2, n: 20, correct: 0, accuracy: 0, lo: 0, hi: 0 },
  ];
  const start = { result: { final } } as unknown as CachedRun<SftResult>;
  const p = bandParams("smoke"); // 4 band prompts x 4 samples per seed: 16 samples, 2 seeds
  const rows = startTable(start, runs, p).objects() as StartRow[];
  // Wilson(10, 20) = [0.29930, 0.70070] and (0, 20) = [0, 0.16113]
  assertAlmostEquals(rows[0].lo, 0.29930, 1e-5);
  assertAlmostEquals(rows[1].hi, 0.16113, 1e-5);
  // step-0 samp: L1 1 and 1, L2 0.3 and 0.3; the interval counts the 4 distinct prompts: Wilson(1.2, 4)
  assertEquals([rows[0].sampled_pass, rows[1].sampled_pass], [1, 0.3]);
  assertAlmostEquals(rows[1].sampled_lo, 0.06260, 1e-5); // (0.3 + 0.4802 - 0.6575) / 1.9604
  // the fakes' per-step accuracy is samp / 2 + 0.5: L1 1, L2 0.65; mean 0.825 drives the expectation
  assertAlmostEquals(rows[1].sampled_step, 0.65, 1e-12);
  assertAlmostEquals(rows[1].expected_pass, noisyChainPass(2, 0.175), 1e-12);
  assertAlmostEquals(rows[1].expected_own, noisyChainPass(2, 0.35), 1e-12);
  assertEquals(rows.map((r) => r.trained), [true, true]); // smoke trains levels 1-3
  for (const r of rows) assertAlmostEquals(r.chance, 0.1, 1e-15); // + and - answers are uniform
});

const table = (pass: number[], expected = pass) => ({
  objects: () =>
    pass.map((p, i) => ({
      level: i + 1,
      greedy_pass: 1,
      sampled_pass: p,
      sampled_lo: p - 0.08,
      sampled_hi: p + 0.08,
      sampled_step: 0.85,
      trained: i < 5,
      expected_pass: expected[i],
      expected_own: expected[i],
      chance: 0.1,
    })),
});

Deno.test("graded-start check: geometric passes, a cliff fails, a curve off the expectation is flagged", () => {
  const graded = startCheck(table([0.85, 0.72, 0.6, 0.5, 0.1]));
  assertStringIncludes(graded, "4 level(s) lie between chance and 0.9");
  assertStringIncludes(graded, "the largest drop between adjacent levels is 0.40 (L4 to L5)");
  assertStringIncludes(graded, "**Graded by per-step error**");
  assertStringIncludes(startCheck(table([1, 1, 1, 1, 0.1])), "**Not graded**");
  const off = startCheck(table([0.85, 0.72, 0.6, 0.5, 0.1], [0.85, 0.72, 0.6, 0.3, 0.1]));
  assertStringIncludes(off, "own per-step accuracy is at most 0.20 from the measured pass");
  assertStringIncludes(off, "**Graded, but not as the geometric expectation**");
});

Deno.test("graded-start check: untrained levels are left out of the fit and reported against chance", () => {
  const t = table([0.85, 0.72, 0.6, 0.5, 0.1]);
  const rows = [...t.objects(), {
    ...t.objects()[0],
    level: 6,
    trained: false,
    sampled_pass: 0.09,
    sampled_lo: 0.05,
    sampled_hi: 0.14,
    expected_pass: 0.4,
    expected_own: 0.4,
  }];
  const text = startCheck({ objects: () => rows });
  assertStringIncludes(text, "Untrained levels: L6 0.09 [0.05, 0.14] (chance 0.10)");
  assertStringIncludes(text, "**Graded by per-step error**"); // L6's 0.31 gap from 0.4 does not count
});
