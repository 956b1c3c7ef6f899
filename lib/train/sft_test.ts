import { assertEquals, assertNotEquals, assertStringIncludes, assertThrows } from "@std/assert";
import { tinySftConfig, useWasm } from "../../tests/helpers/tiny.ts";
import { parseSftConfig, runSft, trainSft } from "./sft.ts";
import { LabError } from "../core/errors.ts";
import { backendInfo } from "../core/backend.ts";

await useWasm();

const tiny = tinySftConfig();

Deno.test("same config and seed give bit-identical metrics; another seed does not", async () => {
  const a = await trainSft(parseSftConfig(tiny), {});
  const b = await trainSft(parseSftConfig(tiny), {});
  const c = await trainSft(parseSftConfig({ ...tiny, seed: 4 }), {});
  assertEquals(a.metrics, b.metrics);
  assertEquals(a.final, b.final);
  assertEquals(a.metrics.length, 7); // step 0 evaluation + 6 steps
  assertEquals(a.metrics[3].acc_L1 !== undefined && a.metrics[6].acc_L2 !== undefined, true);
  assertNotEquals(a.metrics.map((m) => m.loss), c.metrics.map((m) => m.loss));
  assertEquals(a.metrics[1].loss === c.metrics[1].loss, false);
  assertEquals(a.backend, backendInfo().kernels === "openblas" ? "wasm+openblas" : "wasm");
});

Deno.test("runSft goes through the cache: the second call is cached and equal", async () => {
  const root = await Deno.makeTempDir();
  const first = await runSft(tiny, { root });
  const second = await runSft(tiny, { root });
  assertEquals([first.cached, second.cached], [false, true]);
  assertEquals(second.result.metrics, first.result.metrics);
  assertEquals((await Deno.stat(`${second.dir}/model/model.safetensors`)).isFile, true);
  const other = await runSft({ ...tiny, lr: 0.002 }, { root });
  assertEquals(other.cached, false);
  await Deno.remove(root, { recursive: true });
});

// [change, message fragment]: cross-field errors quote the values.
const bad: [Record<string, unknown>, string][] = [
  [{ level_weights: [1, 2, 3] }, "level_weights has 3 entries but train_levels has 2"],
  [{ warmup_steps: 6 }, "warmup_steps 6 must be below steps 6"],
  [{ min_lr: 0.1, lr: 0.01 }, "min_lr 0.1 must not exceed lr 0.01"],
  [{ train_levels: [1, 17] }, "level 17 is not a arithmetic level (1..16)"],
  [{ train_levels: [9] }, "block_size 24 is too short for train_levels level 9 (77 tokens)"],
  [{ eval_levels: [1, 3] }, "block_size 24 is too short for eval_levels level 3 (29 tokens)"],
  [{ model: { n_embd: 15, n_head: 2 } }, "n_embd 15 must be divisible by n_head 2"],
  [{ stepz: 5 }, "unknown field 'stepz'"],
  [{ task: { family: "arithmetic", ops: ["/"] } }, "field 'task.ops.0'"],
  [{ steps: "10" }, "field 'steps': Invalid input: expected number, received string"],
];
for (const [change, fragment] of bad) {
  Deno.test(`SFT config error: ${fragment}`, () => {
    const e = assertThrows(() => parseSftConfig({ ...tiny, ...change }), LabError);
    assertStringIncludes(e.message, fragment);
  });
}
