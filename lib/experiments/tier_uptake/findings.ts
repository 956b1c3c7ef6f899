/**
 * Notebook 03's checks and findings, generated from the tables: the
 * preconditions (each ladder spans near chance to near ceiling; some agent
 * reads a right entry it did not know above chance: the positive control),
 * then the claim's two shapes per ladder and writing rule: is writing flat
 * (per training seed, the least-squares slope of writing gain on the
 * evolver's base pass rate in that seed; t interval over training seeds) and
 * is using an inverted U (the tier with the highest mean using gain is an
 * interior one and beats both ends, paired per training seed, with t
 * intervals above zero)? Each training seed's value averages its workload
 * seeds, so the intervals carry training-seed variance (tables.ts). A shape
 * verdict is given only where both preconditions hold; otherwise "cannot
 * decide at this scale". The "Why" lines: the uptake probe, using gain as a
 * share of headroom, and attention mass on the entry (attention.ts).
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * import { slope } from "./findings.ts";
 * assertEquals(slope([0, 1, 2], [1, 3, 5]), 2);
 * ```
 */
import { meanInterval } from "../../stats/intervals.ts";
import { fixed2, intervalText, signed2 } from "../format.ts";
import { roleSeedValues, type SeedGain } from "./tables.ts";
import { type Ladder, LADDER_TEXT, type TierSummary } from "./runs.ts";
import { type AttentionRow, attentionSentence } from "./attention.ts";

/** Least-squares slope of y on x. */
export function slope(x: readonly number[], y: readonly number[]): number {
  const mx = x.reduce((a, b) => a + b, 0) / x.length, my = y.reduce((a, b) => a + b, 0) / y.length;
  const sxx = x.reduce((a, v) => a + (v - mx) ** 2, 0);
  return sxx === 0 ? NaN : x.reduce((a, v, i) => a + (v - mx) * (y[i] - my), 0) / sxx;
}

export interface Check {
  ok: boolean;
  sentence: string;
}

/** The ladder spans near chance (<= chance + 0.15) to near ceiling (>= 0.85). */
export function spanCheck(tiers: readonly TierSummary[], ladder: Ladder, chance: number): Check {
  const mine = tiers.filter((t) => t.ladder === ladder);
  const lo = Math.min(...mine.map((t) => t.base)), hi = Math.max(...mine.map((t) => t.base));
  const ok = lo <= chance + 0.15 && hi >= 0.85;
  return {
    ok,
    sentence: `${LADDER_TEXT[ladder]}: base pass rates run from ${fixed2(lo)} to ${fixed2(hi)} (chance ${
      fixed2(chance)
    }); the check asks for at most ${fixed2(chance + 0.15)} and at least 0.85: ${ok ? "passed" : "FAILED"}.`,
  };
}

/** Positive control: some agent uses a right entry it did not know above chance (Wilson lower bound). */
export function readsCheck(
  probe: readonly { ladder: string; agent: string; uses_right: number; uses_lo: number; n_right: number }[],
  ladder: Ladder,
  chance: number,
): Check {
  const mine = probe.filter((p) => p.ladder === ladder && p.n_right > 0);
  const best = [...mine].sort((a, b) => b.uses_lo - a.uses_lo)[0];
  const ok = best !== undefined && best.uses_lo > chance;
  return {
    ok,
    sentence: best
      ? `${LADDER_TEXT[ladder]}: the best reader, ${best.agent}, answers ${
        fixed2(best.uses_right)
      } (Wilson lower bound ${
        fixed2(best.uses_lo)
      }, ${best.n_right} probes) of facts it did not know when the sheet holds them, against chance ${
        fixed2(chance)
      }: ${ok ? "passed" : "FAILED"} (a sheet can be read at all).`
      : `${LADDER_TEXT[ladder]}: no probe had a key the agents did not know: FAILED.`,
  };
}

export interface ShapeResult {
  verdict: string;
  sentence: string;
}

