/**
 * `saveFigure`: writes figures/NAME.svg and, when `rsvg-convert` (Debian
 * librsvg2-bin) is on PATH, figures/NAME.png beside it at 2x for crisp
 * reading. Both are written atomically (temp file, then rename), so a crash
 * never leaves half a figure. The folder is $HARNESSLAB_FIGURES, else
 * figures/ at the repository root (tests and smoke runs point it elsewhere so
 * they never overwrite the committed default-scale figures).
 *
 * @example
 * ```ts
 * import { assertEquals, assertThrows } from "@std/assert";
 * import { checkFigureName } from "./save.ts";
 * assertEquals(checkFigureName("quickstart_loss"), "quickstart_loss");
 * assertThrows(() => checkFigureName("../loss"));
 * ```
 */
import { LabError } from "../core/errors.ts";
import { writeFileAtomic } from "../core/atomic.ts";
import { defaultFiguresDir } from "../core/paths.ts";
import type { Figure } from "./figure.ts";

export interface SavedFigure {
  svgPath: string;
  /** Absent when rsvg-convert is not installed. */
  pngPath?: string;
}

/** A figure name: lower-case letters, digits, `_` and `-` (it becomes a file name). */
export function checkFigureName(name: string): string {
  if (!/^[a-z0-9][a-z0-9_-]*$/.test(name)) {
    throw new LabError(
      `figure name '${name}' is not a plain file name`,
      "use lower-case letters, digits, '_' and '-' (e.g. 'quickstart_loss')",
    );
  }
  return name;
}

let rsvgChecked: boolean | undefined;

async function hasRsvg(): Promise<boolean> {
  if (rsvgChecked === undefined) {
    try {
      const { success } = await new Deno.Command("rsvg-convert", {
        args: ["--version"],
        stdout: "null",
        stderr: "null",
      })
        .output();
      rsvgChecked = success;
    } catch {
      rsvgChecked = false;
    }
  }
  return rsvgChecked;
}

/** Convert SVG text to PNG bytes with rsvg-convert at `zoom`. */
export async function svgToPng(svg: string, zoom = 2): Promise<Uint8Array> {
  const child = new Deno.Command("rsvg-convert", {
    args: ["--format", "png", "--zoom", String(zoom)],
    stdin: "piped",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  const writer = child.stdin.getWriter();
  await writer.write(new TextEncoder().encode(svg));
  await writer.close();
  const out = await child.output();
  if (!out.success) {
    throw new LabError(
      `rsvg-convert failed: ${new TextDecoder().decode(out.stderr).trim()}`,
      "check the figure's SVG (open the .svg in a browser)",
    );
  }
  return out.stdout;
}

/** Save `fig` as DIR/NAME.svg (+ NAME.png when rsvg-convert is present). */
export async function saveFigure(
  fig: Figure,
  name: string,
  opts: { dir?: string } = {},
): Promise<SavedFigure> {
  const dir = opts.dir ?? defaultFiguresDir();
  await Deno.mkdir(dir, { recursive: true });
  const base = `${dir}/${checkFigureName(name)}`;
  await writeFileAtomic(`${base}.svg`, fig.svg + "\n");
  if (!(await hasRsvg())) return { svgPath: `${base}.svg` };
  await writeFileAtomic(`${base}.png`, await svgToPng(fig.svg));
  return { svgPath: `${base}.svg`, pngPath: `${base}.png` };
}
