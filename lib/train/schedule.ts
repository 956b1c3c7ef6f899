/**
 * Learning-rate schedule: linear warmup, then cosine decay to `minLr`
 * (as nanoGPT's get_lr). Pure function of the step.
 *
 * @example
 * ```ts
 * import { assertAlmostEquals } from "@std/assert";
 * import { learningRate } from "./schedule.ts";
 * const s = { lr: 1e-3, minLr: 1e-4, warmupSteps: 10, totalSteps: 110 };
 * assertAlmostEquals(learningRate(0, s), 1e-4, 1e-15); // step 0 of warmup: lr * 1/10
 * assertAlmostEquals(learningRate(9, s), 1e-3, 1e-15);
 * assertAlmostEquals(learningRate(60, s), 5.5e-4, 1e-15); // halfway through the cosine
 * assertAlmostEquals(learningRate(110, s), 1e-4, 1e-15);
 * ```
 */
export interface Schedule {
  lr: number;
  minLr: number;
  warmupSteps: number;
  totalSteps: number;
}

/** Learning rate at 0-based `step`. */
export function learningRate(step: number, s: Schedule): number {
  if (step < s.warmupSteps) return (s.lr * (step + 1)) / s.warmupSteps;
  const span = s.totalSteps - s.warmupSteps;
  if (span <= 0 || step >= s.totalSteps) return s.minLr;
  const progress = (step - s.warmupSteps) / span;
  return s.minLr + 0.5 * (1 + Math.cos(Math.PI * progress)) * (s.lr - s.minLr);
}
