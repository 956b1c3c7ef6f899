import { assertEquals, assertStringIncludes } from "@std/assert";
import { parseDistillConfig } from "../../../train/distill/config.ts";
import { parseGrpoConfig } from "../../../train/grpo/config.ts";
import { reattachmentParams } from "../params.ts";
import {
  asDistillParams,
  passedEveryCheck,
  precedentDistillParams,
  precedentMethodConfig,
} from "./precedent.ts";
import {
  forgottenCalls,
  PRECEDENT_CONTEXTS,
  precedentReattachFindings,
  variedGroupsFindings,
} from "./precedent_findings.ts";
import { teacherCheck } from "./findings.ts";
import { caseStudiesMarkdown } from "./cases.ts";
import type { MethodRun } from "./runs.ts";
import {
  compareMethods,
  type PowerRow,
  type ReattachRow,
  type RetentionSummary,
  retentionTable,
  variedGroupsTable,
} from "./tables.ts";

Deno.test("precedent methods: every trained method's config validates at each scale, with the draft-verify harness", () => {
  for (const scale of ["smoke", "default", "full"] as const) {
    const params = reattachmentParams(scale), pp = precedentDistillParams(scale);
    for (const m of pp.methods.filter((m) => m.trainer === "distill")) {
      const c = parseDistillConfig(precedentMethodConfig(params, pp, m, pp.seeds[0]), `${scale} ${m.name}`);
      assertEquals([c.harness?.kind, c.start.task.family], ["draft_verify", "precedent"]);
    }
    const grpo = pp.methods.filter((m) => m.trainer === "grpo");
    assertEquals(grpo.map((m) => m.name), ["grpo"]);
    const g = parseGrpoConfig(precedentMethodConfig(params, pp, grpo[0], pp.seeds[0]), `${scale} grpo`);
    assertEquals([g.start.task.family, g.replay?.mix.map((x) => x.format)], ["precedent", [
      "draft",
      "verify",
    ]]);
    if (scale !== "smoke") {
      // rollouts a step as distillation's prompts a step, on the same levels and steps
      assertEquals(g.prompts_per_step * g.group_size, pp.common.prompts_per_step);
      assertEquals([g.levels, g.steps], [pp.common.levels, pp.common.steps]);
    }
  }
});

Deno.test("precedent ablations: each varies one knob of ophsd_trace; current teacher and JSD at full only", () => {
  const names = (scale: "default" | "full") => precedentDistillParams(scale).methods.map((m) => m.name);
  assertEquals(names("full").filter((n) => !names("default").includes(n)), [
    "ophsd_trace_current",
    "ophsd_trace_jsd",
  ]);
  const pp = precedentDistillParams("full");
  const base = pp.methods.find((m) => m.name === "ophsd_trace")!.config as { teacher: { context: object } };
  const diff = (name: string) => pp.methods.find((m) => m.name === name)!.config;
  assertEquals(diff("ophsd_trace_current"), {
    teacher: { weights: "current", context: base.teacher.context },
  });
  assertEquals(diff("ophsd_trace_jsd"), { teacher: base.teacher, loss: { kind: "jsd", beta: 0.5 } });
  assertEquals(diff("ophsd_trace_noreplay"), { teacher: base.teacher, replay: { rows: 0 } });
  assertEquals(diff("ophsd_trace_anchor"), { teacher: base.teacher, anchor_coef: 0.1 });
  assertEquals(diff("ophsd_trace_ref"), {
    teacher: { context: { source: "harness", kind: "trace", builder: "reference" } },
  });
  // asDistillParams carries the retention probes and GRPO knobs into the shared tables
  const pdp = asDistillParams(pp, [1, 2, 3]);
  assertEquals([pdp.retention_formats, pdp.grpo], [pp.retention_formats, pp.grpo]);
});

Deno.test("precedent starts: a seed must pass the gate in every bank mode", () => {
  const checks = [{ passedSeeds: [0, 1, 3] }, { passedSeeds: [0, 3] }];
  assertEquals(passedEveryCheck(checks, [0, 1, 2, 3]), [0, 3]);
  assertEquals(passedEveryCheck([], [0, 1]), []);
});

