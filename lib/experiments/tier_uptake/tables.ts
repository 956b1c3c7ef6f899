/**
 * Notebook 03's result tables (arquero), all from the measurement's count rows
 * (measure.ts). A cell's gain on one seed is the mean over arrangements of
 * (right with the evolved sheet - right with the initial, blank sheet) / test
 * queries. The unit of replication is the training seed: a tier's value per
 * training seed is the mean over workload seeds (and over its partners), and
 * intervals are Student-t 95% over training seeds (df = training seeds - 1),
 * so tier-to-tier differences carry training-seed variance; workload seeds
 * only sharpen each training seed's value. Gain as a share of
 * headroom is total gain over total headroom (test keys the agent got wrong
 * initially whose right entry the sheet held). Writing gain of an evolver: the
 * mean over the agents of its ladder; using gain of an agent: the mean over the
 * evolvers of its ladder; `own: "excluded"` leaves out the agent's use of its
 * own sheet.
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * import { seedGains } from "./tables.ts";
 * const row = { ladder: "size", train_seed: 0, seed: 0, rule: "padded", evolver: "a", agent: "b", arrangement: "near-0", n: 10, correct: 6, correctEmpty: 4, headroom: 3, entries: 4, wrongEntries: 0 } as const;
 * assertEquals(seedGains([row, { ...row, arrangement: "far-1", correct: 4 }])[0].gain, 0.1); // (0.2 + 0) / 2
 * ```
 */
import * as aq from "arquero";
import { meanInterval, wilson } from "../../stats/intervals.ts";
import type { CellRow, ProbeRow } from "./measure.ts";
import type { Ladder, Tier, TierSummary } from "./runs.ts";

/** One (ladder, rule, training seed, workload seed, evolver, agent) cell, averaged over arrangements. */
export interface SeedGain {
  ladder: Ladder;
  rule: string;
  trainSeed: number;
  seed: number;
  evolver: string;
  agent: string;
  gain: number;
  /** Summed over arrangements: right answers gained, and headroom. */
  gained: number;
  headroom: number;
  accuracy: number;
  initial: number;
}

const keyOf = (...xs: (string | number)[]) => xs.join("\u0000");

function groupBy<T>(xs: readonly T[], key: (x: T) => string): Map<string, T[]> {
  const m = new Map<string, T[]>();
  for (const x of xs) {
    const k = key(x);
    const g = m.get(k);
    if (g) g.push(x);
    else m.set(k, [x]);
  }
  return m;
}

