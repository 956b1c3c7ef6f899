import { assertStringIncludes } from "@std/assert";
import { Rng } from "../../core/rng.ts";
import { assertSvgSnapshot } from "../../../tests/helpers/svg_snapshot.ts";
import { type HeatCell, levelStepHeatmap } from "./heatmap.ts";

function seededCells(): HeatCell[] {
  const rng = new Rng(9);
  return [0, 20, 40].flatMap((step) =>
    [1, 2, 3, 4].map((level) => ({
      step,
      level,
      value: Math.min(1, Math.max(0, 1.2 - 0.25 * level + step / 100 + 0.05 * rng.float())),
    }))
  );
}

Deno.test("levelStepHeatmap: snapshot; level 1 at the bottom, values printed", async () => {
  const svg = levelStepHeatmap(seededCells(), { label: "pass rate" });
  await assertSvgSnapshot("level_step_heatmap", svg);
  assertStringIncludes(svg, ">.97<"); // level 1, step 0: 1.2 - 0.25 + noise, printed without the leading 0
  // level 1 is the bottom row, level 4 the top one
  assertStringIncludes(svg, 'transform="translate(56,223)" y="0.32em">1<');
  assertStringIncludes(svg, 'transform="translate(56,28)" y="0.32em">4<');
});
