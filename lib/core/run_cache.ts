/**
 * The run cache, the lab's reactive core (DESIGN.md "The reactive part"): a run
 * is a pure function of its validated config, so its result is stored under
 * the SHA-256 of canonicalJson({kind, version, config}); bump `version` when the
 * algorithm changes. Re-running a notebook recomputes only the runs whose
 * config (or code version) changed.
 *
 * Layout under `root` (default $HARNESSLAB_RUNS, else runs/ at the repository root):
 *   KIND/KEY/        the entry: config.json, result.json, fn's artifacts, manifest.json
 *   KIND/KEY.out/    where fn writes artifacts during one attempt (becomes KEY/)
 *   KIND/KEY.work/   scratch that survives interruption (checkpoints to resume from)
 *   KIND/KEY.lock    held ("PID HOST") while a process computes KEY
 * KEY is the first 16 hex digits of the hash; the manifest holds all 64. The
 * manifest is written last and lists every file's SHA-256, so its presence with
 * matching checksums means the entry is complete. A partial or corrupt entry is
 * reported in one line, moved aside to KEY.corrupt-N (never deleted or used) and
 * recomputed. A second process asking for a key being computed waits for the
 * lock, then reads the stored result. Entry checks and listing live in
 * run_entry.ts, locks in lock.ts.
 *
 * Departs from DESIGN.md's `cachedRun(config, fn)`: the spec also names the
 * run's kind and code version, and results must be JSON (a fresh result is
 * returned as read back from result.json, so cached and fresh runs look alike).
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * import { cachedRun } from "./run_cache.ts";
 * const root = await Deno.makeTempDir();
 * const spec = { kind: "demo", version: "1", config: { n: 3 }, root };
 * const a = await cachedRun(spec, () => Promise.resolve({ square: 9 }));
 * const b = await cachedRun(spec, () => Promise.resolve({ square: -1 }));
 * assertEquals([a.cached, b.cached, b.result.square], [false, true, 9]); // the second call reads the first
 * await Deno.remove(root, { recursive: true });
 * ```
 */
import { canonicalJson, sha256Hex } from "./hash.ts";
import { writeFileAtomic } from "./atomic.ts";
import { acquireLock } from "./lock.ts";
import { LabError } from "./errors.ts";
import { cacheRoot, type Check, checkEntry, listFiles, type Manifest, moveAside } from "./run_entry.ts";

export { cacheRoot, listRuns } from "./run_entry.ts";
export type { Manifest, RunEntry } from "./run_entry.ts";

/** What identifies a run, and where its cache lives. */
export interface RunSpec {
  /** The algorithm ("sft", "grpo", ...): a directory name under the root. */
  kind: string;
  /** The algorithm's code version; bump it to invalidate old results. */
  version: string;
  /** The validated config; hashed in canonical form, so key order is irrelevant. */
  config: unknown;
  /** Cache root; default $HARNESSLAB_RUNS, else runs/ at the repository root. */
  root?: string;
  /** Give up waiting for another process's lock after this long (default 6 h). */
  lockTimeoutMs?: number;
  /** Where the cache's notices go; default stderr. */
  log?: (msg: string) => void;
}

/** What `fn` gets: where to write, where to keep resumable state. */
export interface RunContext {
  /** The entry's short key (16 hex digits). */
  key: string;
  /** Files written here become part of the entry on success; emptied at each attempt. */
  outDir: string;
  /** Persistent scratch (checkpoints); kept when fn fails or is killed, removed on success. */
  workDir: string;
  /** A notice prefixed with the run's kind and key. */
  log(msg: string): void;
}

/** A run's result and where it came from. */
export interface CachedRun<R> {
  result: R;
  /** True when read from a stored entry, false when fn ran. */
  cached: boolean;
  key: string;
  /** The entry directory (holds result.json, config.json and the artifacts). */
  dir: string;
}
const RESERVED = ["config.json", "result.json", "manifest.json"];
/** The full key of a run (hex SHA-256); directories use its first 16 characters. */
export async function runKey(spec: Pick<RunSpec, "kind" | "version" | "config">): Promise<string> {
  return await sha256Hex(canonicalJson({ kind: spec.kind, version: spec.version, config: spec.config }));
}

