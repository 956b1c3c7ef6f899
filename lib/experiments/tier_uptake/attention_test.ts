import { assertEquals, assertStringIncludes } from "@std/assert";
import { attentionSentence, attentionTable, bestHead } from "./attention.ts";
import type { ProbeRow } from "./measure.ts";

const round = (x: number) => Math.round(x * 1e6) / 1e6;

const probe = (train_seed: number, mass: number[]): ProbeRow => ({
  ladder: "size",
  agent: "a",
  train_seed,
  seed: 0,
  arrangement: "near-0",
  kind: "right-unknown",
  truth: "1",
  entry: "1",
  answer: "1",
  mass,
  uniform: 0.2,
});

Deno.test("bestHead: the head with the highest mean over prompts", () => {
  assertEquals(bestHead([[0.1, 0.5, 0.2], [0.3, 0.1, 0.2]]), { index: 1, mass: 0.3 });
  assertEquals(bestHead([[0.4, 0.1]]), { index: 0, mass: 0.4 });
});

Deno.test("attentionTable: per training seed mean and best head, t 95% over training seeds", () => {
  // Seed 0: prompts [0.2, 0.6], [0.4, 0.8] -> head means 0.3, 0.7: best 0.7; mean over heads 0.5.
  // Seed 1: prompts [0.5, 0.1], [0.3, 0.1] -> head means 0.4, 0.1: best 0.4; mean over heads 0.25.
  const rows = attentionTable(
    [probe(0, [0.2, 0.6]), probe(0, [0.4, 0.8]), probe(1, [0.5, 0.1]), probe(1, [0.3, 0.1])],
    [{ ladder: "size", label: "a", base: 0.5 }],
  ).objects() as Record<string, number>[];
  const r = rows[0];
  // best: 0.7, 0.4 -> mean 0.55, sd 0.212132, t(1) = 12.7062 -> half width 12.7062 * 0.15 = 1.90593
  assertEquals([round(r.mass_best), round(r.mass_mean), r.uniform, r.train_seeds], [0.55, 0.375, 0.2, 2]);
  // The interval of a mass is clipped to [0, 1]: 0.55 ± 1.906 -> [0, 1].
  assertEquals([r.best_lo, r.best_hi], [0, 1]);
  // Mean over heads: 0.5, 0.25 -> 0.375 ± 12.706 * 0.125 = 1.588 -> [0, 1] too; a tight one is not clipped:
  const tight = attentionTable(
    [probe(0, [0.2, 0.6]), probe(1, [0.22, 0.62])],
    [{ ladder: "size", label: "a", base: 0.5 }],
  ).objects() as Record<string, number>[];
  // best: 0.6, 0.62 -> mean 0.61, sd 0.0141421, half width 12.706 * 0.01 = 0.12706
  assertEquals([round(tight[0].best_lo), round(tight[0].best_hi)], [
    round(0.61 - 0.12706),
    round(0.61 + 0.12706),
  ]);
});

Deno.test("attentionSentence names each agent's best-head mass with the uniform reference", () => {
  const s = attentionSentence([{
    ladder: "size",
    agent: "a",
    base: 0.5,
    mass_mean: 0.25,
    mean_lo: 0.1,
    mean_hi: 0.4,
    mass_best: 0.6,
    best_lo: 0.5,
    best_hi: 0.7,
    uniform: 0.2,
    train_seeds: 3,
  }], "size");
  assertStringIncludes(s, "over 3 training seeds; uniform attention would give 0.20): a 0.60 [0.50, 0.70]");
});
