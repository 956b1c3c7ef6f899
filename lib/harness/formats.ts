/**
 * Gold examples of every call format and context kind, for the SFT mix that
 * makes a base model able to run both harnesses and read every teacher
 * context (lib/train/sft.ts `mix`), and as replay data for distillation
 * (issue 14). Each format is a (prompt, target) pair built with the same
 * prompt builders the harnesses call, so training and use cannot drift apart.
 *
 * Arithmetic (plan-solve):
 *   bare         ^3+4-2+5=                    3+4=7;7-2=5;5+5=0>0$
 *   plan         ^&2:3+4-2+5=                 2|1$                  segment sizes
 *   answer_like  ^[5|0]3+4-2+5=               (same target)   segment results
 *   trace        ^[3+4=7;7-2=5|5+5=0]3+4-2+5= (same target)   segment scratchpads
 *   answer       ^[0]3+4-2+5=                 OPSD: answer only
 *   partial      ^[3+4=7;7-2=5]3+4-2+5=       OPSD: first half of the steps
 *   solution     ^[3+4=7;7-2=5;5+5=0>0]3+4-2+5=  OPSD: the full reference
 * Segment calls are bare calls, so `bare` covers them; segment lengths are
 * drawn from `segment_lengths`. Contexts hold correct reference information.
 *
 * Precedent (draft-verify):
 *   bare         ^aeimbf?                      C$   the home world (the task's world_seed)
 *   draft        ^[k precedents]aeimbf?        C$   \
 *   verify       ^[confirmers|challengers]aeimbf?D!  C$  } other worlds (below)
 *   answer_like  ^[D|C]aeimbf?                 C$   |
 *   trace        ^[conf|chal|D|C]aeimbf?       C$   |
 *   answer       ^[C]aeimbf?                   C$   /
 * Harness and context formats are drawn from `pool_worlds` other worlds, each
 * with a bank of `pool_bank` labelled examples (TF-IDF retrieval from a
 * prefix of random size, 10..pool_bank, log-uniform, so neighbours range from
 * near to far as in a growing bank). Why other worlds: a model that has
 * learnt the home world in its weights has no reason to read precedents, and
 * a harness can only beat bare where the bank knows what the weights do not
 * (a bare model trained on the home world reaches the Bayes ceiling within a
 * few hundred steps). So the base model learns to read precedents in general
 * and learns the home world only from its bare share; the mix decides how
 * weak its bare mode is. The verify call's draft D is the precedents' majority
 * label, replaced by a random other label with probability `draft_noise`, so
 * both keeping and revising are learnt; the target is always the true label.
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * import { Rng } from "../core/rng.ts";
 * import { makeTask, TaskSettingsSchema } from "../tasks/task.ts";
 * import { FormatOptionsSchema, FormatSampler } from "./formats.ts";
 * const task = makeTask(TaskSettingsSchema.parse({ family: "arithmetic", ops: ["+", "-"] }));
 * const f = new FormatSampler(task, FormatOptionsSchema.parse({ segment_lengths: [2] }));
 * const ex = f.sample("trace", new Rng(3), 3);
 * assertEquals(ex.prompt.length + ex.target.length <= f.maxLength("trace", 3), true);
 * ```
 */
import { z } from "zod";
import { LabError } from "../core/errors.ts";
import { Rng } from "../core/rng.ts";
import { generatePrecedent, LABELS, type PrecedentSettings } from "../tasks/precedent.ts";
import type { Task } from "../tasks/task.ts";
import { ArrangementSchema, type Block, blockLength, withContext } from "./context.ts";
import {
  draftPrompt,
  draftVerifyCallLength,
  DraftVerifyConfigSchema,
  precedentItem,
  verifyPrompt,
} from "./draft_verify.ts";
import { MemoryBank, tfidfRetriever } from "./memory_bank.ts";
import { goldPlan, MAX_SEGMENT_LENGTH, planPrompt } from "./plan.ts";
import { planCallLength } from "./plan_solve.ts";
import { referenceContext } from "./teacher_context.ts";

