/**
 * The scale every notebook reads: `smoke` (CI: minutes, checks the pipeline,
 * numbers not meaningful), `default` (the README's main command: the committed
 * figures), `full` (paper-grade: more seeds, longer runs). Set with
 * HARNESSLAB_SCALE; unset means `default`.
 *
 * @example
 * ```ts
 * import { assertEquals, assertThrows } from "@std/assert";
 * import { parseScale } from "./scale.ts";
 * assertEquals(parseScale("smoke"), "smoke");
 * assertThrows(() => parseScale("tiny"), Error, "use one of smoke, default, full");
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