const tooFew = (n: number): ShapeResult => ({
  verdict: "too few tiers",
  sentence: `a shape needs at least 3 tiers; this ladder has ${n}.`,
});

/** Rows: training seeds (ascending); columns: `tiers`. */
function perSeedMatrix(
  per: Map<string, { trainSeed: number; gain: number }[]>,
  tiers: readonly TierSummary[],
) {
  const seeds = [...new Set([...per.values()].flat().map((v) => v.trainSeed))].sort((a, b) => a - b);
  return {
    seeds,
    rows: seeds.map((s) => tiers.map((t) => per.get(t.label)?.find((v) => v.trainSeed === s)?.gain ?? NaN)),
  };
}

/** Is writing gain flat over the evolver's base pass rate? */
export function writingShape(
  gains: readonly SeedGain[],
  tiers: readonly TierSummary[],
  ladder: Ladder,
  rule: string,
): ShapeResult {
  const mine = tiers.filter((t) => t.ladder === ladder);
  if (mine.length < 3) return tooFew(mine.length);
  const { seeds, rows } = perSeedMatrix(roleSeedValues(gains, "writing", ladder, rule, true), mine);
  const slopes = rows.map((g, i) => slope(mine.map((t) => t.bases[seeds[i]] ?? t.base), g)).filter(
    Number.isFinite,
  );
  const m = meanInterval(slopes);
  const verdict = !(m.lo <= 0 && m.hi >= 0) ? (m.mean > 0 ? "rises" : "falls") : "flat";
  return {
    verdict,
    sentence: `writing gain (rule ${rule}, own sheet excluded) against the evolver's base pass rate: slope ${
      signed2(m.mean)
    } per unit of base pass rate, 95% interval ${
      intervalText(m.lo, m.hi, { signed: true })
    } over ${slopes.length} training seeds: ${
      verdict === "flat" ? "flat (the interval includes 0)" : `${verdict} (the interval excludes 0)`
    }.`,
  };
}

/** Is using gain an inverted U over the agent's base pass rate? */
export function usingShape(
  gains: readonly SeedGain[],
  tiers: readonly TierSummary[],
  ladder: Ladder,
  rule: string,
): ShapeResult {
  const mine = [...tiers.filter((t) => t.ladder === ladder)].sort((a, b) => a.base - b.base);
  if (mine.length < 3) return tooFew(mine.length);
  const { rows } = perSeedMatrix(roleSeedValues(gains, "using", ladder, rule, true), mine);
  const means = mine.map((_, i) => meanInterval(rows.map((r) => r[i])).mean);
  const peak = means.indexOf(Math.max(...means));
  const last = mine.length - 1;
  const dLow = meanInterval(rows.map((r) => r[peak] - r[0]));
  const dHigh = meanInterval(rows.map((r) => r[peak] - r[last]));
  const interior = peak > 0 && peak < last;
  const verdict = interior && dLow.lo > 0 && dHigh.lo > 0
    ? "inverted U"
    : interior
    ? "no clear inverted U"
    : peak === 0
    ? "highest at the weakest tier"
    : "highest at the strongest tier";
  return {
    verdict,
    sentence: `using gain (rule ${rule}, own sheet excluded) peaks at ${mine[peak].label} (base ${
      fixed2(mine[peak].base)
    }, gain ${signed2(means[peak])}); peak minus weakest tier (${mine[0].label}) ${signed2(dLow.mean)} ${
      intervalText(dLow.lo, dLow.hi, { signed: true })
    }, peak minus strongest (${mine[last].label}) ${signed2(dHigh.mean)} ${
      intervalText(dHigh.lo, dHigh.hi, { signed: true })
    }, paired over ${rows.length} training seeds: ${verdict}.`,
  };
}

export interface ProbeLine {
  ladder: string;
  agent: string;
  uses_right: number;
  uses_lo: number;
  n_right: number;
  copies_wrong?: number;
  copies_lo?: number;
  copies_hi?: number;
}

