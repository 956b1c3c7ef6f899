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
import { parseDistillConfig } from "./config.ts";
import { runDistill, trainDistill } from "./distill.ts";

await useWasm();

// A start model that can write plans and bare answers on short chains (a few seconds).
const start = tinySftConfig({
  steps: 60,
  lr: 0.01,
  batch_size: 16,
  eval_every: 60,
  model: { n_layer: 1, n_head: 2, n_embd: 16, block_size: 40 },
  mix: [{ format: "bare", weight: 3 }, { format: "plan", weight: 1, levels: [2, 3] }],
  formats: { segment_lengths: [2] },
});
const tiny = (over: Record<string, unknown> = {}) => ({
  seed: 1,
  backend: "wasm",
  start,
  levels: [2, 3],
  steps: 4,
  prompts_per_step: 4,
  lr: 1e-3,
  eval_every: 2,
  eval_per_level: 4,
  checkpoint_every: 2,
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

const OPHSD = {
  harness: { kind: "plan_solve", segment_length: 2 },
  teacher: { context: { source: "harness", kind: "trace", builder: "live" } },
};

Deno.test("distillation: deterministic per seed, other seeds differ, no tensor leaks (OPHSD with replay and anchor)", async () => {
  const dir = await startModel();
  const over = {
    ...OPHSD,
    replay: { rows: 2, mix: [{ format: "plan" }, { format: "bare", levels: [1, 2] }] },
    anchor_coef: 0.1,
  };
  const before = tf.memory().numTensors;
  const a = await trainDistill(parseDistillConfig(tiny(over)), dir, {});
  assertEquals(tf.memory().numTensors, before);
  const b = await trainDistill(parseDistillConfig(tiny(over)), dir, {});
  const c = await trainDistill(parseDistillConfig(tiny({ ...over, seed: 2 })), dir, {});
  assertEquals(a.metrics, b.metrics);
  assertNotEquals(a.metrics, c.metrics);
  // step 0 measurement + 4 steps; measurements at 0, 2, 4
  assertEquals(a.metrics.length, 5);
  for (const s of [0, 2, 4]) assertEquals(typeof a.metrics.find((m) => m.step === s)?.acc_L3, "number");
  const s1 = a.metrics[1];
  for (
    const key of [
      "divergence",
      "anchor_kl",
      "replay_ce",
      "harness_correct",
      "teacher_logp",
      "student_correct",
    ]
  ) {
    assertEquals(typeof s1[key], "number", key);
  }
  // Step 1: the student is still the start model, so the anchor's KL is 0.
  assertAlmostEquals(s1.anchor_kl as number, 0, 1e-5);
  assertEquals((s1.context_tokens as number) > 0, true);
  assertEquals(a.heldOutBefore.length, 8);
  assertEquals(a.heldOutAfter.length, 8);
});

Deno.test("distillation: a teacher that is the student under the bare prompt gives zero loss", async () => {
  const dir = await startModel();
  const r = await trainDistill(
    parseDistillConfig(tiny({ teacher: { weights: "current", context: { source: "none" } } })),
    dir,
    {},
  );
  for (const m of r.metrics.filter((m) => m.step > 0)) assertAlmostEquals(m.loss as number, 0, 1e-5);
  // A privileged context makes the frozen teacher differ from the student: positive loss.
  const opsd = await trainDistill(
    parseDistillConfig(tiny({ teacher: { context: { source: "reference", strength: "solution" } } })),
    dir,
    {},
  );
  assertEquals((opsd.metrics[1].loss as number) > 1e-3, true);
});

Deno.test("distillation: an interrupted run resumes from its checkpoint and ends bit-identical", async () => {
  const dir = await startModel();
  const config = parseDistillConfig(tiny({ loss: { kind: "jsd", beta: 0.5 } }));
  const whole = await trainDistill(config, dir, {});
  const workDir = await Deno.makeTempDir();
  let calls = 0;
  await trainDistill(config, dir, {
    workDir,
    onMetrics: (m) => {
      if (m.step === 3 && ++calls) throw new Error("interrupted");
    },
  }).catch(() => {});
  const resumed = await trainDistill(config, dir, { workDir });
  assertEquals(resumed.resumedFrom, 2);
  assertEquals(resumed.metrics, whole.metrics);
  await Deno.remove(workDir, { recursive: true });
});

Deno.test("distillation and the SFT objective through the cache", async () => {
  const first = await runDistill(tiny({ objective: "sft" }), { root });
  const again = await runDistill(tiny({ objective: "sft" }), { root });
  assertEquals([first.cached, again.cached], [false, true]);
  assertEquals(first.result.metrics.filter((m) => m.step > 0).every((m) => (m.loss as number) > 0), true);
});

// [change, message fragment]: cross-field errors quote the values.
const bad: [Record<string, unknown>, string][] = [
  [{ levels: [2, 2] }, "level 2 is listed twice"],
  [{ levels: [9] }, "level 9 needs"],
  [{ teacher: { context: { source: "harness" } } }, "needs a harness config"],
  [
    { harness: { kind: "draft_verify" }, teacher: { context: { source: "harness" } } },
    "serves precedent, but the task is arithmetic",
  ],
  [{ loss: { kind: "jsd", beta: 1 } }, "use kind reverse_kl"],
  [{ objective: "sft", anchor_coef: 0.1 }, "objective 'sft' trains on reference solutions"],
  [{ replay: { rows: 2, mix: [{ format: "draft" }] } }, "format 'draft' does not exist for arithmetic"],
  [{ warmup_steps: 4 }, "warmup_steps 4 must be below steps 4"],
  [{ teacher: { context: { source: "reference", strength: "hint" } } }, "field 'teacher.context.strength'"],
];
for (const [change, fragment] of bad) {
  Deno.test(`distillation config error: ${fragment}`, () => {
    const e = assertThrows(() => parseDistillConfig(tiny(change)), LabError);
    assertStringIncludes(e.message, fragment);
  });
}

Deno.test({
  name: "cleanup",
  fn: async () => await Deno.remove(root, { recursive: true }),
});
