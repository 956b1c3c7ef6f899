/**
 * A real browser look at exported HTML: Debian's chromium, headless, on local
 * files only, with the flags that keep it off the network (no background
 * networking, component updates or sync; a fresh profile each run). Used by
 * the HTML export's test and to make the README's screenshot:
 *
 *   deno run -A lib/cli/browser.ts FILE.html OUT.png [--window 1000x4000] [--crop X,Y,W,H] [--width W]
 *
 * --crop cuts a rectangle of the window's screenshot and --width scales it,
 * with rsvg-convert (chromium cannot screenshot a scrolled position: with a
 * #fragment its headless screenshot comes out blank).
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * import { pngSize } from "./browser.ts";
 * const header = Uint8Array.from([137, 80, 78, 71, 13, 10, 26, 10, 0, 0, 0, 13, 73, 72, 68, 82, 0, 0, 3, 232, 0, 0, 1, 0]);
 * assertEquals(pngSize(header), { width: 1000, height: 256 });
 * ```
 */
import { parseArgs } from "node:util";
import { exitCodeOf, LabError } from "../core/errors.ts";

/** Debian's chromium (package `chromium`, installed by scripts/setup.sh). */
export const CHROMIUM = "/usr/bin/chromium";

const FLAGS = [
  "--headless",
  "--no-sandbox", // root in CI; only the lab's own local files are opened
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--hide-scrollbars",
];

/** Run chromium on a local file with `args`; its stdout. LabError naming the fix when it is missing or fails. */
async function chromium(file: string, args: string[]): Promise<string> {
  if (!(await Deno.stat(CHROMIUM).then(() => true, () => false))) {
    throw new LabError(
      `${CHROMIUM} not found`,
      "run 'bash scripts/setup.sh' (it installs Debian's chromium)",
    );
  }
  const profile = await Deno.makeTempDir({ prefix: "chromium-profile-" });
  try {
    const url = new URL(`file://${await Deno.realPath(file)}`).href;
    const out = await new Deno.Command(CHROMIUM, {
      args: [...FLAGS, `--user-data-dir=${profile}`, ...args, url],
      stdout: "piped",
      stderr: "piped",
    }).output();
    if (!out.success) {
      const log = new TextDecoder().decode(out.stderr).trim().split("\n").slice(-3).join("\n");
      throw new LabError(
        `chromium failed on ${file} (exit ${out.code}):\n${log}`,
        "open the file in a browser to see why",
      );
    }
    return new TextDecoder().decode(out.stdout);
  } finally {
    await Deno.remove(profile, { recursive: true }).catch(() => {});
  }
}

/** The DOM chromium builds from `file` (after parsing, layout and any scripts). */
export function renderedDom(file: string): Promise<string> {
  return chromium(file, ["--dump-dom"]);
}

/** Screenshot the top `width` x `height` pixels of `file` into `png`. */
export async function screenshot(file: string, png: string, width: number, height: number): Promise<void> {
  await chromium(file, [`--window-size=${width},${height}`, `--screenshot=${png}`]);
}

/** Width and height from a PNG's IHDR chunk. */
export function pngSize(png: Uint8Array): { width: number; height: number } {
  const sig = [137, 80, 78, 71, 13, 10, 26, 10];
  if (png.length < 24 || sig.some((b, i) => png[i] !== b)) {
    throw new LabError("not a PNG file", "check the path");
  }
  const v = new DataView(png.buffer, png.byteOffset, png.byteLength);
  return { width: v.getUint32(16), height: v.getUint32(20) };
}

/** Base64 of bytes (btoa over chunks; JSR's std/encoding is out of reach here). */
function encodeBase64(bytes: Uint8Array): string {
  let s = "";
  for (let i = 0; i < bytes.length; i += 0x8000) s += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(s);
}

/** Cut the rectangle [x, y, w, h] out of `src` and scale it to `outWidth` pixels wide, into `dst`. */
export async function cropPng(
  src: string,
  dst: string,
  [x, y, w, h]: number[],
  outWidth = w,
): Promise<void> {
  const bytes = await Deno.readFile(src);
  const { width, height } = pngSize(bytes);
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" ` +
    `width="${outWidth}" height="${Math.round((h * outWidth) / w)}" viewBox="${x} ${y} ${w} ${h}">` +
    `<image width="${width}" height="${height}" xlink:href="data:image/png;base64,${
      encodeBase64(bytes)
    }"/></svg>`;
  const child = new Deno.Command("rsvg-convert", { args: ["-o", dst], stdin: "piped", stderr: "piped" })
    .spawn();
  const w2 = child.stdin.getWriter();
  await w2.write(new TextEncoder().encode(svg));
  await w2.close();
  const out = await child.output();
  if (!out.success) {
    throw new LabError(
      `rsvg-convert failed: ${new TextDecoder().decode(out.stderr).trim()}`,
      "run 'bash scripts/setup.sh'",
    );
  }
}

export async function main(args: string[]): Promise<number> {
  return await exitCodeOf(async () => {
    const usage = "usage: browser.ts FILE.html OUT.png [--window WxH] [--crop X,Y,W,H] [--width W]";
    let parsed;
    try {
      parsed = parseArgs({
        args,
        options: {
          window: { type: "string", default: "1000x1400" },
          crop: { type: "string" },
          width: { type: "string" },
        },
        allowPositionals: true,
      });
    } catch (e) {
      throw new LabError((e as Error).message.split("\n")[0], usage);
    }
    const [file, png] = parsed.positionals;
    const [ww, wh] = parsed.values.window!.split("x").map(Number);
    const crop = parsed.values.crop?.split(",").map(Number);
    if (
      !file || !png || !(ww > 0 && wh > 0) || (crop && (crop.length !== 4 || crop.some((n) => !(n >= 0))))
    ) {
      throw new LabError(`browser.ts: bad arguments ${args.join(" ")}`, usage);
    }
    if (!crop) await screenshot(file, png, ww, wh);
    else {
      const full = await Deno.makeTempFile({ suffix: ".png" });
      try {
        await screenshot(file, full, ww, wh);
        await cropPng(full, png, crop, Number(parsed.values.width) || crop[2]);
      } finally {
        await Deno.remove(full).catch(() => {});
      }
    }
    const { width, height } = pngSize(await Deno.readFile(png));
    console.log(`browser: ${png} (${width}x${height}, ${(await Deno.stat(png)).size} bytes)`);
    return 0;
  });
}

if (import.meta.main) Deno.exit(await main(Deno.args));
