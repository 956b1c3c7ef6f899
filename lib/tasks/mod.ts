/**
 * Procedural tasks (DESIGN.md, lib/tasks): the frozen one-character-per-token
 * vocabulary, chained modular arithmetic (analyses 1 and 2), synthetic
 * precedent classification (analysis 2), the Task interface over both, the
 * validated JSONL format and the frozen eval sets in datasets/.
 *
 * The two families export functions of the same names (`parsePrompt`,
 * `sequenceLength`, `promptProbability`), so they are re-exported as the
 * namespaces `arithmetic` and `precedent`.
 *
 * @example
 * ```ts
 * import { arithmetic, encode, makeTask, TaskSettingsSchema } from "./mod.ts";
 * import { Rng } from "../core/rng.ts";
 * const p = arithmetic.makeProblem([3, 4, 2, 1], ["+", "*", "-"], true);
 * p.prompt + p.target; // "^3+4*2-1=3+4=7;7*2=4;4-1=3>3$"
 * encode(p.prompt).length; // 9
 * const task = makeTask(TaskSettingsSchema.parse({ family: "precedent" }));
 * task.sample(new Rng(1), 3).target.length; // 2, e.g. "C$"
 * ```
 */
export * from "./tokenizer.ts";
export * from "./task.ts";
export * from "./dataset.ts";
export * from "./eval_sets.ts";
export * from "./report.ts";
export * as arithmetic from "./arithmetic.ts";
export * as precedent from "./precedent.ts";
