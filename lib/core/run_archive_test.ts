import { assertEquals, assertRejects } from "@std/assert";
import { type CachedRun, cachedRun } from "./run_cache.ts";
import { checkEntry, listFiles } from "./run_entry.ts";
import { LabError } from "./errors.ts";
import { canonicalJson, sha256Hex } from "./hash.ts";
import { type ArchiveIndex, packRuns, readRunArchive } from "./run_archive.ts";
import { importRuns } from "./run_import.ts";
import { gunzip, gzip, packTar, unpackTar } from "./tar.ts";

const quiet = () => {};

/** A store with two "demo" entries, each with a nested artifact. */
async function store(): Promise<{ root: string; runs: CachedRun<unknown>[] }> {
  const root = await Deno.makeTempDir();
  const runs = [];
  for (const seed of [1, 2]) {
    runs.push(
      await cachedRun({ kind: "demo", version: "v1", config: { seed }, root, log: quiet }, async (ctx) => {
        await Deno.mkdir(`${ctx.outDir}/model`);
        await Deno.writeFile(`${ctx.outDir}/model/w.bin`, new Uint8Array(600).fill(seed));
        return { seed, score: seed / 10 };
      }),
    );
  }
  return { root, runs };
}

async function tree(dir: string): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  try {
    for (const f of await listFiles(dir)) out[f] = await sha256Hex(await Deno.readFile(`${dir}/${f}`));
  } catch (e) {
    if (!(e instanceof Deno.errors.NotFound)) throw e;
  }
  return out;
}

/** Rewrite one member of an archive (and, when asked, re-sign what sits above it). */
async function tamper(
  bytes: Uint8Array,
  edit: (members: { path: string; data: Uint8Array }[], index: ArchiveIndex) => unknown,
): Promise<Uint8Array> {
  const members = unpackTar(await gunzip(bytes));
  const index = JSON.parse(new TextDecoder().decode(members[0].data)) as ArchiveIndex;
  await edit(members, index);
  members[0] = { path: members[0].path, data: new TextEncoder().encode(JSON.stringify(index)) };
  return await gzip(packTar(members));
}

Deno.test("export then import into an empty store: the same files, intact; a second import keeps them", async () => {
  const { root, runs } = await store();
  const dest = await Deno.makeTempDir();
  try {
    const ids = runs.map((r) => ({ kind: "demo", key: r.key }));
    const bytes = await packRuns(root, ids, [{ name: "nb.ipynb", runs: ids.map((i) => `demo/${i.key}`) }]);
    const archive = await readRunArchive(bytes, "a.tar.gz");
    assertEquals(archive.index.notebooks, [{ name: "nb.ipynb", runs: ids.map((i) => `demo/${i.key}`) }]);
    const report = await importRuns(archive.entries, dest, { log: quiet });
    assertEquals(report, { imported: ids.map((i) => `demo/${i.key}`), kept: [], replaced: [] });
    assertEquals(await tree(dest), await tree(root)); // manifests included: byte for byte
    for (const r of runs) assertEquals((await checkEntry(`${dest}/demo/${r.key}`))?.ok, true);
    const again = await importRuns((await readRunArchive(bytes, "a.tar.gz")).entries, dest, { log: quiet });
    assertEquals(again, { imported: [], kept: ids.map((i) => `demo/${i.key}`), replaced: [] });
  } finally {
    await Deno.remove(root, { recursive: true });
    await Deno.remove(dest, { recursive: true });
  }
});

