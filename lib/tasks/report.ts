/**
 * What an eval set can and cannot tell you, computed exactly (no sampling):
 * chance per level (arithmetic: the answer distribution and the best constant
 * guess, DESIGN.md "make chance uniform"; precedent: the Bayes ceiling and the
 * majority-class rate), and prompt overlap with training.
 *
 * Overlap. Training draws fresh examples from the same generators, so an eval
 * prompt can also appear in training. For each level we report the prompt
 * space, the set's distinct prompts and in-set duplicates, `mass` = the chance
 * that ONE training draw at that level reproduces some prompt of the set, and
 * `seenShare` = the expected share of the set's examples whose prompt a
 * training stream of N draws at that level contains, mean of 1 - (1 - P(x))^N.
 * Arithmetic level 1 has only 10 * |ops| * 10 prompts (300 with + - *), so its
 * eval set is necessarily inside any training stream; by level 4 overlap is
 * negligible for the main job's budget.
 */
import * as arith from "./arithmetic.ts";
import * as prec from "./precedent.ts";
import type { TaskSettings } from "./task.ts";
import type { ExampleLine } from "./dataset.ts";

export interface ChanceRow {
  level: number;
  /** Arithmetic: P(answer = d), d = 0..9. Empty for precedent. */
  distribution: number[];
  /** Accuracy of the best constant answer. */
  constantGuess: number;
  /** Accuracy ceiling of any model (1 for arithmetic; Bayes-optimal for precedent). */
  ceiling: number;
}

/** Chance and ceiling per level for a task's settings. */
export function chanceTable(settings: TaskSettings, levels: readonly number[]): ChanceRow[] {
  return levels.map((level) => {
    if (settings.family === "arithmetic") {
      const distribution = arith.answerDistribution(level, settings);
      return { level, distribution, constantGuess: Math.max(...distribution), ceiling: 1 };
    }
    return {
      level,
      distribution: [],
      constantGuess: 1 / settings.classes, // classes are uniform
      ceiling: prec.bayesAccuracy(level, settings),
    };
  });
}

/** Probability that one draw at the example's level produces its prompt. */
export function promptProbability(settings: TaskSettings, ex: Pick<ExampleLine, "level" | "prompt">): number {
  if (settings.family === "arithmetic") {
    const p = arith.parsePrompt(ex.prompt);
    return p ? arith.promptProbability(p, settings) : 0;
  }
  const values = prec.parsePrompt(ex.prompt);
  return values && values.length === settings.slots ? prec.promptProbability(values, ex.level, settings) : 0;
}

/** Number of distinct prompts a level can produce (with nonzero probability). */
export function promptSpace(settings: TaskSettings, level: number): number {
  if (settings.family === "arithmetic") return 10 ** (level + 1) * new Set(settings.ops).size ** level;
  let n = 0;
  const values = new Array(settings.slots).fill(0);
  for (let i = 0; i < prec.VALUES_PER_SLOT ** settings.slots; i++) {
    let x = i;
    for (let s = 0; s < settings.slots; s++) {
      values[s] = x % prec.VALUES_PER_SLOT;
      x = Math.floor(x / prec.VALUES_PER_SLOT);
    }
    if (prec.promptProbability(values, level, settings) > 0) n++;
  }
  return n;
}

export interface OverlapRow {
  level: number;
  n: number;
  distinct: number;
  /** Examples whose prompt already occurred earlier in the set. */
  duplicates: number;
  space: number;
  /** P(one training draw at this level hits one of the set's prompts). */
  mass: number;
  /** Expected share of the set's examples whose prompt a stream of `draws` training draws contains. */
  seenShare: number;
}

/** Overlap of a set's prompts with a training stream of `draws` draws per level. */
export function overlapTable(
  settings: TaskSettings,
  examples: readonly ExampleLine[],
  draws: number,
): OverlapRow[] {
  const byLevel = new Map<number, ExampleLine[]>();
  for (const ex of examples) byLevel.set(ex.level, [...(byLevel.get(ex.level) ?? []), ex]);
  return [...byLevel.entries()].sort((a, b) => a[0] - b[0]).map(([level, exs]) => {
    const prob = new Map<string, number>();
    for (const ex of exs) if (!prob.has(ex.prompt)) prob.set(ex.prompt, promptProbability(settings, ex));
    let mass = 0;
    for (const p of prob.values()) mass += p;
    // 1 - (1 - p)^N, computed stably for tiny p
    const seen = (p: number) => -Math.expm1(draws * Math.log1p(-p));
    const seenShare = exs.reduce((acc, ex) => acc + seen(prob.get(ex.prompt)!), 0) / exs.length;
    return {
      level,
      n: exs.length,
      distinct: prob.size,
      duplicates: exs.length - prob.size,
      space: promptSpace(settings, level),
      mass,
      seenShare,
    };
  });
}

/** Plain-text tables of chance and overlap for one set. */
export function formatSetReport(
  name: string,
  settings: TaskSettings,
  examples: readonly ExampleLine[],
  draws: number,
): string {
  const levels = [...new Set(examples.map((e) => e.level))].sort((a, b) => a - b);
  const chance = chanceTable(settings, levels);
  const overlap = overlapTable(settings, examples, draws);
  const f = (x: number, d = 4) => x.toFixed(d);
  const lines = [`== ${name} (${JSON.stringify(settings)})`];
  if (settings.family === "arithmetic") {
    lines.push("level  P(answer=0..9)                                                      best-const");
  } else lines.push("level  confusable  noise  Bayes-ceiling  majority");
  for (const r of chance) {
    if (settings.family === "arithmetic") {
      lines.push(
        `${String(r.level).padStart(5)}  ${r.distribution.map((p) => f(p)).join(" ")}  ${f(r.constantGuess)}`,
      );
    } else {
      const u = prec.confusableShare(r.level, settings), q = prec.noiseRate(r.level, settings);
      lines.push(
        `${String(r.level).padStart(5)}  ${f(u, 2).padStart(10)}  ${f(q, 2).padStart(5)}  ${
          f(r.ceiling).padStart(13)
        }  ${f(r.constantGuess)}`,
      );
    }
  }
  lines.push(`level      n  distinct  in-set-dups  prompt-space  mass(1 draw)  seen-share(N=${draws})`);
  for (const r of overlap) {
    lines.push(
      `${String(r.level).padStart(5)}  ${String(r.n).padStart(5)}  ${String(r.distinct).padStart(8)}  ${
        String(r.duplicates).padStart(11)
      }  ${r.space.toExponential(2).padStart(12)}  ${r.mass.toExponential(2).padStart(12)}  ${
        f(r.seenShare)
      }`,
    );
  }
  return lines.join("\n");
}
