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
import { runDistill, teacherRowCount, trainDistill } from "./distill.ts";

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

Deno.test("distillation: a frozen harness builder writes the start model's contexts whatever the student becomes", async () => {
  const dir = await startModel();
  // A huge learning rate changes the student at every step; the problem stream does not depend on it.
  const trace = (harness_weights: string | undefined, lr: number) =>
    trainDistill(
      parseDistillConfig(tiny({
        ...OPHSD,
        teacher: { ...OPHSD.teacher, ...(harness_weights ? { harness_weights } : {}) },
        lr,
        steps: 6,
        warmup_steps: 0,
      })),
      dir,
      {},
    );
  const contexts = (r: { metrics: { step: number; [k: string]: unknown }[] }) =>
    r.metrics.filter((m) => m.step > 0).map((m) => [m.context_tokens, m.harness_correct]);
  const frozenSlow = contexts(await trace("frozen", 1e-4));
  const frozenFast = contexts(await trace("frozen", 0.5));
  assertEquals(frozenFast, frozenSlow);
  // The reference's default: the current model builds the context, so a changed student changes it.
  const liveSlow = contexts(await trace(undefined, 1e-4));
  const liveFast = contexts(await trace(undefined, 0.5));
  assertEquals(liveSlow[0], liveFast[0]); // step 1: still the start model
  assertNotEquals(liveFast, liveSlow);
  assertEquals(liveSlow[0], frozenSlow[0]);
});

Deno.test("distillation: teacherRowCount is GKD's 1 - lambda of the prompts, none when absent", () => {
  assertEquals([undefined, 1, 0.5, 0.25, 0].map((f) => teacherRowCount(f, 16)), [0, 0, 8, 12, 16]);
});

Deno.test("distillation: teacher-sampled rows (student_fraction 0) equal on-policy ones when the teacher is the bare student", async () => {
  const dir = await startModel();
  const same = { teacher: { weights: "current", context: { source: "none" } } };
  const onPolicy = await trainDistill(parseDistillConfig(tiny(same)), dir, {});
  const offPolicy = await trainDistill(parseDistillConfig(tiny({ ...same, student_fraction: 0 })), dir, {});
  const steps = (r: typeof onPolicy) => r.metrics.filter((m) => m.step > 0);
  assertEquals(steps(offPolicy).map((m) => m.tokens), steps(onPolicy).map((m) => m.tokens));
  assertEquals(steps(offPolicy).map((m) => m.teacher_correct), steps(onPolicy).map((m) => m.student_correct));
  assertEquals(steps(offPolicy).every((m) => m.student_correct === undefined), true);
  // Half and half: both kinds of rows, and the tokens differ from the on-policy run's (the teacher here reads the solution).
  const opsd = { teacher: { context: { source: "reference", strength: "solution" } } };
  const a = await trainDistill(parseDistillConfig(tiny(opsd)), dir, {});
  const b = await trainDistill(parseDistillConfig(tiny({ ...opsd, student_fraction: 0.5 })), dir, {});
  assertEquals(typeof b.metrics[1].teacher_correct, "number");
  assertEquals(typeof b.metrics[1].student_correct, "number");
  assertNotEquals(steps(b).map((m) => m.teacher_logp), steps(a).map((m) => m.teacher_logp));
});

Deno.test("distillation config: harness_weights and student_fraction absent leave the parsed config (and its cache key) as before", () => {
  const c = parseDistillConfig(tiny(OPHSD));
  assertEquals("harness_weights" in c.teacher, false);
  assertEquals("student_fraction" in c, false);
  assertThrows(
    () => parseDistillConfig(tiny({ objective: "sft", student_fraction: 0.5 })),
    LabError,
    "student_fraction",
  );
  assertThrows(
    () => parseDistillConfig(tiny({ teacher: { harness_weights: "frozen" } })),
    LabError,
    "harness_weights",
  );
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
