/**
 * The scale every notebook reads: `smoke` (CI: minutes, checks the pipeline,
 * numbers not meaningful), `default` (the README's main command: the committed
 * figures), `full` (paper-grade: more seeds, longer runs). Set with
 * HARNESSLAB_SCALE; unset means `default`.
 *
 * @example
 * ```ts
 * import { byScale, parseScale } from "./scale.ts";
 * byScale(parseScale("smoke"), { smoke: 1, default: 3, full: 10 }); // 1
 * ```
 */
import { LabError } from "../core/errors.ts";

export const SCALES = ["smoke", "default", "full"] as const;
export type Scale = typeof SCALES[number];

/** Check a scale name. */
export function parseScale(value: string, where = "scale"): Scale {
  if (!(SCALES as readonly string[]).includes(value)) {
    throw new LabError(`${where} is '${value}'`, `use one of ${SCALES.join(", ")}`);
  }
  return value as Scale;
}

/** The scale from $HARNESSLAB_SCALE (default "default"). */
export function labScale(): Scale {
  const v = Deno.env.get("HARNESSLAB_SCALE");
  return v ? parseScale(v, "HARNESSLAB_SCALE") : "default";
}

/** Pick the value for `scale`. */
export function byScale<T>(scale: Scale, values: Record<Scale, T>): T {
  return values[scale];
}
