import { assertAlmostEquals, assertEquals, assertThrows } from "@std/assert";
import { Rng } from "../core/rng.ts";
import { makeTask, TaskSettingsSchema } from "../tasks/task.ts";
import { DraftVerify, DraftVerifyConfigSchema } from "./draft_verify.ts";
import { evaluateMode, freshChunks, levelScores } from "./evaluate.ts";
import { MemoryBank } from "./memory_bank.ts";
import { PlanSolve, PlanSolveConfigSchema } from "./plan_solve.ts";
import { arithmeticOracle, ScriptedModel } from "./testdata/scripted.ts";
import type { HarnessResult, Problem } from "./types.ts";

const freshCases: [number, number, number[]][] = [
  [1, 8, [1]],
  [5, 8, [1, 1, 2, 1]],
  [40, 16, [1, 1, 2, 4, 8, 16, 8]],
  [100, 32, [1, 1, 2, 4, 8, 16, 32, 32, 4]],
];
for (const [n, B, want] of freshCases) {
  Deno.test(`freshChunks(${n}, ${B}): each chunk at most the bank's size`, () =>
    assertEquals(freshChunks(n, B), want));
}

const prec = makeTask(TaskSettingsSchema.parse({ family: "precedent" }));
const problems: Problem[] = (() => {
  const rng = new Rng(4);
  return Array.from({ length: 40 }, (_, i) => ({ ...prec.sample(rng, 1 + (i % 5)), id: `p${i}` }));
})();
const dv = new DraftVerify(DraftVerifyConfigSchema.parse({ kind: "draft_verify" }));
// A model that answers "A" to everything, so tests see only the harness's bookkeeping.
const answerA = () => new ScriptedModel(128, () => "A$");

Deno.test("fresh mode: zero-shot until the bank holds 10 labels, which arrive after each chunk's predictions", () => {
  const model = answerA();
  const out = evaluateMode(model, prec, dv, problems, "fresh", { batchSize: 16, seed: 3 });
  assertEquals(out.map((r) => r.problem), problems); // results come back in the problems' order
  assertEquals(model.batches.map((b) => [b.role, b.prompts.length]), [
    ["bare", 1],
    ["bare", 1],
    ["bare", 2],
    ["bare", 4],
    ["bare", 8], // bank 0, 1, 2, 4, 8: below 10
    ["draft", 16],
    ["verify", 16],
    ["draft", 8],
    ["verify", 8], // bank 16, then 32
  ]);
  assertEquals(out.filter((r) => r.facts.zero_shot).length, 16);
  // the seeded order decides which problems ran zero-shot; another seed, another set
  const other = evaluateMode(answerA(), prec, dv, problems, "fresh", { batchSize: 16, seed: 4 });
  assertEquals(
    out.map((r) => r.facts.zero_shot).join() === other.map((r) => r.facts.zero_shot).join(),
    false,
  );
});

Deno.test("warm mode retrieves from the given bank and leaves it as it was", () => {
  const bank = new MemoryBank(
    problems.slice(0, 12).map((p) => ({ prompt: p.prompt, label: p.answer, level: p.level })),
  );
  const model = answerA();
  evaluateMode(model, prec, dv, problems.slice(12), "warm", { warmBank: bank, batchSize: 64 });
  assertEquals([bank.size, model.batches.map((b) => b.role)], [12, ["draft", "verify"]]);
  assertThrows(
    () => evaluateMode(answerA(), prec, dv, problems, "warm"),
    Error,
    "needs the warm training bank",
  );
});

Deno.test("modes are checked per harness", () => {
  const ps = new PlanSolve(PlanSolveConfigSchema.parse({ kind: "plan_solve" }));
  const arith = makeTask(TaskSettingsSchema.parse({ family: "arithmetic", ops: ["+", "-"] }));
  const p = arith.sample(new Rng(1), 4);
  assertEquals(
    evaluateMode(new ScriptedModel(64, arithmeticOracle), arith, ps, [p], "harness")[0].correct,
    true,
  );
  assertThrows(
    () => evaluateMode(new ScriptedModel(64, arithmeticOracle), arith, ps, [p], "fresh"),
    Error,
    "use one of bare, harness",
  );
});

Deno.test("level scores: accuracy with Wilson intervals and macro-F1 (hand-computed)", () => {
  const r = (level: number, answer: string, predicted: string | null) =>
    ({
      problem: { family: "precedent", level, prompt: "^a?", target: answer + "$", answer },
      answer: predicted,
      correct: predicted === answer,
    }) as HarnessResult;
  // level 1: truth A A B B, predicted A B B null -> F1(A) = 2*1/(2+0+1) = 2/3, F1(B) = 2*1/(2+1+1) = 1/2
  const rows = levelScores(
    [r(1, "A", "A"), r(1, "A", "B"), r(1, "B", "B"), r(1, "B", null), r(2, "C", "C")],
    { labels: true },
  );
  assertEquals(rows.map((s) => [s.level, s.n, s.correct]), [[1, 4, 2], [2, 1, 1]]);
  assertAlmostEquals(rows[0].macro_f1!, (2 / 3 + 1 / 2) / 2, 1e-12);
  assertAlmostEquals(rows[0].lo, 0.15003, 1e-4); // Wilson 2 of 4
  assertEquals(rows[1].macro_f1, 1);
});
