/**
 * On-policy self-distillation (OPSD, reference code siyan-zhao/OPSD) and
 * on-policy harness self-distillation (OPHSD, zzy1127/OPHSD): per step, draw
 * prompts_per_step problems at the config's levels; the student samples one
 * response per problem from the bare prompt (temperature 1, one batched
 * KV-cache `generate`); the teacher scores the same response tokens under its
 * privileged context (teacher.ts: full next-token distributions, batched);
 * the loss is the per-token divergence over the whole vocabulary (losses.ts;
 * reverse KL by default) averaged over response tokens, plus optionally a
 * replay of gold harness-format rows (cross-entropy, as the SFT mix) and a KL
 * anchor to the start model (same tokens, bare prompt).
 *
 * Teacher weights: a frozen copy of the start model (the reference's
 * default) or the current model; a harness context is built by the current
 * model (greedy unless harness_temperature > 0), as in the reference, so a
 * drifting student writes its teacher's context, or, departing from the
 * reference, by the frozen start model (`teacher.harness_weights: "frozen"`):
 * on arithmetic the reference's loop collapsed within 20 steps (the student's
 * segment calls drift, the teacher copies the drifted trace, the student
 * learns it: every result "0", bare L1 1.00 -> 0.13 on seed 0), the frozen
 * builder kept them (0.97). A
 * draft-verify harness retrieves from a warm bank that grows with each
 * batch's true labels after the batch's contexts are built (warm_bank.ts);
 * the final bank is saved beside the model (`bankFile`).
 *
 * `objective: "sft"` is the SFT baseline on the same stream of problems:
 * cross-entropy on their reference solutions (off-policy, no teacher).
 *
 * Departures from the references: one rollout per prompt and problems drawn
 * fresh from the task generator (no dataset); the harness is plan-solve with
 * a checkable segmentation (lib/harness/plan_solve.ts); contexts follow the
 * lab's one context grammar (lib/harness/context.ts) instead of chat prompts;
 * no LoRA (the whole tiny model trains).
 *
 * Every eval_every steps (and at step 0) the model's greedy bare accuracy on
 * the start's frozen eval set is measured per training level (`acc_L<l>`,
 * mean `acc_train`): the power check's "training-distribution accuracy".
 */
import { fromStartRunSpec, runFromStart } from "../from_start.ts";
import * as tf from "@tensorflow/tfjs";
import { Rng } from "../../core/rng.ts";
import { LabError } from "../../core/errors.ts";
import { Gpt } from "../../model/gpt.ts";
import { loadModelDir } from "../../model/checkpoint.ts";
import { assertTrainingFits } from "../../model/memory.ts";
import { makeTask } from "../../tasks/task.ts";
import { loadEvalSet } from "../../tasks/eval_sets.ts";
import { decode, encode, EOS_ID } from "../../tasks/tokenizer.ts";
import { generate } from "../../sample/generate.ts";
import { makeHarness } from "../../harness/config.ts";
import { buildBatch } from "../batch.ts";
import type { MetricRecord } from "../loop.ts";
import { evaluateExamples, firstPerLevel } from "../evaluate.ts";
import { makeReplay, type ReplayRow } from "../replay.ts";
import { type RunFacts, type TrainerHooks, type TrainIo, trainModel } from "../trainer.ts";
import { type DistillConfig, parseDistillConfig } from "./config.ts";
import { distillLossTensor } from "./losses.ts";
import { alignedRows, buildContexts, type BuiltContexts, scoreResponses, teacherPrompts } from "./teacher.ts";
import { MemoryBank } from "../../harness/memory_bank.ts";
import { BANK_FILE, bankState, contextsThenGrow } from "./warm_bank.ts";

/** Bump when a change to this trainer changes results for the same config. */
export const DISTILL_VERSION = "distill-1";

export interface HeldOut {
  level: number;
  correct: boolean;
}

export interface DistillResult extends RunFacts {
  levels: number[];
  /** Training records every step, measurements every eval_every steps. */
  metrics: MetricRecord[];
  /** Greedy bare outcomes on the held-out problems of the training levels, before and after. */
  heldOutBefore: HeldOut[];
  heldOutAfter: HeldOut[];
  /** Draft-verify teacher contexts: the warm bank's file (relative to the run's directory) and its size. */
  bankFile?: string;
  bankSize?: number;
}

/** Parse, make sure the start model exists (SFT through the cache), then train through the cache. */
export async function runDistill(input: unknown, hooks: TrainerHooks = {}) {
  const config = parseDistillConfig(input);
  return await runFromStart(config, await distillRunSpec(config, hooks.root), hooks, trainDistill);
}

