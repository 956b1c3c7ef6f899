import { assertAlmostEquals, assertEquals, assertThrows } from "@std/assert";
import { LabError } from "../../core/errors.ts";
import { changeTable, finalChangeTable, luckTable, measurementTable, perStepTable } from "./tables.ts";
import { fakeRun, measured, runs } from "./testdata/fake_runs.ts";

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
  // seeds' variance shares 0.375 and 0.5: sd 0.0884, t(1) 12.706 x 0.0625
  assertAlmostEquals(r.groups_with_variance_lo, 0.4375 - 12.706 * 0.0625, 1e-3);
  assertEquals([r.lone_successes_per_step_lo, r.lone_successes_per_step_hi], [1, 1]); // both seeds 1/step
});

Deno.test("measurement table: a record missing one measure (say, a renamed key) is an error, not a NaN", () => {
  const rec = measured(0, [1, 0.3], [0, 0.5], [3, 3]);
  delete rec.valid_L2;
  const e = assertThrows(() => measurementTable([fakeRun("uniform", 0, [rec])]), LabError);
  assertEquals(e.message.startsWith("metrics record at step 0 has no number 'valid_L2'"), true);
});
