import { assert, assertEquals, assertNotEquals, assertRejects, assertStringIncludes } from "@std/assert";
import { cachedRun, listRuns, lookupRun, runKey } from "./run_cache.ts";
import { LabError } from "./errors.ts";

async function tmpRoot() {
  return await Deno.makeTempDir();
}

async function entries(dir: string): Promise<string[]> {
  const out: string[] = [];
  for await (const e of Deno.readDir(dir)) out.push(e.name);
  return out.sort();
}

Deno.test("second call is served from the cache without running fn", async () => {
  const root = await tmpRoot();
  let calls = 0;
  const spec = { kind: "k", version: "1", config: { a: 1, b: [2] }, root };
  const fn = async (ctx: { outDir: string }) => {
    calls++;
    await Deno.writeTextFile(`${ctx.outDir}/artifact.txt`, "weights");
    return { score: 0.5 };
  };
  const first = await cachedRun(spec, fn);
  const second = await cachedRun({ ...spec, config: { b: [2], a: 1 } }, fn); // key order irrelevant
  assertEquals([first.cached, second.cached, calls], [false, true, 1]);
  assertEquals(second.result, { score: 0.5 });
  assertEquals(await Deno.readTextFile(`${second.dir}/artifact.txt`), "weights");
  assertEquals(await entries(`${root}/k`), [first.key]); // no lock or work dir left
  assertEquals((await lookupRun(spec))?.result, { score: 0.5 });
});

Deno.test("key changes with config, version and kind", async () => {
  const base = { kind: "k", version: "1", config: { a: 1 } };
  const k = await runKey(base);
  assertNotEquals(k, await runKey({ ...base, config: { a: 2 } }));
  assertNotEquals(k, await runKey({ ...base, version: "2" }));
  assertNotEquals(k, await runKey({ ...base, kind: "j" }));
  assertEquals(k, await runKey({ ...base }));
});

Deno.test("corrupt or partial entries are moved aside and recomputed, never used", async () => {
  const root = await tmpRoot();
  let calls = 0;
  const logs: string[] = [];
  const spec = { kind: "k", version: "1", config: { z: 1 }, root, log: (m: string) => logs.push(m) };
  const fn = () => Promise.resolve({ n: ++calls });
  const first = await cachedRun(spec, fn);
  await Deno.writeTextFile(`${first.dir}/result.json`, '{"n": 999}'); // tampered
  assertEquals(await lookupRun(spec), null); // lookup never uses (or moves) a bad entry
  const second = await cachedRun(spec, fn);
  assertEquals([second.cached, second.result], [false, { n: 2 }]);
  await Deno.remove(`${second.dir}/manifest.json`); // as if killed before the manifest
  const third = await cachedRun(spec, fn);
  assertEquals([third.cached, third.result], [false, { n: 3 }]);
  await Deno.writeTextFile(`${third.dir}/manifest.json`, "{ truncated");
  const fourth = await cachedRun(spec, fn);
  assertEquals([fourth.cached, fourth.result], [false, { n: 4 }]);
  const d = first.dir;
  assertEquals(logs, [
    `run cache: entry ${d} is unusable (result.json does not match its checksum); moved to ${d}.corrupt-1, recomputing`,
    `run cache: entry ${d} is unusable (no manifest.json: the run did not finish); moved to ${d}.corrupt-2, recomputing`,
    `run cache: entry ${d} is unusable (manifest.json is not valid JSON); moved to ${d}.corrupt-3, recomputing`,
  ]);
  assertEquals(await Deno.readTextFile(`${d}.corrupt-1/result.json`), '{"n": 999}'); // kept for inspection
  assertEquals(await entries(`${root}/k`), [first.key, ...[1, 2, 3].map((n) => `${first.key}.corrupt-${n}`)]);
});

