/**
 * Headless execution of a notebook with the real Jupyter machinery and the
 * Deno kernel: `jupyter nbconvert --to notebook --execute`, the scale passed
 * in HARNESSLAB_SCALE. The executed notebook (with its outputs) is written to
 * a temporary file and renamed into place only when every cell ran, so a
 * failed run never replaces a good notebook. Afterwards the notebook's
 * declared figures (metadata.harnesslab.figures) must have been (re)written.
 *
 * Under nbconvert the Deno kernel now and then loses a cell's displayed value
 * (measured: about one cell in one of three executions of a 27-cell notebook),
 * so a cell that ends in an expression but came back without output triggers a
 * re-execution (runs are cached, so a retry costs seconds), up to `attempts`
 * times; then the run fails naming the cells, unless `allowLostOutputs` (the
 * smoke test, which runs beside the other tests: under that load the loss
 * recurs) keeps the last execution and reports the cells.
 *
 * The kernel is the project's own kernelspec in .tools/jupyter/kernels/deno
 * (written by scripts/setup.sh, pointing at the pinned Deno), put first on
 * JUPYTER_PATH, so another Deno registered for the user does not run it.
 *
 * @example
 * ```ts
 * import { declaredFigures } from "./execute.ts";
 * declaredFigures({ metadata: { harnesslab: { figures: ["a"] } } }, "x.ipynb"); // ["a"]
 * ```
 */
import { LabError } from "../core/errors.ts";
import { PROJECT_ROOT } from "../core/paths.ts";
import type { Scale } from "./scale.ts";

export const KERNEL_DIR = `${PROJECT_ROOT}.tools/jupyter`;

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
    const out = await new Deno.Command("jupyter", {
      args: ["nbconvert", "--version"],
      stdout: "null",
      stderr: "null",
    })
      .output();
    if (!out.success) throw new Error("nbconvert failed");
  } catch {
    throw new LabError(
      "'jupyter nbconvert' is not installed",
      "run 'bash scripts/setup.sh' (Debian jupyter-nbconvert)",
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
  const t0 = performance.now();
  const attempts = opts.attempts ?? 3;
  let attempt = 0;
  let silent: number[] = [];
  for (;;) {
    attempt++;
    const tmpPath = await runNbconvert(path, outDir, tmpName, env, opts.cellTimeoutS);
    silent = silentCells(await readNotebook(tmpPath) as { cells?: Cell[] });
    if (!silent.length || (opts.allowLostOutputs && attempt >= attempts)) break;
    await Deno.remove(tmpPath).catch(() => {});
    if (attempt >= attempts) {
      throw new LabError(
        `${path}: cells ${
          silent.join(", ")
        } end in an expression but produced no output in ${attempts} executions`,
        `make those cells display something (or end them with ';'); ${outPath} was left as it was`,
      );
    }
  }
  const tmpPath = `${outDir}${tmpName}`;
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
    lostOutputs: silent,
  };
}

/** One nbconvert execution into outDir/tmpName, checked for failure and cell errors; returns its path. */
async function runNbconvert(
  path: string,
  outDir: string,
  tmpName: string,
  env: Record<string, string>,
  cellTimeoutS?: number,
): Promise<string> {
  const out = await new Deno.Command("jupyter", {
    args: [
      "nbconvert",
      "--to",
      "notebook",
      "--execute",
      "--ExecutePreprocessor.kernel_name=deno",
      `--ExecutePreprocessor.timeout=${cellTimeoutS ?? -1}`,
      "--ExecutePreprocessor.record_timing=False",
      "--output-dir",
      outDir,
      "--output",
      tmpName,
      path,
    ],
    env,
    stdout: "piped",
    stderr: "piped",
  }).output();
  const tmpPath = `${outDir}${tmpName}`;
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
  return tmpPath;
}
