/**
 * Where the distillation signal comes from (issue 14, item 5): along one
 * on-policy response of the start model to a bare prompt, each token's
 * log-prob under the student (bare prompt) and under the teacher (the same
 * weights reading each privileged context), and the per-token reverse KL
 * KL(student || teacher) over the whole vocabulary, i.e. the loss the token
 * contributes. Positive "teacher - student" means the context endorses the
 * token the student wrote; a large KL marks a token the teacher corrects.
 *
 * Along two responses: the student's own (the first of 16 seeded
 * temperature-1 samples that is at least 8 tokens long, a scratchpad rather
 * than a bare guess, else the first), which is what training scores; and the
 * reference solution, teacher-forced, which shows on which tokens each
 * context makes the teacher better than the student.
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * import { SIGNAL_CONTEXTS } from "./signal.ts";
 * assertEquals(SIGNAL_CONTEXTS.length, 5);
 * ```
 */
import { Rng } from "../../../core/rng.ts";
import { selectBackend } from "../../../core/backend.ts";
import { loadModelDir } from "../../../model/checkpoint.ts";
import { Gpt } from "../../../model/gpt.ts";
import { generate } from "../../../sample/generate.ts";
import { loadEvalSet } from "../../../tasks/eval_sets.ts";
import { decode, encode, EOS_ID } from "../../../tasks/tokenizer.ts";
import { makeHarness } from "../../../harness/config.ts";
import { type Block, blockText } from "../../../harness/context.ts";
import { referenceContext } from "../../../harness/teacher_context.ts";
import { reverseKl } from "../../../train/distill/losses.ts";
import { scoreResponses, teacherPrompts } from "../../../train/distill/teacher.ts";
import { baseSftConfig, harnessConfig, type ReattachmentParams } from "../params.ts";
import type { BaseRun } from "../runs.ts";
import type { DistillParams } from "./params.ts";

/** The teacher contexts compared: OPSD's reference strengths and OPHSD's harness contexts (built live). */
export const SIGNAL_CONTEXTS = [
  "answer",
  "partial",
  "solution",
  "harness answer-like",
  "harness trace",
] as const;

export interface TokenSignalRow {
  /** Which response: the student's own sample, or the reference solution (teacher-forced). */
  along: "sampled" | "reference";
  context: string;
  /** The context block as text. */
  block: string;
  position: number;
  token: string;
  student_logp: number;
  teacher_logp: number;
  kl: number;
}

export interface TokenSignal {
  /** The start model's seed. */
  seed: number;
  prompt: string;
  response: string;
  truth: string;
  rows: TokenSignalRow[];
}

/** Per-token student vs teacher along one response of the first seed's start model. */
export async function tokenSignal(
  params: ReattachmentParams,
  dp: DistillParams,
  readers: readonly BaseRun[],
): Promise<TokenSignal> {
  const sft = baseSftConfig(params, "arithmetic");
  const set = await loadEvalSet(sft.eval_set);
  const problem = set.examples.find((e) => e.level === dp.signal_level);
  if (!problem) throw new Error(`no eval problem at level ${dp.signal_level}`);
  await selectBackend({ quiet: true });
  const r = readers[0].run;
  const { config, stateDict } = await loadModelDir(`${r.dir}/${r.result.modelDir}`);
  const model = Gpt.fromStateDict(config, stateDict);
  try {
    const prompts = Array.from({ length: 16 }, () => encode(problem.prompt));
    const gen = generate(model, prompts, {
      maxNewTokens: Math.min(problem.target.length + 4, config.block_size - prompts[0].length),
      temperature: 1,
      stopTokens: [EOS_ID],
      rng: new Rng(readers[0].seed).fork("signal"),
    });
    const response = gen.tokens.find((t) => t.length >= 8) ?? gen.tokens[0];
    const run = makeHarness(harnessConfig(params, "arithmetic")).run(model, [problem])[0];
    const blocks: Record<string, Block> = {
      answer: referenceContext(problem, "answer"),
      partial: referenceContext(problem, "partial"),
      solution: referenceContext(problem, "solution"),
      "harness answer-like": run.teacher.answer_like,
      "harness trace": run.teacher.trace,
    };
    const rows: TokenSignalRow[] = [];
    const reference = encode(problem.target);
    for (const [along, tokens] of [["sampled", response], ["reference", reference]] as const) {
      const student = scoreResponses(model, [problem.prompt], [tokens]);
      for (const context of SIGNAL_CONTEXTS) {
        const [tp] = teacherPrompts([problem], [blocks[context]], [tokens], config.block_size);
        const teacher = scoreResponses(model, [tp], [tokens]);
        tokens.forEach((tok, t) =>
          rows.push({
            along,
            context,
            block: blockText(blocks[context]),
            position: t,
            token: decode([tok]),
            student_logp: student.logProbs[0][t],
            teacher_logp: teacher.logProbs[0][t],
            kl: reverseKl(student.distributions![0][t], teacher.distributions![0][t]),
          })
        );
      }
    }
    return {
      seed: readers[0].seed,
      prompt: problem.prompt,
      response: decode(response),
      truth: problem.target,
      rows,
    };
  } finally {
    model.dispose();
  }
}