Deno.test("a failing run stores nothing and keeps its work dir for resume", async () => {
  const root = await tmpRoot();
  const spec = { kind: "k", version: "1", config: { f: 1 }, root };
  await assertRejects(
    () =>
      cachedRun(spec, async (ctx) => {
        await Deno.writeTextFile(`${ctx.workDir}/ckpt`, "step 3");
        throw new Error("killed");
      }),
    Error,
    "killed",
  );
  const key = (await runKey(spec)).slice(0, 16);
  assertEquals(await entries(`${root}/k`), [`${key}.work`]);
  const resumed = await cachedRun(
    spec,
    async (ctx) => ({ from: await Deno.readTextFile(`${ctx.workDir}/ckpt`) }),
  );
  assertEquals(resumed.result, { from: "step 3" });
});

Deno.test("a stale lock from a dead process is broken", async () => {
  const root = await tmpRoot();
  const spec = { kind: "k", version: "1", config: { s: 1 }, root };
  const key = (await runKey(spec)).slice(0, 16);
  await Deno.mkdir(`${root}/k`, { recursive: true });
  await Deno.writeTextFile(`${root}/k/${key}.lock`, `999999999 ${Deno.hostname()}`);
  const logs: string[] = [];
  const run = await cachedRun({ ...spec, log: (m) => logs.push(m) }, () => Promise.resolve({ ok: true }));
  assertEquals([run.result, run.cached], [{ ok: true }, false]);
  assertEquals(logs, [`lock: broke stale lock ${root}/k/${key}.lock (process 999999999 is gone)`]);
  assertEquals(await entries(`${root}/k`), [key]);
});

Deno.test("two processes asking for one key: computed once, both get the result", async () => {
  const root = await tmpRoot();
  const marker = `${root}/marker`;
  const worker = new URL("./testdata/cache_worker.ts", import.meta.url).pathname;
  const spawn = () =>
    new Deno.Command(Deno.execPath(), {
      args: ["run", "-A", worker, root, marker],
      stdout: "piped",
      stderr: "piped",
    })
      .output();
  const outs = await Promise.all([spawn(), spawn()]);
  const results = outs.map((o) => JSON.parse(new TextDecoder().decode(o.stdout)));
  assertEquals(results.map((r) => r.value), [42, 42]);
  assertEquals(results.map((r) => r.cached).sort(), [false, true]);
  assertEquals((await entries(root)).filter((n) => n.startsWith("marker")).length, 1);
  // The only thing either may say: that it waited for the other's lock.
  const said = outs.flatMap((o) => new TextDecoder().decode(o.stderr).split("\n").filter(Boolean));
  assert(said.every((l) => l.startsWith("lock: waiting for ")) && said.length <= 1, said.join(" | "));
  assertEquals(await entries(`${root}/t`), [results[0].key]); // no lock, scratch or out dir left
});

Deno.test("two calls in one process for one key: fn runs once", async () => {
  const root = await tmpRoot();
  let calls = 0;
  const spec = { kind: "k", version: "1", config: { p: 1 }, root, log: () => {} };
  const fn = async () => {
    calls++;
    await new Promise((r) => setTimeout(r, 30));
    return { v: 7 };
  };
  const [a, b] = await Promise.all([cachedRun(spec, fn), cachedRun(spec, fn)]);
  assertEquals([calls, a.result, b.result, [a.cached, b.cached].sort()], [1, { v: 7 }, { v: 7 }, [
    false,
    true,
  ]]);
});

Deno.test("an entry whose manifest names another key is not used", async () => {
  const root = await tmpRoot();
  const logs: string[] = [];
  const a = { kind: "k", version: "1", config: { a: 1 }, root, log: (m: string) => logs.push(m) };
  const b = { ...a, config: { a: 2 } };
  const ra = await cachedRun(a, () => Promise.resolve("A"));
  const rb = await cachedRun(b, () => Promise.resolve("B"));
  await Deno.remove(rb.dir, { recursive: true });
  await Deno.rename(ra.dir, rb.dir); // A's entry copied under B's key
  const again = await cachedRun(b, () => Promise.resolve("B2"));
  assertEquals([again.cached, again.result], [false, "B2"]);
  assertStringIncludes(logs[0], `manifest.json is for key ${await runKey(a)}, not ${await runKey(b)}`);
});

