import { assertEquals, assertThrows } from "@std/assert";
import { referenceContext, teacherPrompt } from "./teacher_context.ts";

const arith = { family: "arithmetic" as const, target: "3+4=7;7-2=5;5+5=0;0-1=9>9$", answer: "9" };

Deno.test("reference contexts in graded strengths (arithmetic)", () => {
  assertEquals(referenceContext(arith, "answer"), [["9"]]);
  assertEquals(referenceContext(arith, "partial"), [["3+4=7;7-2=5"]]); // first half of 4 steps
  assertEquals(referenceContext(arith, "solution"), [["3+4=7;7-2=5;5+5=0;0-1=9>9"]]);
  const one = { family: "arithmetic" as const, target: "3+4=7>7$", answer: "7" };
  assertEquals(referenceContext(one, "partial"), [["3+4=7"]]); // at least one step
});

Deno.test("precedent has only the answer as reference", () => {
  const prec = { family: "precedent" as const, target: "C$", answer: "C" };
  assertEquals(referenceContext(prec, "answer"), [["C"]]);
  assertThrows(() => referenceContext(prec, "solution"), Error, "use strength 'answer'");
});

Deno.test("teacherPrompt fits the block into what block_size leaves for prompt and response", () => {
  const trace = [["3+4=7;7-2=5"], ["5+5=0;0-1=9"]];
  // prompt 11 tokens + response 26 + block 25 = 62
  assertEquals(
    teacherPrompt("^3+4-2+5-1=", trace, { blockSize: 62, responseLength: 26 }),
    "^[3+4=7;7-2=5|5+5=0;0-1=9]3+4-2+5-1=",
  );
  // one token short: the later segment goes
  assertEquals(
    teacherPrompt("^3+4-2+5-1=", trace, { blockSize: 61, responseLength: 26 }),
    "^[3+4=7;7-2=5|]3+4-2+5-1=",
  );
  // no room even for "[]": no block
  assertEquals(teacherPrompt("^3+4-2+5-1=", trace, { blockSize: 38, responseLength: 26 }), "^3+4-2+5-1=");
});
