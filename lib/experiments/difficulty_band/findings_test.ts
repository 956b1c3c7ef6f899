import { assertStringIncludes } from "@std/assert";
import { changeTable, luckTable, measurementTable, perStepTable } from "./tables.ts";
import { bandFindings, startCheck } from "./findings.ts";
import { runs } from "./testdata/fake_runs.ts";

Deno.test("findings quote the numbers and give verdicts", () => {
  const change = changeTable(perStepTable(measurementTable(runs), [1]));
  const text = bandFindings(change, perStepTable(measurementTable(runs), [1]), luckTable(runs), [1]);
  assertStringIncludes(
    text,
    "Over-hard only: -0.30 [-1.57, +0.97] at step 2. No measurable loss: **not reproduced**",
  );
  assertStringIncludes(text, "answer entropy across problems (bits) -1.50");
  assertStringIncludes(
    text,
    "1.00 groups per step had a single success; 0.50 of those came from an invalid scratchpad",
  );
});

Deno.test("graded-start check: a gradual curve passes, a cliff fails", () => {
  const table = (pass: number[]) => ({
    objects: () =>
      pass.map((p, i) => ({ level: i + 1, greedy_pass: p, lo: p - 0.08, hi: p + 0.08, chance: 0.1 })),
  });
  const graded = startCheck(table([0.8, 0.6, 0.4, 0.25, 0.1]));
  assertStringIncludes(graded, "4 level(s) lie between chance and 0.9"); // L1-L4 (0.8 < 0.9), L5 overlaps chance
  assertStringIncludes(graded, "the largest drop between adjacent levels is 0.20 (L1 to L2)");
  assertStringIncludes(graded, "**Graded**");
  const cliff = startCheck(table([1, 1, 1, 1, 0.1]));
  assertStringIncludes(cliff, "the largest drop between adjacent levels is 0.90 (L4 to L5)");
  assertStringIncludes(cliff, "**Not graded**");
});
