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
