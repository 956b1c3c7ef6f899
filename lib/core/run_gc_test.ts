import { assertEquals } from "@std/assert";
import { cachedRun } from "./run_cache.ts";
import { checkEntry } from "./run_entry.ts";
import { gcRuns } from "./run_gc.ts";

/** The pid of a process that has exited. */
async function deadPid(): Promise<number> {
  const child = new Deno.Command("true").spawn();
  await child.status;
  return child.pid;
}

/** gc sorts its report by path this way (the valid entry's key is a hash, so its place varies). */
const byText = (x: string, y: string) => x.localeCompare(y);

async function names(dir: string): Promise<string[]> {
  const out: string[] = [];
  for await (const e of Deno.readDir(dir)) out.push(e.name);
  return out.sort();
}

Deno.test("gc removes stale locks and the scratch of dead processes, keeps live ones and every valid entry", async () => {
  const root = await Deno.makeTempDir();
  try {
    const spec = (n: number) => ({ kind: "sft", version: "1", config: { n }, root, log: () => {} });
    const valid = await cachedRun(spec(1), () => Promise.resolve({ ok: true }));
    const k = valid.key;
    const dir = `${root}/sft`;
    const host = Deno.hostname();
    const dead = await deadPid();
    // A run killed mid-way: its lock (holder gone), its output and its checkpoints.
    const a = "aaaaaaaaaaaaaaaa", b = "bbbbbbbbbbbbbbbb", c = "cccccccccccccccc";
    await Deno.writeTextFile(`${dir}/${a}.lock`, `${dead} ${host}`);
    await Deno.mkdir(`${dir}/${a}.out/model`, { recursive: true });
    await Deno.mkdir(`${dir}/${a}.work/checkpoints`, { recursive: true });
    // Work left with no lock at all, and an import's staging.
    await Deno.mkdir(`${dir}/${b}.work`);
    await Deno.mkdir(`${dir}/${b}.import-${dead}`);
    // A run in progress in a live process (this one): everything of it stays.
    await Deno.writeTextFile(`${dir}/${c}.lock`, `${Deno.pid} ${host}`);
    await Deno.mkdir(`${dir}/${c}.work`);
    // The valid entry's own lock left by a dead process; a moved-aside entry.
    await Deno.writeTextFile(`${dir}/${k}.lock`, `${dead} ${host}`);
    await Deno.mkdir(`${dir}/${k}.corrupt-1`);

    const dry = await gcRuns(root, { dryRun: true });
    assertEquals(
      dry.filter((i) => i.action === "would remove").map((i) => i.path),
      [
        `sft/${a}.lock`,
        `sft/${a}.out`,
        `sft/${a}.work`,
        `sft/${b}.import-${dead}`,
        `sft/${b}.work`,
        `sft/${k}.lock`,
      ].sort(byText),
    );
    assertEquals((await names(dir)).length, 10); // a dry run touches nothing

    const items = await gcRuns(root);
    assertEquals(
      items.map((i) => [i.path, i.action]),
      [
        [`sft/${a}.lock`, "removed"],
        [`sft/${a}.out`, "removed"],
        [`sft/${a}.work`, "removed"],
        [`sft/${b}.import-${dead}`, "removed"],
        [`sft/${b}.work`, "removed"],
        [`sft/${c}.work`, "kept"],
        [`sft/${k}.corrupt-1`, "kept"],
        [`sft/${k}.lock`, "removed"],
      ].sort((x, y) => byText(x[0], y[0])),
    );
    assertEquals(
      items.find((i) => i.path.endsWith(`${a}.lock`))?.why,
      `a stale lock (process ${dead} is gone)`,
    );
    assertEquals(
      items.find((i) => i.path.endsWith(`${c}.work`))?.why,
      `in use: ${c}.lock is held by ${Deno.pid} ${host}`,
    );
    assertEquals(await names(dir), [`${c}.lock`, `${c}.work`, k, `${k}.corrupt-1`].sort());
    assertEquals((await checkEntry(`${dir}/${k}`))?.ok, true);

    const more = await gcRuns(root, { corrupt: true });
    const expected = [[`sft/${c}.work`, "kept"], [`sft/${k}.corrupt-1`, "removed"]];
    assertEquals(more.map((i) => [i.path, i.action]), expected.sort((x, y) => byText(x[0], y[0])));
    assertEquals(await names(dir), [`${c}.lock`, `${c}.work`, k].sort());
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});

Deno.test("gc --corrupt removes a partial entry but never a valid one; an empty store is fine", async () => {
  const root = await Deno.makeTempDir();
  try {
    assertEquals(await gcRuns(`${root}/none`), []);
    const run = await cachedRun(
      { kind: "k", version: "1", config: {}, root, log: () => {} },
      () => Promise.resolve(1),
    );
    const partial = `${root}/k/0123456789abcdef`;
    await Deno.mkdir(partial);
    await Deno.writeTextFile(`${partial}/result.json`, "1");
    const kept = await gcRuns(root);
    assertEquals(kept.map((i) => [i.path, i.action, i.why]), [
      [
        "k/0123456789abcdef",
        "kept",
        "a partial entry (no manifest.json: the run did not finish); remove it with --corrupt",
      ],
    ]);
    const removed = await gcRuns(root, { corrupt: true });
    assertEquals(removed.map((i) => [i.path, i.action]), [["k/0123456789abcdef", "removed"]]);
    assertEquals(await names(`${root}/k`), [run.key]);
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});
