import { assertEquals, assertRejects } from "@std/assert";
import { LabError } from "../core/errors.ts";
import { runKey } from "../core/run_cache.ts";
import { TRAINERS } from "../train/registry.ts";
import { planSweep } from "./plan.ts";
import { tinySftConfig } from "../../tests/helpers/tiny.ts";
import { parseSweepFile } from "./sweep_file.ts";

const plan = (input: Record<string, unknown>) =>
  planSweep(parseSweepFile(input, "s.json"), "s.json", "/store");

Deno.test("planSweep: each run keyed as its trainer keys it, the sweep folder named from its runs", async () => {
  const p = await plan({
    name: "w",
    trainer: "sft",
    base: { steps: 50, warmup_steps: 5 },
    grid: { seed: [0, 1] },
  });
  const key0 = (await runKey(await TRAINERS.sft.spec({ steps: 50, warmup_steps: 5, seed: 0 }, "/store")))
    .slice(0, 16);
  assertEquals(p.runs[0].key, key0);
  assertEquals(p.runs.map((r) => [r.index, r.label, r.kind, r.steps]), [[0, "seed=0", "sft", 50], [
    1,
    "seed=1",
    "sft",
    50,
  ]]);
  assertEquals(p.runs[0].dir, `/store/sft/${key0}`);
  assertEquals([p.root, p.dir], ["/store", `/store/sweeps/${p.id}`]);
  assertEquals(/^w-[0-9a-f]{8}$/.test(p.id), true);
  // The same runs listed in another order are the same sweep folder.
  const q = await plan({
    name: "w",
    trainer: "sft",
    base: { steps: 50, warmup_steps: 5 },
    grid: { seed: [1, 0] },
  });
  assertEquals(q.id, p.id);
});

Deno.test("planSweep: a run its trainer rejects is named with the trainer's error", async () => {
  const e = await assertRejects(() => plan({ trainer: "sft", grid: { "model.n_embdd": [16] } }), LabError);
  assertEquals(e.message.split("\n").slice(0, 2), [
    "s.json: run 'model.n_embdd=16' is invalid:",
    "- unknown field 'model.n_embdd' (allowed: vocab_size, block_size, n_layer, n_head, n_embd, bias, activation, position, rope_base, random_position_offset). Fix: correct or remove the fields listed above (see the schema's defaults in lib/)",
  ]);
});

Deno.test("planSweep: two runs with one config are an error naming both", async () => {
  const e = await assertRejects(
    () => plan({ trainer: "sft", base: { seed: 0 }, variants: [{}, { seed: 0 }] }),
    LabError,
  );
  assertEquals(e.message.startsWith("s.json: runs 'base' and 'seed=0' have the same config (run sft/"), true);
});

Deno.test("planSweep works over any registered trainer: a GRPO grid over its own fields", async () => {
  const start = tinySftConfig({ steps: 20 });
  const p = await plan({
    trainer: "grpo",
    base: { start, levels: [1, 2], steps: 4, prompts_per_step: 2, group_size: 2 },
    grid: { kl_coef: [0, 0.05], "start.seed": [1, 2] },
  });
  assertEquals(p.runs.map((r) => [r.label, r.kind, r.steps]), [
    ["kl_coef=0 start.seed=1", "grpo", 4],
    ["kl_coef=0 start.seed=2", "grpo", 4],
    ["kl_coef=0.05 start.seed=1", "grpo", 4],
    ["kl_coef=0.05 start.seed=2", "grpo", 4],
  ]);
  assertEquals(new Set(p.runs.map((r) => r.key)).size, 4);
});
