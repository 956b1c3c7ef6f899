/**
 * GRPO on a procedural task (Shao et al. 2024, DeepSeekMath; options from DAPO,
 * Yu et al. 2025, and Dr. GRPO, Liu et al. 2025): per step, draw
 * prompts_per_step prompts at levels chosen by the curriculum, sample
 * group_size completions each from the current policy, reward them with the
 * verifier, turn rewards into group-relative advantages (advantages.ts) and
 * take inner_epochs clipped policy-gradient updates on them (pg_loss.ts),
 * optionally with a k3 KL penalty to the frozen start model and a replay of
 * gold harness-call rows (lib/train/replay.ts: cross-entropy beside the loss).
 *
 * The policy is the model's distribution at the sampling temperature (logits
 * / temperature in training too), so the sampler's log-probs are exactly the
 * old policy's and no extra forward pass is needed for the ratio.
 *
 * Departures from the papers: prompts come fresh from the task generator (no
 * fixed dataset, no epochs); DAPO's dynamic sampling drops flat groups without
 * re-sampling to refill the batch (the batch shrinks, and a step with no
 * informative group makes no update); the KL reference is the start model,
 * not a periodically refreshed copy.
 *
 * Every eval_every steps (and at step 0) measure.ts measures the model on the
 * frozen held-out prompts of every level; the step-0 measurement also fixes
 * the curriculum (curriculum.ts). Through the run cache like SFT.
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
import { buildBatch } from "../batch.ts";
import { makeReplay, type ReplayRow } from "../replay.ts";
import type { MetricRecord } from "../loop.ts";
import { evaluateExamples, type ExampleResult, firstPerLevel } from "../evaluate.ts";
import { type RunFacts, type TrainerHooks, type TrainIo, trainModel } from "../trainer.ts";
import { groupAdvantages, hasRewardVariance, informativeGroups } from "./advantages.ts";
import { type GrpoConfig, parseGrpoConfig } from "./config.ts";
import { type Curriculum, makeCurriculum } from "./curriculum.ts";
import { measureLevels, perLevel } from "./measure.ts";
import { pgLossTensor } from "./pg_loss.ts";
import { type Group, luckStats, sampleGroups } from "./rollouts.ts";

/** Bump when a change to this trainer changes results for the same config. */
// grpo-2: native kernels on OpenBLAS (lib/core/native) where they load: numbers move in the last bits.
// grpo-4: per-step accuracy measures (step_acc, samp_step_acc) in every measurement (grpo-3 named the first
// "step", which clashed with a record's step).
export const GRPO_VERSION = "grpo-4";

export interface GrpoResult extends RunFacts {
  levels: number[];
  /** Sampled pass rate of the start model per level at step 0 (what the curriculum was fixed from). */
  startPass: number[];
  /** The curriculum's level weights at step 0, normalised. */
  startWeights: number[];
  /** Training records every step, measurements every eval_every steps (measure.ts keys). */
  metrics: MetricRecord[];
  samplesBefore: ExampleResult[];
  samplesAfter: ExampleResult[];
}

/** Parse, make sure the start model exists (SFT through the cache), then train through the cache. */
export async function runGrpo(input: unknown, hooks: TrainerHooks = {}) {
  const config = parseGrpoConfig(input);
  return await runFromStart(config, await grpoRunSpec(config, hooks.root), hooks, trainGrpo);
}

/** The run-cache identity of a validated GRPO config (start trainer version and eval set included). */
export async function grpoRunSpec(config: GrpoConfig, root?: string) {
  return await fromStartRunSpec("grpo", GRPO_VERSION, config, root);
}

interface Prepared {
  ids: number[][];
  targets: number[][];
  mask: number[][];
  oldLogp: number[][];
  refLogp?: number[][];
  advantages: number[];
  tokens: number;
  replay?: ReplayRow[];
}

