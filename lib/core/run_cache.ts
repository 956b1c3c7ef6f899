/**
 * The run cache, the lab's reactive core (DESIGN.md "The reactive part"): a run
 * is a pure function of its validated config, so its result is stored under
 * the SHA-256 of the canonical config plus the algorithm's kind and version.
 *
 * Layout under `root` (default $HARNESSLAB_RUNS or runs/):
 *   KIND/KEY/          the entry: config.json, result.json, artifacts, manifest.json
 *   KIND/KEY.work/     scratch that survives interruption (checkpoints to resume)
 *   KIND/KEY.lock      held while a process computes KEY
 * The manifest is written last and lists every file's SHA-256, so its
 * presence with matching checksums means the entry is complete. A partial or
 * corrupt entry is reported, moved aside to KEY.corrupt-N (never silently
 * deleted or used) and recomputed. A second process asking for a key being
 * computed waits for the lock, then reads the result.
 */
import { canonicalJson, sha256Hex } from "./hash.ts";
import { writeFileAtomic } from "./atomic.ts";
import { LabError } from "./errors.ts";

export interface RunSpec {
  kind: string;
  version: string;
  config: unknown;
  root?: string;
  /** Give up waiting for another process's lock after this long (default 6 h). */
  lockTimeoutMs?: number;
}

export interface RunContext {
  key: string;
  /** Files written here become part of the entry on success. */
  outDir: string;
  /** Persistent scratch for checkpoints; kept on failure, removed on success. */
  workDir: string;
  log(msg: string): void;
}

export interface CachedRun<R> {
  result: R;
  cached: boolean;
  key: string;
  dir: string;
}

export interface Manifest {
  key: string;
  kind: string;
  version: string;
  configSha256: string;
  createdAt: string;
  files: Record<string, string>;
}

export function cacheRoot(root?: string): string {
  return root ?? Deno.env.get("HARNESSLAB_RUNS") ?? "runs";
}

/** The full key of a run (hex SHA-256); directories use its first 16 characters. */
export async function runKey(spec: RunSpec): Promise<string> {
  return await sha256Hex(canonicalJson({ kind: spec.kind, version: spec.version, config: spec.config }));
}

async function listFiles(dir: string, prefix = ""): Promise<string[]> {
  const out: string[] = [];
  for await (const e of Deno.readDir(`${dir}/${prefix}`)) {
    const rel = prefix ? `${prefix}/${e.name}` : e.name;
    if (e.isDirectory) out.push(...(await listFiles(dir, rel)));
    else if (e.isFile && rel !== "manifest.json") out.push(rel);
  }
  return out.sort();
}

/** "ok", or what is wrong with an entry directory. */
async function checkEntry(
  dir: string,
): Promise<{ ok: true; manifest: Manifest; result: unknown } | { ok: false; why: string } | null> {
  try {
    await Deno.stat(dir);
  } catch {
    return null;
  }
  let manifest: Manifest;
  try {
    manifest = JSON.parse(await Deno.readTextFile(`${dir}/manifest.json`));
  } catch (e) {
    return {
      ok: false,
      why: e instanceof Deno.errors.NotFound
        ? "no manifest (the run did not finish)"
        : "manifest.json is not valid JSON",
    };
  }
  if (!manifest?.files || typeof manifest.files !== "object") {
    return { ok: false, why: "manifest.json lacks its file list" };
  }
  for (const [name, sha] of Object.entries(manifest.files)) {
    let bytes: Uint8Array;
    try {
      bytes = await Deno.readFile(`${dir}/${name}`);
    } catch {
      return { ok: false, why: `${name} is missing` };
    }
    if ((await sha256Hex(bytes)) !== sha) return { ok: false, why: `${name} does not match its checksum` };
  }
  try {
    return { ok: true, manifest, result: JSON.parse(await Deno.readTextFile(`${dir}/result.json`)) };
  } catch {
    return { ok: false, why: "result.json is unreadable" };
  }
}