Deno.test("what is stored: config.json sorted, manifest with full key and checksums, ctx.log prefixed", async () => {
  const root = await tmpRoot();
  const logs: string[] = [];
  const spec = {
    kind: "sft",
    version: "3",
    config: { lr: 0.1, a: [1] },
    root,
    log: (m: string) => logs.push(m),
  };
  const run = await cachedRun(spec, async (ctx) => {
    ctx.log("step 1");
    await Deno.mkdir(`${ctx.outDir}/model`);
    await Deno.writeTextFile(`${ctx.outDir}/model/w.bin`, "w");
    return undefined;
  });
  assertEquals(run.result, null);
  assertEquals(logs, [`[sft ${run.key}] step 1`]);
  assertEquals(JSON.parse(await Deno.readTextFile(`${run.dir}/config.json`)), { a: [1], lr: 0.1 });
  const m = JSON.parse(await Deno.readTextFile(`${run.dir}/manifest.json`));
  assertEquals([m.key, m.key.slice(0, 16), m.kind, m.version], [await runKey(spec), run.key, "sft", "3"]);
  assertEquals(Object.keys(m.files), ["config.json", "model/w.bin", "result.json"]);
  assertEquals(m.files["model/w.bin"], "50e721e49c013f00c62cf59f2163542a9d8df02464efeb615d31051b0fddc326");
});

Deno.test("fn may not write the cache's own files; bad kinds are refused", async () => {
  const root = await tmpRoot();
  const spec = { kind: "k", version: "1", config: {}, root };
  await assertRejects(
    () => cachedRun(spec, async (ctx) => await Deno.writeTextFile(`${ctx.outDir}/result.json`, "x")),
    LabError,
    "wrote result.json into outDir",
  );
  assertEquals(await lookupRun(spec), null);
  await assertRejects(
    () => cachedRun({ ...spec, kind: "../up" }, () => Promise.resolve(1)),
    LabError,
    "'../up'",
  );
});

Deno.test("listRuns reports ok, partial and corrupt entries with their configs", async () => {
  const root = await tmpRoot();
  const mk = (kind: string, x: number) =>
    cachedRun({ kind, version: "1", config: { x }, root }, () => Promise.resolve(x));
  const [a, b, c] = [await mk("sft", 1), await mk("sft", 2), await mk("grpo", 3)];
  await Deno.remove(`${b.dir}/manifest.json`);
  await Deno.writeTextFile(`${c.dir}/config.json`, '{"x":4}');
  await Deno.mkdir(`${root}/sft/${a.key}.work`); // scratch is not an entry
  const all = await listRuns(root);
  const rows = all.map((e) => [e.kind, e.key, e.status, e.config, e.result ?? null, e.why ?? null]);
  const sft = [
    ["sft", a.key, "ok", { x: 1 }, 1, null],
    ["sft", b.key, "partial", { x: 2 }, null, "no manifest.json: the run did not finish"],
  ].sort((p, q) => (p[1] as string).localeCompare(q[1] as string));
  assertEquals(rows, [
    ["grpo", c.key, "corrupt", { x: 4 }, null, "config.json does not match its checksum"],
    ...sft,
  ]);
  assertEquals((await listRuns(root, "grpo")).length, 1);
  assertEquals(await listRuns(`${root}/nothing-here`), []);
});

Deno.test("a run whose lock was taken by another host meanwhile stores nothing and leaves the lock alone", async () => {
  const root = await tmpRoot();
  const spec = { kind: "k", version: "1", config: { a: 7 }, root, log: () => {} };
  const e = await assertRejects(
    () =>
      cachedRun(spec, async (ctx) => {
        // Another host judged this holder's lease expired and took the key's lock.
        await Deno.writeTextFile(`${root}/k/${ctx.key}.lock`, "4242 node-b");
        return { score: 1 };
      }),
    LabError,
  );
  const key = (await runKey(spec)).slice(0, 16);
  assertStringIncludes(e.message, `run k/${key} lost its lock ${root}/k/${key}.lock to another process`);
  assertEquals(await lookupRun(spec), null);
  assertEquals(await Deno.readTextFile(`${root}/k/${key}.lock`), "4242 node-b");
  await Deno.remove(root, { recursive: true });
});
