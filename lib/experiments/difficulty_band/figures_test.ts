import { assertEquals, assertStringIncludes } from "@std/assert";
import { bandParams } from "./params.ts";
import { driftFigure, heatmapFigure } from "./figures.ts";
import { heatmapTable, measurementTable, perStepTable } from "./tables.ts";
import { fakeRun, measured, runs } from "./testdata/fake_runs.ts";

const count = (s: string, sub: string) => s.split(sub).length - 1;

Deno.test("drift figure: one panel per condition run, short titles, a condition with no variance says so", () => {
  // uniform's groups never have variance: its band centre is undefined at every step
  const flat = fakeRun("uniform", 0, [
    measured(0, [1, 0], [0, 0], [3, 3]),
    measured(2, [1, 0], [0, 0], [3, 3]),
  ]);
  const fig = driftFigure(perStepTable(measurementTable([...runs, flat]), [1]), bandParams("smoke"));
  assertStringIncludes(fig.svg, ">over-hard only<");
  assertStringIncludes(fig.svg, ">uniform (no group had variance)<");
  assertEquals(count(fig.svg, "band centre (level)"), 2); // two panels, one y label each
});

Deno.test("heatmap figure: the variance measure gets its own title and note", () => {
  const fig = heatmapFigure(heatmapTable(measurementTable(runs), "var"), bandParams("smoke"), "var");
  assertStringIncludes(fig.svg, "share of groups with reward variance, by difficulty and step");
  assertStringIncludes(fig.svg, "Drift = the bright cells moving up the level axis");
});
