/**
 * The writing and using matrices, in full, and the uptake probe, as one cached
 * run over the ladders' models (kind "tier-uptake").
 *
 * Per ladder, training seed and workload seed (crossed: every training seed
 * meets the same workload seeds): dev keys (the evolver's development split) and
 * held-out keys are drawn uniformly from the table; the test split is both
 * (the sheet can only help on dev keys; held-out keys show what it costs
 * elsewhere). Every tier, as evolver, writes a sheet under each rule from its
 * own bare answers on the dev keys (lib/harness/edits/evolve.ts), saved as
 * JSON under the run's sheets/ folder. Every tier, as agent, answers the test
 * split with the initial harness (all slots blank) and with each evolver's
 * sheet under each arrangement (evolvers and agents of one training seed). The harness shows the agent either the
 * sheet's entry for the queried key alone (`harness: "retrieve"`, an exact key
 * match done by the harness, as a memory bank's lookup) or the whole sheet. A cell row counts, per
 * (training seed, seed, rule, evolver,
 * agent, arrangement): right answers with the sheet and with the initial
 * harness, and the headroom (test keys the agent got wrong initially whose
 * right entry is on the sheet).
 *
 * The probe: per agent and seed, a sheet of `probe_each` right entries on keys
 * the agent gets wrong with the initial harness and `probe_each` wrong entries
 * on keys it gets right; each probe row records what it answered and, from a
 * diagnostic forward pass (lib/sample/attention_mass.ts), the attention mass
 * the answer position puts on the probed entry's slot, per layer and head.
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * import { workload } from "./measure.ts";
 * import { FactTable } from "../../tasks/facts/table.ts";
 * const w = workload(FactTable.build({}), 3, 4, 2);
 * assertEquals([w.dev.length, w.held.length, w.dev.some((k) => w.held.includes(k))], [4, 2, false]);
 * ```
 */
import { type CachedRun, cachedRun } from "../../core/run_cache.ts";
import { selectBackend } from "../../core/backend.ts";
import { Rng } from "../../core/rng.ts";
import { loadModelDir } from "../../model/checkpoint.ts";
import { Gpt } from "../../model/gpt.ts";
import { answerFacts } from "../../sample/fact_answers.ts";
import { attentionMass } from "../../sample/attention_mass.ts";
import { FactTable } from "../../tasks/facts/table.ts";
import { type Arrangement, entrySpan, sheetPrompt } from "../../tasks/facts/sheet.ts";
import { otherDigit } from "../../tasks/facts/mix.ts";
import { evolveSheet } from "../../harness/edits/evolve.ts";
import { type FactSheet, saveFactSheet } from "../../harness/edits/fact_sheet.ts";
import { parseFactPretrainConfig } from "../../train/facts/pretrain.ts";
import { pretrainConfigs, type TierUptakeParams } from "./params.ts";
import type { Ladder, LadderRun, Tier } from "./runs.ts";

/** Bump when a change here changes results for the same config. */
export const TIER_UPTAKE_VERSION = "tier-uptake-3";

export interface CellRow {
  ladder: Ladder;
  /** The training seed of both evolver and agent. */
  train_seed: number;
  /** The workload seed. */
  seed: number;
  rule: string;
  evolver: string;
  agent: string;
  arrangement: string;
  n: number;
  correct: number;
  correctEmpty: number;
  headroom: number;
  entries: number;
  wrongEntries: number;
}

export interface ProbeRow {
  ladder: Ladder;
  agent: string;
  train_seed: number;
  seed: number;
  arrangement: string;
  kind: "right-unknown" | "wrong-known";
  truth: string;
  entry: string;
  answer: string;
  /** Attention mass of the answer position on the entry's slot, per (layer, head), layer-major. */
  mass: number[];
  /** The slot's share of the prompt: the mass uniform attention would give it. */
  uniform: number;
}

export interface UptakeResult {
  cells: CellRow[];
  probes: ProbeRow[];
  sheets: number;
  wallSeconds: number;
}

/** Where a sheet is saved under the run's sheets/LADDER/RULE/ folder. */
export function sheetName(evolver: string, trainSeed: number, seed: number): string {
  return `${evolver}_train${trainSeed}_seed${seed}.json`;
}

/** A seed's dev and held-out keys, disjoint, uniform over the table; the rest is the probe pool. */
export function workload(table: FactTable, seed: number, nDev: number, nHeld: number) {
  const keys = new Rng(seed).fork("tier-uptake/workload").shuffle([...table.keys]);
  return { dev: keys.slice(0, nDev), held: keys.slice(nDev, nDev + nHeld), pool: keys.slice(nDev + nHeld) };
}

function arrangementsFor(params: TierUptakeParams, seed: number): (Arrangement & { name: string })[] {
  return params.arrangements.map((placement, r) => ({
    name: `${placement}-${r}`,
    order: 1 + seed * 97 + r,
    placement,
  }));
}

