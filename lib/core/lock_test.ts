import { assertEquals, assertRejects, assertStringIncludes } from "@std/assert";
import { acquireLock, LOCK_LEASE_MS, parseLockHolder, pidAlive } from "./lock.ts";
import { LabError } from "./errors.ts";

async function withDir(f: (dir: string) => Promise<void>): Promise<void> {
  const dir = await Deno.makeTempDir();
  try {
    await f(dir);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

const fast = { pollMs: 5, maxPollMs: 10 };

Deno.test("parseLockHolder reads 'PID HOST' and rejects anything else", () => {
  assertEquals(parseLockHolder("123 box-1"), { pid: 123, host: "box-1" });
  assertEquals(parseLockHolder("123 box-1\n"), { pid: 123, host: "box-1" });
  assertEquals(parseLockHolder(""), null);
  assertEquals(parseLockHolder("abc box"), null);
  assertEquals(parseLockHolder("12"), null);
});

Deno.test("pidAlive: this process yes, an impossible pid no", () => {
  assertEquals([pidAlive(Deno.pid), pidAlive(999_999_999)], [true, false]);
});

Deno.test("the lock file names its holder and is gone after release", () =>
  withDir(async (dir) => {
    const release = await acquireLock(`${dir}/a.lock`, fast);
    assertEquals(await Deno.readTextFile(`${dir}/a.lock`), `${Deno.pid} ${Deno.hostname()}`);
    await release();
    assertEquals([...Deno.readDirSync(dir)].length, 0);
  }));

Deno.test("a waiter gets the lock once the holder releases it", () =>
  withDir(async (dir) => {
    const logs: string[] = [];
    const release = await acquireLock(`${dir}/a.lock`, fast);
    const order: string[] = [];
    const waiter = acquireLock(`${dir}/a.lock`, { ...fast, log: (m) => logs.push(m) }).then((r) => {
      order.push("waiter");
      return r;
    });
    await new Promise((r) => setTimeout(r, 40));
    order.push("release");
    await release();
    await (await waiter)();
    assertEquals(order, ["release", "waiter"]);
    assertEquals(logs, [`lock: waiting for ${dir}/a.lock (held by ${Deno.pid} ${Deno.hostname()})`]);
  }));

Deno.test("waiting on a live holder past the timeout is a LabError naming the holder", () =>
  withDir(async (dir) => {
    const release = await acquireLock(`${dir}/a.lock`, fast);
    const e = await assertRejects(
      () => acquireLock(`${dir}/a.lock`, { ...fast, timeoutMs: 60, log: () => {} }),
      LabError,
    );
    assertStringIncludes(e.message, `timed out after 60 ms waiting for lock ${dir}/a.lock`);
    assertStringIncludes(e.message, `held by ${Deno.pid} ${Deno.hostname()}`);
    await release();
  }));

Deno.test("a lock whose process is gone is broken with a notice", () =>
  withDir(async (dir) => {
    await Deno.writeTextFile(`${dir}/a.lock`, `999999999 ${Deno.hostname()}`);
    const logs: string[] = [];
    const release = await acquireLock(`${dir}/a.lock`, { ...fast, log: (m) => logs.push(m) });
    assertEquals(logs, [`lock: broke stale lock ${dir}/a.lock (process 999999999 is gone)`]);
    assertEquals(await Deno.readTextFile(`${dir}/a.lock`), `${Deno.pid} ${Deno.hostname()}`);
    await release();
  }));

Deno.test("a dead pid on another host is not judged stale", () =>
  withDir(async (dir) => {
    await Deno.writeTextFile(`${dir}/a.lock`, `999999999 some-other-host`);
    await assertRejects(
      () => acquireLock(`${dir}/a.lock`, { ...fast, timeoutMs: 30, log: () => {} }),
      LabError,
      "held by 999999999 some-other-host",
    );
  }));

Deno.test("an empty lock is stale only once it is old", () =>
  withDir(async (dir) => {
    await Deno.writeTextFile(`${dir}/a.lock`, "");
    await assertRejects(
      () => acquireLock(`${dir}/a.lock`, { ...fast, timeoutMs: 30, emptyStaleMs: 60_000, log: () => {} }),
      LabError,
    );
    const old = new Date(Date.now() - 120_000);
    await Deno.utime(`${dir}/a.lock`, old, old);
    const logs: string[] = [];
    const release = await acquireLock(`${dir}/a.lock`, {
      ...fast,
      emptyStaleMs: 60_000,
      log: (m) => logs.push(m),
    });
    assertEquals(logs, [`lock: broke stale lock ${dir}/a.lock (it is empty or garbled and 60000 ms old)`]);
    await release();
  }));

Deno.test("a lock held by another host is broken only once its lease expired", () =>
  withDir(async (dir) => {
    const path = `${dir}/a.lock`;
    await Deno.writeTextFile(path, "4242 node-b");
    const recent = new Date(Date.now() - (LOCK_LEASE_MS - 30_000));
    await Deno.utime(path, recent, recent); // renewed 90 s ago: node-b may still be training
    await assertRejects(
      () => acquireLock(path, { ...fast, timeoutMs: 30, log: () => {} }),
      LabError,
      "node-b",
    );
    const expired = new Date(Date.now() - (LOCK_LEASE_MS + 5_000));
    await Deno.utime(path, expired, expired); // node-b died (or lost its node) two minutes ago
    const logs: string[] = [];
    const release = await acquireLock(path, { ...fast, log: (m) => logs.push(m) });
    assertEquals(logs, [
      `lock: broke stale lock ${path} (its lease expired: node-b has not renewed it for 125 s)`,
    ]);
    await release();
  }));

Deno.test("the holder renews its lease while its main thread is busy", () =>
  withDir(async (dir) => {
    const path = `${dir}/a.lock`;
    const release = await acquireLock(path, { ...fast, heartbeatMs: 20 });
    const old = new Date(Date.now() - 3600_000);
    const age = () => Date.now() - Deno.statSync(path).mtime!.getTime();
    // The lease worker starts (and, under deno test, is type-checked) in its own time: wait for its first renewal.
    await Deno.utime(path, old, old);
    for (let i = 0; i < 600 && age() > 60_000; i++) await new Promise((r) => setTimeout(r, 50));
    await Deno.utime(path, old, old);
    const until = Date.now() + 400;
    while (Date.now() < until) { /* a training step: no timer of this thread fires */ }
    assertEquals(age() < 1000, true, `lease renewed ${age()} ms ago`);
    await release();
    assertEquals(await Deno.stat(path).then(() => true, () => false), false);
  }));

Deno.test("a holder whose lock was broken and taken knows it, and its release leaves the new lock alone", () =>
  withDir(async (dir) => {
    const path = `${dir}/a.lock`;
    const release = await acquireLock(path, fast);
    assertEquals(await release.held(), true);
    await Deno.writeTextFile(path, "4242 node-b"); // node-b judged the lease expired and took the lock
    assertEquals(await release.held(), false);
    await release();
    assertEquals(await Deno.readTextFile(path), "4242 node-b");
  }));
