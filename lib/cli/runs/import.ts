/**
 * `runs import FILE`: verify every checksum of a run archive (all entries
 * before any is written; lib/core/run_archive.ts) and merge its entries into
 * the run store without overwriting a valid entry (lib/core/run_import.ts).
 */
import { LabError } from "../../core/errors.ts";
import { cacheRoot } from "../../core/run_entry.ts";
import { readRunArchive } from "../../core/run_archive.ts";
import { importRuns } from "../../core/run_import.ts";
import type { Flags } from "../args.ts";

export async function importCommand(files: string[], f: Flags, usage: string): Promise<void> {
  if (files.length !== 1) {
    throw new LabError(`runs import: give exactly one archive (got ${files.length})`, `usage: ${usage}`);
  }
  const file = files[0];
  let bytes: Uint8Array;
  try {
    bytes = await Deno.readFile(file);
  } catch (e) {
    throw new LabError(
      `runs import: cannot read ${file} (${
        e instanceof Deno.errors.NotFound ? "no such file" : (e as Error).message
      })`,
      "give the path of an archive written by `deno task lab runs export`",
    );
  }
  const root = cacheRoot(f.runs as string | undefined);
  const { index, entries } = await readRunArchive(bytes, file);
  const report = await importRuns(entries, root);
  const replaced = report.replaced.length
    ? `; ${report.replaced.length} unusable entries were moved aside and replaced`
    : "";
  console.log(
    `verified ${entries.length} runs in ${file}; imported ${report.imported.length} into ${root}, ` +
      `${report.kept.length} already there and kept${replaced}`,
  );
  if (index.notebooks.length) {
    console.log(
      `re-execute the notebooks it came with: deno task notebooks ${
        index.notebooks.map((n) => `notebooks/${n.name}`).join(" ")
      }`,
    );
  }
}
