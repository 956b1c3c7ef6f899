/**
 * Curricula over difficulty levels for GRPO (DESIGN.md analysis 1): pluggable
 * samplers that give a weight to each level before every batch and may learn
 * from the groups they see. All are defined against the start model's pass
 * rates measured at step 0 (sampled at the training temperature on the frozen
 * held-out prompts, so "pass rate" means what GRPO's groups see):
 *  - uniform: every level equally;
 *  - static_band: the levels whose start pass rate lies in [low, high], fixed
 *    for the whole run (if none does, the level nearest 0.5);
 *  - adaptive_band: weight proportional to p(1 - p), the lower bound on
 *    expected improvement of Online Difficulty Filtering (Bae et al. 2025,
 *    arXiv 2504.03380), with p re-estimated online as an exponential moving
 *    average of each level's training-group success rate; a floor keeps every
 *    level sampled now and then so a level's estimate can recover (Bae et al.
 *    filter prompts by their own rollouts instead of keeping level estimates);
 *  - over_hard: only the levels where the start model is near chance
 *    (pass rate <= near_chance), plus an optional easy_mix share of levels it
 *    had mastered (pass rate >= easy_min): the "little easy data" control.
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * import { makeCurriculum } from "./curriculum.ts";
 * const c = makeCurriculum({ kind: "static_band", low: 0.2, high: 0.8 }, [1, 2, 3], [0.95, 0.5, 0.1]);
 * assertEquals(c.weights(), [0, 1, 0]);
 * ```
 */
import { z } from "zod";
import { LabError } from "../../core/errors.ts";

export const CurriculumSchema = z.discriminatedUnion("kind", [
  z.strictObject({ kind: z.literal("uniform") }),
  z.strictObject({
    kind: z.literal("static_band"),
    low: z.number().min(0).max(1).default(0.2),
    high: z.number().min(0).max(1).default(0.8),
  }),
  z.strictObject({
    kind: z.literal("adaptive_band"),
    /** EMA decay of each level's pass-rate estimate per observed group. */
    decay: z.number().min(0).max(1).default(0.9),
    /** Smallest weight of a level (relative to the 0.25 maximum of p(1 - p)). */
    floor: z.number().min(0).max(0.25).default(0.01),
  }),
  z.strictObject({
    kind: z.literal("over_hard"),
    near_chance: z.number().min(0).max(1).default(0.2),
    easy_mix: z.number().min(0).max(1).default(0),
    easy_min: z.number().min(0).max(1).default(0.8),
  }),
]);
export type CurriculumSpec = z.output<typeof CurriculumSchema>;

export interface Curriculum {
  /** Sampling weight of each level (same order as `levels`); not necessarily normalised. */
  weights(): number[];
  /** A training group at `level` had `successes` of `total` correct. */
  observe(level: number, successes: number, total: number): void;
  /** JSON state for checkpoints (the adaptive band's pass-rate estimates), and its restore. */
  state(): number[];
  restore(state: number[]): void;
}

const pq = (p: number) => p * (1 - p);

/** The levels a static band picks from start pass rates (indices into levels). */
export function staticBand(start: readonly number[], low: number, high: number): number[] {
  const inBand = start.map((p, i) => [p, i]).filter(([p]) => p >= low && p <= high).map(([, i]) => i);
  if (inBand.length > 0) return inBand;
  let best = 0;
  start.forEach((p, i) => {
    if (Math.abs(p - 0.5) < Math.abs(start[best] - 0.5)) best = i;
  });
  return [best];
}

/** Build a curriculum over `levels` from the start model's pass rate at each. */
export function makeCurriculum(
  spec: CurriculumSpec,
  levels: readonly number[],
  start: readonly number[],
): Curriculum {
  if (start.length !== levels.length) {
    throw new LabError(`curriculum: ${start.length} start pass rates for ${levels.length} levels`);
  }
  const fixed = (w: number[]): Curriculum => ({
    weights: () => w.slice(),
    observe: () => {},
    state: () => [],
    restore: () => {},
  });
  switch (spec.kind) {
    case "uniform":
      return fixed(levels.map(() => 1));
    case "static_band": {
      const band = new Set(staticBand(start, spec.low, spec.high));
      return fixed(levels.map((_, i) => (band.has(i) ? 1 : 0)));
    }
    case "over_hard": {
      const hard = start.map((p, i) => [p, i]).filter(([p]) => p <= spec.near_chance).map(([, i]) => i);
      const rates = levels.map((l, i) => `L${l} ${start[i].toFixed(2)}`).join(", ");
      if (hard.length === 0) {
        throw new LabError(
          `over_hard curriculum: no level has a start pass rate <= near_chance ${spec.near_chance} (${rates})`,
          "add longer levels to the run's levels or raise near_chance",
        );
      }
      const easy = start.map((p, i) => [p, i]).filter(([p]) => p >= spec.easy_min).map(([, i]) => i);
      if (spec.easy_mix > 0 && easy.length === 0) {
        throw new LabError(
          `over_hard curriculum: easy_mix ${spec.easy_mix} but no level has a start pass rate >= easy_min ${spec.easy_min} (${rates})`,
          "lower easy_min or set easy_mix to 0",
        );
      }
      const w = levels.map(() => 0);
      for (const i of hard) w[i] += (1 - spec.easy_mix) / hard.length;
      for (const i of easy) w[i] += spec.easy_mix / easy.length;
      return fixed(w);
    }
    case "adaptive_band": {
      let est = start.slice();
      return {
        weights: () => est.map((p) => Math.max(pq(p), spec.floor)),
        observe: (level, successes, total) => {
          const i = levels.indexOf(level);
          if (i < 0 || total === 0) return;
          est[i] = spec.decay * est[i] + (1 - spec.decay) * (successes / total);
        },
        state: () => est.slice(),
        restore: (s) => {
          if (!Array.isArray(s) || s.length !== levels.length || s.some((x) => typeof x !== "number")) {
            throw new LabError(
              `adaptive_band state ${JSON.stringify(s)} does not match ${levels.length} levels`,
            );
          }
          est = s.slice();
        },
      };
    }
  }
}