const mean = (xs: readonly number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;

/** Gains per cell and seed (arrangements averaged). */
export function seedGains(cells: readonly CellRow[]): SeedGain[] {
  return [
    ...groupBy(cells, (c) => keyOf(c.ladder, c.rule, c.train_seed, c.seed, c.evolver, c.agent)).values(),
  ].map((g) => ({
    ladder: g[0].ladder,
    rule: g[0].rule,
    trainSeed: g[0].train_seed,
    seed: g[0].seed,
    evolver: g[0].evolver,
    agent: g[0].agent,
    gain: mean(g.map((c) => (c.correct - c.correctEmpty) / c.n)),
    gained: g.reduce((a, c) => a + c.correct - c.correctEmpty, 0),
    headroom: g.reduce((a, c) => a + c.headroom, 0),
    accuracy: mean(g.map((c) => c.correct / c.n)),
    initial: mean(g.map((c) => c.correctEmpty / c.n)),
  }));
}

/** One value per training seed: mean gain over the rows (workload seeds, partners), summed gained and headroom. */
export interface TrainSeedValue {
  trainSeed: number;
  gain: number;
  gained: number;
  headroom: number;
}

/** Collapse gain rows to one value per training seed, ascending. */
export function perTrainSeed(rows: readonly SeedGain[]): TrainSeedValue[] {
  return [...groupBy(rows, (r) => String(r.trainSeed)).values()].map((s) => ({
    trainSeed: s[0].trainSeed,
    gain: mean(s.map((x) => x.gain)),
    gained: s.reduce((a, x) => a + x.gained, 0),
    headroom: s.reduce((a, x) => a + x.headroom, 0),
  })).sort((a, b) => a.trainSeed - b.trainSeed);
}

/**
 * Base pass rate per tier: mean and t 95% over training seeds (clipped to
 * [0, 1]), the per-seed range, and the mean per frequency band.
 */
export function baseTable(tiers: readonly TierSummary[]) {
  return aq.from(tiers.map((t) => {
    const per = Object.values(t.bases);
    return {
      ladder: t.ladder,
      tier: t.label,
      steps: t.steps,
      params: t.numParams,
      base: t.base,
      lo: t.lo,
      hi: t.hi,
      seed_min: Math.min(...per),
      seed_max: Math.max(...per),
      train_seeds: per.length,
      ...Object.fromEntries(t.byBand.map((b, i) => [`band${i + 1}`, b])),
    };
  }));
}

/** Base pass rate of every tier model (one row per training seed), with a Wilson interval over the frozen set of `evalSize` queries. */
export function baseSeedTable(tiers: readonly Tier[], evalSize: number) {
  return aq.from(tiers.map((t) => {
    const [lo, hi] = wilson(Math.round(t.base * evalSize), evalSize);
    return { ladder: t.ladder, tier: t.label, train_seed: t.trainSeed, base: t.base, lo, hi };
  }));
}

/** The full evolver x agent matrix per ladder and rule: gain (t interval over training seeds) and share of headroom. */
export function matrixTable(gains: readonly SeedGain[]) {
  return aq.from([...groupBy(gains, (g) => keyOf(g.ladder, g.rule, g.evolver, g.agent)).values()].map((g) => {
    const m = meanInterval(perTrainSeed(g).map((x) => x.gain));
    const head = g.reduce((a, x) => a + x.headroom, 0);
    return {
      ladder: g[0].ladder,
      rule: g[0].rule,
      evolver: g[0].evolver,
      agent: g[0].agent,
      gain: m.mean,
      lo: m.lo,
      hi: m.hi,
      share: head > 0 ? g.reduce((a, x) => a + x.gained, 0) / head : NaN,
    };
  }));
}

export type Role = "writing" | "using";

/** Per training seed, the mean gain of each tier in its role (writing: over agents; using: over evolvers), over workload seeds. */
export function roleSeedValues(
  gains: readonly SeedGain[],
  role: Role,
  ladder: Ladder,
  rule: string,
  excludeOwn: boolean,
): Map<string, TrainSeedValue[]> {
  const mine = gains.filter((g) =>
    g.ladder === ladder && g.rule === rule && !(excludeOwn && g.evolver === g.agent)
  );
  const tierOf = (g: SeedGain) => role === "writing" ? g.evolver : g.agent;
  return new Map([...groupBy(mine, tierOf)].map(([tier, rows]) => [tier, perTrainSeed(rows)]));
}

/**
 * Writing or using gain per tier, both ways for the own sheet, against the
 * tier's base pass rate (mean over training seeds): columns ladder, rule, own,
 * tier, base, gain, lo, hi (t 95% over training seeds), share.
 */
export function roleTable(gains: readonly SeedGain[], tiers: readonly TierSummary[], role: Role) {
  const rows = [];
  for (const ladder of ["budget", "size"] as const) {
    for (const rule of [...new Set(gains.map((g) => g.rule))]) {
      for (const excludeOwn of [false, true]) {
        const per = roleSeedValues(gains, role, ladder, rule, excludeOwn);
        for (const t of tiers.filter((t) => t.ladder === ladder)) {
          const v = per.get(t.label) ?? [];
          const m = meanInterval(v.map((x) => x.gain));
          const head = v.reduce((a, x) => a + x.headroom, 0);
          rows.push({
            ladder,
            rule,
            own: excludeOwn ? "excluded" : "included",
            tier: t.label,
            base: t.base,
            gain: m.mean,
            lo: m.lo,
            hi: m.hi,
            share: head > 0 ? v.reduce((a, x) => a + x.gained, 0) / head : NaN,
            train_seeds: v.length,
          });
        }
      }
    }
  }
  return aq.from(rows);
}

/** What each evolver's sheets hold, per rule: mean entries and wrong entries per sheet. */
export function sheetTable(cells: readonly CellRow[]) {
  const one = cells.filter((c) => c.agent === cells[0].agent && c.arrangement === cells[0].arrangement);
  return aq.from([...groupBy(one, (c) => keyOf(c.ladder, c.rule, c.evolver)).values()].map((g) => ({
    ladder: g[0].ladder,
    rule: g[0].rule,
    evolver: g[0].evolver,
    entries: mean(g.map((c) => c.entries)),
    wrong: mean(g.map((c) => c.wrongEntries)),
  })));
}

/** Accuracy with sheets per arrangement (rule `rule`, every evolver), per agent: the position effect. */
export function arrangementTable(cells: readonly CellRow[], rule: string) {
  const mine = cells.filter((c) => c.rule === rule);
  return aq.from(
    [...groupBy(mine, (c) => keyOf(c.ladder, c.agent, c.arrangement.replace(/-\d+$/, ""))).values()]
      .map((g) => ({
        ladder: g[0].ladder,
        agent: g[0].agent,
        placement: g[0].arrangement.replace(/-\d+$/, ""),
        accuracy: g.reduce((a, c) => a + c.correct, 0) / g.reduce((a, c) => a + c.n, 0),
      })),
  );
}

/**
 * The uptake probe per agent: how often it uses a right entry on a key it did
 * not know, and how often it copies a wrong entry on a key it knew (Wilson
 * intervals over probe answers pooled over training and workload seeds).
 */
export function probeTable(
  probes: readonly ProbeRow[],
  tiers: readonly { ladder: Ladder; label: string; base: number }[],
) {
  return aq.from(tiers.map((t) => {
    const mine = probes.filter((p) => p.ladder === t.ladder && p.agent === t.label);
    const right = mine.filter((p) => p.kind === "right-unknown");
    const wrong = mine.filter((p) => p.kind === "wrong-known");
    const used = right.filter((p) => p.answer === p.truth).length;
    const copied = wrong.filter((p) => p.answer === p.entry).length;
    const kept = wrong.filter((p) => p.answer === p.truth).length;
    const [uLo, uHi] = wilson(used, right.length);
    const [cLo, cHi] = wilson(copied, wrong.length);
    return {
      ladder: t.ladder,
      agent: t.label,
      base: t.base,
      uses_right: right.length ? used / right.length : NaN,
      uses_lo: uLo,
      uses_hi: uHi,
      n_right: right.length,
      copies_wrong: wrong.length ? copied / wrong.length : NaN,
      copies_lo: cLo,
      copies_hi: cHi,
      keeps_own: wrong.length ? kept / wrong.length : NaN,
      n_wrong: wrong.length,
    };
  }));
}
