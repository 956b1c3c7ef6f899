import { assertAlmostEquals } from "@std/assert";
import { learningRate } from "./schedule.ts";

const s = { lr: 1e-3, minLr: 1e-4, warmupSteps: 10, totalSteps: 110 };
// [step, expected] computed by hand from the warmup/cosine formulas.
const table: [number, number][] = [
  [0, 1e-4],
  [4, 5e-4],
  [9, 1e-3],
  [10, 1e-3],
  [60, 5.5e-4],
  [35, 1e-4 + 0.5 * (1 + Math.SQRT1_2) * 9e-4],
  [110, 1e-4],
  [500, 1e-4],
];
for (const [step, want] of table) {
  Deno.test(`learningRate(${step}) = ${want}`, () => assertAlmostEquals(learningRate(step, s), want, 1e-12));
}
