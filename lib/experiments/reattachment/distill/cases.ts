/**
 * Case studies for the notebook: after training, a problem where reattaching
 * the harness turned bare's right answer wrong, and one where it turned a
 * wrong answer right, for a few methods (first seed), each with the bare call
 * (bare's answer where the evaluation kept only outcomes, as the precedent
 * family's does) and the harness's full trace.
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * import { caseStudiesMarkdown } from "./cases.ts";
 * assertEquals(caseStudiesMarkdown([], ["sft"]), "_No evaluation to show._");
 * ```
 */
import { traceText } from "../../../harness/trace_text.ts";
import type { MethodEvaluation } from "./runs.ts";

/** Markdown: per method, its first seed's right->wrong and wrong->right cases. */
export function caseStudiesMarkdown(evals: readonly MethodEvaluation[], methods: readonly string[]): string {
  if (evals.length === 0) return "_No evaluation to show._";
  return methods.map((method) => {
    const mine = evals.filter((e) => e.method === method).sort((a, b) => a.seed - b.seed)[0];
    if (!mine) return `**${method}**: not run.`;
    const cases = mine.traces.map((t, i) => {
      const bare = mine.bareOnTraces[i];
      // Evaluations that keep only bare's outcomes (the precedent family's) show bare's answer.
      const bareLine = bare
        ? `bare: ${bare.calls[0].prompt} -> ${bare.calls[0].completion}`
        : `bare answer: ${mine.outcomes.bare.find((o) => o.id === t.problem.id)?.predicted ?? "(none)"}`;
      const kind = t.correct
        ? "harness turned a wrong bare answer right"
        : "harness turned a right bare answer wrong";
      return `-- ${kind} (level ${t.problem.level}, truth ${t.problem.answer})\n` +
        `${bareLine}\n` + traceText(t);
    });
    return `**${method}** (seed ${mine.seed})\n\n` +
      (cases.length
        ? "```text\n" + cases.join("\n\n") + "\n```"
        : "_No problem where bare and harness differ._");
  }).join("\n\n");
}
