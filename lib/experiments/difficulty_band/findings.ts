/**
 * The findings of analysis 1, generated from the result tables (tables.ts and
 * learning.ts; every number in the text comes from changeTable, perStepTable,
 * luckTable and learningTable): whether (a) the productive band drifted, (b)
 * over-hard training degraded easy-level skill and whether the controls
 * separate forgetting from shortcut-taking, and (c) shortcut indicators rose;
 * each with a verdict on DESIGN.md's claim 1.
 *
 * Every null is gated on a positive control (DESIGN.md): the drift verdict of
 * a curriculum is given only when that curriculum passed the learning check
 * (learning.ts), and "not reproduced" anywhere needs at least one curriculum
 * to have learned (GRPO at these settings measurably changes the model);
 * otherwise the text says "cannot decide at this scale" with the failed
 * check's numbers. The graded-start check is in start.ts.
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * import { nullVerdict } from "./findings.ts";
 * assertEquals(nullVerdict(true, "the band did not move"), "**not reproduced** at this scale (the band did not move)");
 * assertEquals(nullVerdict(false, "the band did not move").startsWith("**cannot decide at this scale**"), true);
 * ```
 */
import { diffInterval } from "../../stats/intervals.ts";
import { fixed2, intervalText, signed2 } from "../format.ts";
import { type Condition, CONDITION_TEXT } from "./params.ts";
import { learnedConditions, LEARNERS, type LearningRow, type learningTable } from "./learning.ts";
import type { ChangeRow, changeTable, luckTable, perStepTable, StepMeasure } from "./tables.ts";

const ci = (r: { lo: number; hi: number }) => intervalText(r.lo, r.hi, { signed: true });
const direction = (r: { lo: number; hi: number }) => (r.lo > 0 ? "up" : r.hi < 0 ? "down" : "flat");

/** The change of `measure` at each condition's last measured step. */
function finalChange(rows: ChangeRow[], condition: Condition, measure: StepMeasure): ChangeRow | undefined {
  const mine = rows.filter((r) => r.condition === condition && r.measure === measure);
  return mine.reduce<ChangeRow | undefined>((a, r) => (!a || r.step > a.step ? r : a), undefined);
}

/**
 * A null result's verdict: "not reproduced" when the positive control passed
 * (some curriculum learned), else "cannot decide at this scale".
 */
export function nullVerdict(controlPassed: boolean, what: string): string {
  return controlPassed
    ? `**not reproduced** at this scale (${what})`
    : `**cannot decide at this scale** (${what}, but no curriculum passed the learning check, so GRPO at these settings could not have shown it)`;
}

const describe = (r: ChangeRow | undefined, unit = "") =>
  r ? `${signed2(r.mean)}${unit} ${ci(r)} at step ${r.step}` : "not measured";