/** Fill both matrices and the probe (cached). */
export async function measureUptake(
  params: TierUptakeParams,
  runs: readonly LadderRun[],
  tiers: readonly Tier[],
  root?: string,
): Promise<CachedRun<UptakeResult>> {
  const pre = parseFactPretrainConfig(pretrainConfigs(params)[0]);
  const { pretrain: _p, sizes: _s, budget_arch: _b, steps: _st, budget_steps: _bs, ...knobs } = params;
  const config = {
    ...knobs,
    table: pre.table,
    slots: pre.mix.slots,
    tiers: tiers.map((t) => ({
      ladder: t.ladder,
      label: t.label,
      train_seed: t.trainSeed,
      run: runs.find((r) => t.modelDir.startsWith(r.run.dir + "/"))!.run.key,
      step: t.steps,
    })),
  };
  return await cachedRun({ kind: "tier-uptake", version: TIER_UPTAKE_VERSION, config, root }, async (ctx) => {
    const t0 = performance.now();
    await selectBackend({});
    const table = FactTable.build(pre.table);
    const slots = pre.mix.slots;
    const cells: CellRow[] = [], probes: ProbeRow[] = [];
    let sheetCount = 0;
    for (const ladder of ["budget", "size"] as const) {
      for (const trainSeed of [...new Set(tiers.map((t) => t.trainSeed))]) {
        const ts = tiers.filter((t) => t.ladder === ladder && t.trainSeed === trainSeed);
        const models = await Promise.all(ts.map(async (t) => {
          const md = await loadModelDir(t.modelDir);
          return Gpt.fromStateDict(md.config, md.stateDict);
        }));
        try {
          for (const seed of params.seeds) {
            const w = workload(table, seed, params.n_dev, params.n_held);
            const test = [...w.dev, ...w.held];
            const arrs = arrangementsFor(params, seed);
            const sheets: FactSheet[] = [];
            for (const [e, evolver] of models.entries()) {
              for (const rule of params.rules) {
                const sheet = evolveSheet(evolver, table, w.dev, {
                  rule,
                  slots,
                  tries: params.tries,
                  evolver: ts[e].label,
                  seed,
                });
                await saveFactSheet(
                  `${ctx.outDir}/sheets/${ladder}/${rule}/${sheetName(ts[e].label, trainSeed, seed)}`,
                  sheet,
                );
                sheets.push(sheet);
                sheetCount++;
              }
            }
            const blank = (k: string) => sheetPrompt([], k, slots, { order: 0, placement: "near" });
            const shown = <E extends { key: string }>(entries: E[], k: string) =>
              params.harness === "retrieve" ? entries.filter((e) => e.key === k) : entries;
            for (const [a, agent] of models.entries()) {
              const empty = answerFacts(agent, test.map(blank));
              const prompts = sheets.flatMap((s) =>
                arrs.flatMap((arr) => test.map((k) => sheetPrompt(shown(s.entries, k), k, slots, arr)))
              );
              const answers = answerFacts(agent, prompts);
              let at = 0;
              for (const s of sheets) {
                const entry = new Map(s.entries.map((x) => [x.key, x.value]));
                const wrongEntries = s.entries.filter((x) => x.value !== table.value(x.key)).length;
                for (const arr of arrs) {
                  let correct = 0, correctEmpty = 0, headroom = 0;
                  test.forEach((k, i) => {
                    const truth = table.value(k);
                    if (answers[at + i] === truth) correct++;
                    if (empty[i] === truth) correctEmpty++;
                    else if (entry.get(k) === truth) headroom++;
                  });
                  at += test.length;
                  cells.push({
                    ladder,
                    train_seed: trainSeed,
                    seed,
                    rule: s.rule,
                    evolver: s.evolver,
                    agent: ts[a].label,
                    arrangement: arr.name,
                    n: test.length,
                    correct,
                    correctEmpty,
                    headroom,
                    entries: s.entries.length,
                    wrongEntries,
                  });
                }
              }
              // The probe: right entries on keys it does not know, wrong ones on keys it knows.
              const poolAnswers = answerFacts(agent, w.pool.map(blank));
              const unknown = w.pool.filter((k, i) => poolAnswers[i] !== table.value(k)).slice(
                0,
                params.probe_each,
              );
              const known = w.pool.filter((k, i) => poolAnswers[i] === table.value(k)).slice(
                0,
                params.probe_each,
              );
              const rng = new Rng(seed).fork(`tier-uptake/probe/${ts[a].label}/${trainSeed}`);
              const entries = [
                ...unknown.map((key) => ({ key, value: table.value(key), kind: "right-unknown" as const })),
                ...known.map((key) => ({
                  key,
                  value: otherDigit(table.value(key), rng),
                  kind: "wrong-known" as const,
                })),
              ];
              for (const arr of arrs) {
                const prompts = entries.map((x) => sheetPrompt(shown(entries, x.key), x.key, slots, arr));
                const got = answerFacts(agent, prompts);
                const spans = prompts.map((q, i) => {
                  const sp = entrySpan(q, entries[i].key);
                  if (!sp) throw new Error(`probe prompt '${q}' holds no slot for '${entries[i].key}'`);
                  return sp;
                });
                const mass = attentionMass(agent, prompts, spans);
                entries.forEach((x, i) =>
                  probes.push({
                    ladder,
                    agent: ts[a].label,
                    train_seed: trainSeed,
                    seed,
                    arrangement: arr.name,
                    kind: x.kind,
                    truth: table.value(x.key),
                    entry: x.value,
                    answer: got[i],
                    mass: mass[i],
                    uniform: (spans[i].end - spans[i].start) / prompts[i].length,
                  })
                );
              }
            }
          }
        } finally {
          models.forEach((m) => m.dispose());
        }
      }
    }
    return { cells, probes, sheets: sheetCount, wallSeconds: (performance.now() - t0) / 1000 };
  });
}
