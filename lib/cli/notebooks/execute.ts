/**
 * Headless execution of a notebook with the real Jupyter client (nbclient, the
 * library under `jupyter nbconvert --execute`) and the Deno kernel, the scale
 * passed in HARNESSLAB_SCALE. The executed notebook (with its outputs) is
 * written to a temporary file and renamed into place only when every cell ran,
 * so a failed run never replaces a good notebook. Afterwards the notebook's
 * declared figures (metadata.harnesslab.figures) must have been (re)written.
 *
 * Lost outputs. The Deno kernel can publish a cell's outputs after the cell's
 * `status: idle`, and nbclient drops what comes after idle (a probe of the
 * iopub order, kept in barrier_client.py's header: a cell ending in an
 * expression lost its value 21 times in 100 under load, an awaited
 * Deno.jupyter.display once). barrier_client.py removes the loss at its
 * source: after each cell it waits for a sentinel sent through the kernel's
 * own output queue, so every output the cell made has arrived. Two guards stay
 * and fail the run (or re-execute it, up to `attempts`): a cell that ends in
 * an expression but holds no output (`silentCells`), and a cell holding fewer
 * displays than the kernel made in it through `show` (`missingDisplays`).
 *
 * The kernel is the project's own kernelspec in .tools/jupyter/kernels/deno
 * (written by scripts/setup.sh, pointing at the pinned Deno), put first on
 * JUPYTER_PATH, so another Deno registered for the user does not run it.
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * import { declaredFigures } from "./execute.ts";
 * assertEquals(declaredFigures({ metadata: { harnesslab: { figures: ["a"] } } }, "x.ipynb"), ["a"]);
 * ```
 */
import { LabError } from "../../core/errors.ts";
import { PROJECT_ROOT } from "../../core/paths.ts";
import type { Scale } from "../../notebook/scale.ts";

export const KERNEL_DIR = `${PROJECT_ROOT}.tools/jupyter`;
/** Debian's Python, which has nbclient (a pyenv python3 earlier on PATH may not). */
export const JUPYTER_PYTHON = "/usr/bin/python3";

export interface ExecuteOptions {
  scale: Scale;
  /** Where the executed notebook goes (default: over the input). */
  outPath?: string;
  /** HARNESSLAB_FIGURES for the kernel (default figures/). */
  figuresDir?: string;
  /** HARNESSLAB_RUNS for the kernel (default runs/). */
  runsDir?: string;
  /** Per-cell timeout in seconds (default none). */
  cellTimeoutS?: number;
  /** Executions tried when a cell's output was lost (default 3). */
  attempts?: number;
  /** Keep the last execution even if cells still lack output (reported in lostOutputs). */
  allowLostOutputs?: boolean;
  /** HARNESSLAB_PROGRESS: the progress feed file the client and kernel append to (lib/core/progress_feed.ts). */
  progressFile?: string;
}

export interface ExecuteReport {
  notebook: string;
  outPath: string;
  seconds: number;
  figures: string[];
  /** Executions it took (more than 1 when the kernel lost a cell's output). */
  attempts: number;
  /** Cells still without output (only with allowLostOutputs). */
  lostOutputs: number[];
  /** Outputs that arrived after their cell's idle and were kept by the barrier. */
  lateOutputs: number;
}

/** The figure names a notebook declares in metadata.harnesslab.figures. */
export function declaredFigures(nb: unknown, path: string): string[] {
  const figs = (nb as { metadata?: { harnesslab?: { figures?: unknown } } })?.metadata?.harnesslab?.figures;
  if (figs === undefined) return [];
  if (!Array.isArray(figs) || !figs.every((f) => typeof f === "string")) {
    throw new LabError(
      `${path}: metadata.harnesslab.figures must be a list of figure names`,
      'edit the notebook metadata, e.g. "harnesslab": { "figures": ["quickstart_sft"] }',
    );
  }
  return figs;
}

