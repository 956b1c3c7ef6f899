/**
 * Evaluation on frozen examples: greedy decoding (temperature 0), exact-match
 * verification by the task's verifier, accuracy per difficulty level with a
 * Wilson 95% interval (lib/stats/intervals.ts; so a level's pass rate is never
 * shown without its uncertainty). Examples of one level are batched together.
 */
import type { Gpt } from "../model/gpt.ts";
import { generate } from "../sample/generate.ts";
import { Rng } from "../core/rng.ts";
import type { Example, Task } from "../tasks/task.ts";
import { decode, encode, EOS_ID } from "../tasks/tokenizer.ts";
import { type LevelScore, scoreLevels } from "../harness/evaluate.ts";

export interface ExampleResult {
  id: string;
  level: number;
  prompt: string;
  completion: string;
  correct: boolean;
}

export type { LevelScore } from "../harness/evaluate.ts";

/** Greedy completions for `examples`, verified. */
export function evaluateExamples(
  model: Gpt,
  task: Task,
  examples: (Example & { id?: string })[],
  opts: { batchSize?: number } = {},
): ExampleResult[] {
  const bs = opts.batchSize ?? 128;
  const results: ExampleResult[] = [];
  const byLevel = new Map<number, (Example & { id?: string })[]>();
  for (const ex of examples) {
    const group = byLevel.get(ex.level);
    if (group) group.push(ex);
    else byLevel.set(ex.level, [ex]);
  }
  const greedy = new Rng(0); // unused at temperature 0, required by the API
  for (const level of [...byLevel.keys()].sort((a, b) => a - b)) {
    const group = byLevel.get(level)!;
    for (let s = 0; s < group.length; s += bs) {
      const chunk = group.slice(s, s + bs);
      const maxNew = Math.max(...chunk.map((ex) => ex.target.length)) + 2;
      const gen = generate(model, chunk.map((ex) => encode(ex.prompt)), {
        maxNewTokens: maxNew,
        temperature: 0,
        stopTokens: [EOS_ID],
        rng: greedy,
      });
      chunk.forEach((ex, i) => {
        const completion = decode(gen.tokens[i]);
        results.push({
          id: ex.id ?? `${level}-${s + i}`,
          level,
          prompt: ex.prompt,
          completion,
          correct: task.verify(ex, completion),
        });
      });
    }
  }
  return results;
}

/** Accuracy per level with Wilson intervals, levels ascending. */
export function scoreByLevel(results: ExampleResult[]): LevelScore[] {
  return scoreLevels(results);
}

/** The first `n` items of each level, in order. */
export function firstPerLevel<T extends { level: number }>(xs: T[], n: number): T[] {
  const count = new Map<number, number>();
  return xs.filter((x) => {
    const c = count.get(x.level) ?? 0;
    count.set(x.level, c + 1);
    return c < n;
  });
}
