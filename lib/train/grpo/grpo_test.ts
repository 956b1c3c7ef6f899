import * as tf from "@tensorflow/tfjs";
import {
  assertAlmostEquals,
  assertEquals,
  assertNotEquals,
  assertStringIncludes,
  assertThrows,
} from "@std/assert";
import { tinySftConfig, useWasm } from "../../../tests/helpers/tiny.ts";
import { LabError } from "../../core/errors.ts";
import { runSft } from "../sft.ts";
import { parseGrpoConfig } from "./config.ts";
import { runGrpo, trainGrpo } from "./grpo.ts";

await useWasm();

// A start model that writes well-formed answers (about 2 s), so rewards are not all zero.
const start = tinySftConfig({
  steps: 100,
  lr: 0.01,
  batch_size: 16,
  eval_every: 100,
  model: { n_layer: 1, n_head: 2, n_embd: 16, block_size: 32 },
});
const tiny = (over: Record<string, unknown> = {}) => ({
  seed: 1,
  backend: "wasm",
  start,
  levels: [1, 2, 3],
  steps: 4,
  prompts_per_step: 3,
  group_size: 4,
  lr: 1e-3,
  eval_every: 2,
  eval_per_level: 4,
  band_prompts: 2,
  checkpoint_every: 2,
  samples_per_level: 1,
  ...over,
});

let startDir = "";
const root = await Deno.makeTempDir();
async function startModel(): Promise<string> {
  if (!startDir) {
    const s = await runSft(start, { root });
    startDir = `${s.dir}/${s.result.modelDir}`;
  }
  return startDir;
}

Deno.test("GRPO: same config gives identical metrics, another seed differs, and training leaks no tensors", async () => {
  const dir = await startModel();
  const before = tf.memory().numTensors;
  const a = await trainGrpo(
    parseGrpoConfig(tiny({ kl_coef: 0.1, inner_epochs: 2, checkpoint_every: 2 })),
    dir,
    {},
  );
  assertEquals(tf.memory().numTensors, before);
  const b = await trainGrpo(
    parseGrpoConfig(tiny({ kl_coef: 0.1, inner_epochs: 2, checkpoint_every: 2 })),
    dir,
    {},
  );
  const c = await trainGrpo(parseGrpoConfig(tiny({ seed: 2, kl_coef: 0.1, inner_epochs: 2 })), dir, {});
  assertEquals(a.metrics, b.metrics);
  const rewards = (r: typeof a) => r.metrics.filter((m) => m.step > 0).map((m) => m.reward as number);
  assertEquals(rewards(a).some((x) => x > 0), true); // the test exercises non-zero advantages
  assertNotEquals(rewards(a), rewards(c));
  assertNotEquals(a.metrics.at(-1)!.loss, 0);
  // step 0 measurement + 4 steps; measurements at 0, 2, 4
  assertEquals(a.metrics.length, 5);
  assertEquals(
    [0, 2, 4].every((s) => typeof a.metrics.find((m) => m.step === s)?.pass_L3 === "number"),
    true,
  );
  assertEquals(typeof a.metrics[1].kl, "number");
  assertEquals(a.startPass.length, 3);
  assertAlmostEquals(a.startWeights.reduce((x, y) => x + y, 0), 1, 1e-12);
});

Deno.test("GRPO: an interrupted run resumes from its checkpoint and ends bit-identical", async () => {
  const dir = await startModel();
  const config = parseGrpoConfig(tiny({ curriculum: { kind: "adaptive_band" } }));
  const whole = await trainGrpo(config, dir, {});
  const workDir = await Deno.makeTempDir();
  // Stop after the step-2 checkpoint by failing the next step's measurement.
  let calls = 0;
  await trainGrpo(config, dir, {
    workDir,
    onMetrics: (m) => {
      if (m.step === 3 && ++calls) throw new Error("interrupted");
    },
  }).catch(() => {});
  const resumed = await trainGrpo(config, dir, { workDir });
  assertEquals(resumed.resumedFrom, 2);
  assertEquals(resumed.metrics, whole.metrics);
  await Deno.remove(workDir, { recursive: true });
});

