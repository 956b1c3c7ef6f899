import { assertEquals, assertStringIncludes, assertThrows } from "@std/assert";
import * as Plot from "@observablehq/plot";
import { Rng } from "../core/rng.ts";
import { LabError } from "../core/errors.ts";
import { JUPYTER_DISPLAY } from "../core/display.ts";
import { assertSvgSnapshot, normaliseSvg } from "../../tests/helpers/svg_snapshot.ts";
import { composeFigure, escapeXml, wrapText } from "./figure.ts";
import { renderPlot } from "./render.ts";
import { decades, lossCurves } from "./charts/loss_curves.ts";
import { levelAccuracy, type LevelPoint } from "./charts/level_accuracy.ts";
import { seriesColorScale, seriesLegend } from "./charts/series.ts";
import { OKABE_ITO, REFERENCE_COLOR } from "./theme.ts";

function seededCurves() {
  const rng = new Rng(7);
  return ["seed 0", "seed 1"].flatMap((series) =>
    Array.from(
      { length: 60 },
      (_, i) => ({ step: i + 1, value: 3 * Math.exp(-i / 20) + 0.1 + 0.05 * rng.float(), series }),
    )
  );
}

function seededLevels(): LevelPoint[] {
  const rng = new Rng(8);
  return ["seed 0", "mean"].flatMap((series) =>
    [1, 2, 3, 4].map((level) => {
      const a = Math.max(0, 1 - 0.2 * level + 0.05 * rng.float());
      return { level, accuracy: a, lo: Math.max(0, a - 0.1), hi: Math.min(1, a + 0.1), series };
    })
  );
}

Deno.test("lossCurves: snapshot (log y, smoothed)", async () => {
  await assertSvgSnapshot(
    "loss_curves",
    lossCurves(seededCurves(), { yLabel: "loss (nats/token)", logY: true, smooth: 5 }),
  );
});

Deno.test("levelAccuracy: snapshot (chance, shade, fixed colour)", async () => {
  const svg = levelAccuracy(seededLevels(), {
    yLabel: "exact match",
    colors: { mean: "#000000" },
    chance: [1, 2, 3, 4].map((level) => ({ level, chance: 0.1 })),
    shade: { from: 1, to: 2, label: "trained" },
  });
  await assertSvgSnapshot("level_accuracy", svg);
});

Deno.test("composeFigure: snapshot of a two-panel figure", async () => {
  const fig = composeFigure({
    title: "Demo <figure> & co",
    subtitle: "seeded data",
    legend: [...seriesLegend(["seed 0", "seed 1"]), {
      label: "chance",
      color: REFERENCE_COLOR,
      dashed: true,
    }],
    panels: [
      { title: "loss", svg: lossCurves(seededCurves(), { yLabel: "loss", width: 300, height: 200 }) },
      { title: "accuracy", svg: levelAccuracy(seededLevels(), { yLabel: "acc", width: 300, height: 200 }) },
    ],
    note: "Intervals: Wilson 95%.",
  });
  await assertSvgSnapshot("figure_two_panels", fig.svg);
});

Deno.test("composeFigure: layout arithmetic", () => {
  const panel = (w: number, h: number) => renderPlot({ width: w, height: h, marks: [Plot.lineY([1, 2])] });
  // 3 panels of 200x100 in 2 columns: width = 16 + 200 + 16 + 200 + 16
  const fig = composeFigure({
    title: "t",
    panels: [panel(200, 100), panel(200, 100), panel(200, 100)].map((svg) => ({ svg })),
  });
  assertEquals(fig.width, 448);
  // title baseline 32, +10, +6 gap -> panels start at y 48; two rows of 100 with 16 between; + 16 bottom padding
  assertEquals(fig.height, 48 + 100 + 16 + 100 + 16);
  const xs = [...fig.svg.matchAll(/<svg x="(\d+)" y="(\d+)"/g)].map((m) => [Number(m[1]), Number(m[2])]);
  assertEquals(xs, [[16, 48], [232, 48], [16, 164]]);
  assertEquals(fig[JUPYTER_DISPLAY]()["image/svg+xml"], fig.svg);
});

Deno.test("composeFigure and renderPlot reject what cannot be a standalone SVG", () => {
  assertThrows(() => composeFigure({ title: "x", panels: [] }), LabError, "has no panels");
  assertThrows(
    () => composeFigure({ title: "x", panels: [{ svg: "<div>no</div>" }] }),
    LabError,
    "not an <svg>",
  );
  assertThrows(() => renderPlot({ title: "t", marks: [] }), LabError, "'title'");
  assertThrows(() => renderPlot({ color: { legend: true }, marks: [] }), LabError, "color.legend");
});

Deno.test("renderPlot: xmlns, lab font and size defaults; undefined options keep the defaults", () => {
  const svg = renderPlot({ width: undefined, marks: [Plot.lineY([1, 2])] });
  assertStringIncludes(svg, 'xmlns="http://www.w3.org/2000/svg"');
  assertStringIncludes(svg, 'width="560"');
  assertStringIncludes(svg, "DejaVu Sans");
});

Deno.test("series colours follow the Okabe-Ito order; fixed colours do not use up palette slots", () => {
  assertEquals(seriesColorScale(["a", "b"]).range, [OKABE_ITO[0], OKABE_ITO[1]]);
  assertEquals(seriesColorScale(["m", "a", "b"], { m: "#000000" }).range, [
    "#000000",
    OKABE_ITO[0],
    OKABE_ITO[1],
  ]);
  assertEquals(seriesLegend(["m", "a"], { m: "#000000" }), [{ label: "m", color: "#000000" }, {
    label: "a",
    color: OKABE_ITO[0],
  }]);
});

Deno.test("decades: log ticks at powers of ten spanning the data", () => {
  const cases: [number[], number[]][] = [
    [[0.5, 3], [0.1, 1, 10]],
    [[1, 10], [1, 10]],
    [[2e-4, 0.05, -1, 0], [1e-4, 1e-3, 1e-2, 0.1]],
    [[], [1]],
  ];
  for (const [xs, want] of cases) {
    assertEquals(decades(xs).map((v) => +v.toPrecision(3)), want);
  }
});

Deno.test("text helpers: escaping, wrapping, snapshot normalisation", () => {
  assertEquals(escapeXml(`a<b & "c">`), "a&lt;b &amp; &quot;c&quot;&gt;");
  const cases: [string, number, string[]][] = [
    ["one two three four", 9, ["one two", "three", "four"]],
    ["a\nb c", 10, ["a", "b c"]],
    ["longword", 3, ["longword"]],
  ];
  for (const [text, n, lines] of cases) assertEquals(wrapText(text, n), lines);
  assertEquals(normaliseSvg('<path d="M1.2345,-0.001L2.999,3"/>'), '<path d="M1.23,0L3,3"/>\n');
});
