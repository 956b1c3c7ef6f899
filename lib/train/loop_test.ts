import * as tf from "@tensorflow/tfjs";
import { assert, assertEquals, assertRejects, assertStringIncludes } from "@std/assert";
import { randomTokens, tinyModel, useWasm } from "../../tests/helpers/tiny.ts";
import { AdamW } from "./optimizer.ts";
import { type LoopSpec, runLoop } from "./loop.ts";
import { Rng } from "../core/rng.ts";
import { LabError } from "../core/errors.ts";

await useWasm();

/** A loop over random-token batches; `failAt` throws (an interruption) or returns NaN there. */
function spec(
  workDir: string | undefined,
  total: number,
  over: Partial<LoopSpec> = {},
  fault?: { at: number; kind: "throw" | "nan" },
) {
  const model = tinyModel({}, 4);
  const optimizer = new AdamW(model.params, {
    beta1: 0.9,
    beta2: 0.99,
    eps: 1e-8,
    weightDecay: 0.1,
    gradClip: 1,
  });
  const s: LoopSpec = {
    model,
    optimizer,
    schedule: { lr: 3e-3, minLr: 3e-4, warmupSteps: 2, totalSteps: total },
    rng: new Rng(11),
    lossFn: (step, rng) => {
      if (fault && step === fault.at && fault.kind === "throw") throw new Error("interrupted");
      const rows = randomTokens(rng, 8, 9, 16);
      const ids = tf.tensor2d(rows.map((r) => r.slice(0, 8)), undefined, "int32");
      const tg = tf.tensor2d(rows.map((r) => r.slice(1)), undefined, "int32");
      const w = tf.onesLike(ids).toFloat() as tf.Tensor2D;
      let loss = model.loss(ids, tg, w);
      if (fault && step === fault.at && fault.kind === "nan") loss = tf.mul(loss, NaN) as tf.Scalar;
      tf.dispose([ids, tg, w]);
      return { loss, tokens: 64 };
    },
    evalEvery: 3,
    evaluate: () => ({ wte_sum: model.params.get("transformer.wte.weight")!.sum().dataSync()[0] }),
    checkpointEvery: 2,
    workDir,
    ...over,
  };
  return s;
}

function dispose(s: LoopSpec) {
  s.optimizer.dispose();
  s.model.dispose();
}

Deno.test("training steps leak no tensors", async () => {
  const s = spec(undefined, 3, { evaluate: undefined });
  await runLoop(s);
  const before = tf.memory().numTensors;
  await runLoop({ ...s, schedule: { ...s.schedule, totalSteps: 9 } }); // 9 more steps, same model
  assertEquals(tf.memory().numTensors, before);
  dispose(s);
});

Deno.test("an interrupted run resumes from its checkpoint bit-identical to an uninterrupted one", async () => {
  const straight = spec(undefined, 7);
  const ref = await runLoop(straight);
  const refWeights = straight.model.stateDict();
  dispose(straight);

  const dir = await Deno.makeTempDir();
  const first = spec(dir, 7, {}, { at: 5, kind: "throw" });
  await assertRejects(() => runLoop(first), Error, "interrupted");
  dispose(first);
  const second = spec(dir, 7);
  const resumed = await runLoop(second);
  assertEquals(resumed.resumedFrom, 4);
  assertEquals(resumed.metrics, ref.metrics);
  for (const [k, t] of second.model.stateDict()) assertEquals(t.data, refWeights.get(k)!.data, k);
  dispose(second);
  await Deno.remove(dir, { recursive: true });
});

Deno.test("a NaN loss stops with a LabError and keeps the last good checkpoint", async () => {
  const dir = await Deno.makeTempDir();
  const s = spec(dir, 8, {}, { at: 4, kind: "nan" });
  const e = await assertRejects(() => runLoop(s), LabError);
  assertStringIncludes(e.message, "training diverged at step 5: loss=NaN");
  assertStringIncludes(e.message, `last good checkpoint is kept in ${dir}/checkpoint`);
  const state = JSON.parse(await Deno.readTextFile(`${dir}/checkpoint/state.json`));
  assertEquals(state.step, 4);
  dispose(s);
  await Deno.remove(dir, { recursive: true });
});

Deno.test("loss falls when fitting a fixed batch (the loop really trains)", async () => {
  const fixed = randomTokens(new Rng(2), 8, 9, 16);
  const s = spec(undefined, 60, {
    evaluate: undefined,
    schedule: { lr: 1e-2, minLr: 1e-3, warmupSteps: 5, totalSteps: 60 },
    lossFn: () => {
      const ids = tf.tensor2d(fixed.map((r) => r.slice(0, 8)), undefined, "int32");
      const tg = tf.tensor2d(fixed.map((r) => r.slice(1)), undefined, "int32");
      const w = tf.onesLike(ids).toFloat() as tf.Tensor2D;
      const loss = s.model.loss(ids, tg, w);
      tf.dispose([ids, tg, w]);
      return { loss, tokens: 64 };
    },
  });
  const { metrics } = await runLoop(s);
  const first = metrics[0].loss as number, last = metrics.at(-1)!.loss as number;
  assert(last < 0.5 * first, `loss ${first} -> ${last}`);
  dispose(s);
});
