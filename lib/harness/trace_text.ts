/**
 * A harness result as readable text: each call's prompt, completion and total
 * log-prob, the answer, and the teacher contexts it built. The CLI's
 * `--show N` and the notebook's example traces print this.
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * import { traceText } from "./trace_text.ts";
 * const text = traceText({
 *   problem: { family: "arithmetic", level: 1, prompt: "^3+4=", target: "3+4=7>7$", answer: "7" },
 *   answer: "7", correct: true, facts: {},
 *   calls: [{ role: "bare", prompt: "^3+4=", completion: "3+4=7>7$", logProbs: [-0.5, -0.25] }],
 *   teacher: { answer_like: [["7"]], trace: [["3+4=7"]] },
 * });
 * assertEquals(text.split("\n")[1], "  bare     ^3+4= -> 3+4=7>7$  (log-prob -0.75)");
 * ```
 */
import { blockText } from "./context.ts";
import type { HarnessResult } from "./types.ts";

/** Several lines: the problem, every call, the answer and both teacher contexts. */
export function traceText(r: HarnessResult): string {
  const p = r.problem;
  const lp = (xs: number[]) => xs.reduce((a, b) => a + b, 0).toFixed(2);
  const facts = Object.entries(r.facts).map(([k, v]) => `${k} ${v}`).join(", ");
  return [
    `${p.id ?? "problem"} (level ${p.level}): ${p.prompt}  true answer ${p.answer}`,
    ...r.calls.map((c) =>
      `  ${c.role.padEnd(8)} ${c.prompt} -> ${c.completion}  (log-prob ${lp(c.logProbs)})`
    ),
    `  answer ${r.answer ?? "none"} (${r.correct ? "right" : "wrong"})${facts ? `; ${facts}` : ""}`,
    `  teacher context, answer-like: ${blockText(r.teacher.answer_like)}`,
    `  teacher context, trace:       ${blockText(r.teacher.trace)}`,
  ].join("\n");
}
