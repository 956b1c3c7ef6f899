import { assertEquals, assertThrows } from "@std/assert";
import { checkSegmentLength, goldPlan, parsePlan, planPrompt, segmentOps, segmentPrompt } from "./plan.ts";

const gold: [string, number, string, string[]][] = [
  ["^3+4=", 2, "1", ["3+4"]],
  ["^3+4-2+5-1+7=", 1, "1|1|1|1|1", ["3+4", "-2", "+5", "-1", "+7"]],
  ["^3+4-2+5-1+7=", 2, "2|2|1", ["3+4-2", "+5-1", "+7"]],
  ["^3+4-2+5-1+7=", 3, "3|2", ["3+4-2+5", "-1+7"]],
  ["^3+4-2+5-1+7=", 5, "5", ["3+4-2+5-1+7"]],
  ["^3+4-2+5-1+7=", 9, "5", ["3+4-2+5-1+7"]],
];
for (const [prompt, s, want, segments] of gold) {
  Deno.test(`goldPlan ${prompt} s=${s}: ${want}`, () => {
    assertEquals(goldPlan(prompt, s), want);
    assertEquals(parsePlan(want + "$", prompt).segments, segments);
  });
}

const parses: [string, string, string[] | null, string | undefined][] = [
  ["2|2|1$", "^3+4-2+5-1+7=", ["3+4-2", "+5-1", "+7"], undefined],
  ["1|4$junk", "^3+4-2+5-1+7=", ["3+4", "-2+5-1+7"], undefined], // any segmentation; text after EOS ignored
  ["2|2|1", "^3+4-2+5-1+7=", null, "the plan does not end (no EOS)"],
  ["2||2|1$", "^3+4-2+5-1+7=", null, "a segment size is not a digit 1-9"],
  ["2|0|3$", "^3+4-2+5-1+7=", null, "a segment size is not a digit 1-9"],
  ["3+4-2|+5-1|+7$", "^3+4-2+5-1+7=", null, "a segment size is not a digit 1-9"],
  ["2|2$", "^3+4-2+5-1+7=", null, "the sizes add up to 4 operations, the problem has 5"],
  ["2|2|2$", "^3+4-2+5-1+7=", null, "the sizes add up to 6 operations, the problem has 5"],
];
for (const [completion, prompt, segments, reason] of parses) {
  Deno.test(`parsePlan ${JSON.stringify(completion)}`, () => {
    assertEquals(parsePlan(completion, prompt), { segments, ...(reason ? { reason } : {}) });
  });
}

Deno.test("planner and segment prompts", () => {
  assertEquals(planPrompt("^3+4-2=", 2), "^&2:3+4-2=");
  assertEquals(segmentPrompt("3+4-2", null), "^3+4-2=");
  assertEquals(segmentPrompt("+5-1", 5), "^5+5-1=");
  assertEquals([segmentOps("3+4-2"), segmentOps("+5"), segmentOps("-1+7*2")], [2, 1, 3]);
});

Deno.test("a segment length of 0 (or 10) is an error naming the value and the fix", () => {
  assertThrows(() => checkSegmentLength(0), Error, "segment length 0 is not allowed");
  assertThrows(() => planPrompt("^3+4=", 10), Error, "use an integer from 1 to 9");
  assertThrows(() => planPrompt("^aeimbf?", 2), Error, "not a bare arithmetic prompt");
});
