import { assertEquals, assertRejects, assertThrows } from "@std/assert";
import { gunzip, gzip, packTar, unpackTar } from "./tar.ts";

const text = (b: Uint8Array) => new TextDecoder().decode(b);
const bytes = (s: string) => new TextEncoder().encode(s);

async function tarCli(args: string[], cwd: string): Promise<string> {
  const out = await new Deno.Command("tar", { args, cwd, stdout: "piped", stderr: "piped" }).output();
  if (!out.success) throw new Error(text(out.stderr));
  return text(out.stdout);
}

Deno.test("packTar writes what GNU tar lists and extracts, long paths included", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const long = `${"d".repeat(90)}/${"e".repeat(60)}/model.safetensors`; // > 100 bytes: ustar prefix
    const members = [
      { path: "index.json", data: bytes('{"a":1}'), mtime: 1_700_000_000 },
      { path: "sft/0123456789abcdef/empty.txt", data: new Uint8Array(0) },
      { path: long, data: new Uint8Array(1500).map((_, i) => i % 251) },
    ];
    await Deno.writeFile(`${dir}/a.tar.gz`, await gzip(packTar(members)));
    assertEquals((await tarCli(["tzf", "a.tar.gz"], dir)).trim().split("\n"), members.map((m) => m.path));
    await tarCli(["xzf", "a.tar.gz"], dir);
    assertEquals(await Deno.readFile(`${dir}/${long}`), members[2].data);
    assertEquals((await Deno.stat(`${dir}/index.json`)).mtime?.getTime(), 1_700_000_000_000);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("unpackTar reads GNU tar's ustar output (directories skipped) and round-trips packTar", async () => {
  const dir = await Deno.makeTempDir();
  try {
    await Deno.mkdir(`${dir}/src/k/model`, { recursive: true });
    await Deno.writeTextFile(`${dir}/src/k/model/w.bin`, "weights");
    await Deno.writeTextFile(`${dir}/src/k/r.json`, "{}");
    await tarCli(["cf", "../g.tar", "--format=ustar", "--sort=name", "k"], `${dir}/src`);
    const got = unpackTar(await Deno.readFile(`${dir}/g.tar`));
    assertEquals(got.map((m) => [m.path, text(m.data)]), [["k/model/w.bin", "weights"], ["k/r.json", "{}"]]);
    const again = unpackTar(await gunzip(await gzip(packTar(got))));
    assertEquals(again.map((m) => [m.path, text(m.data)]), got.map((m) => [m.path, text(m.data)]));
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("unpackTar refuses links, paths that climb out, bad checksums and cut archives", async () => {
  const dir = await Deno.makeTempDir();
  try {
    await Deno.writeTextFile(`${dir}/f`, "x");
    await Deno.symlink("f", `${dir}/link`);
    await tarCli(["cf", "l.tar", "--format=ustar", "link"], dir);
    assertThrows(
      () => unpackTar(Deno.readFileSync(`${dir}/l.tar`)),
      Error,
      "member 'link' is not a plain file",
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
  assertThrows(() => packTar([{ path: "../up", data: new Uint8Array(1) }]), Error, "climbs out");
  const good = packTar([{ path: "a", data: bytes("hello") }]);
  const flipped = good.slice();
  flipped[0] = "b".charCodeAt(0); // the name changes, the stored checksum does not
  assertThrows(() => unpackTar(flipped), Error, "fails its checksum");
  assertThrows(() => unpackTar(good.subarray(0, 512)), Error, "member 'a' is cut short");
  assertThrows(() => unpackTar(good.subarray(0, 1024)), Error, "ends without its end-of-archive blocks");
  assertThrows(() => unpackTar(new Uint8Array(512).fill(65)), Error, "not a ustar header");
  await assertRejects(() => gunzip(bytes("not gzip at all")));
});
