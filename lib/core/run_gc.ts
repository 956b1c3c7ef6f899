/**
 * Garbage collection of a run store (layout in run_cache.ts): removes what
 * processes that are gone left behind, and never a valid entry.
 *  - KEY.lock whose holder is gone (lock.ts's staleness rule);
 *  - KEY.out (an attempt's output), KEY.work (an interrupted run's
 *    checkpoints: its next attempt would have resumed from them) and
 *    KEY.import-PID (an import's staging), when no live process holds KEY.lock;
 *  - KEY.lock.break guards older than 10 s;
 *  - with `corrupt`: moved-aside entries (KEY.corrupt-N) and entries that fail
 *    their check (partial or corrupt), which are otherwise only reported.
 * Everything for a key is removed while holding that key's lock, so a process
 * that starts computing the key meanwhile is never cut short, and an entry is
 * re-checked under the lock before it is removed.
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * import { gcRuns } from "./run_gc.ts";
 * const root = await Deno.makeTempDir();
 * await Deno.mkdir(`${root}/sft/0123456789abcdef.out`, { recursive: true });
 * const items = await gcRuns(root);
 * assertEquals(items.map((i) => [i.path, i.action]), [["sft/0123456789abcdef.out", "removed"]]);
 * await Deno.remove(root, { recursive: true });
 * ```
 */
import { acquireLock, staleReason } from "./lock.ts";
import { cacheRoot, checkEntry } from "./run_entry.ts";

/** One thing gc looked at, relative to the store root. */
export interface GcItem {
  path: string;
  action: "removed" | "would remove" | "kept";
  why: string;
}

export interface GcOptions {
  /** Report what would be removed; remove nothing. */
  dryRun?: boolean;
  /** Also remove moved-aside and failing entries. */
  corrupt?: boolean;
}

interface KeyFiles {
  lock: boolean;
  /** Leftovers: name -> why it is garbage. */
  scratch: Map<string, string>;
  /** Bad entries and moved-aside ones: name -> what they are. */
  bad: Map<string, string>;
}

const SCRATCH: [RegExp, string][] = [
  [/^(.+)\.out$/, "output of an attempt that did not finish"],
  [/^(.+)\.work$/, "checkpoints of an interrupted run (its next attempt would have resumed from them)"],
  [/^(.+)\.import-\d+$/, "staging of an import that did not finish"],
];

async function scanKind(dir: string): Promise<{ keys: Map<string, KeyFiles>; guards: string[] }> {
  const keys = new Map<string, KeyFiles>();
  const guards: string[] = [];
  const of = (k: string) => {
    if (!keys.has(k)) keys.set(k, { lock: false, scratch: new Map(), bad: new Map() });
    return keys.get(k)!;
  };
  for await (const e of Deno.readDir(dir)) {
    const n = e.name;
    let m: RegExpExecArray | null;
    if (n.endsWith(".lock.break")) guards.push(n);
    else if ((m = /^(.+)\.lock$/.exec(n))) of(m[1]).lock = true;
    else if ((m = /^(.+)\.corrupt-\d+$/.exec(n))) of(m[1]).bad.set(n, "an entry the cache moved aside");
    else if (e.isDirectory && /^[0-9a-f]{16}$/.test(n)) {
      const c = await checkEntry(`${dir}/${n}`);
      if (c && !c.ok) of(n).bad.set(n, `a ${c.partial ? "partial" : "corrupt"} entry (${c.why})`);
    } else {
      for (const [re, why] of SCRATCH) if ((m = re.exec(n))) of(m[1]).scratch.set(n, why);
    }
  }
  return { keys, guards };
}

/** Collect garbage in the store at `root` (default runs/); returns what was (or would be) done, sorted by path. */
export async function gcRuns(root?: string, opts: GcOptions = {}): Promise<GcItem[]> {
  const base = cacheRoot(root);
  const items: GcItem[] = [];
  const kinds: string[] = [];
  try {
    for await (const e of Deno.readDir(base)) if (e.isDirectory) kinds.push(e.name);
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) return [];
    throw e;
  }
  const doing = opts.dryRun ? "would remove" : "removed";
  for (const kind of kinds) {
    const dir = `${base}/${kind}`;
    const { keys, guards } = await scanKind(dir);
    for (const g of guards) {
      const age = await Deno.stat(`${dir}/${g}`).then((s) => Date.now() - (s.mtime?.getTime() ?? Date.now()));
      if (age < 10_000) continue;
      if (!opts.dryRun) await Deno.remove(`${dir}/${g}`).catch(() => {});
      items.push({
        path: `${kind}/${g}`,
        action: doing,
        why: "a lock-breaking guard left by a process that died",
      });
    }
    for (const [key, f] of keys) {
      const lockPath = `${dir}/${key}.lock`;
      const stale = f.lock ? await staleReason(lockPath) : null;
      const live = f.lock && stale === null && await Deno.stat(lockPath).then(() => true, () => false);
      const targets = new Map(f.scratch);
      const keep = (name: string, why: string) =>
        items.push({ path: `${kind}/${name}`, action: "kept", why });
      for (const [name, what] of f.bad) {
        if (opts.corrupt && !live) targets.set(name, what);
        else keep(name, `${what}; remove it with --corrupt`);
      }
      if (live) {
        const holder = (await Deno.readTextFile(lockPath).catch(() => "")).trim() || "?";
        for (const name of targets.keys()) keep(name, `in use: ${key}.lock is held by ${holder}`);
        continue;
      }
      if (!targets.size && !stale) continue;
      if (stale) items.push({ path: `${kind}/${key}.lock`, action: doing, why: `a stale lock (${stale})` });
      if (opts.dryRun) {
        for (const [name, why] of targets) items.push({ path: `${kind}/${name}`, action: doing, why });
        continue;
      }
      let release: () => Promise<void>;
      try {
        release = await acquireLock(lockPath, { timeoutMs: 0, log: () => {} }); // breaks the stale lock
      } catch {
        for (const name of targets.keys()) keep(name, `in use: a process took ${key}.lock meanwhile`);
        continue;
      }
      try {
        for (const [name, why] of targets) {
          if (name === key && (await checkEntry(`${dir}/${key}`))?.ok) continue; // completed meanwhile
          await Deno.remove(`${dir}/${name}`, { recursive: true });
          items.push({ path: `${kind}/${name}`, action: doing, why });
        }
      } finally {
        await release();
      }
    }
  }
  return items.sort((a, b) => a.path.localeCompare(b.path));
}
