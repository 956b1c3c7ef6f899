/**
 * Atomic writes: nothing the lab writes is ever seen half-written. A file is
 * written to a temporary sibling and renamed over the target (rename is atomic
 * within a filesystem); a directory is built in a temporary sibling and renamed
 * into place, the previous version moved aside first and removed only after.
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

/** Write `data` to `path` atomically (parent directories created). */
export async function writeFileAtomic(path: string, data: string | Uint8Array): Promise<void> {
  await Deno.mkdir(dirOf(path), { recursive: true });
  const tmp = tmpName(path);
  try {
    if (typeof data === "string") await Deno.writeTextFile(tmp, data);
    else await Deno.writeFile(tmp, data);
    await Deno.rename(tmp, path);
  } catch (e) {
    await Deno.remove(tmp).catch(() => {});
    throw e;
  }
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
  } catch {
    // finalDir exists (rename over a non-empty directory fails): swap.
    old = tmpName(`${finalDir}.old`);
    await Deno.rename(finalDir, old);
    await Deno.rename(tmp, finalDir);
  }
  if (old) await Deno.remove(old, { recursive: true });
}
