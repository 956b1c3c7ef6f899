import { assertAlmostEquals, assertEquals } from "@std/assert";
import {
  compareToReference,
  diffInterval,
  meanInterval,
  proportionInterval,
  tCritical95,
  wilson,
} from "./intervals.ts";

Deno.test("meanInterval: hand-computed t intervals", () => {
  // [mean, sd, half-width] worked by hand: half = t(n-1) * sd / sqrt(n)
  const cases: [number[], number, number, number][] = [
    [[1, 2, 3], 2, 1, 4.303 * 1 / Math.sqrt(3)], // 2.48434
    [[0.5, 0.7], 0.6, Math.SQRT2 * 0.1, 12.706 * 0.1], // sd 0.14142, half 1.2706
    [[1, 1, 1, 1], 1, 0, 0],
    [
      [0, 0, 1, 1, 1, 1],
      4 / 6,
      Math.sqrt((4 * (1 / 9) + 2 * (4 / 9)) / 5),
      2.571 * Math.sqrt(4 / 15) / Math.sqrt(6),
    ],
  ];
  for (const [xs, mean, sd, half] of cases) {
    const m = meanInterval(xs);
    assertAlmostEquals(m.mean, mean, 1e-12);
    assertAlmostEquals(m.sd, sd, 1e-12);
    assertAlmostEquals(m.hi - m.mean, half, 1e-9);
    assertAlmostEquals(m.mean - m.lo, half, 1e-9);
  }
  assertAlmostEquals(meanInterval([1, 2, 3]).hi, 4.48434, 1e-5);
});

Deno.test("meanInterval: one value has no interval, none has no mean", () => {
  const one = meanInterval([0.3]);
  assertEquals([one.mean, Number.isNaN(one.lo), Number.isNaN(one.hi)], [0.3, true, true]);
  assertEquals(Number.isNaN(meanInterval([]).mean), true);
});

Deno.test("tCritical95: table and large-df approximation", () => {
  assertEquals(tCritical95(1), 12.706);
  assertEquals(tCritical95(30), 2.042);
  assertAlmostEquals(tCritical95(60), 2.000, 0.002); // exact 2.0003
  assertAlmostEquals(tCritical95(120), 1.980, 0.002); // exact 1.9799
  assertEquals(Number.isNaN(tCritical95(0)), true);
});

Deno.test("diffInterval: Welch by hand", () => {
  // a = [1,2,3]: mean 2, var 1; b = [0,0,0,2]: mean 0.5, var 1
  // se^2 = 1/3 + 1/4 = 7/12; df = (7/12)^2 / ((1/3)^2/2 + (1/4)^2/3) = 0.340278 / 0.076389 = 4.4545 -> t(4) = 2.776
  const d = diffInterval([1, 2, 3], [0, 0, 0, 2]);
  assertAlmostEquals(d.diff, 1.5, 1e-12);
  assertAlmostEquals(d.df, 4.4545, 1e-3);
  assertAlmostEquals(d.hi - d.diff, 2.776 * Math.sqrt(7 / 12), 1e-9);
  const same = diffInterval([1, 1], [0, 0]);
  assertEquals([same.lo, same.hi], [1, 1]);
  assertEquals(Number.isNaN(diffInterval([1], [0, 1]).lo), true);
});

Deno.test("compareToReference", () => {
  assertEquals(compareToReference(0.2, 0.3, 0.1), "above");
  assertEquals(compareToReference(0.0, 0.05, 0.1), "below");
  assertEquals(compareToReference(0.05, 0.15, 0.1), "overlaps");
  assertEquals(compareToReference(0.1, 0.1, 0.10000000000000002), "overlaps"); // float noise is not "below"
  assertEquals(compareToReference(0.1, 0.1, 0.1 - 1e-6), "above");
});

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

Deno.test("proportionInterval: the t interval clipped to [0, 1], mean and sd untouched", () => {
  // [1, 1, 0.2]: mean 0.7333, sd 0.4619, t(2) 4.3027 -> half 1.1474: raw [-0.414, 1.881]
  const p = proportionInterval([1, 1, 0.2]);
  assertEquals([p.lo, p.hi], [0, 1]);
  assertAlmostEquals(p.mean, 0.7333, 1e-4);
  assertAlmostEquals(p.sd, 0.4619, 1e-4);
  // inside the bounds nothing changes: [0.4, 0.5, 0.6]: half = 4.3027 * 0.1 / sqrt(3) = 0.2484
  const q = proportionInterval([0.4, 0.5, 0.6]);
  assertAlmostEquals(q.lo, 0.2516, 1e-4);
  assertAlmostEquals(q.hi, 0.7484, 1e-4);
  assertEquals(Number.isNaN(proportionInterval([0.5]).lo), true);
});