async function moveAside(dir: string, why: string, log: (m: string) => void): Promise<void> {
  for (let n = 1;; n++) {
    const to = `${dir}.corrupt-${n}`;
    try {
      await Deno.stat(to);
    } catch {
      await Deno.rename(dir, to);
      log(`run cache: entry ${dir} is incomplete or corrupt (${why}); moved to ${to} and recomputing`);
      return;
    }
  }
}

function pidAlive(pid: number): boolean {
  try {
    Deno.statSync(`/proc/${pid}`);
    return true;
  } catch {
    return false;
  }
}

async function acquireLock(
  path: string,
  timeoutMs: number,
  log: (m: string) => void,
): Promise<() => Promise<void>> {
  const me = `${Deno.pid} ${Deno.hostname()}`;
  const start = Date.now();
  let wait = 50;
  for (;;) {
    try {
      const f = await Deno.open(path, { createNew: true, write: true });
      await f.write(new TextEncoder().encode(me));
      f.close();
      return async () => await Deno.remove(path).catch(() => {});
    } catch (e) {
      if (!(e instanceof Deno.errors.AlreadyExists)) throw e;
    }
    const holder = await Deno.readTextFile(path).catch(() => "");
    const [pid, host] = holder.split(" ");
    if (holder && host === Deno.hostname() && !pidAlive(Number(pid))) {
      log(`run cache: breaking stale lock ${path} (process ${pid} is gone)`);
      await Deno.remove(path).catch(() => {});
      continue;
    }
    if (Date.now() - start > timeoutMs) {
      throw new LabError(
        `run cache: timed out after ${timeoutMs} ms waiting for ${path} (held by ${holder || "?"})`,
        "wait for the other process, or delete the lock file if it is gone",
      );
    }
    await new Promise((r) => setTimeout(r, wait));
    wait = Math.min(1000, wait * 2);
  }
}

/** Return the stored result for `spec`, or compute it with `fn` and store it. */
export async function cachedRun<R>(
  spec: RunSpec,
  fn: (ctx: RunContext) => Promise<R>,
): Promise<CachedRun<R>> {
  const log = (m: string) => console.error(m);
  const full = await runKey(spec);
  const key = full.slice(0, 16);
  const base = `${cacheRoot(spec.root)}/${spec.kind}`;
  const dir = `${base}/${key}`;
  await Deno.mkdir(base, { recursive: true });
  const release = await acquireLock(`${dir}.lock`, spec.lockTimeoutMs ?? 6 * 3600 * 1000, log);
  try {
    const found = await checkEntry(dir);
    if (found?.ok) return { result: found.result as R, cached: true, key, dir };
    if (found && !found.ok) await moveAside(dir, found.why, log);
    const workDir = `${dir}.work`, outDir = `${workDir}/out`;
    await Deno.remove(outDir, { recursive: true }).catch(() => {});
    await Deno.mkdir(outDir, { recursive: true });
    const result = await fn({ key, outDir, workDir, log });
    await Deno.writeTextFile(`${outDir}/config.json`, JSON.stringify(spec.config, null, 2) + "\n");
    await Deno.writeTextFile(`${outDir}/result.json`, JSON.stringify(result));
    await Deno.rename(outDir, dir);
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
    return {
      result: JSON.parse(await Deno.readTextFile(`${dir}/result.json`)) as R,
      cached: false,
      key,
      dir,
    };
  } finally {
    await release();
  }
}

/** The stored result for `spec` if a complete entry exists (computes nothing). */
export async function lookupRun<R>(spec: RunSpec): Promise<CachedRun<R> | null> {
  const key = (await runKey(spec)).slice(0, 16);
  const dir = `${cacheRoot(spec.root)}/${spec.kind}/${key}`;
  const found = await checkEntry(dir);
  return found?.ok ? { result: found.result as R, cached: true, key, dir } : null;
}

/** Tally of which runs a notebook or sweep found cached and which it computed. */
export class CacheReport {
  readonly rows: { name: string; key: string; cached: boolean }[] = [];
  add(name: string, run: { key: string; cached: boolean }): void {
    this.rows.push({ name, key: run.key, cached: run.cached });
  }
  summary(): string {
    const c = this.rows.filter((r) => r.cached).length;
    return `${c} cached, ${this.rows.length - c} computed`;
  }
}
