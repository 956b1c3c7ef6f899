import { Rng } from "../../core/rng.ts";
import { assertSvgSnapshot } from "../../../tests/helpers/svg_snapshot.ts";
import { stepCurves, type StepPoint } from "./step_curves.ts";

function seededSteps(): StepPoint[] {
  const rng = new Rng(10);
  return ["uniform", "over-hard"].flatMap((series, k) =>
    [0, 20, 40, 60].map((step) => {
      const mean = (k ? -1 : 0.5) * step / 100 + 0.02 * rng.float();
      return { step, mean, lo: mean - 0.05, hi: mean + 0.05, series };
    })
  );
}

Deno.test("stepCurves: snapshot with a zero reference line", async () => {
  await assertSvgSnapshot(
    "step_curves",
    stepCurves(seededSteps(), { yLabel: "change from step 0", reference: 0 }),
  );
});