const row = (method: string, group: string, lo: number, hi: number, effect: string): ReattachRow => ({
  method,
  group,
  text: "",
  seeds: 3,
  bare: 0.6,
  bare_lo: 0.5,
  bare_hi: 0.7,
  harness: 0.7,
  reattach: (lo + hi) / 2,
  lo,
  hi,
  effect,
  vs_base: 0,
  vs_base_lo: -0.1,
  vs_base_hi: 0.1,
});
const power = (method: string, learned: boolean): PowerRow => ({
  method,
  seeds: 3,
  signal: "loss",
  first: 1,
  last: 0.5,
  signal_ok: 3,
  acc_before: 0.6,
  acc_after: 0.7,
  acc_change: 0.1,
  lo: 0.05,
  hi: 0.15,
  learned,
});

Deno.test("precedent reattachment findings: the verdict per bank mode follows the rows and the power check", () => {
  const rows = [
    row("base", "baseline", 0.1, 0.3, "helps"),
    row("ophsd_trace", "ophsd", -0.05, 0.04, "no detectable change"),
  ];
  const text = precedentReattachFindings(
    { fresh: rows, warm: [rows[0], row("ophsd_trace", "ophsd", 0.02, 0.2, "helps")] },
    [power("ophsd_trace", true)],
    "the gate passed.",
  );
  assertStringIncludes(text, "**fresh bank**");
  assertStringIncludes(text, "ophsd_trace -0.01 [-0.05, +0.04]");
  assertStringIncludes(text, "supported: no OPHSD variant that learned gains from reattaching");
  assertStringIncludes(text, "contradicted for ophsd_trace (reattaching still helps)");
  const none = precedentReattachFindings({ warm: rows }, [power("ophsd_trace", false)], "x");
  assertStringIncludes(none, "cannot decide at this scale");
  assertStringIncludes(none, "did not learn");
});

Deno.test("variedGroupsTable: GRPO's share of groups with reward variance, per seed then over seeds", () => {
  const grpo = precedentDistillParams("default").methods.find((m) => m.name === "grpo")!;
  const mk = (seed: number, varied: number[]): MethodRun => ({
    method: grpo,
    seed,
    key: `g${seed}`,
    cached: true,
    modelDir: "",
    metrics: [
      { step: 0, pass_L3: 0.5 },
      ...varied.map((v, i) => ({ step: i + 1, varied_groups: v, reward: 0.5 })),
    ],
  });
  // seed 0: mean 0.5 (first quarter 1, last 0); seed 1: mean 0.25 (first 0, last 0.5)
  const [row] = variedGroupsTable([mk(0, [1, 0.5, 0.5, 0]), mk(1, [0, 0.5, 0, 0.5])], {
    group_size: 8,
    prompts_per_step: 2,
  });
  assertEquals([row.method, row.seeds, row.varied, row.varied_first, row.varied_last], [
    "grpo",
    2,
    0.375,
    0.5,
    0.25,
  ]);
  const text = variedGroupsFindings([row]);
  assertStringIncludes(text, "2 prompts x 8 samples a step");
  assertStringIncludes(text, "is 0.38");
  assertStringIncludes(text, "about 6.00 of 16 rollouts a step");
});

const ret = (method: string, format: string, exact: number): RetentionSummary => ({
  method,
  format,
  seeds: 3,
  exact,
  lo: exact - 0.1,
  hi: exact + 0.1,
});

