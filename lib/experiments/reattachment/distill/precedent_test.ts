import { assertEquals, assertStringIncludes } from "@std/assert";
import { parseDistillConfig } from "../../../train/distill/config.ts";
import { reattachmentParams } from "../params.ts";
import { passedEveryCheck, precedentDistillParams, precedentMethodConfig } from "./precedent.ts";
import { precedentReattachFindings } from "./precedent_findings.ts";
import type { PowerRow, ReattachRow } from "./tables.ts";

Deno.test("precedent methods: every trained method's config validates at each scale, with the draft-verify harness", () => {
  for (const scale of ["smoke", "default", "full"] as const) {
    const params = reattachmentParams(scale), pp = precedentDistillParams(scale);
    for (const m of pp.methods.filter((m) => m.trainer !== "none")) {
      const c = parseDistillConfig(precedentMethodConfig(params, pp, m, pp.seeds[0]), `${scale} ${m.name}`);
      assertEquals([c.harness?.kind, c.start.task.family], ["draft_verify", "precedent"]);
    }
  }
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
