/**
 * `runs gc`: remove stale locks and the scratch folders (.out, .work,
 * .import-PID) of processes that are gone; never a valid entry
 * (lib/core/run_gc.ts). `--dry-run` only reports; `--corrupt` also removes
 * moved-aside and failing entries.
 */
import { cacheRoot } from "../../core/run_entry.ts";
import { gcRuns } from "../../core/run_gc.ts";
import type { Flags } from "../args.ts";

export async function gcCommand(f: Flags): Promise<void> {
  const root = cacheRoot(f.runs as string | undefined);
  const items = await gcRuns(root, { dryRun: !!f["dry-run"], corrupt: !!f.corrupt });
  for (const i of items) console.log(`${i.action.padEnd(12)}  ${i.path}  (${i.why})`);
  const gone = items.filter((i) => i.action !== "kept").length;
  console.log(
    `${f["dry-run"] ? "would remove" : "removed"} ${gone} item${gone === 1 ? "" : "s"} in ${root}; ` +
      `kept ${items.length - gone} (valid entries are never touched)`,
  );
}