/** Markdown findings from the change, per-step, luck and learning tables. */
export function bandFindings(
  change: ReturnType<typeof changeTable>,
  perStep: ReturnType<typeof perStepTable>,
  luck: ReturnType<typeof luckTable>,
  easy: readonly number[],
  learning: ReturnType<typeof learningTable>,
): string {
  const learned = learnedConditions(learning);
  const anyLearned = [...learned.values()].some(Boolean);
  const rows = change.objects() as ChangeRow[];
  const conds = [...new Set(rows.map((r) => r.condition))];
  const has = (c: Condition) => conds.includes(c);
  const out: string[] = [];
  const seeds = Math.max(0, ...rows.map((r) => r.n));
  out.push(`Changes are from step 0, paired per seed, with 95% t intervals over ${seeds} seeds.`);

  // (a) band drift, only for curricula that learned
  const learners = LEARNERS.filter(has);
  const able = learners.filter((c) => learned.get(c));
  const unable = learners.filter((c) => !learned.get(c));
  const drifts = able.map((c) => ({ c, r: finalChange(rows, c, "band_centre") })).filter((x) => x.r);
  const up = drifts.filter((x) => direction(x.r!) === "up");
  const down = drifts.filter((x) => direction(x.r!) === "down");
  const shown = learners.map((c) => ({ c, r: finalChange(rows, c, "band_centre") }));
  out.push(
    `- **(a) Band drift.** Centre of the productive band (levels weighted by their share of sampled groups with reward variance): ` +
      (shown.length
        ? shown.map((x) => `${CONDITION_TEXT[x.c]} ${describe(x.r, " levels")}`).join("; ")
        : "no band-learning condition was run") +
      ". " +
      (!able.length
        ? `**Cannot decide: no curriculum learned at this scale** (see the learning check), so a band that did not move says nothing.`
        : up.length
        ? `Among the ${drifts.length} curricula that learned, the band moved to longer problems under ${up.length}: **supports** the claim that the productive band drifts as the model learns.`
        : down.length
        ? `Among the ${drifts.length} curricula that learned, the band moved to *shorter* problems under ${down.length}, which the claim does not predict: **not reproduced** as stated.`
        : `No curriculum that learned moved its band with an interval excluding zero: ${
          nullVerdict(true, "the model learned but the band did not measurably move")
        }.`) +
      (able.length && unable.length
        ? ` (${
          unable.map((c) => CONDITION_TEXT[c]).join(", ")
        } did not pass the learning check: no verdict for ${unable.length > 1 ? "them" : "it"}.)`
        : ""),
  );

  // (b) easy-skill retention under over-hard training, and the controls
  const easyText = easy.length ? `levels ${easy.join(", ")}` : "none";
  const oh = finalChange(rows, "over_hard", "easy_pass");
  if (!easy.length || !oh) {
    out.push(
      `- **(b) Retention.** Cannot decide: easy levels ${easyText}; over-hard condition ${
        oh ? "run" : "not run"
      }.`,
    );
  } else {
    const perRows = perStep.objects() as {
      condition: Condition;
      seed: number;
      step: number;
      easy_pass: number;
    }[];
    const lastStep = (c: Condition) =>
      Math.max(...perRows.filter((r) => r.condition === c).map((r) => r.step));
    const finals = (c: Condition) => {
      const s = lastStep(c);
      return perRows.filter((r) => r.condition === c && r.step === s).map((r) => r.easy_pass);
    };
    const versus = (c: Condition) => {
      if (!has(c)) return "";
      const d = diffInterval(finals(c), finals("over_hard"));
      const ctl = finalChange(rows, c, "easy_pass");
      return ` With ${CONDITION_TEXT[c]}: ${describe(ctl)}; its final easy pass minus over-hard's ${
        signed2(d.diff)
      } ${ci(d)}` +
        (d.lo > 0
          ? " (the control retained more)."
          : d.hi < 0
          ? " (the control retained less)."
          : " (no clear difference).");
    };
    const uni = has("uniform")
      ? ` Uniform for comparison: ${describe(finalChange(rows, "uniform", "easy_pass"))}.`
      : "";
    const hard = (learning.objects() as LearningRow[]).find((r) =>
      r.condition === "over_hard" && r.measure === "sampled_pass"
    );
    const hardText = hard
      ? ` Over-hard levels ${hard.levels} (start pass at the training temperature ${fixed2(hard.start)}).`
      : "";
    out.push(
      `- **(b) Retention of easy skill** (greedy pass on ${easyText}, mastered at step 0).${hardText} Over-hard only: ${
        describe(oh)
      }. ` +
        (direction(oh) === "down"
          ? "Over-hard training **degraded skills the model had: supports** the claim."
          : direction(oh) === "up"
          ? "Easy-level skill *rose*: **contradicts** the claim's harm."
          : `No measurable loss: ${nullVerdict(anyLearned, "easy-level pass did not move")}.`) +
        versus("over_hard_kl") + versus("over_hard_easy") + uni,
    );
  }

  // (c) shortcut indicators under over-hard training
  const indicators: { m: StepMeasure; name: string; shortcut: "up" | "down" }[] = [
    { m: "entropy", name: "answer entropy across problems (bits)", shortcut: "down" },
    { m: "repetition", name: "share of the most frequent answer", shortcut: "up" },
    { m: "valid", name: "valid derivations", shortcut: "down" },
    { m: "copy", name: "answers copying the last operand", shortcut: "up" },
    { m: "steps_written", name: "scratchpad steps written / expected", shortcut: "down" },
  ];
  if (!has("over_hard")) {
    out.push("- **(c) Shortcuts.** Cannot decide: the over-hard condition was not run.");
  } else {
    const moved = indicators.map((i) => ({ ...i, r: finalChange(rows, "over_hard", i.m) }));
    const toward = moved.filter((i) => i.r && direction(i.r) === i.shortcut);
    const against = moved.filter((i) => i.r && direction(i.r) !== "flat" && direction(i.r) !== i.shortcut);
    out.push(
      `- **(c) Shortcut indicators** under over-hard training (all levels averaged): ` +
        moved.map((i) => `${i.name} ${describe(i.r)}`).join("; ") + ". " +
        (toward.length >= 2
          ? `${toward.length} of ${indicators.length} moved the shortcut way (${
            toward.map((i) => i.m).join(", ")
          }): **supports** the claim that over-hard samples teach shortcuts.`
          : toward.length === 1
          ? `Only ${toward[0].m} moved the shortcut way${
            against.length ? `, while ${against.map((i) => i.m).join(", ")} moved against it` : ""
          }: **cannot decide**.`
          : `None moved the shortcut way with an interval excluding zero: ${
            nullVerdict(anyLearned, "no shortcut indicator moved")
          }.`),
    );
  }

  // accidental successes, with t intervals over seeds
  const lr = (luck.objects() as Record<string, number | string>[]).find((r) => r.condition === "over_hard");
  if (lr) {
    const v = (name: string) =>
      `${fixed2(Number(lr[name]))} ${intervalText(Number(lr[`${name}_lo`]), Number(lr[`${name}_hi`]))}`;
    out.push(
      `- **Accidental successes** (over-hard, training batches; 95% t intervals over seeds): ${
        v("lone_successes_per_step")
      } groups per step had a single success; ${
        v("lone_success_invalid_share")
      } of those came from an invalid scratchpad, and each received a mean advantage of ${
        v("lone_success_advantage")
      }; ${v("groups_with_variance")} of groups carried any reward variance.`,
    );
  }
  return out.join("\n");
}