/** Errors recorded in an executed notebook's outputs ("ename: evalue" per error). */
export function cellErrors(
  nb: { cells?: { outputs?: { output_type: string; ename?: string; evalue?: string }[] }[] },
): string[] {
  return (nb.cells ?? []).flatMap((c, i) =>
    (c.outputs ?? []).filter((o) => o.output_type === "error").map((o) =>
      `cell ${i}: ${o.ename}: ${o.evalue}`
    )
  );
}

type Cell = { cell_type?: string; source?: string | string[]; outputs?: unknown[] };

/**
 * Code cells that end in an expression (so Deno displays its value) but have
 * no output: the last non-empty, non-comment line does not end in ";" and the
 * cell does not start with an import.
 */
export function silentCells(nb: { cells?: Cell[] }): number[] {
  return (nb.cells ?? []).flatMap((c, i) => {
    if (c.cell_type !== "code" || (c.outputs?.length ?? 0) > 0) return [];
    const src = Array.isArray(c.source) ? c.source.join("") : c.source ?? "";
    const lines = src.split("\n").map((l) => l.trim()).filter((l) => l && !l.startsWith("//"));
    if (!lines.length || lines[0].startsWith("import ")) return [];
    return lines.at(-1)!.endsWith(";") ? [] : [i];
  });
}

async function readNotebook(path: string): Promise<unknown> {
  let text: string;
  try {
    text = await Deno.readTextFile(path);
  } catch (e) {
    throw new LabError(`cannot read notebook ${path}: ${(e as Error).message}`, "check the path");
  }
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new LabError(`${path} is not valid JSON (${(e as Error).message})`, "restore it with git checkout");
  }
}

/** Fail early, with the fix, when Jupyter or the project's Deno kernel is missing. */
export async function checkJupyter(): Promise<void> {
  try {
    await Deno.stat(`${KERNEL_DIR}/kernels/deno/kernel.json`);
  } catch {
    throw new LabError(
      `the Deno kernelspec is missing (${KERNEL_DIR}/kernels/deno)`,
      "run 'bash scripts/setup.sh'",
    );
  }
  try {
    const out = await new Deno.Command(JUPYTER_PYTHON, {
      args: ["-c", "import nbclient, nbformat"],
      stdout: "null",
      stderr: "null",
    })
      .output();
    if (!out.success) throw new Error("no nbclient");
  } catch {
    throw new LabError(
      `Jupyter's nbclient is not installed for ${JUPYTER_PYTHON}`,
      "run 'bash scripts/setup.sh' (Debian python3-nbclient)",
    );
  }
}

