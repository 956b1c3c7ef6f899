/**
 * Draft-verify for precedent classification, as the OPHSD reference code:
 * the draft call sees the k = 5 nearest precedents from a memory bank
 * (labelled examples, `aeimbfC`: features then label); the verify call sees
 * 5 confirmers (nearest entries sharing the draft's label) and 5 challengers
 * (nearest entries with another label) and the draft, and keeps or revises it:
 *
 *   draft   ^[aeimbgD,aeimbfC,...]aeimbf?            -> C$
 *   verify  ^[aeimbfC,...|aeimbgD,...]aeimbf?C!      -> C$ (keep) or D$ (revise)
 *
 * Below `min_bank` entries (10) it runs zero-shot: one bare call (`^aeimbf?`),
 * exactly what the bare mode does. Retrieval is a knob: TF-IDF over (slot,
 * letter) features, or cosine over the model's own pooled hidden states
 * (memory_bank.ts). Precedents are placed by an arrangement (context.ts);
 * the default puts the nearest last, next to the query.
 *
 * Teacher contexts: answer-like = draft and final label (`[C|D]`); trace =
 * confirmers, challengers, draft and final (`[...|...|C|D]`); zero-shot runs
 * give the bare answer as both draft and final. Builder "reference" (training
 * only): the verify call checks the gold label instead of the model's draft
 * (the draft call still runs and is recorded).
 *
 * Departs from the reference: its draft and verify prompts are free text with
 * precedents quoted; here they are the lab's one context grammar, and a draft
 * that gives no valid label ends the run with no answer (recorded).
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * import { DraftVerifyConfigSchema, precedentItem, verifyPrompt } from "./draft_verify.ts";
 * const c = DraftVerifyConfigSchema.parse({ kind: "draft_verify" });
 * assertEquals([c.k, c.confirmers, c.challengers, c.min_bank], [5, 5, 5, 10]);
 * assertEquals(precedentItem({ prompt: "^aeimbf?", label: "C", level: 1 }), "aeimbfC");
 * assertEquals(verifyPrompt("^aeimbf?", [["aeimbfC"], ["aeimbgD"]], "C", { order: "as_given" }), "^[aeimbfC|aeimbgD]aeimbf?C!");
 * ```
 */
import { z } from "zod";
import { Gpt } from "../model/gpt.ts";
import { LabError } from "../core/errors.ts";
import { parseLabel } from "../tasks/precedent.ts";
import { blockSizeOf, type Call, type CallOptions, type HarnessModel, runCalls } from "./calls.ts";
import { type ArrangementInput, ArrangementSchema, type Block, blockLength, withContext } from "./context.ts";
import { type BankEntry, type Retriever, tfidfRetriever } from "./memory_bank.ts";
import { EmbeddingRetriever } from "./retrieval_embedding.ts";
import type { Harness, HarnessResult, HarnessRunOptions, Problem } from "./types.ts";

export const VERIFY_MARKER = "!";

export const DraftVerifyConfigSchema = z.strictObject({
  kind: z.literal("draft_verify"),
  /** Precedents the draft call sees. */
  k: z.number().int().min(1).default(5),
  /** Entries sharing the draft's label that the verify call sees. */
  confirmers: z.number().int().min(0).default(5),
  /** Entries with another label that the verify call sees. */
  challengers: z.number().int().min(0).default(5),
  /** Below this many bank entries the harness runs zero-shot (the bare call). */
  min_bank: z.number().int().min(0).default(10),
  retrieval: z.enum(["tfidf", "embedding"]).default("tfidf"),
  /** How precedents are placed (default: nearest last, before the query). */
  arrangement: ArrangementSchema.prefault({ order: "reversed" }),
  /** false: the draft is the answer (draft-only ablation). */
  verify: z.boolean().default(true),
});
export type DraftVerifyConfig = z.output<typeof DraftVerifyConfigSchema>;

/** A bank entry as a context item: its features then its label ("aeimbfC"). */
export function precedentItem(entry: BankEntry): string {
  return entry.prompt.slice(1, -1) + entry.label;
}

/** The draft call's prompt. */
export function draftPrompt(
  query: string,
  precedents: readonly string[],
  arrangement: ArrangementInput,
): string {
  return withContext(query, [[...precedents]], arrangement);
}

/** The verify call's prompt: confirmers | challengers, the query, the draft and the verify marker. */
export function verifyPrompt(
  query: string,
  groups: Block,
  draft: string,
  arrangement: ArrangementInput,
): string {
  return withContext(query, groups, arrangement) + draft + VERIFY_MARKER;
}

/** Tokens of the longest call (prompt + label + EOS) for queries of `queryLength` tokens. */
export function draftVerifyCallLength(config: DraftVerifyConfig, queryLength: number): number {
  const item = "x".repeat(queryLength - 1); // features + label
  const draft = queryLength + blockLength([Array(config.k).fill(item)]) + 2;
  const verify = config.verify
    ? queryLength + blockLength([Array(config.confirmers).fill(item), Array(config.challengers).fill(item)]) +
      4
    : 0;
  return Math.max(draft, verify);
}