/** Why uptake is low at either end: per agent, uses of right entries and copies of wrong ones. */
export function probeSentence(probe: readonly ProbeLine[], ladder: Ladder): string {
  const mine = probe.filter((p) => p.ladder === ladder);
  const parts = mine.map((p) =>
    `${p.agent} uses ${fixed2(p.uses_right)}, copies ${fixed2(p.copies_wrong ?? NaN)} ${
      intervalText(p.copies_lo ?? NaN, p.copies_hi ?? NaN)
    }`
  );
  return `${
    LADDER_TEXT[ladder]
  }, uptake probe (share of right entries on unknown facts used; share of wrong entries on known facts copied, Wilson 95%): ${
    parts.join("; ")
  }.`;
}

/** Using gain as a share of headroom per agent: whether an end of the U used little of what it could gain, or had little to gain. */
export function headroomSentence(
  gains: readonly SeedGain[],
  tiers: readonly TierSummary[],
  ladder: Ladder,
  rule: string,
): string {
  const per = roleSeedValues(gains, "using", ladder, rule, true);
  const parts = tiers.filter((t) => t.ladder === ladder).map((t) => {
    const v = per.get(t.label) ?? [];
    const head = v.reduce((a, x) => a + x.headroom, 0), n = v.reduce((a, x) => a + x.gained, 0);
    return `${t.label} ${head > 0 ? fixed2(n / head) : "n/a"} of ${head}`;
  });
  return `${
    LADDER_TEXT[ladder]
  }, using gain (rule ${rule}, own sheet excluded) as a share of headroom (answers gained over test answers the sheets could fix, summed over training and workload seeds and arrangements): ${
    parts.join("; ")
  }.`;
}

/** The findings markdown: checks first, then the shapes per ladder and rule, then the verdict on the claim. */
export function tierUptakeFindings(
  gains: readonly SeedGain[],
  tiers: readonly TierSummary[],
  probe: readonly ProbeLine[],
  rules: readonly string[],
  chance: number,
  attention: readonly AttentionRow[] = [],
): string {
  const out: string[] = ["**Preconditions**", ""];
  const ok: Record<Ladder, boolean> = { budget: false, size: false };
  for (const ladder of ["size", "budget"] as const) {
    const span = spanCheck(tiers, ladder, chance), reads = readsCheck(probe, ladder, chance);
    ok[ladder] = span.ok && reads.ok;
    out.push(`- ${span.sentence}`, `- ${reads.sentence}`);
  }
  out.push("", "**Shapes** (Lin et al. 2026 claim: writing flat, using an inverted U)", "");
  const main = rules.includes("padded") ? "padded" : rules[0];
  const shapes: Partial<Record<Ladder, { w: ShapeResult; u: ShapeResult }>> = {};
  for (const ladder of ["size", "budget"] as const) {
    for (const rule of rules) {
      const w = writingShape(gains, tiers, ladder, rule), u = usingShape(gains, tiers, ladder, rule);
      if (rule === main) shapes[ladder] = { w, u };
      out.push(`- ${LADDER_TEXT[ladder]}, ${w.sentence}`, `- ${LADDER_TEXT[ladder]}, ${u.sentence}`);
    }
  }
  out.push("", "**Why** (uptake probe and attention mass)", "");
  for (const ladder of ["size", "budget"] as const) {
    out.push(`- ${probeSentence(probe, ladder)}`, `- ${headroomSentence(gains, tiers, ladder, main)}`);
    if (attention.some((r) => r.ladder === ladder)) out.push(`- ${attentionSentence(attention, ladder)}`);
    out.push(`- ${endsSentence(gains, tiers, probe, attention, ladder, main)}`);
  }
  out.push("", `**Verdict** (main rule: ${main}, own sheet excluded)`, "");
  for (const ladder of ["size", "budget"] as const) {
    const s = shapes[ladder]!;
    if (!ok[ladder]) {
      out.push(`- ${LADDER_TEXT[ladder]}: cannot decide at this scale (a precondition above failed).`);
      continue;
    }
    const flat = s.w.verdict === "flat", inv = s.u.verdict === "inverted U";
    out.push(
      `- ${LADDER_TEXT[ladder]}: writing ${s.w.verdict}, using ${s.u.verdict}: the claim is ${
        flat && inv ? "supported" : flat || inv ? "partly supported" : "not reproduced"
      } here.`,
    );
  }
  if (ok.size && ok.budget) {
    out.push(`- ${survivalSentence(shapes.size!.u.verdict, shapes.budget!.u.verdict)}`);
  }
  return out.join("\n");
}