/** The run-cache identity of a validated config (start trainer version and eval set included). */
export async function distillRunSpec(config: DistillConfig, root?: string) {
  return await fromStartRunSpec("distill", DISTILL_VERSION, config, root);
}

interface Prepared {
  ids: number[][];
  targets: number[][];
  mask: number[][];
  /** Teacher log-probs [N, T, V] flat (distill), anchor log-probs (anchor_coef > 0). */
  teacher?: Float32Array;
  anchor?: Float32Array;
  replay?: ReplayRow[];
  tokens: number;
}

/** Train one distillation run from the model in `startDir` (no caching); writes outDir/model. */
export async function trainDistill(
  config: DistillConfig,
  startDir: string,
  io: TrainIo,
): Promise<DistillResult> {
  return await trainModel(config, io, DISTILL_VERSION, async () => {
    const task = makeTask(config.start.task);
    const set = await loadEvalSet(config.start.eval_set);
    const want = new Set(config.levels);
    for (const l of config.levels) {
      if (!set.examples.some((e) => e.level === l)) {
        throw new LabError(
          `distillation level ${l} is not in eval set '${config.start.eval_set}'`,
          "drop the level",
        );
      }
    }
    const heldOut = firstPerLevel(set.examples.filter((e) => want.has(e.level)), config.eval_per_level);
    const { config: modelConfig, stateDict } = await loadModelDir(startDir);
    assertTrainingFits(
      modelConfig,
      config.prompts_per_step,
      modelConfig.block_size,
      "distillation config",
      "prompts_per_step",
    );
    const model = Gpt.fromStateDict(modelConfig, stateDict);
    const distill = config.objective === "distill";
    const builderFrozen = config.teacher.harness_weights === "frozen";
    const frozen = distill && (config.teacher.weights === "frozen" || config.anchor_coef > 0 || builderFrozen)
      ? Gpt.fromStateDict(modelConfig, stateDict)
      : null;
    const teacherModel = config.teacher.weights === "frozen" ? frozen : model;
    const nTeacherRows = distill ? teacherRowCount(config.student_fraction, config.prompts_per_step) : 0;
    const harness = config.harness ? makeHarness(config.harness) : undefined;
    const bank = distill && config.teacher.context.source === "harness" && harness?.name === "draft_verify"
      ? new MemoryBank()
      : null;
    const replay = makeReplay(config.replay, config.start.task, config.start.formats, config.levels);
    const B = modelConfig.block_size, V = modelConfig.vocab_size;
    const root = new Rng(config.seed);
    const measure = (): HeldOut[] =>
      evaluateExamples(model, task, heldOut).map((r) => ({ level: r.level, correct: r.correct }));
    const heldOutBefore = measure();
    let batch: Prepared | null = null;

    const prepare = (_step: number, rng: Rng) => {
      const problems = Array.from(
        { length: config.prompts_per_step },
        () => task.sample(rng, config.levels[rng.int(config.levels.length)]),
      );
      const prompts = problems.map((p) => encode(p.prompt));
      const info: Record<string, number> = {};
      let responses: number[][];
      const maxNew = (ps: number[][]) =>
        Math.min(
          B - Math.max(...ps.map((p) => p.length)),
          Math.max(...problems.map((p) => p.target.length)) + 4,
        );
      const sample = (m: Gpt, ps: number[][]) =>
        generate(m, ps, {
          maxNewTokens: maxNew(ps),
          temperature: config.temperature,
          stopTokens: [EOS_ID],
          rng,
        })
          .tokens;
      const correct = (rows: number[][], from: number) =>
        mean(rows.map((r, i) => (task.verify(problems[from + i], decode(r)) ? 1 : 0)));
      const buildAll = () => {
        const builder = builderFrozen ? frozen! : model;
        const harnessOpts = { model: builder, harness, temperature: config.harness_temperature, rng };
        if (bank) info.bank_size = bank.size;
        const built = bank
          ? contextsThenGrow(config.teacher.context, problems, { ...harnessOpts, harness: harness!, bank })
          : buildContexts(config.teacher.context, problems, harnessOpts);
        if (built.harnessCorrect) info.harness_correct = mean(built.harnessCorrect.map((c) => (c ? 1 : 0)));
        return built;
      };
      let built: BuiltContexts | null = null;
      if (!distill) {
        responses = problems.map((p) => encode(p.target));
      } else if (nTeacherRows === 0) {
        responses = sample(model, prompts);
        info.student_correct = correct(responses, 0);
      } else {
        // Mixed policy (GKD): the first rows' responses are the teacher's own samples under its context.
        built = buildAll();
        const k = nTeacherRows;
        const reserve = problems.slice(0, k).map((p) => Array(p.target.length + 4).fill(0));
        const tp = teacherPrompts(problems.slice(0, k), built.blocks.slice(0, k), reserve, B).map(encode);
        const fromTeacher = sample(teacherModel!, tp);
        const fromStudent = k < problems.length ? sample(model, prompts.slice(k)) : [];
        responses = [...fromTeacher, ...fromStudent];
        info.teacher_correct = correct(fromTeacher, 0);
        if (fromStudent.length) info.student_correct = correct(fromStudent, k);
      }
      const b = buildBatch(problems.map((_, i) => ({ prompt: prompts[i], target: responses[i] })), B);
      const T = b.ids[0].length;
      const prepared: Prepared = {
        ids: b.ids,
        targets: b.targets,
        mask: b.weights,
        tokens: sum(b.weights.flat()),
      };
      if (distill) {
        built ??= buildAll();
        const tPrompts = teacherPrompts(problems, built.blocks, responses, B);
        info.context_tokens = mean(tPrompts.map((t, i) => t.length - problems[i].prompt.length));
        const scored = scoreResponses(teacherModel!, tPrompts, responses);
        prepared.teacher = alignedRows(scored.distributions!, prompts.map((p) => p.length), T, V);
        // Teacher log-prob of the sampled tokens: how much the context endorses the sample.
        info.teacher_logp = mean(scored.logProbs.flat());
        if (config.anchor_coef > 0) {
          const anchored = scoreResponses(frozen!, problems.map((p) => p.prompt), responses);
          prepared.anchor = alignedRows(anchored.distributions!, prompts.map((p) => p.length), T, V);
        }
      }
      if (replay) prepared.replay = replay.draw(rng);
      batch = prepared;
      return { info };
    };

    const lossFn = () => {
      const b = batch!;
      const N = b.ids.length, T = b.ids[0].length;
      const ids = tf.tensor2d(b.ids, [N, T], "int32");
      const mask = tf.tensor2d(b.mask, [N, T]);
      const info: Record<string, number> = {};
      let loss: tf.Scalar;
      if (distill) {
        const student = model.nextTokenLogProbs(ids); // [N, T, V]
        loss = distillLossTensor(config.loss, student, tf.tensor3d(b.teacher!, [N, T, V]), mask);
        info.divergence = loss.dataSync()[0];
        if (b.anchor) {
          const kl = distillLossTensor(
            { kind: "reverse_kl", beta: 0.5 },
            student,
            tf.tensor3d(b.anchor, [N, T, V]),
            mask,
          );
          info.anchor_kl = kl.dataSync()[0];
          loss = tf.add(loss, tf.mul(kl, config.anchor_coef));
        }
      } else {
        loss = model.loss(ids, tf.tensor2d(b.targets, [N, T], "int32"), mask);
      }
      if (b.replay) {
        const r = replay!.loss(model, b.replay, B);
        info.replay_ce = r.ce;
        loss = tf.add(loss, r.loss);
      }
      // Every tensor above is an intermediate of the loop's gradient tape, disposed with it.
      return { loss, tokens: b.tokens, info };
    };

    const evaluate = () => {
      const rs = measure();
      const out: Record<string, number> = {};
      for (const l of config.levels) {
        out[`acc_L${l}`] = mean(rs.filter((r) => r.level === l).map((r) => (r.correct ? 1 : 0)));
      }
      out.acc_train = mean(rs.map((r) => (r.correct ? 1 : 0)));
      return out;
    };

    return {
      model,
      frozen: [frozen],
      loop: {
        schedule: {
          lr: config.lr,
          minLr: config.lr,
          warmupSteps: config.warmup_steps,
          totalSteps: config.steps,
        },
        rng: root.fork("train"),
        prepare,
        lossFn,
        evaluate,
        evalEvery: config.eval_every,
        ...(bank ? { extraState: bankState(bank) } : {}),
      },
      finish: async ({ metrics }) => {
        const own: Omit<DistillResult, keyof RunFacts> = {
          levels: config.levels,
          metrics,
          heldOutBefore,
          heldOutAfter: measure(),
        };
        if (!bank) return own;
        if (io.outDir) await bank.save(`${io.outDir}/${BANK_FILE}`);
        return { ...own, ...(io.outDir ? { bankFile: BANK_FILE } : {}), bankSize: bank.size };
      },
    };
  });
}

/** Rows of a step whose response the teacher samples: (1 - student_fraction) of them, rounded (GKD's lambda). */
export function teacherRowCount(studentFraction: number | undefined, prompts: number): number {
  return Math.round((1 - (studentFraction ?? 1)) * prompts);
}

const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);
const mean = (xs: number[]) => (xs.length ? sum(xs) / xs.length : 0);
