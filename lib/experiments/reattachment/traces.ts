/**
 * Example traces for the notebook: a few problems from the hardest levels of
 * the first seed's evaluation, per harness mode (ones the harness got right
 * and bare wrong, and the reverse), each call with its prompt, completion and
 * log-prob, and the teacher contexts the run built, as a markdown code block.
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * import { tracesMarkdown } from "./traces.ts";
 * assertEquals(tracesMarkdown([]), "_No evaluation to show._");
 * ```
 */
import { traceText } from "../../harness/trace_text.ts";
import type { HarnessEvaluation } from "./runs.ts";
import { HARNESS_TEXT } from "./tables.ts";

/** Markdown: one section per family and harness mode of the first seed. */
export function tracesMarkdown(evals: readonly HarnessEvaluation[]): string {
  if (evals.length === 0) return "_No evaluation to show._";
  const firstSeed = Math.min(...evals.map((e) => e.seed));
  return evals.filter((e) => e.seed === firstSeed).flatMap((e) =>
    Object.entries(e.traces).map(([mode, traces]) =>
      `**${HARNESS_TEXT[e.family]}, ${mode === "harness" ? "harness" : `${mode} bank`}** (seed ${e.seed}; ` +
      `hardest levels first, alternately a problem the harness got right and bare wrong, and the reverse)\n\n` +
      (traces.length
        ? "```text\n" + traces.map(traceText).join("\n\n") + "\n```"
        : "_No problem where the modes differ._")
    )
  ).join("\n\n");
}
