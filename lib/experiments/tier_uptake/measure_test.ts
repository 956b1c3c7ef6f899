import { assert, assertEquals } from "@std/assert";
import { useWasm } from "../../../tests/helpers/tiny.ts";
import { measureUptake, tiersOf, tierUptakeParams, trainLadders, workload } from "./mod.ts";
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
    const perLadder = (l: string) => tiers.filter((t) => t.ladder === l).length;
    const expected = ["budget", "size"].reduce(
      (a, l) => a + p.seeds.length * perLadder(l) ** 2 * p.rules.length * p.arrangements.length,
      0,
    );
    assertEquals(m.result.cells.length, expected);
    for (const c of m.result.cells) {
      assertEquals(c.n, p.n_dev + p.n_held);
      assert(c.headroom <= c.n - c.correctEmpty && c.correct <= c.n);
      if (c.rule !== "own") assertEquals(c.wrongEntries, 0); // the verifier kept only right entries
    }
    const sheet = await loadFactSheet(
      `${m.dir}/sheets/size/own/${tiers.at(-1)!.label}_seed${p.seeds[0]}.json`,
    );
    assertEquals(sheet.entries.length, Math.min(p.n_dev, 4));
    assertEquals(
      m.result.sheets,
      ["budget", "size"].reduce((a, l) => a + p.seeds.length * perLadder(l) * p.rules.length, 0),
    );
    const again = await measureUptake(p, runs, tiers, root);
    assertEquals([again.cached, again.result.cells], [true, m.result.cells]);
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});
