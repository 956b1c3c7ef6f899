import { assertEquals, assertThrows } from "@std/assert";
import { PlanSolve, PlanSolveConfigSchema } from "./plan_solve.ts";
import { arithmeticOracle, ScriptedModel, solveArithmetic } from "./testdata/scripted.ts";
import type { Problem } from "./types.ts";

const problem = (prompt: string, level: number, answer: string): Problem => ({
  family: "arithmetic",
  level,
  prompt,
  target: solveArithmetic(prompt),
  answer,
});
const long = problem("^3+4-2+5-1+7=", 5, "6"); // running values 7 5 0 9 6
const short = problem("^8-3=", 1, "5");
const ps = (s: number) =>
  new PlanSolve(PlanSolveConfigSchema.parse({ kind: "plan_solve", segment_length: s }));

Deno.test("plan-solve chains segment results: each segment starts from the previous answer", () => {
  const model = new ScriptedModel(64, arithmeticOracle);
  const [r, q] = ps(2).run(model, [long, short]);
  assertEquals(r.calls.map((c) => [c.role, c.prompt, c.completion]), [
    ["plan", "^&2:3+4-2+5-1+7=", "2|2|1$"],
    ["segment", "^3+4-2=", "3+4=7;7-2=5>5$"],
    ["segment", "^5+5-1=", "5+5=0;0-1=9>9$"],
    ["segment", "^9+7=", "9+7=6>6$"],
  ]);
  assertEquals([r.answer, r.correct, r.facts], ["6", true, { plan_valid: true, segments: 3, broken: false }]);
  assertEquals(r.teacher.answer_like, [["5"], ["9"], ["6"]]);
  assertEquals(r.teacher.trace, [["3+4=7;7-2=5"], ["5+5=0;0-1=9"], ["9+7=6"]]);
  assertEquals([q.answer, q.calls.length], ["5", 2]);
  // One batch per round, all problems together; the short problem has left the batch after round 0.
  assertEquals(model.batches.map((b) => [b.role, b.prompts.length]), [["plan", 2], ["segment", 2], [
    "segment",
    1,
  ], [
    "segment",
    1,
  ]]);
});

Deno.test("live builder carries a wrong segment result on; reference builder restarts from the gold checkpoint", () => {
  const wrong = (role: string, prompt: string) =>
    prompt === "^5+5-1=" ? "5+5=0;0-1=8>8$" : arithmeticOracle(role, prompt);
  const live = ps(2).run(new ScriptedModel(64, wrong), [long])[0];
  assertEquals(live.calls.map((c) => c.prompt).slice(1), ["^3+4-2=", "^5+5-1=", "^8+7="]);
  assertEquals([live.answer, live.correct], ["5", false]);
  assertEquals(live.teacher.answer_like, [["5"], ["8"], ["5"]]);
  const ref = ps(2).run(new ScriptedModel(64, wrong), [long], { builder: "reference" })[0];
  assertEquals(ref.calls.map((c) => c.prompt).slice(1), ["^3+4-2=", "^5+5-1=", "^9+7="]);
  assertEquals([ref.answer, ref.correct], ["6", true]);
  assertEquals(ref.teacher.trace, [["3+4=7;7-2=5"], ["5+5=0;0-1=8"], ["9+7=6"]]); // the calls are still the model's
});

Deno.test("a plan that is not a segmentation falls back to the bare call", () => {
  const badPlan = (role: string, prompt: string) =>
    role === "plan" ? "3+4-2|+5$" : arithmeticOracle(role, prompt);
  const [r] = ps(2).run(new ScriptedModel(64, badPlan), [long]);
  assertEquals(r.calls.map((c) => [c.role, c.prompt]), [["plan", "^&2:3+4-2+5-1+7="], [
    "bare",
    "^3+4-2+5-1+7=",
  ]]);
  assertEquals([r.answer, r.facts.plan_valid, r.facts.segments], ["6", false, 1]);
});

Deno.test("a segment call without an answer breaks the chain", () => {
  const noAnswer = (role: string, prompt: string) =>
    prompt === "^5+5-1=" ? "5+5=0;0-1$" : arithmeticOracle(role, prompt);
  const [r] = ps(2).run(new ScriptedModel(64, noAnswer), [long]);
  assertEquals([r.answer, r.correct, r.facts.broken, r.calls.length], [null, false, true, 3]);
  assertEquals(r.teacher.answer_like, [["5"]]);
  assertEquals(r.teacher.trace, [["3+4=7;7-2=5"], ["5+5=0;0-1"]]);
});

Deno.test("plan-solve checks block_size before any call, naming the numbers", () => {
  const model = new ScriptedModel(20, arithmeticOracle);
  assertThrows(
    () => ps(2).run(model, [long]),
    Error,
    "a level-5 problem needs 22 tokens (planner call 22, segment call 21) but the model's block_size is 20. Fix: evaluate levels up to 4",
  );
  assertEquals(model.batches.length, 0);
  assertThrows(
    () => PlanSolveConfigSchema.parse({ kind: "plan_solve", segment_length: 0 }),
    Error,
    "segment_length must be at least 1",
  );
});