function checkKind(kind: string): void {
  if (!/^[A-Za-z0-9_][A-Za-z0-9_.-]*$/.test(kind)) {
    throw new LabError(
      `run kind '${kind}' is not a plain directory name`,
      "use letters, digits, '_', '-' or '.' (e.g. 'sft')",
    );
  }
}

/**
 * Return the stored result for `spec`, or compute it with `fn`, store it, and
 * return it. Errors from `fn` propagate; then no entry is written and
 * `ctx.workDir` is kept so the next attempt can resume.
 */
export async function cachedRun<R>(
  spec: RunSpec,
  fn: (ctx: RunContext) => Promise<R>,
): Promise<CachedRun<R>> {
  checkKind(spec.kind);
  const log = spec.log ?? ((m: string) => console.error(m));
  const full = await runKey(spec);
  const key = full.slice(0, 16);
  const base = `${cacheRoot(spec.root)}/${spec.kind}`;
  const dir = `${base}/${key}`;
  const hit = (c: Check | null) => c?.ok ? { result: c.result as R, cached: true, key, dir } : null;
  const quick = hit(await checkEntry(dir, full)); // no lock needed to read a complete entry
  if (quick) return quick;
  await Deno.mkdir(base, { recursive: true });
  const release = await acquireLock(`${dir}.lock`, { timeoutMs: spec.lockTimeoutMs, log });
  try {
    const found = await checkEntry(dir, full); // another process may have finished it meanwhile
    if (found?.ok) return hit(found)!;
    if (found) await moveAside(dir, found.why, log);
    const workDir = `${dir}.work`, outDir = `${dir}.out`;
    await Deno.remove(outDir, { recursive: true }).catch(() => {});
    await Deno.mkdir(outDir, { recursive: true });
    await Deno.mkdir(workDir, { recursive: true });
    let result: R;
    try {
      result = await fn({ key, outDir, workDir, log: (m) => log(`[${spec.kind} ${key}] ${m}`) });
    } catch (e) {
      await Deno.remove(outDir, { recursive: true }).catch(() => {});
      throw e;
    }
    for (const name of RESERVED) {
      if (await Deno.stat(`${outDir}/${name}`).then(() => true, () => false)) {
        throw new LabError(
          `run ${spec.kind}/${key} wrote ${name} into outDir`,
          `${name} is the cache's own; rename it`,
        );
      }
    }
    const resultText = JSON.stringify(result ?? null);
    await Deno.writeTextFile(
      `${outDir}/config.json`,
      JSON.stringify(JSON.parse(canonicalJson(spec.config)), null, 2),
    );
    await Deno.writeTextFile(`${outDir}/result.json`, resultText);
    if (!(await release.held())) { // lease lost (lock.ts): the new holder owns outDir now; leave it
      throw new LabError(
        `run ${spec.kind}/${key} lost its lock ${dir}.lock to another process while computing (its lease expired)`,
        "nothing was stored by this attempt; the other process stores the run (check the store's clock and mounts)",
      );
    }
    await Deno.rename(outDir, dir); // atomic; dir is absent (moved aside above)
    const files: Record<string, string> = {};
    for (const f of await listFiles(dir)) files[f] = await sha256Hex(await Deno.readFile(`${dir}/${f}`));
    const manifest: Manifest = {
      key: full,
      kind: spec.kind,
      version: spec.version,
      configSha256: await sha256Hex(canonicalJson(spec.config)),
      createdAt: new Date().toISOString(),
      files,
    };
    await writeFileAtomic(`${dir}/manifest.json`, JSON.stringify(manifest, null, 2) + "\n");
    await Deno.remove(workDir, { recursive: true }).catch(() => {});
    return { result: JSON.parse(resultText) as R, cached: false, key, dir };
  } finally {
    await release();
  }
}

/** The stored result for `spec` if a complete, intact entry exists; computes and moves nothing. */
export async function lookupRun<R>(spec: RunSpec): Promise<CachedRun<R> | null> {
  checkKind(spec.kind);
  const full = await runKey(spec);
  const key = full.slice(0, 16);
  const dir = `${cacheRoot(spec.root)}/${spec.kind}/${key}`;
  const found = await checkEntry(dir, full);
  return found?.ok ? { result: found.result as R, cached: true, key, dir } : null;
}
