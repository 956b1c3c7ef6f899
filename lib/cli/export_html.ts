/**
 * `deno task export-html [NOTEBOOK...] [--out DIR]`: each executed notebook as
 * one self-contained HTML file that opens in any browser, without Jupyter or
 * Deno: code, tables, inline SVG figures and the findings, made by the real
 * nbconvert (`jupyter nbconvert --to html`) with its JupyterLab template. The
 * template in html_template/ departs from it in two places: it drops the two
 * scripts the page would load from elsewhere (require.js and MathJax; Debian
 * points them at file:///usr/share/javascript), and it inlines SVG figures as
 * written (nbconvert passes them through lxml's clean_html, which empties
 * them). Default: every notebook in notebooks/ into exports/ (git-ignored).
 * Each file is written to a temporary name and renamed.
 *
 * After converting, the page is checked to be self-contained (no script,
 * stylesheet, image or frame loaded from a URL or file; links in text are
 * fine) and to hold its figures whole: at least as many SVG shapes and labels
 * as the notebook's SVG outputs.
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * import { externalResources } from "./export_html.ts";
 * assertEquals(externalResources('<img src="data:image/png;base64,AA"><a href="https://x.org">x</a>'), []);
 * assertEquals(externalResources('<script src="file:///usr/share/javascript/require.js"></script>'), [
 *   "file:///usr/share/javascript/require.js",
 * ]);
 * ```
 */
import { parseArgs } from "node:util";
import { exitCodeOf, LabError } from "../core/errors.ts";
import { PROJECT_ROOT } from "../core/paths.ts";
import { JUPYTER_PYTHON } from "./notebooks/execute.ts";
import { listNotebooks } from "./notebooks/main.ts";
import { formatBytes } from "./runs/ls.ts";

const TEMPLATES = new URL("./html_template", import.meta.url).pathname;

