import { assertEquals, assertStringIncludes } from "@std/assert";
import {
  endsSentence,
  headroomSentence,
  probeSentence,
  readsCheck,
  slope,
  spanCheck,
  survivalSentence,
  tierUptakeFindings,
  usingShape,
  writingShape,
} from "./findings.ts";
import type { SeedGain } from "./tables.ts";
import { testSummary as tier } from "./testing.ts";

const tiers = [tier("t1", 0.1), tier("t2", 0.4), tier("t3", 0.7), tier("t4", 0.95)];

/** Gains where each agent's gain from any other evolver is `using[agent] + noise(seed)` and evolvers add `writing[evolver]`. */
/** A gain row of the size ladder, rule padded, workload seed 0. */
const row = (
  trainSeed: number,
  evolver: string,
  agent: string,
  gain: number,
  gained = 0,
  headroom = 0,
): SeedGain => ({
  ladder: "size",
  rule: "padded",
  trainSeed,
  seed: 0,
  evolver,
  agent,
  gain,
  gained,
  headroom,
  accuracy: 0,
  initial: 0,
});

function gains(using: number[], writing: number[], seeds = 4): SeedGain[] {
  const out: SeedGain[] = [];
  for (let s = 0; s < seeds; s++) {
    tiers.forEach((e, i) =>
      tiers.forEach((a, j) =>
        out.push(row(s, e.label, a.label, using[j] + writing[i] + (s % 2 ? 0.01 : -0.01) * (j + 1)))
      )
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
  assertEquals(text.includes("attention mass"), true); // the heading names it
  const att = [{
    ladder: "size" as const,
    agent: "t2",
    base: 0.4,
    mass_mean: 0.3,
    mean_lo: 0.2,
    mean_hi: 0.4,
    mass_best: 0.7,
    best_lo: 0.6,
    best_hi: 0.8,
    uniform: 0.2,
    train_seeds: 4,
  }];
  const withAtt = tierUptakeFindings(g, tiers, probe, ["padded"], 0.1, att);
  assertStringIncludes(withAtt, "t2 0.70 [0.60, 0.80] (mean over heads 0.30)");
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
    trainSeed: 0,
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

Deno.test("writingShape: each training seed's slope uses that seed's base pass rates", () => {
  // Writing gain = evolver's base in seed s; the mean bases are equal-spaced but the seeds differ.
  const ts = [
    tier("t1", 0.2, "size", { 0: 0.1, 1: 0.3 }),
    tier("t2", 0.5, "size", { 0: 0.4, 1: 0.6 }),
    tier("t3", 0.8, "size", { 0: 0.9, 1: 0.7 }),
  ];
  const g = [0, 1].flatMap((s) =>
    ts.flatMap((e) => ts.map((a) => row(s, e.label, a.label, e.bases[s] * 0.5)))
  );
  const w = writingShape(g, ts, "size", "padded");
  // Slope 0.5 exactly in both seeds: a zero-width interval excluding 0.
  assertEquals(w.verdict, "rises");
  assertStringIncludes(
    w.sentence,
    "slope +0.50 per unit of base pass rate, 95% interval [+0.50, +0.50] over 2 training seeds",
  );
});

Deno.test("survivalSentence: which ladder carries the inverted U decides the reading", () => {
  const cases: [string, string, string][] = [
    ["inverted U", "inverted U", "survives the fixed-architecture ladder"],
    ["inverted U", "no clear inverted U", "the inverted U was built in by size"],
    ["no clear inverted U", "inverted U", "not clearly on the size ladder"],
    ["highest at the weakest tier", "no clear inverted U", "differ between the ladders"],
  ];
  for (const [size, budget, want] of cases) assertStringIncludes(survivalSentence(size, budget), want);
});

Deno.test("endsSentence: the weak end looks or not (attention vs uniform); the strong end has little to gain", () => {
  const ts = [tier("w", 0.1), tier("m", 0.5), tier("s", 0.95)];
  const g = [row(0, "m", "w", 0, 0, 40), row(0, "m", "s", 0, 2, 2), row(0, "w", "s", 0, 1, 1)];
  const probe = [
    { ladder: "size", agent: "w", uses_right: 0.1, uses_lo: 0.02, n_right: 20 },
    { ladder: "size", agent: "s", uses_right: 0.95, uses_lo: 0.8, n_right: 20 },
  ];
  const att = (lo: number) => [{
    ladder: "size" as const,
    agent: "w",
    base: 0.1,
    mass_mean: 0.4,
    mean_lo: 0.3,
    mean_hi: 0.6,
    mass_best: 0.9,
    best_lo: lo,
    best_hi: 1,
    uniform: 0.16,
    train_seeds: 3,
  }];
  const looks = endsSentence(g, ts, probe, att(0.8), "size", "padded");
  assertStringIncludes(looks, "low end, w (base 0.10) uses 0.10 of right entries");
  assertStringIncludes(
    looks,
    "best head puts 0.90 [0.80, 1.00] of its attention on the entry, against 0.16 for uniform attention: some head attends",
  );
  assertStringIncludes(looks, "could fix 3 of its test answers against 40 for w: it has little to gain");
  // 0.3 is above uniform but not above twice uniform (0.32): not clearly attending.
  assertStringIncludes(
    endsSentence(g, ts, probe, att(0.3), "size", "padded"),
    "no head clearly attends to it",
  );
  const weakTop = [probe[0], { ...probe[1], uses_right: 0.3, uses_lo: 0.1 }];
  assertStringIncludes(
    endsSentence(g, ts, weakTop, att(0.3), "size", "padded"),
    "it also fails to use the sheet",
  );
});
