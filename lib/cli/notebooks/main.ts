/**
 * The headless notebook runner, a CLI beside `deno task lab`: `deno task
 * notebooks` (and the README's main job, `deno task main`) executes every
 * notebook in notebooks/ in name order, headless, with the real Deno kernel,
 * at one scale, writing the executed notebooks with their outputs and
 * regenerating figures/. What runs inside the kernel (show, tables, the live
 * view) is lib/notebook's; this side drives Jupyter from outside.
 *
 *   deno task notebooks [--scale smoke|default|full] [--out DIR] [--figures DIR] [--runs DIR]
 *                       [--attempts N] [--allow-lost-outputs] [NOTEBOOK...]
 *
 * Without --out the notebooks are executed in place (what is committed);
 * tests pass --out, --figures and --runs so they never touch the committed
 * outputs or the run cache. Outputs the kernel publishes after a cell's idle
 * are kept by the barrier client (see execute.ts); should a cell still lack an
 * output, the notebook re-executes (--attempts, default 3) and then fails,
 * unless --allow-lost-outputs keeps the run and prints the cells.
 *
 * Progress (run_progress.ts, fed by watch_feed.ts): the running notebook and cell, a line per run
 * being computed, a line per run computed, and a summary table at the end;
 * redrawn in place on a terminal, sparse in a log.
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * import { listNotebooks } from "./main.ts";
 * const names = (await listNotebooks()).map((p) => p.slice(p.lastIndexOf("/") + 1));
 * assertEquals(names.slice(0, 2), ["00_quickstart.ipynb", "01_difficulty_band_drift.ipynb"]);
 * ```
 */
import { parseArgs } from "node:util";
import { exitCodeOf, LabError } from "../../core/errors.ts";
import { PROJECT_ROOT } from "../../core/paths.ts";
import { formatDuration } from "../../core/progress.ts";
import { checkJupyter, executeNotebook } from "./execute.ts";
import { parseScale } from "../../notebook/scale.ts";
import { RunProgressView, type SummaryRow, summaryTable } from "./run_progress.ts";
import { withProgressFeed } from "./watch_feed.ts";

/** notebooks/*.ipynb in name order (checkpoints and temp files skipped). */
export async function listNotebooks(dir = `${PROJECT_ROOT}notebooks`): Promise<string[]> {
  const names: string[] = [];
  for await (const e of Deno.readDir(dir)) {
    if (e.isFile && e.name.endsWith(".ipynb") && !e.name.startsWith(".")) names.push(`${dir}/${e.name}`);
  }
  return names.sort();
}

export async function main(args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    options: {
      scale: { type: "string", default: Deno.env.get("HARNESSLAB_SCALE") || "default" },
      out: { type: "string" },
      figures: { type: "string" },
      runs: { type: "string" },
      attempts: { type: "string", default: "3" },
      "allow-lost-outputs": { type: "boolean", default: false },
    },
    allowPositionals: true,
  });
  return await exitCodeOf(async () => {
    const scale = parseScale(values.scale!, "--scale");
    const attempts = Number(values.attempts);
    if (!Number.isInteger(attempts) || attempts < 1) {
      throw new LabError(`--attempts is '${values.attempts}'`, "give a whole number of at least 1");
    }
    await checkJupyter();
    const notebooks = positionals.length ? positionals : await listNotebooks();
    if (values.out) await Deno.mkdir(values.out, { recursive: true });
    const t0 = performance.now();
    const view = new RunProgressView();
    const summary: SummaryRow[] = [];
    for (const nb of notebooks) {
      const name = nb.slice(nb.lastIndexOf("/") + 1);
      console.log(`notebooks: executing ${name} at ${scale} scale ...`);
      const r = await withProgressFeed(view, nb, (progressFile) =>
        executeNotebook(nb, {
          scale,
          outPath: values.out ? `${values.out}/${name}` : undefined,
          figuresDir: values.figures,
          runsDir: values.runs,
          attempts,
          allowLostOutputs: values["allow-lost-outputs"],
          progressFile,
        }));
      summary.push({ notebook: name, seconds: r.seconds, ...view.counts(), figures: r.figures.length });
      const figs = r.figures.length ? `; figures ${r.figures.join(", ")}` : "";
      const retried = r.attempts > 1 ? ` (${r.attempts} executions: a cell lacked an output)` : "";
      const late = r.lateOutputs
        ? `; ${r.lateOutputs} output${
          r.lateOutputs === 1 ? "" : "s"
        } arrived after the cell had finished and ${r.lateOutputs === 1 ? "was" : "were"} kept`
        : "";
      console.log(
        `notebooks: ${name} done in ${formatDuration(r.seconds)}${retried} -> ${r.outPath}${figs}${late}`,
      );
      if (r.lostOutputs.length) {
        console.log(
          `notebooks: warning: ${name} cells ${r.lostOutputs.join(", ")} lack outputs the kernel made`,
        );
      }
    }
    console.log(
      `notebooks: ${notebooks.length} executed in ${formatDuration((performance.now() - t0) / 1000)}`,
    );
    console.log(summaryTable(summary));
    return 0;
  });
}

if (import.meta.main) Deno.exit(await main(Deno.args));
