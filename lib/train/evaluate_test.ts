import { assertAlmostEquals, assertEquals } from "@std/assert";
import { firstPerLevel, scoreByLevel } from "./evaluate.ts";

Deno.test("scoreByLevel aggregates per level, ascending", () => {
  const r = (level: number, correct: boolean) => ({ id: "", level, prompt: "", completion: "", correct });
  const s = scoreByLevel([r(2, true), r(1, false), r(2, false), r(1, true), r(1, true)]);
  assertEquals(s.map((x) => [x.level, x.n, x.correct]), [[1, 3, 2], [2, 2, 1]]);
  assertAlmostEquals(s[0].accuracy, 2 / 3, 1e-12);
});

Deno.test("firstPerLevel keeps order and the first n of each level", () => {
  const xs = [1, 2, 1, 1, 2, 3].map((level, i) => ({ level, i }));
  assertEquals(firstPerLevel(xs, 2).map((x) => x.i), [0, 1, 2, 4, 5]);
});