/** Does the using shape of the size ladder survive the fixed-architecture (training-budget) ladder? */
export function survivalSentence(size: string, budget: string): string {
  const both = `(size: ${size}; budget: ${budget})`;
  if (size === budget) return `The using shape survives the fixed-architecture ladder ${both}.`;
  if (size === "inverted U") {
    return `The using shape does not survive the fixed-architecture ladder ${both}: the inverted U was built in by size.`;
  }
  if (budget === "inverted U") {
    return `The inverted U shows on the fixed-architecture ladder but not clearly on the size ladder ${both}: it is not built in by size.`;
  }
  return `The using shapes differ between the ladders ${both}.`;
}

/**
 * Why uptake is low at the two ends of a ladder, from the probe, the attention
 * mass and the headroom: the weakest tier (does it use a right entry; does
 * some head attend to the entry, its best-head mass's lower bound above twice
 * what uniform attention gives?) and the strongest (does it use right entries, Wilson lower bound
 * >= 0.5, while the sheets could fix few of its answers?).
 */
export function endsSentence(
  gains: readonly SeedGain[],
  tiers: readonly TierSummary[],
  probe: readonly ProbeLine[],
  attention: readonly AttentionRow[],
  ladder: Ladder,
  rule: string,
): string {
  const mine = [...tiers.filter((t) => t.ladder === ladder)].sort((a, b) => a.base - b.base);
  if (mine.length < 2) return `${LADDER_TEXT[ladder]}: too few tiers to read the ends.`;
  const weak = mine[0], strong = mine[mine.length - 1];
  const p = (t: TierSummary) => probe.find((r) => r.ladder === ladder && r.agent === t.label);
  const a = attention.find((r) => r.ladder === ladder && r.agent === weak.label);
  const per = roleSeedValues(gains, "using", ladder, rule, true);
  const headroom = (t: TierSummary) => (per.get(t.label) ?? []).reduce((s, x) => s + x.headroom, 0);
  const pw = p(weak), ps = p(strong);
  const look = a
    ? `; its best head puts ${fixed2(a.mass_best)} ${
      intervalText(a.best_lo, a.best_hi)
    } of its attention on the entry, against ${fixed2(a.uniform)} for uniform attention: ${
      a.best_lo > 2 * a.uniform
        ? "some head attends to the entry (lower bound above twice uniform), yet the value is not copied"
        : "no head clearly attends to it (lower bound not above twice uniform)"
    }`
    : "";
  const low = `low end, ${weak.label} (base ${fixed2(weak.base)}) uses ${
    fixed2(pw?.uses_right ?? NaN)
  } of right entries on facts it did not know${look}`;
  const uses = (ps?.uses_lo ?? 0) >= 0.5;
  const high = `high end, ${strong.label} (base ${fixed2(strong.base)}) uses ${
    fixed2(ps?.uses_right ?? NaN)
  } of them (Wilson lower bound ${fixed2(ps?.uses_lo ?? NaN)}), and the sheets (rule ${rule}) could fix ${
    headroom(strong)
  } of its test answers against ${headroom(weak)} for ${weak.label}: ${
    uses ? "it has little to gain, not a failure to use" : "it also fails to use the sheet"
  }`;
  return `${LADDER_TEXT[ladder]}: ${low}; ${high}.`;
}
