import * as tf from "@tensorflow/tfjs";
import { assert, assertEquals, assertThrows } from "@std/assert";
import { useWasm } from "../../../tests/helpers/tiny.ts";
import { parseFactPretrainConfig, trainFactPretrain } from "./pretrain.ts";
import { loadModelDir } from "../../model/checkpoint.ts";

await useWasm();

Deno.test("fact pre-training config: bad values name the field and the fix", () => {
  const cases: [Record<string, unknown>, string][] = [
    [{ steps: 10, snapshots: [20] }, "snapshot 20 is past steps 10"],
    [{ model: { block_size: 16 } }, "block_size 16 is too short for a 4-slot sheet (26 tokens)"],
    [{ steps: 10, warmup_steps: 10 }, "warmup_steps 10 must be below steps 10"],
    [{ mix: { p_wrong: 2 } }, "field 'mix.p_wrong'"],
    [{ table: { n_keys: 1000 } }, "field 'table.n_keys'"],
  ];
  for (const [input, msg] of cases) assertThrows(() => parseFactPretrainConfig(input), Error, msg);
});

Deno.test("fact pre-training: snapshots at the listed steps, deterministic, no tensor leak", async () => {
  const config = parseFactPretrainConfig({
    steps: 6,
    snapshots: [2, 4],
    batch_size: 8,
    warmup_steps: 1,
    backend: "wasm",
    model: { n_layer: 1, n_embd: 16, n_head: 2 },
  });
  const dirs = [await Deno.makeTempDir(), await Deno.makeTempDir()];
  try {
    const before = tf.memory().numTensors;
    const a = await trainFactPretrain(config, { outDir: dirs[0] });
    assertEquals(tf.memory().numTensors, before);
    const b = await trainFactPretrain(config, { outDir: dirs[1] });
    assertEquals(a.snapshots.map((s) => s.step), [2, 4, 6]);
    assertEquals(a.metrics.map((m) => m.loss), b.metrics.map((m) => m.loss));
    assertEquals(a.snapshots.map((s) => s.byBand), b.snapshots.map((s) => s.byBand));
    for (const s of a.snapshots) {
      assertEquals(s.byBand.length, 4);
      assert(s.accuracy >= 0 && s.accuracy <= 1);
      const md = await loadModelDir(`${dirs[0]}/${s.modelDir}`);
      assertEquals(md.config.n_embd, 16);
    }
  } finally {
    for (const d of dirs) await Deno.remove(d, { recursive: true });
  }
});