export const FORMATS = {
  arithmetic: ["bare", "plan", "answer_like", "trace", "answer", "partial", "solution"],
  precedent: ["bare", "draft", "verify", "answer_like", "trace", "answer"],
} as const;
export type FormatName = typeof FORMATS[keyof typeof FORMATS][number];

/**
 * Bump when a format's text changes for the same options: SFT runs with a mix
 * carry it in their run-cache identity (bare-only runs do not).
 * formats-2: the planner prompt leads with its marker (^&2:3+4-2=) and the plan
 * is the segment sizes (2|1), no longer a copy of the operations.
 */
export const FORMATS_VERSION = "formats-2";

/** First world seed of the pool of other worlds (far from any home world's seed). */
export const POOL_SEED_BASE = 100_000;

export const FormatOptionsSchema = z.strictObject({
  /** Plan-solve: segment lengths the plan and context formats draw from. */
  segment_lengths: z.array(z.number().int().min(1).max(MAX_SEGMENT_LENGTH)).min(1).default([2, 3]),
  /** Draft-verify: precedents, confirmers, challengers and their arrangement (as the harness config). */
  k: z.number().int().min(1).default(5),
  confirmers: z.number().int().min(0).default(5),
  challengers: z.number().int().min(0).default(5),
  arrangement: ArrangementSchema.prefault({ order: "reversed" }),
  /** Precedent: other worlds the harness formats are drawn from, and each one's bank size. */
  pool_worlds: z.number().int().min(1).default(256),
  /** Index of the first pool world (retention probes use worlds no training run drew from). */
  pool_first: z.number().int().min(0).default(0),
  pool_bank: z.number().int().min(10).default(500),
  /** Verify format: share of drafts replaced by a random wrong label. */
  draft_noise: z.number().min(0).max(1).default(0.25),
});
export type FormatOptions = z.output<typeof FormatOptionsSchema>;

export interface FormatExample {
  prompt: string;
  target: string;
}

interface PoolWorld {
  settings: PrecedentSettings;
  bank: MemoryBank;
}

/** Gold examples of a task's formats. */
export class FormatSampler {
  readonly #pool = new Map<number, PoolWorld>();

  constructor(readonly task: Task, readonly options: FormatOptions) {}

  /** Check a format name for the task's family (LabError naming the allowed ones). */
  check(format: string): FormatName {
    const allowed: readonly string[] = FORMATS[this.task.family];
    if (!allowed.includes(format)) {
      throw new LabError(
        `format '${format}' does not exist for ${this.task.family}`,
        `use one of ${allowed.join(", ")}`,
      );
    }
    return format as FormatName;
  }

  /** One gold example of `format` at `level`. */
  sample(format: string, rng: Rng, level: number): FormatExample {
    this.check(format);
    return this.task.family === "arithmetic"
      ? this.#arithmetic(format, rng, level)
      : this.#precedent(format, rng, level);
  }

  /** Most tokens (prompt + target) an example of `format` at `level` can have. */
  maxLength(format: string, level: number): number {
    this.check(format);
    const seq = this.task.sequenceLength(level);
    const o = this.options;
    if (this.task.family === "arithmetic") {
      const s = Math.min(...o.segment_lengths), segs = Math.ceil(level / s);
      const steps = (n: number) => 6 * n - 1;
      return {
        bare: seq,
        plan: planCallLength(level, s),
        answer_like: seq + 2 * segs + 1,
        trace: seq + steps(level) + 2,
        answer: seq + 3,
        partial: seq + steps(Math.max(1, Math.floor(level / 2))) + 2,
        solution: seq + steps(level) + 4,
      }[format as typeof FORMATS.arithmetic[number]];
    }
    const query = seq - 2, item = "x".repeat(query - 1);
    const { k, confirmers, challengers } = o;
    const dv = DraftVerifyConfigSchema.parse({ kind: "draft_verify", k, confirmers, challengers });
    return {
      bare: seq,
      draft: draftVerifyCallLength({ ...dv, confirmers: 0, challengers: 0 }, query),
      verify: draftVerifyCallLength(dv, query),
      answer_like: seq + blockLength([["x"], ["x"]]),
      trace: seq +
        blockLength([Array(o.confirmers).fill(item), Array(o.challengers).fill(item), ["x"], ["x"]]),
      answer: seq + 3,
    }[format as typeof FORMATS.precedent[number]];
  }

