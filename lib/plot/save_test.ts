import { assertEquals, assertRejects, assertThrows } from "@std/assert";
import * as Plot from "@observablehq/plot";
import { LabError } from "../core/errors.ts";
import { composeFigure } from "./figure.ts";
import { renderPlot } from "./render.ts";
import { checkFigureName, saveFigure } from "./save.ts";

const PNG_MAGIC = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

Deno.test("saveFigure writes NAME.svg and a 2x PNG beside it, nothing else", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const fig = composeFigure({
      title: "t",
      panels: [{ svg: renderPlot({ width: 200, height: 100, marks: [Plot.lineY([1, 2])] }) }],
    });
    const saved = await saveFigure(fig, "demo_fig", { dir });
    assertEquals(saved.svgPath, `${dir}/demo_fig.svg`);
    assertEquals(await Deno.readTextFile(saved.svgPath), fig.svg + "\n");
    const png = await Deno.readFile(saved.pngPath!);
    assertEquals([...png.slice(0, 8)], PNG_MAGIC);
    // IHDR width and height (big-endian at bytes 16..23) are the figure's size at zoom 2
    const view = new DataView(png.buffer, png.byteOffset);
    assertEquals([view.getUint32(16), view.getUint32(20)], [fig.width * 2, fig.height * 2]);
    const names = [];
    for await (const e of Deno.readDir(dir)) names.push(e.name);
    assertEquals(names.sort(), ["demo_fig.png", "demo_fig.svg"]);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("figure names must be plain file names", async () => {
  for (const bad of ["../x", "A", "a b", "", "a/b"]) {
    assertThrows(() => checkFigureName(bad), LabError, "plain file name");
  }
  const fig = composeFigure({
    title: "t",
    panels: [{ svg: renderPlot({ width: 100, height: 50, marks: [] }) }],
  });
  await assertRejects(() => saveFigure(fig, "../escape", { dir: "/tmp" }), LabError, "'../escape'");
});
