/**
 * A sweep's runs from its base config and overrides: each variant crossed
 * with every combination of the grid (variants outermost, then the grid's
 * fields in the order the file lists them, the last varying fastest). An
 * override sets one field by dot path on a copy of the base, creating the
 * objects on its way; a field set by both a variant and the grid is an error,
 * as is a path through a value that is not an object. Pure: no trainer, no
 * validation (plan.ts has the trainer validate each run).
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * import { expandRuns } from "./expand.ts";
 * const runs = expandRuns({ steps: 10 }, { seed: [0, 1], "model.n_embd": [16] }, [{}], "demo.json");
 * assertEquals(runs.map((r) => r.label), ["seed=0 model.n_embd=16", "seed=1 model.n_embd=16"]);
 * assertEquals(runs[1].config, { steps: 10, seed: 1, model: { n_embd: 16 } });
 * ```
 */
import { LabError } from "../core/errors.ts";

/** One run of a sweep before validation. */
export interface ExpandedRun {
  /** "lr=0.003 seed=1": the overrides, variant first. */
  label: string;
  /** The overrides by dot path. */
  overrides: Record<string, unknown>;
  /** The base with the overrides applied. */
  config: Record<string, unknown>;
}

/** A value as it reads in a label: strings bare, everything else as JSON. */
export function labelValue(v: unknown): string {
  return typeof v === "string" ? v : JSON.stringify(v);
}

/** A copy of `obj` with the field at dot path `path` set to `value`; `where` names the source in errors. */
export function setPath(
  obj: Record<string, unknown>,
  path: string,
  value: unknown,
  where: string,
): Record<string, unknown> {
  const out = structuredClone(obj);
  const parts = path.split(".");
  let cur: Record<string, unknown> = out;
  for (let i = 0; i < parts.length - 1; i++) {
    const next = cur[parts[i]];
    if (next === undefined) cur[parts[i]] = {};
    else if (next === null || typeof next !== "object") {
      throw new LabError(
        `${where}: override '${path}' goes through '${parts.slice(0, i + 1).join(".")}', which is ${
          JSON.stringify(next)
        }, not an object`,
        "override the field itself, or give the base an object there",
      );
    }
    cur = cur[parts[i]] as Record<string, unknown>;
  }
  cur[parts.at(-1)!] = structuredClone(value);
  return out;
}

/** Every combination of the grid's lists, as override sets (one empty set for an empty grid). */
export function gridPoints(grid: Record<string, readonly unknown[]>): Record<string, unknown>[] {
  let points: Record<string, unknown>[] = [{}];
  for (const [path, values] of Object.entries(grid)) {
    points = points.flatMap((p) => values.map((v) => ({ ...p, [path]: v })));
  }
  return points;
}

/** The sweep's runs, in order; `where` (the sweep file) names the source in errors. */
export function expandRuns(
  base: Record<string, unknown>,
  grid: Record<string, readonly unknown[]>,
  variants: readonly Record<string, unknown>[],
  where: string,
): ExpandedRun[] {
  const runs: ExpandedRun[] = [];
  variants.forEach((variant, vi) => {
    for (const path of Object.keys(variant)) {
      if (path in grid) {
        throw new LabError(
          `${where}: field '${path}' is set by both variants[${vi}] and grid`,
          "set each field in one place",
        );
      }
    }
    for (const point of gridPoints(grid)) {
      const overrides = { ...variant, ...point };
      let config = base;
      for (const [path, value] of Object.entries(overrides)) config = setPath(config, path, value, where);
      const label = Object.entries(overrides).map(([k, v]) => `${k}=${labelValue(v)}`).join(" ") || "base";
      runs.push({ label, overrides, config: config === base ? structuredClone(base) : config });
    }
  });
  return runs;
}
