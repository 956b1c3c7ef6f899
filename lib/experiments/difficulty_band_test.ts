import { assertAlmostEquals, assertEquals, assertStringIncludes, assertThrows } from "@std/assert";
import { LabError } from "../core/errors.ts";
import type { CachedRun } from "../core/run_cache.ts";
import type { GrpoResult } from "../train/grpo/grpo.ts";
import type { MetricRecord } from "../train/loop.ts";
import { bandParams, type Condition, grpoConfigFor, startConfigFor } from "./difficulty_band.ts";
import {
  changeTable,
  finalChangeTable,
  luckTable,
  measurementTable,
  perStepTable,
} from "./difficulty_band_tables.ts";
import { bandFindings } from "./difficulty_band_findings.ts";
import { parseGrpoConfig } from "../train/grpo/config.ts";

/** A measurement record at two levels: pass rates, variance shares, entropies. */
function measured(
  step: number,
  pass: [number, number],
  v: [number, number],
  ent: [number, number],
): MetricRecord {
  const rec: MetricRecord = { step };
  [1, 2].forEach((l, i) => {
    Object.assign(rec, {
      [`pass_L${l}`]: pass[i],
      [`samp_L${l}`]: pass[i],
      [`var_L${l}`]: v[i],
      [`pq_L${l}`]: 0,
      [`ent_L${l}`]: ent[i],
      [`rep_L${l}`]: 0.1,
      [`copy_L${l}`]: 0.1,
      [`len_L${l}`]: 1,
      [`valid_L${l}`]: pass[i],
      [`fmt_L${l}`]: 1,
    });
  });
  return rec;
}

function fakeRun(condition: Condition, seed: number, metrics: MetricRecord[]) {
  const result = { levels: [1, 2], metrics } as unknown as GrpoResult;
  return { condition, seed, run: { result, cached: true, key: "k", dir: "d" } as CachedRun<GrpoResult> };
}

// Seed 0: L1 pass 1.0 -> 0.6, band centre (var 0.5 at L2 only -> 2) -> (var 0.5, 0.5 -> 1.5).
// Seed 1: L1 pass 1.0 -> 0.8; band centre 2 -> 1.5. Entropy 3 -> 1 and 3 -> 2 (mean over levels).
const runs = [
  fakeRun("over_hard", 0, [
    measured(0, [1, 0.3], [0, 0.5], [3, 3]),
    { step: 1, lone: 2, lone_invalid: 1, lone_adv: 2, varied_groups: 0.5 },
    { lone: 0, lone_invalid: 0, varied_groups: 0.25, ...measured(2, [0.6, 0.1], [0.5, 0.5], [1, 1]) },
  ]),
  fakeRun("over_hard", 1, [
    measured(0, [1, 0.3], [0, 0.5], [3, 3]),
    { step: 1, lone: 1, lone_invalid: 1, lone_adv: 3, varied_groups: 0.5 },
    {
      lone: 1,
      lone_invalid: 0,
      lone_adv: 1,
      varied_groups: 0.5,
      ...measured(2, [0.8, 0.1], [0.5, 0.5], [2, 2]),
    },
  ]),
];

Deno.test("per-step table: band centre is the variance-weighted level; easy pass averages the easy levels", () => {
  const per = perStepTable(measurementTable(runs), [1]).objects() as {
    seed: number;
    step: number;
    band_centre: number;
    easy_pass: number;
    entropy: number;
  }[];
  const at = (seed: number, step: number) => per.find((r) => r.seed === seed && r.step === step)!;
  assertEquals([at(0, 0).band_centre, at(0, 2).band_centre], [2, 1.5]);
  assertEquals([at(0, 2).easy_pass, at(1, 2).easy_pass], [0.6, 0.8]);
  assertEquals(at(1, 2).entropy, 2);
});

