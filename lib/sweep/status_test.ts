import { assertEquals } from "@std/assert";
import { cachedRun, runKey } from "../core/run_cache.ts";
import { countStates, failureReport, type RunStatus, settled, statusTable, storeStatus } from "./status.ts";
import type { PlannedRun } from "./plan.ts";

const st = (state: RunStatus["state"], label: string, more: Partial<RunStatus> = {}): RunStatus => ({
  label,
  kind: "sft",
  key: "0123456789abcdef",
  state,
  detail: "",
  attempts: 1,
  ...more,
});

Deno.test("the status table: aligned rows, then the counts", () => {
  const table = statusTable([
    st("done", "seed=0", { task: "7_0", detail: "stored" }),
    st("running", "seed=10", { task: "7_1", detail: "on node3, checkpoint at step 80/200" }),
    st("cancelled", "seed=2", { task: "7_2", detail: "cancelled" }),
  ]);
  assertEquals(table.split("\n"), [
    "state      run      key                   tries  task  detail",
    "done       seed=0   sft/0123456789abcdef  1      7_0   stored",
    "running    seed=10  sft/0123456789abcdef  1      7_1   on node3, checkpoint at step 80/200",
    "cancelled  seed=2   sft/0123456789abcdef  1      7_2   cancelled",
    "3 runs: 1 done, 1 running, 0 pending, 0 failed, 1 cancelled",
  ]);
});

Deno.test("counts, settled, and the failure report with the log tail", () => {
  const s = [
    st("done", "a"),
    st("failed", "b", { attempts: 3, detail: "FAILED, exit 1", log: "/l/7_1.out", logTail: ["x", "y"] }),
  ];
  assertEquals(countStates(s), { done: 1, running: 0, pending: 0, failed: 1, cancelled: 0 });
  assertEquals([settled(s), settled([...s, st("pending", "c")])], [true, false]);
  assertEquals(failureReport(s).split("\n"), [
    "failed: b (sft/0123456789abcdef) after 3 attempt(s): FAILED, exit 1",
    "  log: /l/7_1.out",
    "  | x",
    "  | y",
  ]);
});

Deno.test("storeStatus: pending, then running while locked with a checkpoint, then done", async () => {
  const root = await Deno.makeTempDir();
  const spec = { kind: "demo", version: "1", config: { n: 1 }, root, log: () => {} };
  const fullKey = await runKey(spec);
  const dir = `${root}/demo/${fullKey.slice(0, 16)}`;
  const run: PlannedRun = {
    index: 0,
    label: "n=1",
    config: {},
    kind: "demo",
    key: fullKey.slice(0, 16),
    fullKey,
    dir,
    steps: 9,
  };
  assertEquals([(await storeStatus(run)).state, (await storeStatus(run)).detail], ["pending", "not started"]);
  let seen: RunStatus | undefined;
  await cachedRun(spec, async (ctx) => {
    await Deno.mkdir(`${ctx.workDir}/checkpoint`, { recursive: true });
    await Deno.writeTextFile(`${ctx.workDir}/checkpoint/state.json`, JSON.stringify({ step: 6 }));
    seen = await storeStatus(run);
    return 1;
  });
  assertEquals([seen!.state, seen!.step, seen!.detail], [
    "running",
    6,
    `lock held by ${Deno.pid} ${Deno.hostname()}, checkpoint at step 6/9`,
  ]);
  const known = new Set<string>();
  assertEquals((await storeStatus(run, known)).state, "done");
  assertEquals(known.has(fullKey), true);
  await Deno.remove(root, { recursive: true });
});

Deno.test("storeStatus: a lock left by a dead process is not a running run", async () => {
  const root = await Deno.makeTempDir();
  const dir = `${root}/sft/0123456789abcdef`;
  await Deno.mkdir(`${root}/sft`, { recursive: true });
  await Deno.writeTextFile(`${dir}.lock`, `999999999 ${Deno.hostname()}`);
  const run: PlannedRun = {
    index: 0,
    label: "x",
    config: {},
    kind: "sft",
    key: "0123456789abcdef",
    fullKey: "f",
    dir,
  };
  const s = await storeStatus(run);
  assertEquals([s.state, s.detail], ["pending", `a stale lock (999999999 ${Deno.hostname()})`]);
  await Deno.remove(root, { recursive: true });
});
