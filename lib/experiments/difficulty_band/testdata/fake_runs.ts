/** Hand-made GRPO runs for the table and findings tests of analysis 1 (two levels, two seeds). */
import type { CachedRun } from "../../../core/run_cache.ts";
import type { GrpoResult } from "../../../train/grpo/grpo.ts";
import type { MetricRecord } from "../../../train/loop.ts";
import type { Condition } from "../params.ts";

/** A measurement record at two levels: pass rates, variance shares, entropies. */
export function measured(
  step: number,
  pass: [number, number],
  v: [number, number],
  ent: [number, number],
): MetricRecord {
  const rec: MetricRecord = { step };
  [1, 2].forEach((l, i) => {
    Object.assign(rec, {
      [`pass_L${l}`]: pass[i],
      [`samp_L${l}`]: pass[i],
      [`step_acc_L${l}`]: 1,
      [`samp_step_acc_L${l}`]: pass[i] / 2 + 0.5,
      [`var_L${l}`]: v[i],
      [`pq_L${l}`]: 0,
      [`ent_L${l}`]: ent[i],
      [`rep_L${l}`]: 0.1,
      [`copy_L${l}`]: 0.1,
      [`len_L${l}`]: 1,
      [`valid_L${l}`]: pass[i],
      [`fmt_L${l}`]: 1,
    });
  });
  return rec;
}

export function fakeRun(
  condition: Condition,
  seed: number,
  metrics: MetricRecord[],
  startWeights = [0.5, 0.5],
) {
  const result = { levels: [1, 2], metrics, startWeights } as unknown as GrpoResult;
  return { condition, seed, run: { result, cached: true, key: "k", dir: "d" } as CachedRun<GrpoResult> };
}

// Seed 0: L1 pass 1.0 -> 0.6, band centre (var 0.5 at L2 only -> 2) -> (var 0.5, 0.5 -> 1.5).
// Seed 1: L1 pass 1.0 -> 0.8; band centre 2 -> 1.5. Entropy 3 -> 1 and 3 -> 2 (mean over levels).
export const runs = [
  fakeRun("over_hard", 0, [
    measured(0, [1, 0.3], [0, 0.5], [3, 3]),
    { step: 1, lone: 2, lone_invalid: 1, lone_adv: 2, varied_groups: 0.5 },
    { lone: 0, lone_invalid: 0, varied_groups: 0.25, ...measured(2, [0.6, 0.1], [0.5, 0.5], [1, 1]) },
  ]),
  fakeRun("over_hard", 1, [
    measured(0, [1, 0.3], [0, 0.5], [3, 3]),
    { step: 1, lone: 1, lone_invalid: 1, lone_adv: 3, varied_groups: 0.5 },
    {
      lone: 1,
      lone_invalid: 0,
      lone_adv: 1,
      varied_groups: 0.5,
      ...measured(2, [0.8, 0.1], [0.5, 0.5], [2, 2]),
    },
  ]),
];
