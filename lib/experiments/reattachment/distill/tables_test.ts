import { assertAlmostEquals, assertEquals, assertStringIncludes } from "@std/assert";
import type { Outcome } from "../runs.ts";
import { distillParams, type MethodSpec } from "./params.ts";
import type { MethodEvaluation, MethodRun } from "./runs.ts";
import {
  compareMethods,
  pairedBySeed,
  powerTable,
  quarterMeans,
  type ReattachRow,
  reattachTable,
  retentionTable,
  segmentCalls,
} from "./tables.ts";
import { powerFindings, reattachFindings, reattachVerdict, standaloneFindings } from "./findings.ts";

const dp = distillParams("smoke"); // training level 3
const spec = (
  name: string,
  group: MethodSpec["group"],
  trainer: MethodSpec["trainer"] = "distill",
): MethodSpec => ({
  name,
  group,
  trainer,
  config: {},
  text: name,
});
dp.methods = [spec("base", "baseline", "none"), spec("sft", "baseline"), spec("ophsd_trace", "ophsd")];

const outcomes = (level: number, right: number, n = 4): Outcome[] =>
  Array.from(
    { length: n },
    (_, i) => ({ id: `${i}`, level, truth: "1", predicted: i < right ? "1" : "2", correct: i < right }),
  );
const evaluation = (method: string, seed: number, bare: number, harness: number): MethodEvaluation => ({
  method,
  seed,
  outcomes: { bare: outcomes(3, bare), harness: outcomes(3, harness) },
  retention: [{ format: "plan", n: 4, exact: bare / 4, lo: 0, hi: 1 }],
  traces: [],
  bareOnTraces: [],
});

Deno.test("quarterMeans and pairedBySeed by hand", () => {
  assertEquals(quarterMeans([4, 3, 2, 1, 1, 1, 0, 0]), { first: 3.5, last: 0 });
  assertEquals(quarterMeans([2]), { first: 2, last: 2 });
  // differences 0.5, 0.25 (seed 2 missing in b is dropped): mean 0.375
  const d = pairedBySeed(new Map([[0, 1], [1, 0.5], [2, 0.9]]), new Map([[0, 0.5], [1, 0.25]]));
  assertAlmostEquals(d.mean, 0.375, 1e-12);
  assertEquals(d.n, 2);
});

// Seeds 0, 1, 2: base bare 1/4, 1/4, 0/4 with harness 4/4; sft bare 3/4, 4/4, 3/4 with harness 3/4 each.
const evals = [0, 1, 2].flatMap((s) => [
  evaluation("base", s, s === 2 ? 0 : 1, 4),
  evaluation("sft", s, s === 1 ? 4 : 3, 3),
  evaluation("ophsd_trace", s, 1, 1),
]);

Deno.test("reattachTable: bare, reattachment and gain over base, paired by seed", () => {
  const rows = reattachTable(evals, dp);
  const sft = rows.find((r) => r.method === "sft")!;
  assertAlmostEquals(sft.bare, 10 / 12, 1e-12);
  assertAlmostEquals(sft.reattach, (0 - 0.25 + 0) / 3, 1e-12); // harness 3/4 minus bare 3/4, 4/4, 3/4
  assertAlmostEquals(sft.vs_base, (0.5 + 0.75 + 0.75) / 3, 1e-12);
  const base = rows.find((r) => r.method === "base")!;
  assertAlmostEquals(base.reattach, (0.75 + 0.75 + 1) / 3, 1e-12);
  assertEquals(base.effect, "helps");
  const c = compareMethods(evals, dp, "sft", "ophsd_trace");
  assertAlmostEquals(c.diff, (0.5 + 0.75 + 0.5) / 3, 1e-12);
  assertEquals(c.effect, "higher");
  const ret = retentionTable(evals, dp).find((r) => r.method === "sft" && r.format === "plan")!;
  assertAlmostEquals(ret.exact, 10 / 12, 1e-12);
});

const run = (
  name: string,
  seed: number,
  losses: number[],
  before: boolean[],
  after: boolean[],
): MethodRun => ({
  method: dp.methods.find((m) => m.name === name)!,
  seed,
  key: `${name}${seed}`,
  cached: true,
  modelDir: "",
  metrics: [{ step: 0, acc_train: 0 }, ...losses.map((loss, i) => ({ step: i + 1, loss }))],
  heldOutBefore: before.map((correct) => ({ level: 3, correct })),
  heldOutAfter: after.map((correct) => ({ level: 3, correct })),
});
const F = false, T = true;