Deno.test("change table pairs each seed with its own step 0 and gives a t interval over seeds", () => {
  const change = changeTable(perStepTable(measurementTable(runs), [1]));
  const row = (measure: string) =>
    (finalChangeTable(change).objects() as {
      measure: string;
      mean: number;
      lo: number;
      hi: number;
      n: number;
    }[])
      .find((r) => r.measure === measure)!;
  // easy pass changes -0.4 and -0.2: mean -0.3, sd 0.1414, t(1) 12.706 * 0.1 = 1.2706
  const easy = row("easy_pass");
  assertAlmostEquals(easy.mean, -0.3, 1e-12);
  assertAlmostEquals(easy.lo, -0.3 - 1.2706, 1e-4);
  assertEquals(easy.n, 2);
  assertAlmostEquals(row("band_centre").mean, -0.5, 1e-12);
  assertAlmostEquals(row("entropy").mean, -1.5, 1e-12);
});

Deno.test("luck table: lone successes per step, invalid share and their mean advantage", () => {
  const r = luckTable(runs).objects()[0] as Record<string, number>;
  // seed 0: 2 lone over 2 steps = 1/step, 1 of 2 invalid, adv (2*2 + 0) / 2 = 2
  // seed 1: 2 lone over 2 steps = 1/step, 1 of 2 invalid, adv (3 + 1) / 2 = 2
  assertEquals([r.lone_successes_per_step, r.lone_success_invalid_share, r.lone_success_advantage], [
    1,
    0.5,
    2,
  ]);
  assertAlmostEquals(r.groups_with_variance, (0.375 + 0.5) / 2, 1e-12);
});

Deno.test("findings quote the numbers and give verdicts", () => {
  const change = changeTable(perStepTable(measurementTable(runs), [1]));
  const text = bandFindings(change, perStepTable(measurementTable(runs), [1]), luckTable(runs), [1]);
  assertStringIncludes(
    text,
    "Over-hard only: -0.30 [-1.57, +0.97] at step 2. No measurable loss: **not reproduced**",
  );
  assertStringIncludes(text, "answer entropy across problems (bits) -1.50");
  assertStringIncludes(
    text,
    "1.00 groups per step had a single success; 0.50 of those came from an invalid scratchpad",
  );
});

Deno.test("every condition's GRPO config validates at every scale, and only the KL control has a KL term", () => {
  for (const scale of ["smoke", "default", "full"] as const) {
    const p = bandParams(scale);
    for (const c of p.conditions) {
      const cfg = parseGrpoConfig(grpoConfigFor(p, c, 0), `${scale} ${c}`);
      assertEquals(cfg.kl_coef > 0, c === "over_hard_kl");
      assertEquals(cfg.start.model.block_size >= 8 * Math.max(...p.levels) + 5, true);
    }
  }
});

Deno.test("bad params are a clear error", () => {
  const p = { ...bandParams("smoke"), lrr: 1 };
  assertStringIncludes(
    assertThrows(() => startConfigFor(p as never), LabError).message,
    "unknown field 'lrr'",
  );
});

Deno.test("graded-start check: a gradual curve passes, a cliff fails", async () => {
  const { startCheck } = await import("./difficulty_band_findings.ts");
  const table = (pass: number[]) => ({
    objects: () =>
      pass.map((p, i) => ({ level: i + 1, greedy_pass: p, lo: p - 0.08, hi: p + 0.08, chance: 0.1 })),
  });
  const graded = startCheck(table([0.8, 0.6, 0.4, 0.25, 0.1]));
  assertStringIncludes(graded, "4 level(s) lie between chance and 0.9"); // L1-L4 (0.8 < 0.9), L5 overlaps chance
  assertStringIncludes(graded, "the largest drop between adjacent levels is 0.20 (L1 to L2)");
  assertStringIncludes(graded, "**Graded**");
  const cliff = startCheck(table([1, 1, 1, 1, 0.1]));
  assertStringIncludes(cliff, "the largest drop between adjacent levels is 0.90 (L4 to L5)");
  assertStringIncludes(cliff, "**Not graded**");
});
