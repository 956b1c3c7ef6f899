/**
 * Import verified archive entries (run_archive.ts) into a run store. Merges:
 * an entry already present and intact is kept as it is (never overwritten);
 * an unusable one (partial, corrupt) is moved aside as the cache does
 * (KEY.corrupt-N) and replaced. Each entry is written into KIND/KEY.import-PID
 * (manifest last), checked, and renamed into place under the entry's lock, so
 * the store never holds half an entry, and a process computing the same key
 * meanwhile is waited for.
 *
 * Departs from an all-or-nothing transaction across entries: every entry is
 * verified before the first is written, but should writing fail half way
 * (disk full), the entries already renamed into place stay (each complete).
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * import { importRuns } from "./run_import.ts";
 * const root = await Deno.makeTempDir();
 * assertEquals(await importRuns([], root), { imported: [], kept: [], replaced: [] });
 * await Deno.remove(root, { recursive: true });
 * ```
 */
import { acquireLock } from "./lock.ts";
import { LabError } from "./errors.ts";
import type { ArchivedEntry } from "./run_archive.ts";
import { cacheRoot, checkEntry, moveAside } from "./run_entry.ts";

/** What an import did, entry by entry ("KIND/KEY"). */
export interface ImportReport {
  /** Written into the store. */
  imported: string[];
  /** Already present and intact: left as they were. */
  kept: string[];
  /** Present but unusable: moved aside, then written (also listed in imported). */
  replaced: string[];
}

export interface ImportOptions {
  /** Give up waiting for a process computing an entry after this long (default 60 s). */
  lockTimeoutMs?: number;
  /** Notices (an entry moved aside); default stderr. */
  log?: (msg: string) => void;
}

async function writeStaged(dir: string, entry: ArchivedEntry): Promise<void> {
  await Deno.remove(dir, { recursive: true }).catch(() => {});
  const names = [...entry.files.keys()].filter((r) => r !== "manifest.json").sort();
  for (const rel of [...names, "manifest.json"]) { // the manifest last, as the cache writes it
    const path = `${dir}/${rel}`;
    await Deno.mkdir(path.slice(0, path.lastIndexOf("/")), { recursive: true });
    await Deno.writeFile(path, entry.files.get(rel)!);
  }
}

/** Write `entries` into the store at `root` (default runs/); see the module doc. */
export async function importRuns(
  entries: readonly ArchivedEntry[],
  root?: string,
  opts: ImportOptions = {},
): Promise<ImportReport> {
  const log = opts.log ?? ((m: string) => console.error(m));
  const report: ImportReport = { imported: [], kept: [], replaced: [] };
  const base = cacheRoot(root);
  for (const e of entries) {
    const name = `${e.kind}/${e.key}`;
    const dir = `${base}/${name}`;
    await Deno.mkdir(`${base}/${e.kind}`, { recursive: true });
    let release: () => Promise<void>;
    try {
      release = await acquireLock(`${dir}.lock`, { timeoutMs: opts.lockTimeoutMs ?? 60_000, log });
    } catch (err) {
      if (!(err instanceof LabError)) throw err;
      throw new LabError(
        `run ${name} is being computed by another process (${err.message.split(". Fix")[0]})`,
        `wait for it to finish and import again (entries before it were imported: ${
          report.imported.join(", ") || "none"
        })`,
      );
    }
    try {
      const found = await checkEntry(dir, e.manifest.key);
      if (found?.ok) {
        report.kept.push(name);
        continue;
      }
      if (found) {
        await moveAside(dir, found.why, (m) => log(m.replace(", recomputing", ", importing the archive's")));
        report.replaced.push(name);
      }
      const staged = `${dir}.import-${Deno.pid}`;
      await writeStaged(staged, e);
      const check = await checkEntry(staged, e.manifest.key);
      if (!check?.ok) {
        await Deno.remove(staged, { recursive: true }).catch(() => {});
        throw new LabError(
          `run ${name} did not read back intact after writing (${check?.why})`,
          "check the disk",
        );
      }
      await Deno.rename(staged, dir);
      report.imported.push(name);
    } finally {
      await release();
    }
  }
  return report;
}
