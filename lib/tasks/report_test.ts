import { assertAlmostEquals, assertEquals } from "@std/assert";
import { chanceTable, overlapTable, promptSpace } from "./report.ts";
import { TaskSettingsSchema } from "./task.ts";
import type { ExampleLine } from "./dataset.ts";
import { bayesAccuracy, PrecedentSettingsSchema } from "./precedent.ts";

const ALL = TaskSettingsSchema.parse({ family: "arithmetic" });
const PM = TaskSettingsSchema.parse({ family: "arithmetic", ops: ["+", "-"] });
const PREC = TaskSettingsSchema.parse({ family: "precedent" });

const line = (id: string, level: number, prompt: string): ExampleLine => ({
  id,
  family: "arithmetic",
  level,
  prompt,
  target: "",
  answer: "",
});

Deno.test("prompt spaces: 10^(L+1) * |ops|^L for arithmetic; reachable vectors for precedent", () => {
  assertEquals([promptSpace(ALL, 1), promptSpace(ALL, 2), promptSpace(PM, 3)], [300, 9000, 80000]);
  assertEquals(promptSpace(PREC, 1), 8); // one clean form per class at level 1
  // with noise every non-decisive slot is free; the decisive slot takes one of its pair's two values
  // (or one value when another pair shares the slot and value), so the space is below 4^6 = 4096
  const s5 = promptSpace(PREC, 5);
  assertEquals(s5 > 8 && s5 <= 4096, true);
});

Deno.test("overlap by hand: duplicates, mass and expected seen share", () => {
  // Level 1 with + - *: each prompt has probability 1/300.
  const exs = [line("a", 1, "^3+4="), line("b", 1, "^3+4="), line("c", 1, "^0*0="), line("d", 2, "^1-2-3=")];
  const [l1, l2] = overlapTable(ALL, exs, 300);
  assertEquals([l1.n, l1.distinct, l1.duplicates, l1.space], [3, 2, 1, 300]);
  assertAlmostEquals(l1.mass, 2 / 300, 1e-15);
  assertAlmostEquals(l1.seenShare, 1 - (299 / 300) ** 300, 1e-12);
  assertAlmostEquals(l2.mass, 1 / 9000, 1e-15);
  assertEquals(overlapTable(ALL, exs, 0)[0].seenShare, 0);
});

Deno.test("chance table: uniform for + -, skewed to 0 with *, Bayes ceiling for precedent", () => {
  const pm = chanceTable(PM, [1, 16]);
  assertAlmostEquals(pm[1].constantGuess, 0.1, 1e-12);
  const all = chanceTable(ALL, [1]);
  assertAlmostEquals(all[0].constantGuess, 2 / 30 + 27 / 300, 1e-12);
  assertEquals(all[0].ceiling, 1);
  const prec = chanceTable(PREC, [1, 5]);
  assertEquals(prec.map((r) => r.constantGuess), [0.125, 0.125]);
  assertAlmostEquals(prec[1].ceiling, bayesAccuracy(5, PrecedentSettingsSchema.parse({})), 1e-15);
});