  #arithmetic(format: string, rng: Rng, level: number): FormatExample {
    const ex = this.task.sample(rng, level);
    if (format === "bare") return { prompt: ex.prompt, target: ex.target };
    const s = rng.choice(this.options.segment_lengths);
    if (format === "plan") return { prompt: planPrompt(ex.prompt, s), target: goldPlan(ex.prompt, s) + "$" };
    let block: Block;
    if (format === "answer_like" || format === "trace") {
      const steps = ex.target.split(">")[0].split(";");
      const segments: string[][] = [];
      for (let i = 0; i < steps.length; i += s) segments.push(steps.slice(i, i + s));
      block = segments.map((seg) => [format === "trace" ? seg.join(";") : seg.at(-1)!.split("=")[1]]);
    } else block = referenceContext(ex, format as "answer" | "partial" | "solution");
    return { prompt: withContext(ex.prompt, block, this.options.arrangement), target: ex.target };
  }

  #world(i: number): PoolWorld {
    let w = this.#pool.get(i);
    if (!w) {
      const settings = { ...(this.task.settings as PrecedentSettings), world_seed: POOL_SEED_BASE + i };
      const rng = new Rng(POOL_SEED_BASE + i).fork("pool-bank");
      const bank = new MemoryBank(Array.from({ length: this.options.pool_bank }, () => {
        const e = generatePrecedent(rng, 1 + rng.int(settings.max_level), settings);
        return { prompt: e.prompt, label: e.label, level: e.level };
      }));
      this.#pool.set(i, w = { settings, bank });
    }
    return w;
  }

  #precedent(format: string, rng: Rng, level: number): FormatExample {
    if (format === "bare") {
      const ex = this.task.sample(rng, level);
      return { prompt: ex.prompt, target: ex.target };
    }
    const o = this.options;
    const { settings, bank } = this.#world(o.pool_first + rng.int(o.pool_worlds));
    const ex = generatePrecedent(rng, level, settings);
    const target = ex.target, label = ex.label;
    if (format === "answer") return { prompt: withContext(ex.prompt, [[label]], o.arrangement), target };
    // A bank prefix of log-uniform size in [10, pool_bank]: near and far neighbours both occur.
    const size = Math.round(Math.exp(Math.log(10) + rng.float() * Math.log(bank.size / 10)));
    const scores = bank.scores([ex.prompt], tfidfRetriever);
    const inPrefix = (_q: number, _e: unknown, i: number) => i < size;
    const [[near]] = bank.pick(scores, [{ k: o.k, where: inPrefix }]);
    const items = near.map((h) => precedentItem(h.entry));
    if (format === "draft") return { prompt: draftPrompt(ex.prompt, items, o.arrangement), target };
    let draft = majorityLabel(near.map((h) => h.entry.label));
    if (rng.float() < o.draft_noise) {
      const others = [...LABELS.slice(0, settings.classes)].filter((l) => l !== draft);
      draft = rng.choice(others);
    }
    if (format === "answer_like") {
      return { prompt: withContext(ex.prompt, [[draft], [label]], o.arrangement), target };
    }
    const [[conf], [chal]] = bank.pick(scores, [
      { k: o.confirmers, where: (q, e, i) => inPrefix(q, e, i) && e.label === draft },
      { k: o.challengers, where: (q, e, i) => inPrefix(q, e, i) && e.label !== draft },
    ]);
    const groups = [conf.map((h) => precedentItem(h.entry)), chal.map((h) => precedentItem(h.entry))];
    if (format === "verify") return { prompt: verifyPrompt(ex.prompt, groups, draft, o.arrangement), target };
    return { prompt: withContext(ex.prompt, [...groups, [draft], [label]], o.arrangement), target };
  }
}

/** The most frequent label; ties go to the label that appears first (the nearest). */
export function majorityLabel(labels: readonly string[]): string {
  const count = new Map<string, number>();
  for (const l of labels) count.set(l, (count.get(l) ?? 0) + 1);
  let best = labels[0];
  for (const l of labels) if (count.get(l)! > count.get(best)!) best = l;
  return best;
}