/** URLs of resources a page would load (scripts, styles, images, frames, CSS url() and @import). */
export function externalResources(html: string): string[] {
  const out: string[] = [];
  const tag =
    /<(?:script|img|iframe|link|source|embed|video|audio|object)\b[^>]*?\b(?:src|href|data)\s*=\s*["']?([^"'\s>]+)/gi;
  const css = /(?:url\(\s*["']?|@import\s+["'])([^"')\s]+)/gi;
  for (const re of [tag, css]) {
    for (const m of html.matchAll(re)) if (!/^(data:|#)/i.test(m[1])) out.push(m[1]);
  }
  return out;
}

interface Output {
  output_type: string;
  data?: Record<string, unknown>;
}

/** SVG shapes and labels in a text (what a figure is drawn with). */
export function graphics(text: string): number {
  return text.match(/<(?:path|line|rect|circle|text|polyline|polygon)\b/g)?.length ?? 0;
}

/** What a notebook's outputs hold: SVG figures (and their shapes), HTML tables, Markdown; null if none ran. */
function outputSummary(
  nb: { cells?: { outputs?: Output[] }[] },
): { svg: number; graphics: number; tables: number; markdown: number } | null {
  const outputs = (nb.cells ?? []).flatMap((c) => c.outputs ?? []);
  if (!outputs.length) return null;
  const text = (o: Output, mime: string) => [o.data?.[mime] ?? ""].flat().join("");
  const has = (o: Output, mime: string, part?: string) =>
    o.data?.[mime] !== undefined && (!part || text(o, mime).includes(part));
  const svgs = outputs.filter((o) => has(o, "image/svg+xml"));
  return {
    svg: svgs.length,
    graphics: svgs.reduce((a, o) => a + graphics(text(o, "image/svg+xml")), 0),
    tables: outputs.filter((o) => has(o, "text/html", "<table")).length,
    markdown: outputs.filter((o) => has(o, "text/markdown")).length,
  };
}

/** Convert one executed notebook to `outDir`/NAME.html; returns the path and a one-line account. */
export async function exportHtml(path: string, outDir: string): Promise<{ htmlPath: string; line: string }> {
  let nb: { cells?: { outputs?: Output[] }[] };
  try {
    nb = JSON.parse(await Deno.readTextFile(path));
  } catch (e) {
    const why = e instanceof Deno.errors.NotFound ? "no such file" : (e as Error).message;
    throw new LabError(
      `export-html: cannot read notebook ${path} (${why})`,
      "give an .ipynb path, e.g. notebooks/00_quickstart.ipynb",
    );
  }
  const held = outputSummary(nb);
  if (!held) {
    throw new LabError(
      `export-html: ${path} has no outputs (it was never executed)`,
      `execute it first: deno task notebooks ${path}`,
    );
  }
  const name = path.slice(path.lastIndexOf("/") + 1).replace(/\.ipynb$/, "");
  const tmp = await Deno.makeTempDir({ dir: outDir, prefix: ".export-" });
  try {
    const r = await new Deno.Command(JUPYTER_PYTHON, {
      args: [
        "-m",
        "nbconvert",
        "--to",
        "html",
        `--TemplateExporter.extra_template_basedirs=${TEMPLATES}`,
        "--template",
        "harnesslab",
        "--output-dir",
        tmp,
        "--output",
        name,
        path,
      ],
      stdout: "piped",
      stderr: "piped",
    }).output().catch(() => null);
    if (!r?.success) {
      const log = r ? new TextDecoder().decode(r.stderr).trim().split("\n").slice(-4).join("\n") : "";
      throw new LabError(
        `export-html: jupyter nbconvert failed on ${path}${log ? `:\n${log}` : ""}`,
        "run 'bash scripts/setup.sh' (Debian jupyter-nbconvert) and check that the notebook opens in Jupyter",
      );
    }
    const html = await Deno.readTextFile(`${tmp}/${name}.html`);
    const external = externalResources(html);
    if (external.length) {
      throw new LabError(
        `export-html: ${name}.html would load ${external.join(", ")}`,
        "the nbconvert template changed; update lib/cli/html_template",
      );
    }
    const drawn = graphics(html);
    if (drawn < held.graphics) {
      throw new LabError(
        `export-html: ${name}.html holds ${drawn} SVG shapes and labels, the notebook's figures ${held.graphics}`,
        "the figures lost their content in conversion; check lib/cli/html_template (nbconvert's clean_html empties SVG)",
      );
    }
    const htmlPath = `${outDir}/${name}.html`;
    const bytes = (await Deno.stat(`${tmp}/${name}.html`)).size;
    await Deno.rename(`${tmp}/${name}.html`, htmlPath);
    const plural = (n: number, w: string) => `${n} ${w}${n === 1 ? "" : "s"}`;
    return {
      htmlPath,
      line: `${htmlPath} (${formatBytes(bytes)}): ${plural(held.svg, "figure")}, ${
        plural(held.tables, "table")
      }, ${plural(held.markdown, "Markdown output")}, self-contained`,
    };
  } finally {
    await Deno.remove(tmp, { recursive: true }).catch(() => {});
  }
}

export async function main(args: string[]): Promise<number> {
  return await exitCodeOf(async () => {
    let parsed;
    try {
      parsed = parseArgs({
        args,
        options: { out: { type: "string", default: `${PROJECT_ROOT}exports` } },
        allowPositionals: true,
      });
    } catch (e) {
      throw new LabError(
        `export-html: ${(e as Error).message.split("\n")[0]}`,
        "usage: deno task export-html [NOTEBOOK...] [--out DIR]",
      );
    }
    const notebooks = parsed.positionals.length ? parsed.positionals : await listNotebooks();
    await Deno.mkdir(parsed.values.out!, { recursive: true });
    for (const nb of notebooks) {
      console.log(`export-html: ${(await exportHtml(nb, parsed.values.out!)).line}`);
    }
    return 0;
  });
}

if (import.meta.main) Deno.exit(await main(Deno.args));