Deno.test("powerTable: learned needs the loss to fall in every seed and accuracy to move", () => {
  const runs = [
    // sft: loss falls in both seeds, 4 of 4 wrong -> right in each: accuracy moves by +1 on every problem
    run("sft", 0, [4, 3, 2, 1], [F, F, F, F], [T, T, T, T]),
    run("sft", 1, [4, 3, 2, 1], [F, F, F, F], [T, T, T, T]),
    // ophsd: loss rises in seed 1; accuracy unchanged
    run("ophsd_trace", 0, [4, 3, 2, 1], [T, F, F, F], [T, F, F, F]),
    run("ophsd_trace", 1, [1, 2, 3, 4], [T, F, F, F], [F, T, F, F]),
  ];
  const p = powerTable(runs);
  const sft = p.find((r) => r.method === "sft")!, ophsd = p.find((r) => r.method === "ophsd_trace")!;
  assertEquals([sft.learned, sft.signal_ok, sft.first, sft.last, sft.acc_change], [true, 2, 4, 1, 1]);
  assertEquals([ophsd.learned, ophsd.signal_ok, ophsd.acc_change], [false, 1, 0]);
  const text = powerFindings(p);
  assertStringIncludes(text, "1 of 2 trained methods learned");
  assertStringIncludes(text, "ophsd_trace (loss 2.50 -> 2.50, fell/rose in 1 of 2 seeds");
  // a claim resting on a method that did not learn cannot be decided
  const rows = reattachTable(evals, dp);
  const standalone = standaloneFindings(rows, p, (a, b) => compareMethods(evals, dp, a, b));
  assertStringIncludes(standalone, "cannot decide at this scale: ophsd_trace did not pass the power check");
  assertStringIncludes(
    reattachFindings(rows, p, "gate."),
    "cannot decide at this scale: no OPHSD variant both passed the power check",
  );
});

Deno.test("standaloneFindings: a learned OPHSD method still needs a teacher that reads its context", () => {
  const learnedPower = powerTable([
    run("ophsd_trace", 0, [4, 3, 2, 1], [F, F, F, F], [T, T, T, T]),
    run("ophsd_trace", 1, [4, 3, 2, 1], [F, F, F, F], [T, T, T, T]),
  ]);
  assertEquals(learnedPower[0].learned, true);
  const evals = [0, 1].flatMap((
    seed,
  ) => [evaluation("base", seed, 0, 4), evaluation("ophsd_trace", seed, 4, 4)]);
  const rows = reattachTable(evals, dp);
  const compare = (a: string, b: string) => compareMethods(evals, dp, a, b);
  const unreadable = {
    ok: false,
    unreadable: ["trace"],
    why: "the start model cannot read trace",
    sentence: "",
  };
  assertStringIncludes(
    standaloneFindings(rows, learnedPower, compare, unreadable),
    "cannot decide at this scale: the start model cannot read trace",
  );
  const readable = { ok: true, unreadable: [], why: "", sentence: "" };
  assertEquals(standaloneFindings(rows, learnedPower, compare, readable).includes("cannot decide"), false);
});

