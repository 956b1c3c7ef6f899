/**
 * Exclusive lock files for the run cache: a lock is a file created with
 * `createNew` (O_EXCL, atomic on local filesystems) holding "PID HOSTNAME".
 * A waiter polls with exponential backoff up to a deadline, then throws a
 * LabError naming the holder. A lock is stale, and broken with a one-line
 * notice, when its holder is on this host and /proc/PID is gone, or when it
 * is empty or unreadable and older than `emptyStaleMs` (a process killed
 * between creating and writing it), or, when its holder is on another host
 * (whose processes this host cannot see), when its lease expired: the holder
 * renews the file's mtime every `heartbeatMs` from a worker thread
 * (lock_heartbeat.ts), so a lock whose mtime is older than LOCK_LEASE_MS
 * belongs to a process that died or lost its node (a Slurm task killed with
 * its node and requeued elsewhere). A holder can ask whether its lock is
 * still its own (`release.held()`), and releasing never removes a lock that
 * another process has since taken.
 *
 * Departs from a full lock manager: the lease is judged by this host's clock
 * against the file's mtime, so hosts sharing a store need clocks within a few
 * seconds of each other (Slurm and munge need that too); O_EXCL creation is
 * atomic on local filesystems and NFSv3+, which is what one writer per key
 * rests on.
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * import { acquireLock } from "./lock.ts";
 * const dir = await Deno.makeTempDir();
 * const release = await acquireLock(`${dir}/job.lock`, { timeoutMs: 1000 });
 * assertEquals((await Deno.readTextFile(`${dir}/job.lock`)).startsWith(`${Deno.pid} `), true);
 * // ... exclusive work ...
 * assertEquals(await release.held(), true);
 * await release();
 * assertEquals(await Deno.stat(`${dir}/job.lock`).then(() => true, () => false), false);
 * await Deno.remove(dir, { recursive: true });
 * ```
 */
import { LabError } from "./errors.ts";
import { LEASE_WORKER } from "./lock_heartbeat.ts";

/** A lock held by another host is stale once its mtime is older than this (its holder renews it). */
export const LOCK_LEASE_MS = 120_000;

/** Options for {@link acquireLock}. */
export interface LockOptions {
  /** Give up (LabError) after waiting this long; default 6 hours. */
  timeoutMs?: number;
  /** Where notices go (breaking a stale lock, waiting); default stderr. */
  log?: (msg: string) => void;
  /** An empty or garbled lock older than this is stale; default 30 s. */
  emptyStaleMs?: number;
  /** First poll interval; doubles up to `maxPollMs`. Defaults 50 and 1000 ms. */
  pollMs?: number;
  maxPollMs?: number;
  /** How often the holder renews its lease (the file's mtime); default LOCK_LEASE_MS / 6. */
  heartbeatMs?: number;
}

/** Releases a lock (a no-op when another process has since taken it); `held()` says whether it is still ours. */
export interface LockRelease {
  (): Promise<void>;
  held(): Promise<boolean>;
}

/** Who holds a lock, as written in its file. */
export interface LockHolder {
  pid: number;
  host: string;
}

/** Parse a lock file's "PID HOSTNAME"; null when empty or garbled. */
export function parseLockHolder(text: string): LockHolder | null {
  const m = /^(\d+) (\S+)\s*$/.exec(text);
  return m ? { pid: Number(m[1]), host: m[2] } : null;
}

/** Is `pid` a live process on this host (Linux: /proc/PID exists)? */
export function pidAlive(pid: number): boolean {
  try {
    Deno.statSync(`/proc/${pid}`);
    return true;
  } catch {
    return false;
  }
}

