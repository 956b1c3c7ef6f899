import { assert, assertEquals } from "@std/assert";
import { useWasm } from "../../../tests/helpers/tiny.ts";
import {
  measureUptake,
  sheetName,
  tiersOf,
  tierUptakeParams,
  trainLadders,
  trainSeeds,
  workload,
} from "./mod.ts";
import { loadFactSheet } from "../../harness/edits/fact_sheet.ts";
import { FactTable } from "../../tasks/facts/table.ts";

await useWasm();

Deno.test("workload: disjoint dev, held-out and pool keys covering the table", () => {
  const t = FactTable.build({});
  const w = workload(t, 5, 8, 8);
  assertEquals(new Set([...w.dev, ...w.held, ...w.pool]).size, t.keys.length);
  assertEquals(workload(t, 5, 8, 8), w);
});

Deno.test("measureUptake fills both matrices in full, writes valid sheets, and is cached", async () => {
  const root = await Deno.makeTempDir();
  try {
    const p = tierUptakeParams("smoke");
    const runs = await trainLadders(p, { root, workers: 1 });
    const tiers = tiersOf(p, runs);
    const m = await measureUptake(p, runs, tiers, root);
    const nTrain = trainSeeds(p).length;
    assertEquals(nTrain >= 2, true); // smoke exercises several training seeds
    assertEquals(runs.length, nTrain * p.sizes.length); // budget_arch is a size in smoke
    assertEquals(new Set(runs.map((r) => r.run.key)).size, runs.length); // each training seed is its own run
    const perLadder = (l: string) => tiers.filter((t) => t.ladder === l).length / nTrain;
    const expected = ["budget", "size"].reduce(
      (a, l) => a + nTrain * p.seeds.length * perLadder(l) ** 2 * p.rules.length * p.arrangements.length,
      0,
    );
    assertEquals(m.result.cells.length, expected);
    for (const c of m.result.cells) {
      assertEquals(c.n, p.n_dev + p.n_held);
      assert(c.headroom <= c.n - c.correctEmpty && c.correct <= c.n);
      if (c.rule !== "own") assertEquals(c.wrongEntries, 0); // the verifier kept only right entries
    }
    const sheet = await loadFactSheet(
      `${m.dir}/sheets/size/own/${sheetName(tiers.at(-1)!.label, tiers.at(-1)!.trainSeed, p.seeds[0])}`,
    );
    assertEquals(sheet.entries.length, Math.min(p.n_dev, 4));
    assertEquals(
      m.result.sheets,
      ["budget", "size"].reduce((a, l) => a + nTrain * p.seeds.length * perLadder(l) * p.rules.length, 0),
    );
    // Every training seed fills its own matrix: the same (evolver, agent) pair per training seed.
    const trainOf = new Set(m.result.cells.map((c) => c.train_seed));
    assertEquals([...trainOf].sort(), trainSeeds(p));
    const again = await measureUptake(p, runs, tiers, root);
    assertEquals([again.cached, again.result.cells], [true, m.result.cells]);
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});
