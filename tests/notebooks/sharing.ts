/**
 * Sharing a run store, end to end, as a collaborator would; a step of the
 * notebook test (notebooks_test.ts), which has just executed every notebook
 * at `smoke` into a fresh store, so the notebooks run once more, not twice:
 * `runs export` the runs they used, `runs import` the archive into an empty
 * store, re-execute the notebooks from it (nothing computed), and compare
 * every figure byte for byte. A tampered archive is refused, naming the entry,
 * and writes nothing. Along the way: the runner's summary table counts
 * computed and cached runs, and no cell holds a backend notice as stderr.
 */
import { assert, assertEquals, assertStringIncludes } from "@std/assert";
import { PROJECT_ROOT } from "../../lib/core/paths.ts";
import { listRuns } from "../../lib/core/run_cache.ts";
import { gunzip, gzip, packTar, unpackTar } from "../../lib/core/tar.ts";
import { listNotebooks } from "../../lib/cli/notebooks/main.ts";

const dec = new TextDecoder();

async function deno(args: string[]): Promise<{ code: number; out: string; err: string }> {
  const r = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", ...args],
    stdout: "piped",
    stderr: "piped",
  })
    .output();
  return { code: r.code, out: dec.decode(r.stdout), err: dec.decode(r.stderr) };
}

/** Execute every notebook at smoke into `dir`/out-TAG, figures into `dir`/fig-TAG, with the store `runs`. */
async function executeAll(dir: string, tag: string, runs: string) {
  const r = await deno([
    `${PROJECT_ROOT}lib/cli/notebooks/main.ts`,
    ...["--scale", "smoke", "--out", `${dir}/out-${tag}`, "--figures", `${dir}/fig-${tag}`, "--runs", runs],
  ]);
  assertEquals(r.code, 0, `notebook run failed:\n${r.out}\n${r.err}`);
  return r.out;
}

/** notebook -> [computed, from cache, figures], read from the runner's summary table. */
function summary(out: string): Record<string, number[]> {
  const rows = out.split("\n").filter((l) => /^\S+\.ipynb\s/.test(l)).map((l) => l.trim().split(/ {2,}/));
  return Object.fromEntries(rows.map((r) => [r[0], r.slice(2).map(Number)]));
}

async function files(dir: string): Promise<Record<string, Uint8Array>> {
  const out: Record<string, Uint8Array> = {};
  for await (const e of Deno.readDir(dir)) out[e.name] = await Deno.readFile(`${dir}/${e.name}`);
  return out;
}

/** Where the notebook test put the first execution. */
export interface FirstRun {
  /** The runner's stdout. */
  log: string;
  /** Executed notebooks, figures and run store of the first execution. */
  outDir: string;
  figuresDir: string;
  runsDir: string;
  /** A scratch folder for the round trip. */
  dir: string;
}

/** The round trip after a first execution (see the module doc). */
export async function sharingRoundTrip(first: FirstRun): Promise<void> {
  const dir = first.dir;
  const names = (await listNotebooks()).map((p) => p.slice(p.lastIndexOf("/") + 1));
  const counts = summary(first.log);
  assertEquals(Object.keys(counts), names);
  for (const n of names) {
    assert(counts[n][0] > 0 && counts[n][1] === 0, `${n} computed its runs: ${counts[n]}`);
  }

  for (const n of names) { // backend notices are said in the run log, never as stderr in a cell
    const nb = JSON.parse(await Deno.readTextFile(`${first.outDir}/${n}`));
    const streams = nb.cells.flatMap((c: { outputs?: { output_type: string; text?: string[] }[] }) =>
      (c.outputs ?? []).filter((o) => o.output_type === "stream").map((o) => [o.text].flat().join(""))
    );
    assertEquals(streams.filter((s: string) => s.includes("backend:")), [], n);
  }

  const lab = `${PROJECT_ROOT}lib/cli/main.ts`;
  const archive = `${dir}/share.tar.gz`;
  const notebooks = names.map((n) => `${first.outDir}/${n}`);
  const ex = await deno([lab, "runs", "export", ...notebooks, "--out", archive, "--runs", first.runsDir]);
  assertEquals(ex.code, 0, ex.err);
  const im = await deno([lab, "runs", "import", archive, "--runs", `${dir}/runs-b`]);
  assertEquals(im.code, 0, im.err);
  const computed = names.reduce((a, n) => a + counts[n][0], 0);
  assertStringIncludes(im.out, `imported ${computed} into ${dir}/runs-b, 0 already there and kept`);
  const ids = async (root: string) => (await listRuns(root)).map((e) => `${e.kind}/${e.key}/${e.status}`);
  assertEquals(await ids(`${dir}/runs-b`), await ids(first.runsDir)); // exactly the runs used

  const second = summary(await executeAll(dir, "b", `${dir}/runs-b`));
  for (const n of names) {
    assertEquals(second[n], [0, counts[n][0], counts[n][2]], `${n} re-executed from the cache`);
  }
  const [a, b] = [await files(first.figuresDir), await files(`${dir}/fig-b`)];
  assertEquals(Object.keys(b).sort(), Object.keys(a).sort());
  for (const f of Object.keys(a)) assertEquals(b[f], a[f], `${f} differs after the round trip`);

  // One flipped byte in a model: refused before anything is written, naming the entry.
  const members = unpackTar(await gunzip(await Deno.readFile(archive)));
  const victim = members.find((m) => m.path.endsWith("model.safetensors"))!;
  victim.data[victim.data.length - 1] ^= 1;
  await Deno.writeFile(`${dir}/tampered.tar.gz`, await gzip(packTar(members)));
  const bad = await deno([lab, "runs", "import", `${dir}/tampered.tar.gz`, "--runs", `${dir}/runs-c`]);
  assertEquals(bad.code, 1);
  const entry = victim.path.split("/").slice(0, 2).join("/");
  assertStringIncludes(
    bad.err,
    `entry ${entry} is damaged or was altered (model/model.safetensors does not match its checksum)`,
  );
  assertEquals(await Deno.stat(`${dir}/runs-c`).then(() => "written", () => "absent"), "absent");
}
