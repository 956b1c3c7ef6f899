import { assertEquals, assertThrows } from "@std/assert";
import { Rng } from "../core/rng.ts";
import {
  type Block,
  blockLength,
  blockText,
  cleanItem,
  fitBlock,
  orderBlock,
  splitContext,
  withContext,
} from "./context.ts";

const text: [Block, string][] = [
  [[], "[]"],
  [[[]], "[]"],
  [[["5"]], "[5]"],
  [[["5"], ["9"], ["6"]], "[5|9|6]"],
  [[["ab", "cd"], ["ef"]], "[ab,cd|ef]"],
  [[[], [], ["C"], ["D"]], "[||C|D]"],
];
for (const [block, want] of text) {
  Deno.test(`blockText ${want} and blockLength ${want.length}`, () => {
    assertEquals(blockText(block), want);
    assertEquals(blockLength(block), want.length);
  });
}

// Budget rule: the group holding the most items loses its last item first (ties: the later group).
const fits: [Block, number, Block | null][] = [
  [[["aa", "bb", "cc"]], 100, [["aa", "bb", "cc"]]],
  [[["aa", "bb", "cc"]], 10, [["aa", "bb", "cc"]]], // "[aa,bb,cc]" is exactly 10
  [[["aa", "bb", "cc"]], 9, [["aa", "bb"]]],
  [[["aa", "bb", "cc"]], 2, [[]]],
  [[["aa", "bb", "cc"]], 1, null],
  [[["a1", "a2", "a3"], ["b1"]], 10, [["a1", "a2"], ["b1"]]], // a3 goes: "[a1,a2|b1]" is 10
  [[["a1", "a2", "a3"], ["b1"]], 9, [["a1"], ["b1"]]], // then a2 (still the longer group; tie -> later group after that)
  [[["a1", "a2"], ["b1", "b2"]], 12, [["a1", "a2"], ["b1"]]], // tie: the later group loses first
  [[["a1", "a2"], ["b1", "b2"]], 9, [["a1"], ["b1"]]],
];
for (const [block, budget, want] of fits) {
  Deno.test(`fitBlock ${blockText(block)} within ${budget} tokens`, () => {
    const got = fitBlock(block, budget);
    assertEquals(got, want);
    if (got) assertEquals(blockLength(got) <= budget, true);
  });
}

Deno.test("orderBlock: as given, reversed per group, shuffled with a seed", () => {
  const b = [["1", "2", "3"], ["x", "y"]];
  assertEquals(orderBlock(b, "as_given"), b);
  assertEquals(orderBlock(b, "reversed"), [["3", "2", "1"], ["y", "x"]]);
  assertEquals(orderBlock(b, "shuffled", new Rng(7)), orderBlock(b, "shuffled", new Rng(7)));
  assertEquals(orderBlock(b, "shuffled", new Rng(7)).map((g) => [...g].sort()), b);
  assertThrows(() => orderBlock(b, "shuffled"), Error, "needs a seeded rng");
});

Deno.test("withContext places the block before the body or before the cue, and splitContext undoes it", () => {
  const block = [["aeimbfC", "aeimbgD"]];
  const before = withContext("^aeimbf?", block);
  const after = withContext("^aeimbf?", block, { position: "after", order: "reversed" });
  assertEquals(before, "^[aeimbfC,aeimbgD]aeimbf?");
  assertEquals(after, "^aeimbf[aeimbgD,aeimbfC]?");
  assertEquals(splitContext(before), { bare: "^aeimbf?", block });
  assertEquals(splitContext(after), { bare: "^aeimbf?", block: [["aeimbgD", "aeimbfC"]] });
  assertEquals(splitContext("^3+4="), { bare: "^3+4=", block: null });
  assertEquals(withContext("^3+4=", null), "^3+4=");
});

Deno.test("context errors name the bad item or prompt", () => {
  assertThrows(() => blockText([["a,b"]]), Error, 'contains ","');
  assertThrows(() => withContext("3+4=", [["5"]]), Error, 'must start with "^"');
  assertThrows(() => withContext("^[5]3+4=", [["5"]]), Error, "already holds a context block");
  assertThrows(() => splitContext("^[5]3[4]="), Error, "exactly one [block]");
  assertEquals(cleanItem("3+4=7;[x|y],$"), "3+4=7;xy");
});
