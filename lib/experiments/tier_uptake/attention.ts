/**
 * Attention mass on the sheet, notebook 03's third uptake diagnostic: from
 * the probe rows (measure.ts), per agent, how much attention the answer
 * position puts on the slot holding the queried key's entry. Per training
 * seed: the mean over probe prompts of the mass averaged over layers and
 * heads, and of the best head (the (layer, head) with the highest mean mass in
 * that seed); t 95% over training seeds, clipped to [0, 1]. `uniform` is the mass uniform
 * attention would give the slot (its share of the prompt), the reference: a
 * tier that reads the sheet should put well above it on the entry.
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * import { bestHead } from "./attention.ts";
 * assertEquals(bestHead([[0.1, 0.5], [0.3, 0.7]]), { index: 1, mass: 0.6 });
 * ```
 */
import * as aq from "arquero";
import { proportionInterval } from "../../stats/intervals.ts";
import { fixed2, intervalText } from "../format.ts";
import type { ProbeRow } from "./measure.ts";
import { type Ladder, LADDER_TEXT } from "./runs.ts";

/** The (layer, head) index with the highest mean mass over prompts (rows: prompts; columns: heads). */
export function bestHead(rows: readonly number[][]): { index: number; mass: number } {
  const means = rows[0].map((_, j) => rows.reduce((a, r) => a + r[j], 0) / rows.length);
  const index = means.indexOf(Math.max(...means));
  return { index, mass: means[index] };
}

const mean = (xs: readonly number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;

export interface AttentionRow {
  ladder: Ladder;
  agent: string;
  base: number;
  mass_mean: number;
  mean_lo: number;
  mean_hi: number;
  mass_best: number;
  best_lo: number;
  best_hi: number;
  uniform: number;
  train_seeds: number;
}

/** Per agent: mass on the entry (mean over heads, and best head), t 95% over training seeds, and the uniform reference. */
export function attentionTable(
  probes: readonly ProbeRow[],
  tiers: readonly { ladder: Ladder; label: string; base: number }[],
) {
  const rows: AttentionRow[] = tiers.map((t) => {
    const mine = probes.filter((p) => p.ladder === t.ladder && p.agent === t.label);
    const seeds = [...new Set(mine.map((p) => p.train_seed))].sort((a, b) => a - b);
    const perSeed = seeds.map((s) => {
      const rs = mine.filter((p) => p.train_seed === s);
      return { mean: mean(rs.map((p) => mean(p.mass))), best: bestHead(rs.map((p) => p.mass)).mass };
    });
    const m = proportionInterval(perSeed.map((x) => x.mean)); // a mass lies in [0, 1]: so does its interval
    const b = proportionInterval(perSeed.map((x) => x.best));
    return {
      ladder: t.ladder,
      agent: t.label,
      base: t.base,
      mass_mean: m.mean,
      mean_lo: m.lo,
      mean_hi: m.hi,
      mass_best: b.mean,
      best_lo: b.lo,
      best_hi: b.hi,
      uniform: mine.length ? mean(mine.map((p) => p.uniform)) : NaN,
      train_seeds: seeds.length,
    };
  });
  return aq.from(rows);
}

/** The findings line: per agent of a ladder, best-head mass on the entry with its interval, against uniform. */
export function attentionSentence(rows: readonly AttentionRow[], ladder: Ladder): string {
  const mine = rows.filter((r) => r.ladder === ladder);
  const parts = mine.map((r) =>
    `${r.agent} ${fixed2(r.mass_best)} ${intervalText(r.best_lo, r.best_hi)} (mean over heads ${
      fixed2(r.mass_mean)
    })`
  );
  return `${
    LADDER_TEXT[ladder]
  }, attention mass of the answer position on the entry's slot (best head, t 95% over ${
    mine[0]?.train_seeds ?? 0
  } training seeds; uniform attention would give ${fixed2(mine[0]?.uniform ?? NaN)}): ${parts.join("; ")}.`;
}
