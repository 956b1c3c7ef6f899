import { assertAlmostEquals, assertEquals } from "@std/assert";
import { firstPerLevel, scoreByLevel, wilson } from "./evaluate.ts";

// Wilson 95% intervals computed by hand: centre (p + z^2/2n)/(1 + z^2/n), half-width z sqrt(p(1-p)/n + z^2/4n^2)/(1 + z^2/n).
const table: [number, number, number, number][] = [
  [0, 20, 0, 0.16112],
  [10, 20, 0.29930, 0.70070],
  [20, 20, 0.83888, 1],
  [37, 100, 0.28182, 0.46780],
];
for (const [k, n, lo, hi] of table) {
  Deno.test(`wilson(${k}, ${n}) = [${lo}, ${hi}]`, () => {
    const [l, h] = wilson(k, n);
    assertAlmostEquals(l, lo, 1e-4);
    assertAlmostEquals(h, hi, 1e-4);
  });
}

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
