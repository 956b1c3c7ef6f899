import { assert, assertEquals } from "@std/assert";
import { cachedRun, listRuns } from "../../core/run_cache.ts";
import { configSummary, dirSize, formatBytes, lsTable } from "./ls.ts";

Deno.test("configSummary: the knobs that tell runs apart, in a fixed order, cut to a width", () => {
  const grpo = {
    seed: 1,
    steps: 4,
    lr: 5e-4,
    curriculum: { kind: "static_band" },
    kl_coef: 0,
    start: { steps: 30 },
  };
  assertEquals(
    configSummary(grpo),
    "seed=1 steps=4 lr=0.0005 curriculum=static_band kl_coef=0 start_steps=30",
  );
  assertEquals(configSummary(grpo, 20), "seed=1 steps=4 lr=0…");
  assertEquals(configSummary({ train_levels: [1, 2], other: { deep: 1 } }), "train_levels=1,2");
  assertEquals([formatBytes(512), formatBytes(73_113), formatBytes(3 * 1024 ** 3)], [
    "512 B",
    "71.4 KB",
    "3.0 GB",
  ]);
});

Deno.test("lsTable: kind, key, created, size and config per entry; a broken entry says what is wrong", async () => {
  const root = await Deno.makeTempDir();
  try {
    const run = await cachedRun(
      { kind: "sft", version: "1", config: { seed: 2, steps: 40 }, root, log: () => {} },
      async (ctx) => await Deno.writeFile(`${ctx.outDir}/w.bin`, new Uint8Array(2048)),
    );
    await Deno.mkdir(`${root}/sft/ffffffffffffffff`); // sorts after any real key
    const entries = await listRuns(root);
    const sizes = await Promise.all(entries.map((e) => dirSize(e.dir)));
    const created = entries[0].manifest!.createdAt.slice(0, 16).replace("T", " ");
    assertEquals(lsTable(entries, sizes).map((l) => l.split(/ {2,}/)), [
      ["kind", "key", "created (UTC)", "size", "config"],
      ["sft", run.key, created, formatBytes(sizes[0]), "seed=2 steps=40"],
      ["sft", "ffffffffffffffff", "-", "0 B", "PARTIAL: no manifest.json: the run did not finish"],
    ]);
    assert(
      sizes[0] > 2048 && sizes[0] < 4096,
      `${sizes[0]} bytes: the 2 KB artifact, config, result, manifest`,
    );
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});
