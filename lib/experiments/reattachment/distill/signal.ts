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
 * The precedent family (draft-verify): the contexts are the true label
 * (OPSD's only strength) and what draft-verify built on the start model's
 * warm bank (answer-like: draft and final; trace: confirmers, challengers,
 * draft, final); the student's response is a label and its end mark (the
 * first of the 16 samples with a wrong label, else the first with a label),
 * so the figure has two tokens per curve.
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
import { baseSftConfig, harnessConfig, type HarnessFamily, type ReattachmentParams } from "../params.ts";
import { MemoryBank } from "../../../harness/memory_bank.ts";
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

/** The precedent family's teacher contexts (a label has no partial or full solution). */
export const PRECEDENT_SIGNAL_CONTEXTS = ["answer", "harness answer-like", "harness trace"] as const;

/**
 * Per-token student vs teacher along one response of the first seed's start model. Arithmetic (default):
 * SIGNAL_CONTEXTS with plan-solve; `family: "precedent"`: PRECEDENT_SIGNAL_CONTEXTS with draft-verify on
 * the start model's warm bank (its `bankFile`).
 */
export async function tokenSignal(
  params: ReattachmentParams,
  dp: DistillParams,
  readers: readonly BaseRun[],
  opts: { family?: HarnessFamily } = {},
): Promise<TokenSignal> {
  const family = opts.family ?? "arithmetic";
  const sft = baseSftConfig(params, family);
  const set = await loadEvalSet(sft.eval_set);
  const problem = set.examples.find((e) => e.level === dp.signal_level);
  if (!problem) throw new Error(`no eval problem at level ${dp.signal_level}`);
  await selectBackend({ quiet: true });
  const r = readers[0].run;
  const { config, stateDict } = await loadModelDir(`${r.dir}/${r.result.modelDir}`);
  const model = Gpt.fromStateDict(config, stateDict);
  const harness = makeHarness(harnessConfig(params, family));
  const bank = family === "precedent" ? await warmBankOf(r) : undefined;
  const retriever = bank ? harness.retrieverFor?.(model) : undefined;
  try {
    const prompts = Array.from({ length: 16 }, () => encode(problem.prompt));
    const gen = generate(model, prompts, {
      maxNewTokens: Math.min(problem.target.length + 4, config.block_size - prompts[0].length),
      temperature: 1,
      stopTokens: [EOS_ID],
      rng: new Rng(readers[0].seed).fork("signal"),
    });
    // Arithmetic: a scratchpad rather than a bare guess. Precedent: a label and its end mark, a wrong one where
    // a sample has it (a right label is the reference itself, so the two panels would repeat each other).
    const response = family === "arithmetic"
      ? gen.tokens.find((t) => t.length >= 8) ?? gen.tokens[0]
      : gen.tokens.find((t) => t.length >= 2 && decode(t) !== problem.target) ??
        gen.tokens.find((t) => t.length >= 2) ?? gen.tokens[0];
    const run = harness.run(model, [problem], bank ? { bank, retriever } : {})[0];
    const blocks: Record<string, Block> = {
      answer: referenceContext(problem, "answer"),
      ...(family === "arithmetic"
        ? {
          partial: referenceContext(problem, "partial"),
          solution: referenceContext(problem, "solution"),
        }
        : {}),
      "harness answer-like": run.teacher.answer_like,
      "harness trace": run.teacher.trace,
    };
    const contexts = family === "arithmetic" ? SIGNAL_CONTEXTS : PRECEDENT_SIGNAL_CONTEXTS;
    const rows: TokenSignalRow[] = [];
    const reference = encode(problem.target);
    for (const [along, tokens] of [["sampled", response], ["reference", reference]] as const) {
      const student = scoreResponses(model, [problem.prompt], [tokens]);
      for (const context of contexts) {
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
    retriever?.dispose?.();
    model.dispose();
  }
}

async function warmBankOf(run: BaseRun["run"]): Promise<MemoryBank> {
  if (!run.result.bankFile) {
    throw new Error(
      "tokenSignal (precedent): the start model has no warm bank (bankFile); pass precedent base runs",
    );
  }
  return await MemoryBank.load(`${run.dir}/${run.result.bankFile}`);
}
