/**
 * Group-relative advantages (GRPO, Shao et al. 2024, DeepSeekMath §4.1.2):
 * each prompt gets G sampled completions; a completion's advantage is its
 * reward minus its group's mean, optionally divided by a spread:
 *  - "group_std": the group's own standard deviation (GRPO as published);
 *  - "batch_std": the standard deviation of all rewards in the batch
 *    (REINFORCE++-style; a lone lucky success is no longer blown up by its
 *    group's tiny spread);
 *  - "none": no scaling (Dr. GRPO, Liu et al. 2025).
 * `eps` is added to the spread before dividing. Standard deviations are the
 * population form (divide by G); TRL's GRPOTrainer uses torch.std, which
 * divides by G - 1: with G = 8 and one success, 2.65 here versus 2.47 there.
 *
 * This is the term DESIGN.md's claim 1 is about: with group_std, a group with
 * one lucky success out of G gets advantage (1 - 1/G) / sqrt((1/G)(1 - 1/G))
 * = sqrt(G - 1) for that completion, whatever made it succeed.
 *
 * DAPO's dynamic sampling (Yu et al. 2025) drops groups whose rewards are all
 * equal (zero advantage for every member): `informativeGroups`.
 *
 * @example
 * ```ts
 * import { assertAlmostEquals } from "@std/assert";
 * import { groupAdvantages } from "./advantages.ts";
 * // rewards 1,0,0,0: mean 0.25, population std sqrt(3)/4, so the lone success gets 0.75 / (sqrt(3)/4) = sqrt(3)
 * assertAlmostEquals(groupAdvantages([[1, 0, 0, 0]], { scale: "group_std", eps: 0 })[0][0], Math.sqrt(3), 1e-12);
 * ```
 */
export type AdvantageScale = "group_std" | "batch_std" | "none";

export interface AdvantageOptions {
  scale: AdvantageScale;
  eps: number;
}

function mean(xs: readonly number[]): number {
  let s = 0;
  for (const x of xs) s += x;
  return s / xs.length;
}

/** Population standard deviation. */
export function populationStd(xs: readonly number[]): number {
  const m = mean(xs);
  let s = 0;
  for (const x of xs) s += (x - m) * (x - m);
  return Math.sqrt(s / xs.length);
}

/** Advantages for rewards grouped per prompt: rewards[g][i] -> advantage[g][i]. */
export function groupAdvantages(rewards: readonly (readonly number[])[], opts: AdvantageOptions): number[][] {
  const all = rewards.flat();
  const batchSpread = opts.scale === "batch_std" ? populationStd(all) + opts.eps : 1;
  return rewards.map((group) => {
    if (group.length === 0) return [];
    const m = mean(group);
    const spread = opts.scale === "group_std" ? populationStd(group) + opts.eps : batchSpread;
    return group.map((r) => {
      const centred = r - m;
      // A zero-variance group has zero advantage everywhere, even with eps = 0.
      return centred === 0 ? 0 : centred / spread;
    });
  });
}

/** Does a group carry any learning signal (not all rewards equal)? */
export function hasRewardVariance(group: readonly number[]): boolean {
  return group.some((r) => r !== group[0]);
}

/** Indices of the groups to keep under DAPO dynamic filtering (rewards not all equal). */
export function informativeGroups(rewards: readonly (readonly number[])[]): number[] {
  const keep: number[] = [];
  rewards.forEach((g, i) => {
    if (hasRewardVariance(g)) keep.push(i);
  });
  return keep;
}
