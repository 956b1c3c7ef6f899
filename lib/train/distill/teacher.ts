/**
 * The teacher's side of a distillation step: the privileged context of each
 * problem (a reference strength, what a harness built, or none), and the
 * teacher's full next-token distributions over the student's own response
 * tokens under that context, through the sampler's scoring API
 * (lib/sample/score.ts: one batched forward pass per chunk), laid out on the
 * student's batch (response token t of row r at position |prompt_r| - 1 + t).
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * import { alignedRows } from "./teacher.ts";
 * // one row, prompt of 2 tokens, 2 response tokens (at positions 1 and 2), vocabulary of 2, batch width 3
 * const out = alignedRows([[Float32Array.of(-1, -2), Float32Array.of(-3, -4)]], [2], 3, 2);
 * assertEquals([...out], [Math.log(0.5), Math.log(0.5), -1, -2, -3, -4].map(Math.fround));
 * ```
 */
import type { Gpt } from "../../model/gpt.ts";
import type { Rng } from "../../core/rng.ts";
import { encode } from "../../tasks/tokenizer.ts";
import type { Block } from "../../harness/context.ts";
import type { Harness, Problem } from "../../harness/types.ts";
import type { HarnessModel } from "../../harness/calls.ts";
import type { MemoryBank, Retriever } from "../../harness/memory_bank.ts";
import { referenceContext, teacherPrompt } from "../../harness/teacher_context.ts";
import { scoreContinuations } from "../../sample/score.ts";
import type { TeacherContext } from "./config.ts";

export interface BuiltContexts {
  /** One block per problem (empty for source "none"). */
  blocks: Block[];
  /** Harness source: whether the harness's own answer was right, per problem. */
  harnessCorrect?: boolean[];
}

/** The privileged context of each problem (a harness source runs the harness with `model`, batched). */
export function buildContexts(
  context: TeacherContext,
  problems: readonly Problem[],
  opts: {
    model?: HarnessModel;
    harness?: Harness;
    temperature?: number;
    rng?: Rng;
    /** Draft-verify: the warm bank and how to retrieve from it. */
    bank?: MemoryBank;
    retriever?: Retriever;
  } = {},
): BuiltContexts {
  if (context.source === "none") return { blocks: problems.map(() => []) };
  if (context.source === "reference") {
    return { blocks: problems.map((p) => referenceContext(p, context.strength)) };
  }
  if (!opts.model || !opts.harness) {
    throw new Error("buildContexts: a harness source needs { model, harness }");
  }
  const results = opts.harness.run(opts.model, problems, {
    builder: context.builder,
    temperature: opts.temperature ?? 0,
    rng: opts.rng,
    bank: opts.bank,
    retriever: opts.retriever,
  });
  return {
    blocks: results.map((r) => r.teacher[context.kind]),
    harnessCorrect: results.map((r) => r.correct),
  };
}

/** The teacher's prompt for each problem: its block fitted into what block_size leaves after the response. */
export function teacherPrompts(
  problems: readonly Problem[],
  blocks: readonly Block[],
  responses: readonly number[][],
  blockSize: number,
): string[] {
  return problems.map((p, i) =>
    blocks[i].length === 0
      ? p.prompt
      : teacherPrompt(p.prompt, blocks[i], { blockSize, responseLength: responses[i].length })
  );
}

/** Full next-token log-distributions of `model` over each response under each prompt: [row][t] -> V. */
export function scoreResponses(model: Gpt, prompts: readonly string[], responses: readonly number[][]) {
  return scoreContinuations(
    model,
    prompts.map((p, i) => ({ context: encode(p), continuation: responses[i] })),
    { full: true },
  );
}

/**
 * Distributions laid out as the student's batch [N, T, V], flat: row r's
 * response token t at position promptLengths[r] - 1 + t; every other position
 * (masked in the loss) holds the uniform distribution, so it stays finite.
 */
export function alignedRows(
  dists: readonly (readonly Float32Array[])[],
  promptLengths: readonly number[],
  T: number,
  V: number,
): Float32Array {
  const out = new Float32Array(dists.length * T * V).fill(-Math.log(V));
  dists.forEach((row, r) =>
    row.forEach((d, t) => {
      const at = promptLengths[r] - 1 + t;
      if (at < T) out.set(d, (r * T + at) * V);
    })
  );
  return out;
}
