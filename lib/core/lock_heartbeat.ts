/**
 * The lease keeper of a lock (lock.ts), run as a Web Worker: every `everyMs`
 * it renews the lock file's mtime while the file still names this holder, so
 * a waiter on another host, which cannot see whether the holder's process is
 * alive, sees a fresh lease. A worker thread, not a timer, because a training
 * step keeps the main thread busy and its timers would not fire. It stops by
 * itself once the file is gone or names another holder.
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * import { LEASE_WORKER } from "./lock_heartbeat.ts";
 * assertEquals(LEASE_WORKER.endsWith("/lock_heartbeat.ts"), true);
 * ```
 */

/** This module's URL, for `new Worker(LEASE_WORKER, { type: "module" })`. */
export const LEASE_WORKER: string = import.meta.url;

/** What the worker is told once, at start. */
export interface LeaseOrder {
  path: string;
  /** The holder's line in the lock file ("PID HOST"). */
  me: string;
  everyMs: number;
}

/** Renew once; false when the lock is no longer ours (then the worker stops). */
export function renewLease(order: LeaseOrder): boolean {
  try {
    if (Deno.readTextFileSync(order.path) !== order.me) return false;
    const now = new Date();
    Deno.utimeSync(order.path, now, now);
    return true;
  } catch {
    return false;
  }
}

// deno-lint-ignore no-explicit-any
const scope = globalThis as any;
if (typeof scope.WorkerGlobalScope !== "undefined" && scope instanceof scope.WorkerGlobalScope) {
  scope.onmessage = (e: MessageEvent<LeaseOrder>) => {
    const order = e.data;
    const timer = setInterval(() => {
      if (!renewLease(order)) {
        clearInterval(timer);
        scope.close();
      }
    }, order.everyMs);
  };
}