Deno.test("segmentCalls and reattachFindings: a learned OPHSD model that lost its segment calls decides nothing", () => {
  const learnedPower = powerTable([
    run("ophsd_trace", 0, [4, 3, 2, 1], [F, F, F, F], [T, T, T, T]),
    run("ophsd_trace", 1, [4, 3, 2, 1], [F, F, F, F], [T, T, T, T]),
  ]);
  // Level 2 bare: base 4/4 and 3/4 (mean 0.875); ophsd_trace 1/4 and 0/4 (mean 0.125, below half of base's).
  const withL2 = (e: MethodEvaluation, right: number): MethodEvaluation => ({
    ...e,
    outcomes: { ...e.outcomes, bare: [...e.outcomes.bare, ...outcomes(2, right)] },
  });
  const evals = [0, 1].flatMap((seed) => [
    withL2(evaluation("base", seed, 0, 4), seed === 0 ? 4 : 3),
    withL2(evaluation("ophsd_trace", seed, 1, 1), seed === 0 ? 1 : 0),
  ]);
  const seg = segmentCalls(evals, { kind: "plan_solve", segment_length: 2 })!;
  assertEquals(seg.level, 2);
  assertEquals(seg.rows, [{ method: "base", accuracy: 0.875 }, { method: "ophsd_trace", accuracy: 0.125 }]);
  assertEquals(segmentCalls(evals, { kind: "draft_verify" }), undefined);
  assertEquals(segmentCalls(evals, { kind: "plan_solve", segment_length: 5 }), undefined);
  const rows = reattachTable(evals, dp);
  const retention = [{ method: "base", format: "plan", seeds: 2, exact: 1, lo: 1, hi: 1 }];
  // plan kept (no retention row: taken as kept), segments ignored: the verdict is reached
  assertEquals(
    reattachFindings(rows, learnedPower, "gate.", undefined, retention).includes("cannot decide"),
    false,
  );
  const text = reattachFindings(rows, learnedPower, "gate.", undefined, retention, seg);
  assertStringIncludes(
    text,
    "ophsd_trace +0.00 [+0.00, +0.00] (no detectable change; lost its segment calls: bare L2 0.13 (start model 0.88))",
  );
  assertStringIncludes(text, "no OPHSD variant both passed the power check and kept its harness calls");
});

Deno.test("reattachVerdict: 'no gain' needs an interval below the start model's gain (the positive control)", () => {
  const r = (method: string, lo: number, hi: number, effect: string) =>
    ({ method, group: "ophsd", lo, hi, reattach: (lo + hi) / 2, effect }) as unknown as ReattachRow;
  const narrow = r("a", -0.1, 0.05, "no detectable change");
  const wide = r("b", -0.22, 0.25, "no detectable change");
  const hurts = r("c", -0.3, -0.1, "hurts");
  const helps = r("d", 0.05, 0.3, "helps");
  const cases: [ReattachRow[], number | undefined, string][] = [
    [[], 0.2, "cannot decide at this scale: none"],
    [[helps, narrow], 0.2, "contradicted for d (reattaching still helps); holds for a"],
    [
      [helps, wide],
      0.2,
      "contradicted for d (reattaching still helps); too wide to tell for b [-0.22, +0.25]",
    ],
    [
      [narrow, hurts],
      0.2,
      "supported: no OPHSD variant that learned gains from reattaching, and every interval " +
      "excludes a gain as large as the harness gives the start model (+0.20)",
    ],
    [
      [narrow, wide],
      0.2,
      "supported for a (interval below the start model's gain +0.20); too wide to tell for " +
      "b [-0.22, +0.25]",
    ],
    [
      [wide],
      0.2,
      "cannot decide at this scale: no detectable gain, but b [-0.22, +0.25] does not exclude a gain " +
      "as large as the harness gives the start model (+0.20)",
    ],
    // without a positive control (or one that shows no gain) there is no margin to test against
    [[wide], undefined, "supported: no OPHSD variant that learned gains from reattaching"],
    [[wide], -0.05, "supported: no OPHSD variant that learned gains from reattaching"],
  ];
  for (const [rows, control, want] of cases) assertEquals(reattachVerdict(rows, "none", control), want);
});

Deno.test("standaloneFindings: 'not reproduced' says how large an advantage the tightest interval still allows", () => {
  const learnedPower = powerTable([
    run("ophsd_trace", 0, [4, 3, 2, 1], [F, F, F, F], [T, T, T, T]),
    run("ophsd_trace", 1, [4, 3, 2, 1], [F, F, F, F], [T, T, T, T]),
  ]);
  const evals = [0, 1].flatMap((
    seed,
  ) => [
    evaluation("base", seed, 0, 4),
    evaluation("sft", seed, 2, 4),
    evaluation("ophsd_trace", seed, 4, 4),
  ]);
  const rows = reattachTable(evals, dp);
  const iv: Record<string, [number, number]> = { base: [-0.3, 0.44], sft: [-0.2, 0.1] };
  const compare = (a: string, b: string) => ({
    a,
    b,
    diff: (iv[b][0] + iv[b][1]) / 2,
    lo: iv[b][0],
    hi: iv[b][1],
    effect: "no detectable difference",
  });
  assertStringIncludes(
    standaloneFindings(rows, learnedPower, compare),
    "**not reproduced: no detectable difference from sft, base (the tightest interval, vs sft, still allows an " +
      "advantage of up to +0.10)**",
  );
});