/** Why the lock at `path` is stale, or null if it is (or may be) live, or gone. */
export async function staleReason(path: string, emptyStaleMs = 30_000): Promise<string | null> {
  let text: string, mtime: number;
  try {
    text = await Deno.readTextFile(path);
    mtime = (await Deno.stat(path)).mtime?.getTime() ?? Date.now();
  } catch {
    return null; // just released: retry at once
  }
  const holder = parseLockHolder(text);
  if (!holder) {
    return Date.now() - mtime > emptyStaleMs ? `it is empty or garbled and ${emptyStaleMs} ms old` : null;
  }
  if (holder.host === Deno.hostname() && !pidAlive(holder.pid)) return `process ${holder.pid} is gone`;
  if (holder.host !== Deno.hostname() && Date.now() - mtime > LOCK_LEASE_MS) {
    return `its lease expired: ${holder.host} has not renewed it for ${
      Math.round((Date.now() - mtime) / 1000)
    } s`;
  }
  return null;
}

/**
 * Remove the lock at `path` if it is stale; returns why, or null. The check and
 * the removal happen under a guard file, so two waiters cannot both judge the
 * same dead lock stale and the slower one delete the faster one's new lock.
 */
async function breakIfStale(path: string, emptyStaleMs: number): Promise<string | null> {
  const guard = `${path}.break`;
  try {
    (await Deno.open(guard, { createNew: true, write: true })).close();
  } catch (e) {
    if (!(e instanceof Deno.errors.AlreadyExists)) throw e;
    // Held for milliseconds; one this old belongs to a process that died in between.
    const age = await Deno.stat(guard).then((s) => Date.now() - (s.mtime?.getTime() ?? Date.now()), () => 0);
    if (age > 10_000) await Deno.remove(guard).catch(() => {});
    return null;
  }
  try {
    const why = await staleReason(path, emptyStaleMs);
    if (why) await Deno.remove(path).catch(() => {});
    return why;
  } finally {
    await Deno.remove(guard).catch(() => {});
  }
}

/**
 * Take the exclusive lock at `path`, waiting for a live holder and breaking a
 * stale one. Resolves to a function that releases it.
 */
export async function acquireLock(path: string, opts: LockOptions = {}): Promise<LockRelease> {
  const timeoutMs = opts.timeoutMs ?? 6 * 3600_000;
  const log = opts.log ?? ((m: string) => console.error(m));
  const me = `${Deno.pid} ${Deno.hostname()}`;
  const start = Date.now();
  let wait = opts.pollMs ?? 50, told = false;
  for (;;) {
    try {
      const f = await Deno.open(path, { createNew: true, write: true });
      try {
        await f.write(new TextEncoder().encode(me));
      } finally {
        f.close();
      }
      return holding(path, me, opts.heartbeatMs ?? LOCK_LEASE_MS / 6);
    } catch (e) {
      if (!(e instanceof Deno.errors.AlreadyExists)) throw e;
    }
    const stale = await breakIfStale(path, opts.emptyStaleMs ?? 30_000);
    if (stale) {
      log(`lock: broke stale lock ${path} (${stale})`);
      continue;
    }
    const holder = await Deno.readTextFile(path).catch(() => "");
    if (Date.now() - start >= timeoutMs) {
      throw new LabError(
        `timed out after ${timeoutMs} ms waiting for lock ${path} (held by ${holder.trim() || "?"})`,
        "wait for the other process to finish, or delete the lock file if that process is gone",
      );
    }
    if (!told) {
      log(`lock: waiting for ${path} (held by ${holder.trim() || "?"})`);
      told = true;
    }
    await new Promise((r) => setTimeout(r, Math.min(wait, Math.max(1, timeoutMs - (Date.now() - start)))));
    wait = Math.min(opts.maxPollMs ?? 1000, wait * 2);
  }
}

/** The holder's side: renew the lease from a worker thread until released. */
function holding(path: string, me: string, heartbeatMs: number): LockRelease {
  const lease = new Worker(LEASE_WORKER, { type: "module" });
  lease.postMessage({ path, me, everyMs: heartbeatMs });
  const held = async () => await Deno.readTextFile(path).then((t) => t === me, () => false);
  const release = async () => {
    lease.terminate();
    if (await held()) await Deno.remove(path).catch(() => {});
  };
  return Object.assign(release, { held });
}
