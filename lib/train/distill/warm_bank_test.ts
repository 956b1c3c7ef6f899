import * as tf from "@tensorflow/tfjs";
import { assertEquals, assertThrows } from "@std/assert";
import { tinySftConfig, useWasm } from "../../../tests/helpers/tiny.ts";
import { Rng } from "../../core/rng.ts";
import { DraftVerify, DraftVerifyConfigSchema } from "../../harness/draft_verify.ts";
import { MemoryBank } from "../../harness/memory_bank.ts";
import { ScriptedModel } from "../../harness/testdata/scripted.ts";
import { makeTask, TaskSettingsSchema } from "../../tasks/task.ts";
import { runSft } from "../sft.ts";
import { parseDistillConfig } from "./config.ts";
import { trainDistill } from "./distill.ts";
import { BANK_FILE, bankEntries, bankState, contextsThenGrow } from "./warm_bank.ts";

await useWasm();

const task = makeTask(TaskSettingsSchema.parse({ family: "precedent" }));
const harnessConfig = { kind: "draft_verify", k: 2, confirmers: 2, challengers: 2, min_bank: 4 } as const;
const harness = new DraftVerify(DraftVerifyConfigSchema.parse(harnessConfig));
// Drafts "A", the verify call answers "B": every run past min_bank revises.
const scripted = () => new ScriptedModel(96, (role) => (role === "verify" ? "B$" : "A$"));

for (const kind of ["answer_like", "trace"] as const) {
  Deno.test(`warm bank (${kind}): each step's contexts are what the harness built on the bank before the step, then the bank grows by exactly the batch's labels`, () => {
    const rng = new Rng(5);
    const bank = new MemoryBank();
    const context = { source: "harness", kind, builder: "live" } as const;
    for (let step = 0; step < 3; step++) {
      const problems = Array.from({ length: 3 }, () => task.sample(rng, 1 + rng.int(3)));
      const before = bank.entries();
      const expected = harness.run(scripted(), problems, { bank: new MemoryBank(before) });
      const built = contextsThenGrow(context, problems, { model: scripted(), harness, bank });
      assertEquals(built.blocks, expected.map((r) => r.teacher[kind]));
      assertEquals(built.harnessCorrect, expected.map((r) => r.correct));
      assertEquals(bank.entries(), [
        ...before,
        ...problems.map((p) => ({ prompt: p.prompt, label: p.answer, level: p.level })),
      ]);
      // Bank sizes 0, 3 (below min_bank 4: zero-shot, the bare answer twice), then 6 (draft A, verdict B).
      const blocks = built.blocks[0];
      if (step < 2) assertEquals(blocks.slice(-2), [["A"], ["A"]]);
      else assertEquals(blocks.slice(-2), [["A"], ["B"]]);
      if (kind === "trace" && step === 2) assertEquals(blocks.length, 4); // confirmers | challengers | draft | final
    }
  });
}

Deno.test("warm bank: checkpoint state round-trips, and restoring into a non-empty bank is refused", () => {
  const bank = new MemoryBank(bankEntries([task.sample(new Rng(1), 2), task.sample(new Rng(2), 3)]));
  const copy = new MemoryBank();
  bankState(copy).restore(JSON.parse(JSON.stringify(bankState(bank).save())));
  assertEquals(copy.entries(), bank.entries());
  assertThrows(() => bankState(copy).restore(bankState(bank).save()), Error, "must be empty");
});

// A tiny precedent start model that writes drafts and verdicts (a few seconds).
const start = tinySftConfig({
  task: { family: "precedent" },
  model: { n_layer: 1, n_head: 2, n_embd: 16, block_size: 48 },
  train_levels: [1, 2],
  steps: 30,
  lr: 0.01,
  batch_size: 16,
  mix: [{ format: "bare", weight: 1 }, { format: "draft", weight: 1 }, { format: "verify", weight: 1 }],
  formats: { k: 2, confirmers: 2, challengers: 2, pool_worlds: 4, pool_bank: 50 },
  eval_set: "precedent_eval",
  eval_levels: [1, 2],
  eval_every: 30,
});
const tiny = (over: Record<string, unknown> = {}) => ({
  seed: 1,
  backend: "wasm",
  start,
  levels: [1, 2],
  steps: 4,
  prompts_per_step: 4,
  lr: 1e-3,
  eval_every: 2,
  eval_per_level: 4,
  checkpoint_every: 2,
  harness: harnessConfig,
  teacher: { context: { source: "harness", kind: "trace", builder: "live" } },
  ...over,
});
const root = await Deno.makeTempDir();
const s = await runSft(start, { root });
const startDir = `${s.dir}/${s.result.modelDir}`;

Deno.test("precedent configs: the SFT objective needs no reference strength; OPSD needs 'answer'", () => {
  const sft = parseDistillConfig(tiny({ objective: "sft", harness: undefined, teacher: undefined }));
  assertEquals(sft.objective, "sft");
  assertThrows(
    () => parseDistillConfig(tiny({ teacher: { context: { source: "reference", strength: "solution" } } })),
    Error,
    "reference strength 'solution' does not exist for precedent",
  );
});

for (const retrieval of ["tfidf", "embedding"]) {
  Deno.test(`draft-verify distillation (${retrieval}): the bank grows by the batch each step, is saved, leaks no tensors`, async () => {
    const config = parseDistillConfig(tiny({ harness: { ...harnessConfig, retrieval } }));
    const outDir = await Deno.makeTempDir();
    const before = tf.memory().numTensors;
    const r = await trainDistill(config, startDir, { outDir });
    assertEquals(tf.memory().numTensors, before);
    // The contexts of step s see the labels of steps 1..s-1.
    assertEquals(r.metrics.filter((m) => m.step > 0).map((m) => m.bank_size), [0, 4, 8, 12]);
    // Steps 2-4 retrieve (bank >= min_bank 4): the teacher reads a context there.
    for (const m of r.metrics.filter((m) => m.step > 1)) assertEquals((m.context_tokens as number) > 0, true);
    assertEquals([r.bankFile, r.bankSize], [BANK_FILE, 16]);
    const saved = await MemoryBank.load(`${outDir}/${BANK_FILE}`);
    assertEquals(saved.size, 16);
    assertEquals(saved.entries().every((e) => e.level === 1 || e.level === 2), true);
    await Deno.remove(outDir, { recursive: true });
  });
}

Deno.test("draft-verify distillation: an interrupted run resumes with its checkpointed bank and ends bit-identical", async () => {
  const config = parseDistillConfig(tiny());
  const whole = await trainDistill(config, startDir, {});
  const workDir = await Deno.makeTempDir();
  await trainDistill(config, startDir, {
    workDir,
    onMetrics: (m) => {
      if (m.step === 3) throw new Error("interrupted");
    },
  }).catch(() => {});
  const resumed = await trainDistill(config, startDir, { workDir });
  assertEquals(resumed.resumedFrom, 2);
  assertEquals(resumed.metrics, whole.metrics);
  assertEquals(resumed.bankSize, 16);
  await Deno.remove(workDir, { recursive: true });
});

Deno.test({ name: "cleanup", fn: async () => await Deno.remove(root, { recursive: true }) });
