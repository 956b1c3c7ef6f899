import { assertEquals, assertNotEquals, assertRejects } from "@std/assert";
import { cachedRun, CacheReport, lookupRun, runKey } from "./run_cache.ts";

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
  const spec = { kind: "k", version: "1", config: { z: 1 }, root };
  const fn = () => Promise.resolve({ n: ++calls });
  const first = await cachedRun(spec, fn);
  await Deno.writeTextFile(`${first.dir}/result.json`, '{"n": 999}'); // tampered
  const second = await cachedRun(spec, fn);
  assertEquals([second.cached, second.result], [false, { n: 2 }]);
  await Deno.remove(`${second.dir}/manifest.json`); // as if killed before the manifest
  const third = await cachedRun(spec, fn);
  assertEquals([third.cached, third.result], [false, { n: 3 }]);
  assertEquals(await entries(`${root}/k`), [first.key, `${first.key}.corrupt-1`, `${first.key}.corrupt-2`]);
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
  const run = await cachedRun(spec, () => Promise.resolve({ ok: true }));
  assertEquals(run.result, { ok: true });
});

Deno.test("two processes asking for one key: computed once, both get the result", async () => {
  const root = await tmpRoot();
  const marker = `${root}/marker`;
  const worker = new URL("./testdata/cache_worker.ts", import.meta.url).pathname;
  const spawn = () =>
    new Deno.Command(Deno.execPath(), { args: ["run", "-A", worker, root, marker], stdout: "piped" })
      .output();
  const outs = await Promise.all([spawn(), spawn()]);
  const results = outs.map((o) => JSON.parse(new TextDecoder().decode(o.stdout)));
  assertEquals(results.map((r) => r.value), [42, 42]);
  assertEquals(results.map((r) => r.cached).sort(), [false, true]);
  assertEquals((await entries(root)).filter((n) => n.startsWith("marker")).length, 1);
});

Deno.test("CacheReport counts cached and computed runs", () => {
  const r = new CacheReport();
  r.add("a", { key: "1", cached: true });
  r.add("b", { key: "2", cached: false });
  r.add("c", { key: "3", cached: true });
  assertEquals(r.summary(), "2 cached, 1 computed");
});
