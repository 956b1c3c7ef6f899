import { assert, assertEquals, assertRejects, assertStringIncludes } from "@std/assert";
import { LabError } from "../core/errors.ts";
import { PROJECT_ROOT } from "../core/paths.ts";
import { exportHtml, externalResources, graphics } from "./export_html.ts";
import { pngSize, renderedDom, screenshot } from "./browser.ts";

const QUICKSTART = `${PROJECT_ROOT}notebooks/00_quickstart.ipynb`; // committed executed, with its outputs

Deno.test("externalResources: scripts, styles, images and CSS urls from elsewhere; links and data: are fine", () => {
  const html = [
    '<script src="file:///usr/share/javascript/mathjax/MathJax.js"></script>',
    '<link rel="stylesheet" href="https://cdn.example/x.css">',
    '<img src="data:image/png;base64,AAAA"><img src=figure.png>',
    '<a href="https://arxiv.org/abs/2605.28388">paper</a><a href="#Findings">findings</a>',
    "<style>@import 'theme.css'; .x { background: url(https://cdn.example/bg.png) } .y { background: url(#g) }</style>",
  ].join("\n");
  assertEquals(externalResources(html), [
    "file:///usr/share/javascript/mathjax/MathJax.js",
    "https://cdn.example/x.css",
    "figure.png",
    "theme.css",
    "https://cdn.example/bg.png",
  ]);
  assertEquals(graphics('<svg><g><path d="M0"/><text>a</text><rect/></g></svg>'), 3);
});

Deno.test({
  name: "export-html: one self-contained page per notebook, figures whole, rendered by headless chromium",
  sanitizeResources: false,
  fn: async () => {
    const out = await Deno.makeTempDir({ prefix: "html-export-" });
    try {
      const { htmlPath, line } = await exportHtml(QUICKSTART, out);
      assertEquals(htmlPath, `${out}/00_quickstart.html`);
      assertStringIncludes(line, "1 figure, 4 tables, 1 Markdown output, self-contained");
      assertEquals([...Deno.readDirSync(out)].map((e) => e.name), ["00_quickstart.html"]); // no temp left
      const html = await Deno.readTextFile(htmlPath);
      assertEquals(externalResources(html), []);

      // What the browser built: the figure's marks, the tables and the findings are in the page.
      const nb = JSON.parse(await Deno.readTextFile(QUICKSTART));
      const svg = nb.cells.flatMap((c: { outputs?: { data?: Record<string, string[] | string> }[] }) =>
        (c.outputs ?? []).map((o) => [o.data?.["image/svg+xml"] ?? ""].flat().join(""))
      ).join("");
      const dom = await renderedDom(htmlPath);
      assert(
        graphics(dom) >= graphics(svg),
        `${graphics(dom)} shapes rendered, the figure has ${graphics(svg)}`,
      );
      assertStringIncludes(dom, "Quickstart: SFT on chained modular arithmetic");
      assertStringIncludes(dom, "Exact match by level (mean over seeds, t 95% interval)");
      assertStringIncludes(dom, "Beyond the trained range");

      // A page of this size that failed to render is a near-empty PNG (about 6 KB); this one is drawn.
      const png = `${out}/page.png`;
      await screenshot(htmlPath, png, 1000, 4000);
      const bytes = await Deno.readFile(png);
      assertEquals(pngSize(bytes), { width: 1000, height: 4000 });
      assert(bytes.length > 100_000, `screenshot is ${bytes.length} bytes: blank?`);
    } finally {
      await Deno.remove(out, { recursive: true });
    }
  },
});

Deno.test("export-html: an unknown or unexecuted notebook is an error saying what to do", async () => {
  const dir = await Deno.makeTempDir();
  try {
    await assertRejects(() => exportHtml(`${dir}/nope.ipynb`, dir), LabError, "cannot read notebook");
    const fresh = { cells: [{ cell_type: "code", source: "1", outputs: [], metadata: {} }], metadata: {} };
    await Deno.writeTextFile(`${dir}/fresh.ipynb`, JSON.stringify(fresh));
    await assertRejects(
      () => exportHtml(`${dir}/fresh.ipynb`, dir),
      LabError,
      `has no outputs (it was never executed). Fix: execute it first: deno task notebooks ${dir}/fresh.ipynb`,
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
