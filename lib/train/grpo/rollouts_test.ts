import { assertEquals } from "@std/assert";
import { luckStats } from "./rollouts.ts";

/** A group from a string: "R" right with a valid scratchpad, "r" right by luck (invalid), "-" wrong. */
const group = (s: string) => ({
  samples: [...s].map((c) => ({ correct: c !== "-", facts: { validScratchpad: c === "R" } })),
});

Deno.test("luckStats: lone and invalid successes and their advantages, by hand", () => {
  const groups = [group("r---"), group("R---"), group("Rr--"), group("----")];
  const adv = [
    [1.5, -0.5, -0.5, -0.5], // lone, invalid
    [1.5, -0.5, -0.5, -0.5], // lone, valid
    [1, 1, -1, -1], // two successes: not lone; one invalid
    [0, 0, 0, 0],
  ];
  assertEquals(luckStats(groups, adv), {
    lone: 2, // groups 0 and 1
    loneInvalid: 1, // group 0
    loneAdvantage: (1.5 + 1.5) / 2,
    invalidSuccessShare: 2 / 4, // successes: g0 r, g1 R, g2 R and r: two invalid of four
    invalidSuccessAdvantage: (1.5 + 1) / 2, // g0's r and g2's r
  });
});

Deno.test("luckStats: no success leaves the optional fields out; only valid successes give no invalid advantage", () => {
  assertEquals(luckStats([group("----")], [[0, 0, 0, 0]]), { lone: 0, loneInvalid: 0 });
  assertEquals(luckStats([group("RR--")], [[1, 1, -1, -1]]), {
    lone: 0,
    loneInvalid: 0,
    invalidSuccessShare: 0,
  });
});
