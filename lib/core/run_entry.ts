/**
 * Run-cache entries on disk (see run_cache.ts for the layout): the manifest,
 * the completeness check (manifest present, every listed file matching its
 * SHA-256, result.json parseable), moving a bad entry aside, and listing.
 * Split from run_cache.ts to keep each file short; run_cache.ts re-exports the
 * public part.
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * import { listRuns } from "./run_entry.ts";
 * assertEquals(await listRuns("/nonexistent-cache-root"), []);
 * ```
 */
import { sha256Hex } from "./hash.ts";
import { defaultRunsDir } from "./paths.ts";

/** manifest.json: written last; its presence with matching checksums means complete. */
export interface Manifest {
  key: string;
  kind: string;
  version: string;
  configSha256: string;
  createdAt: string;
  /** Every file of the entry but the manifest, relative path to SHA-256. */
  files: Record<string, string>;
}

/** One entry found by {@link listRuns}. */
export interface RunEntry {
  kind: string;
  key: string;
  dir: string;
  status: "ok" | "partial" | "corrupt";
  /** What is wrong, when status is not "ok". */
  why?: string;
  manifest?: Manifest;
  config?: unknown;
  result?: unknown;
}

/** The cache root: `root`, else $HARNESSLAB_RUNS, else runs/ at the repository root. */
export function cacheRoot(root?: string): string {
  return root ?? defaultRunsDir();
}

/** Files under `dir` (recursive, sorted, relative paths), the manifest excepted. */
export async function listFiles(dir: string, prefix = ""): Promise<string[]> {
  const out: string[] = [];
  for await (const e of Deno.readDir(prefix ? `${dir}/${prefix}` : dir)) {
    const rel = prefix ? `${prefix}/${e.name}` : e.name;
    if (e.isDirectory) out.push(...(await listFiles(dir, rel)));
    else if (rel !== "manifest.json") out.push(rel);
  }
  return out.sort();
}

/** The verdict on one entry directory. */
export type Check = { ok: true; manifest: Manifest; result: unknown } | {
  ok: false;
  partial: boolean;
  why: string;
};

/** Is the entry at `dir` complete and intact? null when there is no entry. */
export async function checkEntry(dir: string, fullKey?: string): Promise<Check | null> {
  if (!(await Deno.stat(dir).then((s) => s.isDirectory, () => false))) return null;
  let manifest: Manifest;
  try {
    manifest = JSON.parse(await Deno.readTextFile(`${dir}/manifest.json`));
  } catch (e) {
    return e instanceof Deno.errors.NotFound
      ? { ok: false, partial: true, why: "no manifest.json: the run did not finish" }
      : { ok: false, partial: false, why: "manifest.json is not valid JSON" };
  }
  const bad = (why: string): Check => ({ ok: false, partial: false, why });
  if (typeof manifest?.files !== "object" || manifest.files === null) {
    return bad("manifest.json has no file list");
  }
  if (fullKey && manifest.key !== fullKey) {
    return bad(`manifest.json is for key ${manifest.key}, not ${fullKey}`);
  }
  for (const name of ["config.json", "result.json"]) {
    if (!(name in manifest.files)) return bad(`manifest.json does not list ${name}`);
  }
  for (const [name, sha] of Object.entries(manifest.files)) {
    let bytes: Uint8Array;
    try {
      bytes = await Deno.readFile(`${dir}/${name}`);
    } catch {
      return bad(`${name} is missing`);
    }
    if ((await sha256Hex(bytes)) !== sha) return bad(`${name} does not match its checksum`);
  }
  try {
    return { ok: true, manifest, result: JSON.parse(await Deno.readTextFile(`${dir}/result.json`)) };
  } catch {
    return bad("result.json is not valid JSON");
  }
}

/** Rename a bad entry to DIR.corrupt-N (first free N) and say so in one line. */
export async function moveAside(dir: string, why: string, log: (m: string) => void): Promise<string> {
  for (let n = 1;; n++) {
    const to = `${dir}.corrupt-${n}`;
    if (await Deno.stat(to).then(() => false, () => true)) {
      await Deno.rename(dir, to);
      log(`run cache: entry ${dir} is unusable (${why}); moved to ${to}, recomputing`);
      return to;
    }
  }
}

/**
 * Every entry under `root` (all kinds, or one), checked, sorted by kind then
 * key. Scratch (.work, .out), locks and moved-aside entries are not listed.
 */
export async function listRuns(root?: string, kind?: string): Promise<RunEntry[]> {
  const base = cacheRoot(root);
  const kinds: string[] = [];
  if (kind !== undefined) kinds.push(kind);
  else {
    try {
      for await (const e of Deno.readDir(base)) if (e.isDirectory) kinds.push(e.name);
    } catch (e) {
      if (e instanceof Deno.errors.NotFound) return [];
      throw e;
    }
  }
  const out: RunEntry[] = [];
  for (const k of kinds.sort()) {
    const keys: string[] = [];
    try {
      for await (const e of Deno.readDir(`${base}/${k}`)) {
        if (e.isDirectory && /^[0-9a-f]{16}$/.test(e.name)) keys.push(e.name);
      }
    } catch (e) {
      if (e instanceof Deno.errors.NotFound) continue;
      throw e;
    }
    for (const key of keys.sort()) {
      const dir = `${base}/${k}/${key}`;
      const c = (await checkEntry(dir))!;
      const config = await Deno.readTextFile(`${dir}/config.json`).then(JSON.parse, () => undefined);
      out.push(
        c.ok
          ? { kind: k, key, dir, status: "ok", manifest: c.manifest, config, result: c.result }
          : { kind: k, key, dir, status: c.partial ? "partial" : "corrupt", why: c.why, config },
      );
    }
  }
  return out;
}
