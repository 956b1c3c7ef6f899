import { assertAlmostEquals, assertEquals } from "@std/assert";
import type { Example } from "../../tasks/task.ts";
import { answerEntropy, completionFacts, modalShare } from "./completion_facts.ts";

const ex: Example = {
  family: "arithmetic",
  level: 2,
  prompt: "^3+4-2=",
  target: "3+4=7;7-2=5>5$",
  answer: "5",
};

const cases: {
  completion: string;
  answer: string | null;
  wellFormed: boolean;
  valid: boolean;
  stepShare: number;
  copies: boolean;
}[] = [
  { completion: "3+4=7;7-2=5>5$", answer: "5", wellFormed: true, valid: true, stepShare: 1, copies: false },
  // skipped computation: right answer, no scratchpad
  { completion: ">5$", answer: "5", wellFormed: true, valid: false, stepShare: 0, copies: false },
  // detached: a correct chain but a different answer
  { completion: "3+4=7;7-2=5>2$", answer: "2", wellFormed: true, valid: false, stepShare: 1, copies: true },
  // lucky: wrong step, right answer
  { completion: "3+4=8;8-2=5>5$", answer: "5", wellFormed: true, valid: false, stepShare: 1, copies: false },
  { completion: "3+4=7;7-", answer: null, wellFormed: false, valid: false, stepShare: 0, copies: false },
];

for (const c of cases) {
  Deno.test(`completionFacts ${JSON.stringify(c.completion)}`, () => {
    const f = completionFacts(ex, c.completion);
    assertEquals([f.answer, f.wellFormed, f.validScratchpad, f.stepShare, f.copiesLastOperand], [
      c.answer,
      c.wellFormed,
      c.valid,
      c.stepShare,
      c.copies,
    ]);
  });
}

Deno.test("answer entropy: uniform over 4 answers is 2 bits, a constant answer 0, missing answers are one symbol", () => {
  assertAlmostEquals(answerEntropy(["1", "2", "3", "4"]), 2, 1e-12);
  assertEquals(answerEntropy(["7", "7", "7"]), 0);
  assertAlmostEquals(answerEntropy([null, null, "1", "2"]), 1.5, 1e-12);
});

Deno.test("modal share is the most frequent answer's share", () => {
  assertEquals(modalShare(["1", "1", "2", "1"]), 0.75);
  assertEquals(modalShare([]), 0);
});