Deno.test("precedent teacher check and retention: draft-verify's calls are retention, a lost call drops the verdict", () => {
  const rows = [
    ret("base", "draft", 0.9),
    ret("base", "verify", 0.8),
    ret("base", "answer", 0.95),
    ret("base", "answer_like", 0.9),
    ret("base", "trace", 0.3),
    ret("ophsd_trace", "draft", 0.85),
    ret("ophsd_trace", "verify", 0.2),
  ];
  const t = teacherCheck(rows, 0.5, PRECEDENT_CONTEXTS);
  assertEquals([t.ok, t.unreadable], [false, ["trace"]]);
  assertStringIncludes(t.sentence, "answer 0.95 [0.85, 1.05], answer_like 0.90");
  assertEquals(t.sentence.includes("draft"), false);
  assertEquals(t.sentence.includes("The others"), false);
  assertEquals(
    teacherCheck(rows.map((r) => r.format === "trace" ? { ...r, exact: 0.9 } : r), 0.5, PRECEDENT_CONTEXTS)
      .ok,
    true,
  );
  assertEquals([...forgottenCalls(rows)], [["ophsd_trace", ["verify 0.20"]]]);
  const learned = [power("ophsd_trace", true)];
  const helps = [row("base", "baseline", 0.1, 0.3, "helps"), row("ophsd_trace", "ophsd", 0.02, 0.2, "helps")];
  const text = precedentReattachFindings({ warm: helps }, learned, "g.", undefined, rows);
  assertStringIncludes(
    text,
    "ophsd_trace +0.11 [+0.02, +0.20] (helps; lost a draft-verify call: verify 0.20 exact)",
  );
  assertStringIncludes(
    text,
    "cannot decide at this scale: no OPHSD variant both passed the power check and kept",
  );
  assertStringIncludes(
    precedentReattachFindings({ warm: helps }, learned, "g.", t),
    "cannot decide at this scale: the start model reads the harness trace unreliably (0.30",
  );
  assertStringIncludes(
    precedentReattachFindings({ warm: helps }, learned, "g."),
    "contradicted for ophsd_trace",
  );
});

Deno.test("precedent tables and cases: retention per format, ablations paired by seed, bare's answer in a case", () => {
  const pdp = asDistillParams(precedentDistillParams("full"), [3, 4, 5]);
  const o = (id: string, correct: boolean, predicted: string) => ({
    id,
    level: 3,
    truth: "C",
    predicted,
    correct,
  });
  const trace = {
    problem: { id: "p1", level: 3, prompt: "^aeimbf?", target: "C$", answer: "C" },
    answer: "D",
    correct: false,
    calls: [{
      role: "draft",
      format: "draft",
      logProbs: [-0.1],
      prompt: "^[aeimbgD]aeimbf?",
      completion: "D$",
    }],
    teacher: { answer_like: [["D"], ["D"]], trace: [["D"], ["D"]] },
    facts: { revised: false },
  };
  const ev = (method: string, seed: number, right: number, exact: number) =>
    ({
      method,
      seed,
      outcomes: {
        bare: [o("p1", true, "C"), ...[0, 1, 2].map((i) => o(`q${i}`, i < right, i < right ? "C" : "D"))],
        harness: [o("p1", false, "D")],
      },
      retention: [{ format: "verify", n: 4, exact, lo: 0, hi: 1 }],
      traces: [trace],
      bareOnTraces: [],
    }) as unknown as Parameters<typeof caseStudiesMarkdown>[0][number];
  const evals = [0, 1].flatMap((
    s,
  ) => [ev("ophsd_trace", s, 1, 0.5), ev("ophsd_trace_jsd", s, 1 + s, 0.25 * s)]);
  const v = retentionTable(evals, pdp).find((r) => r.method === "ophsd_trace_jsd" && r.format === "verify")!;
  assertEquals([v.seeds, v.exact], [2, 0.125]);
  const c = compareMethods(evals, pdp, "ophsd_trace_jsd", "ophsd_trace");
  assertEquals([c.diff, c.b], [0.125, "ophsd_trace"]); // seed 0: +0, seed 1: +1/4
  const md = caseStudiesMarkdown(evals, ["ophsd_trace"]);
  assertStringIncludes(md, "harness turned a right bare answer wrong (level 3, truth C)");
  assertStringIncludes(md, "bare answer: C");
});

Deno.test("precedent reattachment findings: an ablation that learned and still gains is said beside the verdict", () => {
  const rows = [
    row("base", "baseline", 0.1, 0.3, "helps"),
    row("ophsd_trace", "ophsd", -0.05, 0.04, "no detectable change"),
    row("ophsd_trace_anchor", "ablation", 0.03, 0.12, "helps"),
  ];
  const text = precedentReattachFindings(
    { fresh: rows },
    [power("ophsd_trace", true), power("ophsd_trace_anchor", true)],
    "g.",
  );
  assertStringIncludes(
    text,
    "**supported: no OPHSD variant that learned gains from reattaching, and every interval",
  );
  assertStringIncludes(
    text,
    "of these, ophsd_trace_anchor learned, kept its calls and still gains from reattaching)",
  );
  const notLearned = precedentReattachFindings({ fresh: rows }, [power("ophsd_trace", true)], "g.");
  assertEquals(notLearned.includes("of these"), false);
});