/** Throw (before any call) when the calls cannot fit block_size. */
export function checkDraftVerifyFits(
  config: DraftVerifyConfig,
  queryLength: number,
  blockSize: number,
): void {
  const need = draftVerifyCallLength(config, queryLength);
  if (need - 1 > blockSize) { // the last token is predicted, never fed
    throw new LabError(
      `draft_verify: with k ${config.k}, ${config.confirmers} confirmers and ${config.challengers} challengers ` +
        `a call needs ${need} tokens, more than the model's block_size ${blockSize}`,
      "lower k / confirmers / challengers, or train with a larger block_size",
    );
  }
}

/** The retriever a config asks for (an EmbeddingRetriever holds tensors: call its dispose()). */
export function retrieverFor(config: DraftVerifyConfig, model: HarnessModel): Retriever {
  if (config.retrieval === "tfidf") return tfidfRetriever;
  if (!(model instanceof Gpt)) {
    throw new LabError("embedding retrieval needs a Gpt model", "use retrieval 'tfidf'");
  }
  return new EmbeddingRetriever(model);
}

export class DraftVerify implements Harness {
  readonly name = "draft_verify" as const;
  constructor(readonly config: DraftVerifyConfig) {}

  retrieverFor(model: HarnessModel): Retriever {
    return retrieverFor(this.config, model);
  }

  run(model: HarnessModel, problems: readonly Problem[], opts: HarnessRunOptions = {}): HarnessResult[] {
    if (problems.length === 0) return [];
    const c = this.config;
    const bank = opts.bank;
    if (!bank) {
      throw new LabError("draft_verify needs a memory bank", "pass { bank } (an empty one runs zero-shot)");
    }
    checkDraftVerifyFits(c, Math.max(...problems.map((p) => p.prompt.length)), blockSizeOf(model));
    const callOpts: CallOptions = { temperature: opts.temperature, rng: opts.rng };
    const queries = problems.map((p) => p.prompt);

    if (bank.size < c.min_bank) {
      return runCalls(model, "bare", queries, 3, callOpts).map((call, i) => {
        const label = parseLabel(call.completion);
        const both = label === null ? [] : [label];
        return result(problems[i], label, [call], [both, both], [both, both], {
          zero_shot: true,
          revised: false,
        });
      });
    }

    const retriever = opts.retriever ?? (c.retrieval === "tfidf" ? tfidfRetriever : null);
    if (!retriever) {
      throw new LabError(
        "draft_verify with retrieval 'embedding' needs a retriever for this model",
        "pass { retriever: new EmbeddingRetriever(model) } (or retrieverFor(config, model)) and dispose it after",
      );
    }
    const scores = bank.scores(queries, retriever);
    const [near] = bank.pick(scores, [{ k: c.k }]);
    const drafts = runCalls(
      model,
      "draft",
      queries.map((q, i) => draftPrompt(q, near[i].map((h) => precedentItem(h.entry)), c.arrangement)),
      3,
      callOpts,
    );
    const draftLabels = drafts.map((d) => parseLabel(d.completion));
    const checked = problems.map((
      p,
      i,
    ) => ((opts.builder ?? "live") === "reference" ? p.answer : draftLabels[i]));
    if (!c.verify) {
      return problems.map((p, i) =>
        result(p, draftLabels[i], [drafts[i]], pair(draftLabels[i], draftLabels[i]), [
          [],
          [],
          ...pair(draftLabels[i], draftLabels[i]),
        ], { zero_shot: false, revised: false })
      );
    }
    const [conf, chal] = bank.pick(scores, [
      { k: c.confirmers, where: (q, e) => e.label === checked[q] },
      { k: c.challengers, where: (q, e) => e.label !== checked[q] },
    ]);
    const groups: Block[] = problems.map((_, i) => [
      conf[i].map((h) => precedentItem(h.entry)),
      chal[i].map((h) => precedentItem(h.entry)),
    ]);
    const toVerify = problems.map((_, i) => i).filter((i) => checked[i] !== null);
    const verifies = runCalls(
      model,
      "verify",
      toVerify.map((i) => verifyPrompt(queries[i], groups[i], checked[i]!, c.arrangement)),
      3,
      callOpts,
    );
    const verdict = new Map(toVerify.map((i, j) => [i, verifies[j]]));
    return problems.map((p, i) => {
      const v = verdict.get(i);
      const calls: Call[] = v ? [drafts[i], v] : [drafts[i]];
      const final = v ? parseLabel(v.completion) ?? checked[i] : null;
      return result(p, final, calls, pair(checked[i], final), [...groups[i], ...pair(checked[i], final)], {
        zero_shot: false,
        revised: final !== checked[i],
      });
    });
  }
}

const pair = (a: string | null, b: string | null): Block => [a === null ? [] : [a], b === null ? [] : [b]];

function result(
  problem: Problem,
  answer: string | null,
  calls: Call[],
  answerLike: Block,
  trace: Block,
  facts: Record<string, boolean>,
): HarnessResult {
  return {
    problem,
    answer,
    correct: answer !== null && answer === problem.answer,
    calls,
    teacher: { answer_like: answerLike, trace },
    facts,
  };
}
