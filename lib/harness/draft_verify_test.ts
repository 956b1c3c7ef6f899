import { assertEquals, assertThrows } from "@std/assert";
import { DraftVerify, DraftVerifyConfigSchema } from "./draft_verify.ts";
import { MemoryBank } from "./memory_bank.ts";
import { ScriptedModel } from "./testdata/scripted.ts";
import type { Problem } from "./types.ts";

// e0 is the query itself (label A), e1 shares two slots (label B), the other eight share none.
const far = ["^bfk?", "^bfl?", "^cgk?", "^cgl?", "^dhk?", "^dhl?", "^bgk?", "^chl?"];
const entries = [
  { prompt: "^aei?", label: "A", level: 1 },
  { prompt: "^aej?", label: "B", level: 1 },
  ...far.map((prompt, i) => ({ prompt, label: i % 2 ? "C" : "D", level: 2 })),
];
const query: Problem = { family: "precedent", level: 1, prompt: "^aei?", target: "B$", answer: "B" };
const dv = (over: Record<string, unknown> = {}) =>
  new DraftVerify(
    DraftVerifyConfigSchema.parse({ kind: "draft_verify", k: 2, confirmers: 1, challengers: 1, ...over }),
  );
const script = (draft: string, verdict: string) => (role: string) => role === "verify" ? verdict : draft;

Deno.test("draft sees the k nearest (nearest last); verify sees confirmers | challengers and may revise", () => {
  const model = new ScriptedModel(64, script("A$", "B$"));
  const [r] = dv().run(model, [query], { bank: new MemoryBank(entries) });
  assertEquals(r.calls.map((c) => [c.role, c.prompt]), [
    ["draft", "^[aejB,aeiA]aei?"],
    ["verify", "^[aeiA|aejB]aei?A!"],
  ]);
  assertEquals([r.answer, r.correct, r.facts], ["B", true, { zero_shot: false, revised: true }]);
  assertEquals(r.teacher.answer_like, [["A"], ["B"]]);
  assertEquals(r.teacher.trace, [["aeiA"], ["aejB"], ["A"], ["B"]]);
});

Deno.test("reference builder: the verify call checks the gold label (the draft still runs)", () => {
  const [r] = dv().run(new ScriptedModel(64, script("A$", "B$")), [query], {
    bank: new MemoryBank(entries),
    builder: "reference",
  });
  assertEquals(r.calls.map((c) => c.prompt), ["^[aejB,aeiA]aei?", "^[aejB|aeiA]aei?B!"]);
  assertEquals([r.answer, r.facts.revised], ["B", false]);
});

Deno.test("a verify call without a valid label keeps the draft", () => {
  const [r] = dv().run(new ScriptedModel(64, script("A$", "x$")), [query], { bank: new MemoryBank(entries) });
  assertEquals([r.answer, r.facts.revised], ["A", false]);
});

Deno.test("below min_bank entries the harness runs zero-shot: the bare call", () => {
  const model = new ScriptedModel(64, script("C$", "D$"));
  const [r] = dv().run(model, [query], { bank: new MemoryBank(entries.slice(0, 9)) });
  assertEquals(r.calls.map((c) => [c.role, c.prompt]), [["bare", "^aei?"]]);
  assertEquals([r.answer, r.facts.zero_shot], ["C", true]);
  assertEquals(r.teacher.trace, [["C"], ["C"]]);
  const [s] = dv().run(new ScriptedModel(64, script("C$", "D$")), [query], { bank: new MemoryBank(entries) }); // 10: not zero-shot
  assertEquals(s.calls.map((c) => c.role), ["draft", "verify"]);
});

Deno.test("draft-only ablation and the block_size check", () => {
  const [r] = dv({ verify: false }).run(new ScriptedModel(64, script("A$", "B$")), [query], {
    bank: new MemoryBank(entries),
  });
  assertEquals([r.answer, r.calls.length], ["A", 1]);
  const model = new ScriptedModel(20, script("A$", "B$"));
  assertThrows(
    () => dv({ k: 5, confirmers: 5, challengers: 5 }).run(model, [query], { bank: new MemoryBank(entries) }),
    Error,
    "a call needs 60 tokens, more than the model's block_size 20", // ^ + 2+1+2x(5x4+4) + aei? + A! + B$
  );
  assertThrows(() => dv().run(model, [query]), Error, "needs a memory bank");
});
