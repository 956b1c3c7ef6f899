/**
 * SVG snapshot tests, after Observable Plot's own: render on seeded data,
 * normalise (numbers rounded to 2 decimals), compare with the stored file in
 * lib/plot/testdata/snapshots/. A mismatch writes NAME-changed.svg beside the
 * snapshot (git-ignored) so the change can be opened and reviewed; a missing
 * snapshot fails unless UPDATE_SNAPSHOTS=1, which (re)writes it.
 */
import { AssertionError } from "../assert.ts";

const SNAPSHOT_DIR = new URL("../../lib/plot/testdata/snapshots/", import.meta.url).pathname;

/** Round every decimal number to 2 places, so float noise does not move a snapshot. */
export function normaliseSvg(svg: string): string {
  return svg.replace(/-?\d+\.\d+/g, (m) => {
    const r = Math.round(Number(m) * 100) / 100;
    return String(Object.is(r, -0) ? 0 : r);
  }).trim() + "\n";
}

export async function assertSvgSnapshot(name: string, svg: string): Promise<void> {
  const path = `${SNAPSHOT_DIR}${name}.svg`;
  const changed = `${SNAPSHOT_DIR}${name}-changed.svg`;
  const actual = normaliseSvg(svg);
  if (Deno.env.get("UPDATE_SNAPSHOTS") === "1") {
    await Deno.mkdir(SNAPSHOT_DIR, { recursive: true });
    await Deno.writeTextFile(path, actual);
    await Deno.remove(changed).catch(() => {});
    return;
  }
  let expected: string;
  try {
    expected = await Deno.readTextFile(path);
  } catch {
    throw new AssertionError(
      `no snapshot ${path}; create it with UPDATE_SNAPSHOTS=1 deno task test, then review it`,
    );
  }
  if (actual !== expected) {
    await Deno.writeTextFile(changed, actual);
    throw new AssertionError(
      `${name}.svg changed; review ${changed} and, if intended, update with UPDATE_SNAPSHOTS=1 deno task test`,
    );
  }
  await Deno.remove(changed).catch(() => {});
}