Deno.test("import never overwrites a valid entry, and replaces an unusable one (moved aside)", async () => {
  const { root, runs } = await store();
  const dest = await Deno.makeTempDir();
  try {
    const ids = runs.map((r) => ({ kind: "demo", key: r.key }));
    const bytes = await packRuns(root, ids, []);
    await importRuns((await readRunArchive(bytes, "a")).entries, dest, { log: quiet });
    await Deno.writeTextFile(`${dest}/demo/${ids[1].key}/result.json`, '{"seed":2,"score":99}');
    const logs: string[] = [];
    const report = await importRuns((await readRunArchive(bytes, "a")).entries, dest, {
      log: (m) => logs.push(m),
    });
    assertEquals(report, {
      imported: [`demo/${ids[1].key}`],
      kept: [`demo/${ids[0].key}`],
      replaced: [`demo/${ids[1].key}`],
    });
    assertEquals(await Deno.readTextFile(`${dest}/demo/${ids[1].key}/result.json`), '{"seed":2,"score":0.2}');
    assertEquals(
      await Deno.readTextFile(`${dest}/demo/${ids[1].key}.corrupt-1/result.json`),
      '{"seed":2,"score":99}',
    );
    assertEquals(logs.length, 1);
  } finally {
    await Deno.remove(root, { recursive: true });
    await Deno.remove(dest, { recursive: true });
  }
});

Deno.test("a tampered or foreign archive is refused, naming the entry, and nothing is written", async () => {
  const { root, runs } = await store();
  const dest = await Deno.makeTempDir();
  try {
    const [a, b] = runs.map((r) => ({ kind: "demo", key: r.key }));
    const bytes = await packRuns(root, [a, b], []);
    const cases: [Uint8Array, string][] = [
      [
        await tamper(bytes, (ms) => { // one byte of a model, checksums untouched
          const m = ms.find((m) => m.path === `demo/${b.key}/model/w.bin`)!;
          m.data = m.data.slice();
          m.data[7] ^= 1;
        }),
        `entry demo/${b.key} is damaged or was altered (model/w.bin does not match its checksum)`,
      ],
      [
        await tamper(bytes, async (ms, index) => { // a new config, every checksum above it rewritten to match
          const path = (rel: string) => `demo/${a.key}/${rel}`;
          const config = { seed: 7 };
          const cm = ms.find((m) => m.path === path("config.json"))!;
          cm.data = new TextEncoder().encode(JSON.stringify(config));
          const mm = ms.find((m) => m.path === path("manifest.json"))!;
          const manifest = JSON.parse(new TextDecoder().decode(mm.data));
          manifest.files["config.json"] = await sha256Hex(cm.data);
          manifest.configSha256 = await sha256Hex(canonicalJson(config));
          mm.data = new TextEncoder().encode(JSON.stringify(manifest));
          index.files[path("config.json")] = await sha256Hex(cm.data);
          index.files[path("manifest.json")] = await sha256Hex(mm.data);
        }),
        `entry demo/${a.key} is damaged or was altered (its key is not the hash of its kind, version and config`,
      ],
      [
        await tamper(
          bytes,
          (ms) => ms.splice(ms.findIndex((m) => m.path.endsWith(`${b.key}/result.json`)), 1),
        ),
        `entry demo/${b.key} is damaged or was altered (demo/${b.key}/result.json listed in the index but not in`,
      ],
      [new TextEncoder().encode("not an archive"), "x.tar.gz is not a harnesslab run archive"],
      [await gzip(packTar([{ path: "other.txt", data: new Uint8Array(3) }])), "its first member is not"],
    ];
    for (const [archive, message] of cases) {
      await assertRejects(
        async () => {
          const { entries } = await readRunArchive(archive, "x.tar.gz");
          await importRuns(entries, dest, { log: quiet });
        },
        LabError,
        message,
      );
    }
    assertEquals(await tree(dest), {}); // nothing written, not even a kind folder's files
  } finally {
    await Deno.remove(root, { recursive: true });
    await Deno.remove(dest, { recursive: true });
  }
});

Deno.test("packing an entry the store lacks names it and says what to do", async () => {
  const root = await Deno.makeTempDir();
  try {
    await assertRejects(
      () => packRuns(root, [{ kind: "sft", key: "0123456789abcdef" }], []),
      LabError,
      `run sft/0123456789abcdef is not in the run store ${root}. Fix: re-execute the notebooks`,
    );
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});
