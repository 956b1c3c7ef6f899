/**
 * Atomic writes: nothing the lab writes is ever seen half-written. A file is
 * written to a temporary sibling and renamed over the target (rename is atomic
 * within a filesystem); a directory is built in a temporary sibling and renamed
 * into place, the previous version moved aside first and removed only after.
 * Files are fsynced before the rename and the parent directory after it, so a
 * power cut leaves the old or the new version, not an empty file.
 *
 * Departs from a strict durability guarantee in one place: replacing an
 * existing directory takes two renames (old aside, new in); a crash between
 * them leaves `DIR.old.tmp-*` beside a missing DIR (never a half-written DIR).
 * Files written by `fill` are not fsynced one by one (checkpoints are many
 * files; the lab can recompute a lost one).
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * import { writeDirAtomic, writeFileAtomic } from "./atomic.ts";
 * const root = await Deno.makeTempDir();
 * await writeFileAtomic(`${root}/a/result.json`, '{"ok":true}');
 * await writeDirAtomic(`${root}/model`, async (tmp) => await Deno.writeTextFile(`${tmp}/w.bin`, "..."));
 * assertEquals(await Deno.readTextFile(`${root}/a/result.json`), '{"ok":true}');
 * assertEquals(await Deno.readTextFile(`${root}/model/w.bin`), "...");
 * await Deno.remove(root, { recursive: true });
 * ```
 */
import { hashString32 } from "./rng.ts";

let counter = 0;
function tmpName(path: string): string {
  counter++;
  return `${path}.tmp-${Deno.pid}-${counter}-${hashString32(`${performance.now()}`).toString(16)}`;
}

function dirOf(path: string): string {
  const i = path.lastIndexOf("/");
  return i <= 0 ? (i === 0 ? "/" : ".") : path.slice(0, i);
}

/** fsync a directory so a rename inside it is durable (best effort: not every platform allows it). */
async function syncDir(dir: string): Promise<void> {
  try {
    const f = await Deno.open(dir, { read: true });
    try {
      await f.sync();
    } finally {
      f.close();
    }
  } catch {
    // e.g. Windows cannot open a directory; the rename is still atomic.
  }
}

/** Write `data` to `path` atomically (parent directories created). */
export async function writeFileAtomic(path: string, data: string | Uint8Array): Promise<void> {
  const dir = dirOf(path);
  await Deno.mkdir(dir, { recursive: true });
  const tmp = tmpName(path);
  try {
    const bytes = typeof data === "string" ? new TextEncoder().encode(data) : data;
    const f = await Deno.open(tmp, { write: true, createNew: true });
    try {
      for (let off = 0; off < bytes.length;) off += await f.write(bytes.subarray(off));
      await f.sync();
    } finally {
      f.close();
    }
    await Deno.rename(tmp, path);
  } catch (e) {
    await Deno.remove(tmp).catch(() => {});
    throw e;
  }
  await syncDir(dir);
}

/**
 * Build a directory with `fill(tmpDir)` and move it to `finalDir`. If `fill`
 * throws, the temporary directory is removed and any existing `finalDir` is
 * left untouched.
 */
export async function writeDirAtomic(
  finalDir: string,
  fill: (tmpDir: string) => Promise<void>,
): Promise<void> {
  await Deno.mkdir(dirOf(finalDir), { recursive: true });
  const tmp = tmpName(finalDir);
  // A crash mid-build leaves FINAL.tmp-*; the caller's next write simply makes a new one.
  await Deno.mkdir(tmp);
  try {
    await fill(tmp);
  } catch (e) {
    await Deno.remove(tmp, { recursive: true }).catch(() => {});
    throw e;
  }
  let old: string | undefined;
  try {
    await Deno.rename(tmp, finalDir);
  } catch (e) {
    // A non-empty finalDir cannot be renamed over: swap it out. Any other failure is reported.
    const exists = await Deno.stat(finalDir).then(() => true, () => false);
    if (!exists) {
      await Deno.remove(tmp, { recursive: true }).catch(() => {});
      throw e;
    }
    old = tmpName(`${finalDir}.old`);
    await Deno.rename(finalDir, old);
    try {
      await Deno.rename(tmp, finalDir);
    } catch (e2) {
      await Deno.rename(old, finalDir).catch(() => {});
      await Deno.remove(tmp, { recursive: true }).catch(() => {});
      throw e2;
    }
  }
  await syncDir(dirOf(finalDir));
  if (old) await Deno.remove(old, { recursive: true });
}
