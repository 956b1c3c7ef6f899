/**
 * Which runs an executed notebook used, as its own outputs record them: every
 * run log a notebook shows (`await show(log)`) carries, beside its table, a
 * machine-readable part (RUNS_MIME: kind, key, label, cached per run). Jupyter
 * front ends and nbconvert's HTML skip the part; `runs export` reads it back,
 * so the notebook file itself says which cache entries reproduce it.
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * import { notebookRuns, RUNS_MIME } from "./notebook_runs.ts";
 * const part = JSON.stringify([{ kind: "sft", key: "0123456789abcdef", label: "seed 0", cached: false }]);
 * const nb = { cells: [{ cell_type: "code", outputs: [{ output_type: "display_data", data: { [RUNS_MIME]: part } }] }] };
 * assertEquals(notebookRuns(nb, "nb.ipynb").map((r) => r.key), ["0123456789abcdef"]);
 * ```
 */
import { LabError } from "../core/errors.ts";

/** The mime type of a run log's machine-readable part. */
export const RUNS_MIME = "application/x.harnesslab-runs+json";

/** One run a notebook used. */
export interface UsedRun {
  kind: string;
  /** The entry's short key (16 hex digits). */
  key: string;
  label: string;
  cached: boolean;
}

interface NotebookJson {
  cells?: { cell_type?: string; outputs?: { data?: Record<string, unknown> }[] }[];
}

function parsePart(value: unknown, where: string): UsedRun[] {
  // nbformat keeps a +json part as written (a string here); older writers may split text into lines.
  const text = Array.isArray(value) ? value.join("") : value;
  let runs: unknown;
  try {
    runs = typeof text === "string" ? JSON.parse(text) : text;
  } catch {
    throw new LabError(`${where}: the run log's ${RUNS_MIME} part is not JSON`, "re-execute the notebook");
  }
  const ok = Array.isArray(runs) &&
    runs.every((r) =>
      typeof r?.kind === "string" && /^[0-9a-f]{16}$/.test(r?.key) && typeof r?.label === "string"
    );
  if (!ok) {
    throw new LabError(
      `${where}: the run log's ${RUNS_MIME} part is not a list of {kind, key, label, cached}`,
      "re-execute the notebook",
    );
  }
  return (runs as UsedRun[]).map((r) => ({ kind: r.kind, key: r.key, label: r.label, cached: !!r.cached }));
}

/**
 * The runs recorded by an executed notebook's run logs, each (kind, key) once,
 * in the order first shown. `path` is used in errors.
 */
export function notebookRuns(nb: unknown, path: string): UsedRun[] {
  const seen = new Set<string>();
  const out: UsedRun[] = [];
  ((nb as NotebookJson)?.cells ?? []).forEach((cell, i) => {
    for (const o of cell.outputs ?? []) {
      if (o?.data?.[RUNS_MIME] === undefined) continue;
      for (const r of parsePart(o.data[RUNS_MIME], `${path} cell ${i}`)) {
        const id = `${r.kind}/${r.key}`;
        if (!seen.has(id)) {
          seen.add(id);
          out.push(r);
        }
      }
    }
  });
  return out;
}
