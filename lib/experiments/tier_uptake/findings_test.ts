import { assertEquals, assertStringIncludes } from "@std/assert";
import {
  headroomSentence,
  probeSentence,
  readsCheck,
  slope,
  spanCheck,
  tierUptakeFindings,
  usingShape,
  writingShape,
} from "./findings.ts";
import type { SeedGain } from "./tables.ts";
import { testTier as tier } from "./testing.ts";

const tiers = [tier("t1", 0.1), tier("t2", 0.4), tier("t3", 0.7), tier("t4", 0.95)];

/** Gains where each agent's gain from any other evolver is `using[agent] + noise(seed)` and evolvers add `writing[evolver]`. */
function gains(using: number[], writing: number[], seeds = 4): SeedGain[] {
  const out: SeedGain[] = [];
  for (let s = 0; s < seeds; s++) {
    tiers.forEach((e, i) =>
      tiers.forEach((a, j) => {
        const gain = using[j] + writing[i] + (s % 2 ? 0.01 : -0.01) * (j + 1);
        out.push({
          ladder: "size",
          rule: "padded",
          seed: s,
          evolver: e.label,
          agent: a.label,
          gain,
          gained: 0,
          headroom: 0,
          accuracy: 0,
          initial: 0,
        });
      })
    );
  }
  return out;
}

Deno.test("slope: least squares by hand", () => {
  assertEquals(slope([0, 1, 2], [1, 3, 5]), 2);
  assertEquals(slope([1, 2, 3, 4], [2, 2, 2, 2]), 0);
  assertEquals(Number.isNaN(slope([1, 1], [0, 1])), true);
});

Deno.test("usingShape: an interior peak beating both ends is an inverted U; a monotone rise is not", () => {
  const inv = usingShape(gains([0, 0.2, 0.1, 0], [0, 0, 0, 0]), tiers, "size", "padded");
  assertEquals(inv.verdict, "inverted U");
  assertStringIncludes(inv.sentence, "peaks at t2 (base 0.40");
  const rise = usingShape(gains([0, 0.1, 0.2, 0.3], [0, 0, 0, 0]), tiers, "size", "padded");
  assertEquals(rise.verdict, "highest at the strongest tier");
});

Deno.test("writingShape: equal writers are flat; writing that grows with base rises", () => {
  const flat = writingShape(gains([0.1, 0.1, 0.1, 0.1], [0, 0, 0, 0]), tiers, "size", "padded");
  assertEquals(flat.verdict, "flat");
  const rises = writingShape(gains([0.1, 0.1, 0.1, 0.1], [0, 0.1, 0.2, 0.3]), tiers, "size", "padded");
  assertEquals(rises.verdict, "rises");
  assertStringIncludes(rises.sentence, "slope +0.35");
});

Deno.test("checks and the verdict: a failed precondition gives 'cannot decide'", () => {
  assertEquals(spanCheck(tiers, "size", 0.1).ok, true);
  assertEquals(spanCheck([tier("x", 0.5), tier("y", 0.6)], "size", 0.1).ok, false);
  const probe = [{ ladder: "size", agent: "t2", uses_right: 0.6, uses_lo: 0.4, n_right: 20 }];
  assertEquals(readsCheck(probe, "size", 0.1).ok, true);
  assertEquals(readsCheck([{ ...probe[0], uses_lo: 0.05 }], "size", 0.1).ok, false);
  const g = gains([0, 0.2, 0.1, 0], [0, 0, 0, 0]);
  const text = tierUptakeFindings(g, tiers, probe, ["padded"], 0.1);
  assertStringIncludes(
    text,
    "size ladder (fixed budget): writing flat, using inverted U: the claim is supported here.",
  );
  assertStringIncludes(text, "training-budget ladder (fixed architecture): cannot decide at this scale");
});

Deno.test("probeSentence names each agent's use and over-trust with its interval", () => {
  const s = probeSentence([
    {
      ladder: "size",
      agent: "t1",
      uses_right: 0,
      uses_lo: 0,
      n_right: 8,
      copies_wrong: 0,
      copies_lo: 0,
      copies_hi: 0.3,
    },
    {
      ladder: "size",
      agent: "t2",
      uses_right: 1,
      uses_lo: 0.7,
      n_right: 8,
      copies_wrong: 0.5,
      copies_lo: 0.2,
      copies_hi: 0.8,
    },
  ], "size");
  assertStringIncludes(s, "t1 uses 0.00, copies 0.00 [0.00, 0.30]; t2 uses 1.00, copies 0.50 [0.20, 0.80].");
});

Deno.test("headroomSentence: answers gained over headroom per agent, n/a without headroom", () => {
  const g = (agent: string, gained: number, headroom: number) => ({
    ladder: "size" as const,
    rule: "padded",
    seed: 0,
    evolver: "e",
    agent,
    gain: 0,
    gained,
    headroom,
    accuracy: 0,
    initial: 0,
  });
  const s = headroomSentence(
    [g("t1", 3, 4), g("t2", 0, 0)],
    [tier("t1", 0.2), tier("t2", 0.9)],
    "size",
    "padded",
  );
  assertStringIncludes(s, "t1 0.75 of 4; t2 n/a of 0.");
});
