import { assertEquals, assertRejects } from "@std/assert";
import { writeDirAtomic, writeFileAtomic } from "./atomic.ts";

async function names(dir: string): Promise<string[]> {
  const out: string[] = [];
  for await (const e of Deno.readDir(dir)) out.push(e.name);
  return out.sort();
}

Deno.test("writeDirAtomic replaces a directory; a fill that throws midway changes nothing", async () => {
  const root = await Deno.makeTempDir();
  const dir = `${root}/ckpt`;
  await writeDirAtomic(dir, async (tmp) => await Deno.writeTextFile(`${tmp}/a.txt`, "v1"));
  await writeDirAtomic(dir, async (tmp) => await Deno.writeTextFile(`${tmp}/a.txt`, "v2"));
  assertEquals(await Deno.readTextFile(`${dir}/a.txt`), "v2");
  await assertRejects(
    () =>
      writeDirAtomic(dir, async (tmp) => {
        await Deno.writeTextFile(`${tmp}/a.txt`, "half");
        throw new Error("disk full");
      }),
    Error,
    "disk full",
  );
  assertEquals(await Deno.readTextFile(`${dir}/a.txt`), "v2");
  assertEquals(await names(root), ["ckpt"]); // no temporary leftovers
  await Deno.remove(root, { recursive: true });
});

Deno.test("writeFileAtomic creates parents and leaves no temporary file", async () => {
  const root = await Deno.makeTempDir();
  await writeFileAtomic(`${root}/x/y.json`, "{}");
  await writeFileAtomic(`${root}/x/y.json`, '{"a":1}');
  assertEquals(await Deno.readTextFile(`${root}/x/y.json`), '{"a":1}');
  assertEquals(await names(`${root}/x`), ["y.json"]);
  await Deno.remove(root, { recursive: true });
});

Deno.test("writeFileAtomic writes bytes exactly and replaces a longer file", async () => {
  const root = await Deno.makeTempDir();
  await writeFileAtomic(`${root}/b.bin`, new Uint8Array(100_000).fill(7));
  await writeFileAtomic(`${root}/b.bin`, new Uint8Array([1, 2, 3]));
  assertEquals(await Deno.readFile(`${root}/b.bin`), new Uint8Array([1, 2, 3]));
  await Deno.remove(root, { recursive: true });
});

Deno.test("writeDirAtomic: a new dir, an empty existing dir, and nested files", async () => {
  const root = await Deno.makeTempDir();
  await Deno.mkdir(`${root}/empty`);
  await writeDirAtomic(`${root}/empty`, async (tmp) => {
    await Deno.mkdir(`${tmp}/sub`);
    await Deno.writeTextFile(`${tmp}/sub/x`, "1");
  });
  await writeDirAtomic(`${root}/deep/new`, async (tmp) => await Deno.writeTextFile(`${tmp}/y`, "2"));
  assertEquals(await Deno.readTextFile(`${root}/empty/sub/x`), "1");
  assertEquals(await Deno.readTextFile(`${root}/deep/new/y`), "2");
  assertEquals(await names(root), ["deep", "empty"]);
  await Deno.remove(root, { recursive: true });
});

Deno.test("writeDirAtomic under a path whose parent is a file fails and leaves nothing behind", async () => {
  const root = await Deno.makeTempDir();
  await Deno.writeTextFile(`${root}/file`, "x"); // finalDir's parent is a file: mkdir fails first
  await assertRejects(() => writeDirAtomic(`${root}/file/sub`, async () => {}));
  assertEquals(await names(root), ["file"]);
  await Deno.remove(root, { recursive: true });
});