Deno.test("GRPO through the cache; dynamic filtering skips flat batches instead of failing", async () => {
  const first = await runGrpo(tiny({ dynamic_filter: true }), { root });
  const again = await runGrpo(tiny({ dynamic_filter: true }), { root });
  assertEquals([first.cached, again.cached], [false, true]);
  const steps = first.result.metrics.filter((m) => m.step > 0);
  for (const m of steps) {
    // a step without an informative group is skipped (no loss); otherwise it trains on the kept groups
    if (m.kept_groups === 0) assertEquals([m.skipped, m.loss], [1, undefined]);
    else assertEquals(typeof m.loss, "number");
  }
  assertEquals(steps.some((m) => (m.kept_groups as number) < 3), true); // flat groups were dropped
});

Deno.test("GRPO with a replay of gold harness calls: trains on them, leaks nothing; absent, the config is unchanged", async () => {
  const dir = await startModel();
  const replay = { rows: 3, mix: [{ format: "plan" }, { format: "bare", levels: [1] }] };
  const before = tf.memory().numTensors;
  const a = await trainGrpo(parseGrpoConfig(tiny({ replay })), dir, {});
  assertEquals(tf.memory().numTensors, before);
  const plain = await trainGrpo(parseGrpoConfig(tiny()), dir, {});
  const ce = a.metrics.filter((m) => m.step > 0).map((m) => m.replay_ce);
  assertEquals(ce.length, 4);
  assertEquals(ce.every((x) => typeof x === "number" && x > 0), true);
  assertEquals(plain.metrics.some((m) => "replay_ce" in m), false);
  // the replay is drawn after the rollouts: the first rewards agree, the updates (and so the losses) differ
  assertEquals(a.metrics[1].reward, plain.metrics[1].reward);
  assertNotEquals(a.metrics[1].loss, plain.metrics[1].loss);
  // an absent replay is no field at all, so every existing GRPO cache key stays what it was
  assertEquals("replay" in parseGrpoConfig(tiny()), false);
});

// [change, message fragment]: cross-field errors quote the values.
const bad: [Record<string, unknown>, string][] = [
  [{ inner_epochs: 2, clip: null }, "inner_epochs 2 reuses each batch, which needs clip; got clip null"],
  [{ inner_epochs: 3, steps: 6, eval_every: 2 }, "eval_every 2 must be a multiple of inner_epochs 3"],
  [{ band_prompts: 9 }, "band_prompts 9 exceeds eval_per_level 4"],
  [{ levels: [1, 2, 2] }, "level 2 is listed twice"],
  [{ curriculum: { kind: "static_band", low: 0.9, high: 0.1 } }, "static band low 0.9 exceeds high 0.1"],
  [{ curriculum: { kind: "hardest" } }, "field 'curriculum.kind'"],
  [{ advantage: { scale: "std" } }, "field 'advantage.scale'"],
  [{ group_size: 1 }, "field 'group_size'"],
  [{ stepz: 3 }, "unknown field 'stepz'"],
  [{ start: { ...start, steps: 0 } }, "field 'start.steps'"],
  [
    { levels: [1, 5] },
    "level 5 needs 45 tokens but the start model's block_size is 32; drop the level or raise start.model.block_size",
  ],
  [{ levels: [1, 17] }, "level 17 is not a arithmetic level (1..16)"],
  [{ replay: { rows: 2, mix: [{ format: "draft" }] } }, "format 'draft' does not exist for arithmetic"],
];
for (const [change, fragment] of bad) {
  Deno.test(`GRPO config error: ${fragment}`, () => {
    const e = assertThrows(() => parseGrpoConfig(tiny(change)), LabError);
    assertStringIncludes(e.message, fragment);
  });
}

Deno.test({
  name: "cleanup",
  fn: async () => await Deno.remove(root, { recursive: true }),
});
