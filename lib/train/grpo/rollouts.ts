/**
 * GRPO rollouts: G completions per prompt sampled from the current policy,
 * rewarded by the task (`Task.reward`: 1 for the right final answer, plus an
 * optional format reward for a well-formed completion), grouped per prompt.
 * Each sample keeps its log-probs under the sampling policy (the "old" policy
 * of the clipped objective) and its facts (`Task.facts`), which the shortcut
 * indicators and the accidental-success bookkeeping (`luckStats`) read.
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * import { luckStats } from "./rollouts.ts";
 * const s = (correct: boolean, valid: boolean) => ({ correct, facts: { validScratchpad: valid } });
 * // one group with a single, invalid success (advantage 1.5) among three failures
 * const groups = [{ samples: [s(true, false), s(false, false), s(false, false), s(false, false)] }];
 * assertEquals(luckStats(groups, [[1.5, -0.5, -0.5, -0.5]]), {
 *   lone: 1, loneInvalid: 1, loneAdvantage: 1.5, invalidSuccessShare: 1, invalidSuccessAdvantage: 1.5,
 * });
 * ```
 */
import type { Gpt } from "../../model/gpt.ts";
import type { Rng } from "../../core/rng.ts";
import { generate } from "../../sample/generate.ts";
import type { Example, Task } from "../../tasks/task.ts";
import type { CompletionFacts } from "../../tasks/completion_facts.ts";
import { decode, encode, EOS_ID } from "../../tasks/tokenizer.ts";

export interface Sample {
  tokens: number[];
  logProbs: number[];
  text: string;
  correct: boolean;
  facts: CompletionFacts;
  reward: number;
}

export interface Group {
  example: Example;
  prompt: number[];
  samples: Sample[];
}

export interface RolloutOptions {
  groupSize: number;
  temperature: number;
  formatWeight: number;
  rng: Rng;
}

/** G samples for each example, one batched generation. */
export function sampleGroups(
  model: Gpt,
  task: Task,
  examples: readonly Example[],
  opts: RolloutOptions,
): Group[] {
  const prompts = examples.map((e) => encode(e.prompt));
  const rows = prompts.flatMap((p) => new Array(opts.groupSize).fill(p));
  const longest = Math.max(...examples.map((e) => e.prompt.length + e.target.length));
  const maxNew = Math.min(
    model.config.block_size - Math.max(...prompts.map((p) => p.length)),
    longest - Math.min(...prompts.map((p) => p.length)) + 2,
  );
  const gen = generate(model, rows, {
    maxNewTokens: maxNew,
    temperature: opts.temperature,
    stopTokens: [EOS_ID],
    rng: opts.rng,
  });
  return examples.map((example, g) => ({
    example,
    prompt: prompts[g],
    samples: Array.from({ length: opts.groupSize }, (_, j) => {
      const r = g * opts.groupSize + j;
      const text = decode(gen.tokens[r]);
      return {
        tokens: gen.tokens[r],
        logProbs: gen.logProbs[r],
        text,
        correct: task.verify(example, text),
        facts: task.facts(example, text),
        reward: task.reward(example, text, opts.formatWeight),
      };
    }),
  }));
}

/** Accidental-success bookkeeping for one batch of groups and their advantages. */
export interface LuckStats {
  /** Groups whose only correct sample is one (exactly 1 of G right). */
  lone: number;
  /** ... of which that success's scratchpad was not a valid derivation. */
  loneInvalid: number;
  /** Mean advantage of the lone successes (absent when there are none). */
  loneAdvantage?: number;
  /** Share of all correct samples whose scratchpad was invalid. */
  invalidSuccessShare?: number;
  /** Mean advantage of correct samples with an invalid scratchpad. */
  invalidSuccessAdvantage?: number;
}

/** How often luck was rewarded: lone and invalid successes and the advantages they got. */
export function luckStats(
  groups: readonly {
    samples: readonly { correct: boolean; facts: Pick<CompletionFacts, "validScratchpad"> }[];
  }[],
  advantages: readonly (readonly number[])[],
): LuckStats {
  let lone = 0, loneInvalid = 0, loneAdv = 0, succ = 0, inv = 0, invAdv = 0;
  groups.forEach((g, i) => {
    const right = g.samples.map((s, j) => [s, j] as const).filter(([s]) => s.correct);
    succ += right.length;
    for (const [s, j] of right) {
      if (!s.facts.validScratchpad) {
        inv++;
        invAdv += advantages[i][j];
      }
    }
    if (right.length === 1) {
      lone++;
      loneAdv += advantages[i][right[0][1]];
      if (!right[0][0].facts.validScratchpad) loneInvalid++;
    }
  });
  const out: LuckStats = { lone, loneInvalid };
  if (lone) out.loneAdvantage = loneAdv / lone;
  if (succ) out.invalidSuccessShare = inv / succ;
  if (inv) out.invalidSuccessAdvantage = invAdv / inv;
  return out;
}