/** Held-out examples per level: the first eval_per_level of each level in the start's eval set. */
async function heldOut(config: GrpoConfig) {
  const set = await loadEvalSet(config.start.eval_set);
  for (const level of config.levels) {
    if (!set.examples.some((e) => e.level === level)) {
      throw new LabError(
        `GRPO level ${level} is not in eval set '${config.start.eval_set}'`,
        "drop the level",
      );
    }
  }
  const want = new Set(config.levels);
  return firstPerLevel(set.examples.filter((e) => want.has(e.level)), config.eval_per_level);
}

/** Train one GRPO run from the model in `startDir` (no caching); writes outDir/model. */
export async function trainGrpo(config: GrpoConfig, startDir: string, io: TrainIo): Promise<GrpoResult> {
  return await trainModel(config, io, GRPO_VERSION, async () => {
    const task = makeTask(config.start.task);
    const examples = await heldOut(config);
    const { config: modelConfig, stateDict } = await loadModelDir(startDir);
    assertTrainingFits(
      modelConfig,
      config.prompts_per_step * config.group_size,
      modelConfig.block_size,
      "GRPO config",
      "prompts_per_step x group_size",
    );
    const model = Gpt.fromStateDict(modelConfig, stateDict);
    const reference = config.kl_coef > 0 ? Gpt.fromStateDict(modelConfig, stateDict) : null;
    const root = new Rng(config.seed);
    const levels = config.levels;
    const replay = makeReplay(config.replay, config.start.task, config.start.formats, levels);
    const keepSamples = (rs: ExampleResult[]) =>
      levels.flatMap((l) => rs.filter((r) => r.level === l).slice(0, config.samples_per_level));
    const samplesBefore = keepSamples(
      evaluateExamples(model, task, firstPerLevel(examples, config.samples_per_level)),
    );
    let startPass: number[] = [];
    let startWeights: number[] = [];
    let curriculum: Curriculum | null = null;
    const setCurriculum = (pass: number[]) => {
      startPass = pass;
      curriculum = makeCurriculum(config.curriculum, levels, pass);
      const w = curriculum.weights();
      const total = w.reduce((a, c) => a + c, 0);
      startWeights = w.map((x) => x / total);
    };
    let batch: Prepared | null = null;
    const temp = config.temperature;

    const prepare = (step: number, rng: Rng) => {
      if (step % config.inner_epochs !== 0) return batch ? {} : { skip: true };
      const weights = curriculum!.weights();
      const drawn = Array.from(
        { length: config.prompts_per_step },
        () => task.sample(rng, levels[rng.categorical(weights)]),
      );
      const groups: Group[] = sampleGroups(model, task, drawn, {
        groupSize: config.group_size,
        temperature: temp,
        formatWeight: config.format_reward,
        rng,
      });
      for (const g of groups) {
        curriculum!.observe(
          g.example.level,
          g.samples.filter((s) => s.correct).length,
          g.samples.length,
        );
      }
      const rewards = groups.map((g) => g.samples.map((s) => s.reward));
      const adv = groupAdvantages(rewards, config.advantage);
      const luck = luckStats(groups, adv);
      const varied = groups.filter((g) => hasRewardVariance(g.samples.map((s) => s.reward))).length;
      const info: Record<string, number> = {
        reward: rewards.flat().reduce((a, b) => a + b, 0) / rewards.flat().length,
        solved: groups.flatMap((g) => g.samples).filter((s) => s.correct).length /
          (groups.length * config.group_size),
        varied_groups: varied / groups.length,
        mean_level: drawn.reduce((a, e) => a + e.level, 0) / drawn.length,
        lone: luck.lone,
        lone_invalid: luck.loneInvalid,
        ...(luck.loneAdvantage !== undefined ? { lone_adv: luck.loneAdvantage } : {}),
        ...(luck.invalidSuccessShare !== undefined ? { invalid_success: luck.invalidSuccessShare } : {}),
        ...(luck.invalidSuccessAdvantage !== undefined
          ? { invalid_success_adv: luck.invalidSuccessAdvantage }
          : {}),
      };
      const keep = config.dynamic_filter ? informativeGroups(rewards) : groups.map((_, i) => i);
      info.kept_groups = keep.length;
      if (keep.length === 0) {
        batch = null;
        return { skip: true, info };
      }
      const pairs: { prompt: number[]; target: number[] }[] = [];
      const oldRows: number[][] = [], advs: number[] = [];
      for (const i of keep) {
        groups[i].samples.forEach((s, j) => {
          pairs.push({ prompt: groups[i].prompt, target: s.tokens });
          oldRows.push(s.logProbs);
          advs.push(adv[i][j]);
        });
      }
      const b = buildBatch(pairs, model.config.block_size);
      const T = b.ids[0].length;
      // Response token t of row r is predicted at position prompt.length - 1 + t.
      const oldLogp = pairs.map((p, r) => {
        const row = new Array(T).fill(0);
        oldRows[r].forEach((lp, t) => (row[p.prompt.length - 1 + t] = lp));
        return row;
      });
      let refLogp: number[][] | undefined;
      if (reference) {
        const t = tf.tidy(() =>
          reference.targetLogProbs(
            tf.tensor2d(b.ids, undefined, "int32"),
            tf.tensor2d(b.targets, undefined, "int32"),
            { temperature: temp },
          )
        );
        refLogp = t.arraySync();
        t.dispose();
      }
      batch = {
        ids: b.ids,
        targets: b.targets,
        mask: b.weights,
        oldLogp,
        refLogp,
        advantages: advs,
        tokens: b.weights.flat().reduce((a, c) => a + c, 0),
        replay: replay?.draw(rng),
      };
      return { info };
    };

    const lossFn = () => {
      const b = batch!;
      const ids = tf.tensor2d(b.ids, undefined, "int32");
      const targets = tf.tensor2d(b.targets, undefined, "int32");
      const logp = model.targetLogProbs(ids, targets, { temperature: temp });
      const mask = tf.tensor2d(b.mask);
      const oldLogp = tf.tensor2d(b.oldLogp);
      const refLogp = b.refLogp ? tf.tensor2d(b.refLogp) : undefined;
      const advantages = tf.tensor1d(b.advantages);
      const { loss, kl, clipFraction } = pgLossTensor({ logp, oldLogp, refLogp, advantages, mask }, {
        clip: config.clip,
        klCoef: config.kl_coef,
        aggregation: config.aggregation,
      });
      const info: Record<string, number> = {};
      let total: tf.Scalar = loss;
      if (b.replay) {
        const r = replay!.loss(model, b.replay, model.config.block_size);
        info.replay_ce = r.ce;
        total = tf.add(loss, r.loss);
      }
      if (refLogp) info.kl = kl.dataSync()[0];
      if (config.clip) info.clip_frac = clipFraction.dataSync()[0];
      tf.dispose(
        [ids, targets, logp, mask, oldLogp, refLogp, advantages, kl, clipFraction].filter((t) =>
          t !== undefined
        ),
      );
      return { loss: total, tokens: b.tokens, info };
    };

    const evaluate = (step: number) => {
      const m = measureLevels(model, task, examples, {
        groupSize: config.group_size,
        bandPrompts: config.band_prompts,
        temperature: temp,
        rng: root.fork(`measure:${step}`),
      });
      if (step === 0 && !curriculum) setCurriculum(perLevel(m, "samp", levels));
      return m;
    };

    return {
      model,
      frozen: [reference],
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
        extraState: {
          save: () => ({ startPass, curriculum: curriculum?.state() ?? [] }),
          restore: (s) => {
            const st = s as { startPass?: number[]; curriculum?: number[] } | undefined;
            if (!Array.isArray(st?.startPass)) {
              throw new LabError("GRPO checkpoint lacks the start pass rates");
            }
            setCurriculum(st.startPass);
            curriculum!.restore(st.curriculum ?? []);
          },
        },
      },
      finish: ({ metrics }) => ({
        levels,
        startPass,
        startWeights,
        metrics,
        samplesBefore,
        samplesAfter: keepSamples(
          evaluateExamples(model, task, firstPerLevel(examples, config.samples_per_level)),
        ),
      }),
    };
  });
}