/** Execute one notebook headless; throws a LabError naming the failing cell. */
export async function executeNotebook(path: string, opts: ExecuteOptions): Promise<ExecuteReport> {
  const figures = declaredFigures(await readNotebook(path), path);
  const outPath = opts.outPath ?? path;
  const outDir = outPath.slice(0, outPath.lastIndexOf("/") + 1) || "./";
  const name = outPath.slice(outDir.length);
  const tmpName = `.${name}.tmp-${Date.now()}.ipynb`;
  const figuresDir = opts.figuresDir ?? `${PROJECT_ROOT}figures`;
  const started = Date.now();
  const env: Record<string, string> = {
    HARNESSLAB_SCALE: opts.scale,
    HARNESSLAB_FIGURES: figuresDir,
    JUPYTER_PATH: [KERNEL_DIR, Deno.env.get("JUPYTER_PATH")].filter(Boolean).join(":"),
    NO_COLOR: "1",
  };
  if (opts.runsDir) env.HARNESSLAB_RUNS = opts.runsDir;
  if (opts.progressFile) env.HARNESSLAB_PROGRESS = opts.progressFile;
  const t0 = performance.now();
  const attempts = opts.attempts ?? 3;
  let attempt = 0;
  let lost: number[] = [];
  let run: { tmpPath: string; cells: CellReport[] };
  let late = 0;
  for (;;) {
    attempt++;
    run = await runClient(path, outDir, tmpName, env, opts.cellTimeoutS);
    late += run.cells.reduce((s, c) => s + c.late_outputs, 0);
    const silent = silentCells(await readNotebook(run.tmpPath) as { cells?: Cell[] });
    lost = [...new Set([...silent, ...missingDisplays(run.cells)])].sort((a, b) => a - b);
    if (!lost.length || (opts.allowLostOutputs && attempt >= attempts)) break;
    await Deno.remove(run.tmpPath).catch(() => {});
    if (attempt >= attempts) {
      throw new LabError(
        `${path}: cells ${lost.join(", ")} lack outputs the kernel made (in ${attempts} executions)`,
        `make those cells display with 'await show(...)' (or end them with ';'); ${outPath} was left as it was`,
      );
    }
  }
  const tmpPath = run.tmpPath;
  const missing: string[] = [];
  for (const f of figures) {
    const st = await Deno.stat(`${figuresDir}/${f}.svg`).catch(() => undefined);
    if (!st?.mtime || st.mtime.getTime() < started - 1000) missing.push(`${f}.svg`);
  }
  if (missing.length) {
    await Deno.remove(tmpPath).catch(() => {});
    throw new LabError(
      `${path} ran but did not write ${missing.join(", ")} in ${figuresDir}`,
      "call saveFigure for every name in metadata.harnesslab.figures (or fix that list)",
    );
  }
  await Deno.rename(tmpPath, outPath);
  return {
    notebook: path,
    outPath,
    seconds: (performance.now() - t0) / 1000,
    figures,
    attempts: attempt,
    lostOutputs: lost,
    lateOutputs: late,
  };
}

/** Per code cell, what the barrier client saw (barrier_client.py). */
export interface CellReport {
  cell: number;
  /** Displays the kernel made through lib/notebook's show during the cell. */
  displays_made: number;
  /** display_data outputs the executed cell holds. */
  display_outputs: number;
  /** Outputs that reached the client after the cell's idle (recovered by the barrier). */
  late_outputs: number;
}

/** Cells holding fewer display outputs than the displays the kernel made in them. */
export function missingDisplays(cells: readonly CellReport[]): number[] {
  return cells.filter((c) => c.display_outputs < c.displays_made).map((c) => c.cell);
}

export const BARRIER_CLIENT = new URL("./barrier_client.py", import.meta.url).pathname;

/**
 * One execution by the barrier client (nbclient plus an output barrier after
 * each cell) into outDir/tmpName, checked for failure and cell errors.
 */
async function runClient(
  path: string,
  outDir: string,
  tmpName: string,
  env: Record<string, string>,
  cellTimeoutS?: number,
): Promise<{ tmpPath: string; cells: CellReport[] }> {
  const tmpPath = `${outDir}${tmpName}`;
  const out = await new Deno.Command(JUPYTER_PYTHON, {
    args: [BARRIER_CLIENT, path, tmpPath, "--kernel", "deno", "--timeout", String(cellTimeoutS ?? -1)],
    env,
    stdout: "piped",
    stderr: "piped",
  }).output();
  if (!out.success) {
    await Deno.remove(tmpPath).catch(() => {});
    const log = new TextDecoder().decode(out.stderr);
    const reason = log.split("\n").filter((l) => /Error|error:|Exception/.test(l)).slice(-6).join("\n");
    throw new LabError(
      `executing ${path} failed:\n${reason || log.slice(-2000)}`,
      `open the notebook (jupyter notebook ${path}), run it, and fix the failing cell; the output was left as it was`,
    );
  }
  const executed = await readNotebook(tmpPath) as Parameters<typeof cellErrors>[0];
  const errors = cellErrors(executed);
  if (errors.length) {
    await Deno.remove(tmpPath).catch(() => {});
    throw new LabError(`${path} ran with errors: ${errors.join("; ")}`, "fix the failing cell");
  }
  const report = new TextDecoder().decode(out.stdout).trim().split("\n").at(-1) ?? "";
  return { tmpPath, cells: (JSON.parse(report) as { cells: CellReport[] }).cells };
}
