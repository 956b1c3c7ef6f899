import * as tf from "@tensorflow/tfjs";
import { assertAlmostEquals, assertEquals } from "@std/assert";
import { useWasm } from "../../tests/helpers/tiny.ts";
import { Rng } from "../core/rng.ts";
import { Gpt } from "../model/gpt.ts";
import { parseGptConfig } from "../model/config.ts";
import { TaskSettingsSchema } from "../tasks/task.ts";
import { VOCAB_SIZE } from "../tasks/tokenizer.ts";
import { makeReplay, replayIssues, ReplaySchema } from "./replay.ts";
import { groupByFormat, groupedLoss } from "./sft_mix.ts";

await useWasm();

const task = TaskSettingsSchema.parse({ family: "arithmetic", ops: ["+", "-"] });

Deno.test("replay: none when rows is 0 or the field is absent", () => {
  assertEquals(makeReplay(undefined, task, {}, [3]), null);
  assertEquals(makeReplay(ReplaySchema.parse({}), task, {}, [3]), null);
});

Deno.test("replay: draws `rows` rows from the mix, levels from the entry (else the trainer's levels)", () => {
  const r = makeReplay(
    ReplaySchema.parse({ rows: 40, mix: [{ format: "plan" }, { format: "bare", levels: [1, 2] }] }),
    task,
    {},
    [3],
  )!;
  const rows = r.draw(new Rng(5));
  assertEquals(rows.length, 40);
  assertEquals(new Set(rows.map((x) => x.format)), new Set(["plan", "bare"]));
  assertEquals(rows.filter((x) => x.format === "plan").every((x) => x.level === 3), true);
  assertEquals(rows.filter((x) => x.format === "bare").every((x) => x.level === 1 || x.level === 2), true);
  assertEquals(r.draw(new Rng(5)), rows); // seeded
});

Deno.test("replay: the loss is weight x the grouped cross-entropy, and leaks no tensors", () => {
  const model = Gpt.init(
    parseGptConfig({ vocab_size: VOCAB_SIZE, n_layer: 1, n_head: 2, n_embd: 16, block_size: 40 }),
    new Rng(1),
  );
  const replay = ReplaySchema.parse({ rows: 6, weight: 0.5, mix: [{ format: "plan" }, { format: "bare" }] });
  const r = makeReplay(replay, task, {}, [2])!;
  const rows = r.draw(new Rng(2));
  const before = tf.memory().numTensors;
  const { loss, ce } = tf.tidy(() => {
    const out = r.loss(model, rows, 40);
    return { loss: tf.keep(out.loss), ce: out.ce };
  });
  const want = tf.tidy(() => groupedLoss(model, groupByFormat(rows), 40).loss.dataSync()[0]);
  assertAlmostEquals(ce, want, 1e-6);
  assertAlmostEquals(loss.dataSync()[0], 0.5 * want, 1e-6);
  loss.dispose();
  assertEquals(tf.memory().numTensors, before);
  model.dispose();
});

Deno.test("replay: a format the family lacks is named, with the formats it has", () => {
  const issues = replayIssues(
    ReplaySchema.parse({ rows: 1, mix: [{ format: "plan" }, { format: "draft" }] }),
    "arithmetic",
  );
  assertEquals(issues.length, 1);
  assertEquals(issues[0].path, ["replay", "mix", 1, "format"]);
  assertEquals(
    issues[0].message.startsWith("format 'draft' does not exist for arithmetic; use one of"),
    true,
  );
});

Deno.test("replay: with rows 0 the mix is never drawn, so a precedent run keeps the default (plan) mix", () => {
  assertEquals(replayIssues(ReplaySchema.parse({}), "precedent"), []);
  assertEquals(replayIssues(ReplaySchema.parse({ rows: 1 }), "precedent").length, 1);
});
