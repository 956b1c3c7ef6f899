/**
 * `runs export NOTEBOOK... --out FILE`: pack exactly the run-cache entries
 * that the given executed notebooks used, as their run logs recorded them
 * (lib/notebook/notebook_runs.ts), plus the entries those runs were computed
 * from (lib/train/run_deps.ts: a GRPO run's start model), into one archive
 * (lib/core/run_archive.ts) that `runs import` verifies and merges.
 */
import { LabError } from "../../core/errors.ts";
import { writeFileAtomic } from "../../core/atomic.ts";
import { runKey } from "../../core/run_cache.ts";
import { cacheRoot } from "../../core/run_entry.ts";
import { type ArchivedNotebook, type EntryId, packRuns } from "../../core/run_archive.ts";
import { notebookRuns } from "../../notebook/notebook_runs.ts";
import { runDependencies } from "../../train/run_deps.ts";
import type { Flags } from "../args.ts";
import { formatBytes } from "./ls.ts";

async function readExecuted(path: string): Promise<unknown> {
  let text: string;
  try {
    text = await Deno.readTextFile(path);
  } catch (e) {
    throw new LabError(
      `runs export: cannot read notebook ${path} (${
        e instanceof Deno.errors.NotFound ? "no such file" : (e as Error).message
      })`,
      "give the paths of executed notebooks, e.g. notebooks/00_quickstart.ipynb",
    );
  }
  try {
    return JSON.parse(text);
  } catch {
    throw new LabError(`runs export: ${path} is not a notebook (not JSON)`, "give an .ipynb file");
  }
}

/** The entries `ids` need (themselves first, then what they were computed from), each once. */
async function withDependencies(root: string, ids: readonly EntryId[]): Promise<EntryId[]> {
  const out: EntryId[] = [];
  const seen = new Set<string>();
  const queue = [...ids];
  while (queue.length) {
    const id = queue.shift()!;
    if (seen.has(`${id.kind}/${id.key}`)) continue;
    seen.add(`${id.kind}/${id.key}`);
    out.push(id);
    const config = await Deno.readTextFile(`${root}/${id.kind}/${id.key}/config.json`).then(
      JSON.parse,
      () => null,
    );
    if (config === null) continue; // packRuns names the missing entry
    for (const dep of runDependencies(id.kind, config)) {
      queue.push({ kind: dep.kind, key: (await runKey(dep)).slice(0, 16) });
    }
  }
  return out;
}

export async function exportCommand(notebooks: string[], f: Flags, usage: string): Promise<void> {
  if (!notebooks.length) {
    throw new LabError("runs export: name at least one executed notebook", `usage: ${usage}`);
  }
  const root = cacheRoot(f.runs as string | undefined);
  const recorded: ArchivedNotebook[] = [];
  for (const path of notebooks) {
    const runs = notebookRuns(await readExecuted(path), path);
    if (!runs.length) {
      throw new LabError(
        `runs export: ${path} records no runs (no run log output: it was not executed, or not with this lab)`,
        `execute it first: deno task notebooks ${path}`,
      );
    }
    recorded.push({
      name: path.slice(path.lastIndexOf("/") + 1),
      runs: runs.map((r) => `${r.kind}/${r.key}`),
    });
  }
  const direct = recorded.flatMap((n) => n.runs).map((s) => ({
    kind: s.split("/")[0],
    key: s.split("/")[1],
  }));
  const ids = await withDependencies(root, direct);
  const bytes = await packRuns(root, ids, recorded);
  const out = f.out as string;
  await writeFileAtomic(out, bytes);
  const kinds = [...new Set(ids.map((i) => i.kind))].map((k) =>
    `${k} ${ids.filter((i) => i.kind === k).length}`
  );
  const extra = ids.length - new Set(direct.map((d) => `${d.kind}/${d.key}`)).size;
  console.log(
    `exported ${ids.length} runs (${kinds.join(", ")}) used by ${recorded.length} notebook${
      recorded.length === 1 ? "" : "s"
    } to ${out} (${formatBytes(bytes.length)})${
      extra ? `; ${extra} of them are runs the others were computed from` : ""
    }`,
  );
  for (const n of recorded) console.log(`  ${n.name}: ${n.runs.length} runs`);
  console.log(`a collaborator imports them with: deno task lab runs import ${out}`);
}
