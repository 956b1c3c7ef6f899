/**
 * A batch of harness calls through lib/sample's batched KV-cache sampler:
 * every call of one round (all problems' planner calls, all problems' second
 * segment, all drafts, ...) is one `generate`, never one problem at a time.
 * Each call is recorded with its prompt, completion and per-token log-probs:
 * the harness trace.
 *
 * Greedy by default (evaluation); a temperature and a seeded generator give
 * sampled calls (a live harness during training).
 *
 * A harness runs on a `Gpt` or on any `CallModel` (something that answers a
 * batch of prompts): tests script one to check plan chaining, retrieval and
 * teacher contexts on hand-written completions.
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * import { maxCompletionTokens } from "./calls.ts";
 * assertEquals(maxCompletionTokens(["^ab?", "^abcd?"], 3, 32), 3);
 * assertEquals(maxCompletionTokens(["^ab?", "^abcd?"], 40, 32), 26); // block_size 32 - longest prompt 6
 * ```
 */
import { Gpt } from "../model/gpt.ts";
import { generate } from "../sample/generate.ts";
import { Rng } from "../core/rng.ts";
import { LabError } from "../core/errors.ts";
import { decode, encode, EOS_ID } from "../tasks/tokenizer.ts";

/** One model call of a harness: what it saw and what it wrote. */
export interface Call {
  /** What the call does: "plan", "segment", "bare", "draft", "verify". */
  role: string;
  prompt: string;
  completion: string;
  /** Log-prob of each completion token (under the sampling distribution; raw at temperature 0). */
  logProbs: number[];
}

export interface CallOptions {
  /** 0 = greedy (default). */
  temperature?: number;
  rng?: Rng;
}

/** Anything that answers a batch of harness calls (a scripted model in tests). */
export interface CallModel {
  readonly blockSize: number;
  call(role: string, prompts: readonly string[], maxNewTokens: number, opts: CallOptions): Call[];
}

/** A model a harness can run on. */
export type HarnessModel = Gpt | CallModel;

/** The context length of a harness model. */
export function blockSizeOf(model: HarnessModel): number {
  return model instanceof Gpt ? model.config.block_size : model.blockSize;
}

/** New tokens a call may write: `want`, capped by what the block leaves after the longest prompt. */
export function maxCompletionTokens(prompts: readonly string[], want: number, blockSize: number): number {
  return Math.min(want, blockSize - Math.max(...prompts.map((p) => p.length)));
}

/** Run `prompts` as one batch of calls (stopping at EOS); returns one Call per prompt, in order. */
export function runCalls(
  model: HarnessModel,
  role: string,
  prompts: readonly string[],
  maxNewTokens: number,
  opts: CallOptions = {},
): Call[] {
  if (prompts.length === 0) return [];
  const longest = Math.max(...prompts.map((p) => p.length)), blockSize = blockSizeOf(model);
  if (longest >= blockSize) {
    throw new LabError(
      `${role} call: a prompt of ${longest} tokens leaves no room in block_size ${blockSize}`,
      "shorten the context (fewer precedents, a shorter segment) or use a model with a larger block_size",
    );
  }
  const maxNew = maxCompletionTokens(prompts, maxNewTokens, blockSize);
  if (!(model instanceof Gpt)) return model.call(role, prompts, maxNew, opts);
  const gen = generate(model, prompts.map((p) => encode(p)), {
    maxNewTokens: maxNew,
    temperature: opts.temperature ?? 0,
    stopTokens: [EOS_ID],
    rng: opts.rng ?? new Rng(0),
  });
  return prompts.map((prompt, i) => ({
    role,
    prompt,
    completion: decode(gen.tokens[i]),
    logProbs: gen.logProbs[i],
  }));
}
