/**
 * The findings of analysis 1, generated from the result tables (tables.ts;
 * every number in the text comes from changeTable, perStepTable and
 * luckTable): whether (a) the productive band drifted, (b) over-hard training
 * degraded easy-level skill and whether the controls separate forgetting from
 * shortcut-taking, and (c) shortcut indicators rose; each with a verdict on
 * DESIGN.md's claim 1. Before any verdict, `startCheck` says whether the
 * start model's curve is graded at all.
 *
 * @example
 * ```ts
 * import { assertStringIncludes } from "@std/assert";
 * import { startCheck } from "./findings.ts";
 * const rows = [0.9, 0.5, 0.2].map((p, i) => ({ level: i + 1, greedy_pass: p, lo: p - 0.05, hi: p + 0.05, chance: 0.1 }));
 * assertStringIncludes(startCheck({ objects: () => rows }), "**Graded**: there is a band to move.");
 * ```
 */
import { diffInterval } from "../../stats/intervals.ts";
import { fixed2, intervalText, signed2 } from "../format.ts";
import { type Condition, CONDITION_TEXT } from "./params.ts";
import type { ChangeRow, changeTable, luckTable, perStepTable, StepMeasure } from "./tables.ts";

const ci = (r: { lo: number; hi: number }) => intervalText(r.lo, r.hi, { signed: true });
const direction = (r: { lo: number; hi: number }) => (r.lo > 0 ? "up" : r.hi < 0 ? "down" : "flat");

/** The change of `measure` at each condition's last measured step. */
function finalChange(rows: ChangeRow[], condition: Condition, measure: StepMeasure): ChangeRow | undefined {
  const mine = rows.filter((r) => r.condition === condition && r.measure === measure);
  return mine.reduce<ChangeRow | undefined>((a, r) => (!a || r.step > a.step ? r : a), undefined);
}

const describe = (r: ChangeRow | undefined, unit = "") =>
  r ? `${signed2(r.mean)}${unit} ${ci(r)} at step ${r.step}` : "not measured";

/** Markdown findings from the change, per-step and luck tables. */
export function bandFindings(
  change: ReturnType<typeof changeTable>,
  perStep: ReturnType<typeof perStepTable>,
  luck: ReturnType<typeof luckTable>,
  easy: readonly number[],
): string {
  const rows = change.objects() as ChangeRow[];
  const conds = [...new Set(rows.map((r) => r.condition))];
  const has = (c: Condition) => conds.includes(c);
  const out: string[] = [];
  const seeds = Math.max(0, ...rows.map((r) => r.n));
  out.push(`Changes are from step 0, paired per seed, with 95% t intervals over ${seeds} seeds.`);

  // (a) band drift
  const learners = (["uniform", "static_band", "adaptive_band"] as Condition[]).filter(has);
  const drifts = learners.map((c) => ({ c, r: finalChange(rows, c, "band_centre") })).filter((x) => x.r);
  const up = drifts.filter((x) => direction(x.r!) === "up");
  const down = drifts.filter((x) => direction(x.r!) === "down");
  out.push(
    `- **(a) Band drift.** Centre of the productive band (levels weighted by their share of groups with reward variance): ` +
      (drifts.length
        ? drifts.map((x) => `${CONDITION_TEXT[x.c]} ${describe(x.r, " levels")}`).join("; ")
        : learners.length
        ? "undefined (no measured group had reward variance at step 0 or at the end)"
        : "no band-learning condition was run") +
      ". " +
      (up.length
        ? `The band moved to longer problems under ${up.length} of ${drifts.length} curricula: **supports** the claim that the productive band drifts as the model learns.`
        : down.length
        ? `The band moved to *shorter* problems under ${down.length} of ${drifts.length} curricula, which the claim does not predict: **not reproduced** as stated.`
        : `No interval excludes zero: **not reproduced** at this scale (the band did not measurably move).`),
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
    out.push(
      `- **(b) Retention of easy skill** (greedy pass on ${easyText}, mastered at step 0). Over-hard only: ${
        describe(oh)
      }. ` +
        (direction(oh) === "down"
          ? "Over-hard training **degraded skills the model had: supports** the claim."
          : direction(oh) === "up"
          ? "Easy-level skill *rose*: **contradicts** the claim's harm."
          : "No measurable loss: **not reproduced** at this scale.") +
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
          : `None moved the shortcut way with an interval excluding zero: **not reproduced**.`),
    );
  }

  // accidental successes
  const lr = (luck.objects() as {
    condition: Condition;
    lone_successes_per_step: number;
    lone_success_invalid_share: number;
    lone_success_advantage: number;
    groups_with_variance: number;
  }[]).find((r) => r.condition === "over_hard");
  if (lr) {
    out.push(
      `- **Accidental successes** (over-hard, training batches): ${
        fixed2(lr.lone_successes_per_step)
      } groups per step had a single success; ` +
        `${
          fixed2(lr.lone_success_invalid_share)
        } of those came from an invalid scratchpad, and each received a mean advantage of ` +
        `${fixed2(lr.lone_success_advantage)}; only ${
          fixed2(lr.groups_with_variance)
        } of groups carried any reward variance.`,
    );
  }
  return out.join("\n");
}

/**
 * The graded-start check (DESIGN.md: "check the start model's curve before
 * running any curriculum"): how many levels lie strictly between chance and
 * mastery, and the largest drop between adjacent levels (a cliff is one big drop).
 */
export function startCheck(
  start: { objects(): object[] },
  opts: { mastered?: number; cliff?: number } = {},
): string {
  const mastered = opts.mastered ?? 0.9, cliff = opts.cliff ?? 0.5;
  const rows =
    (start.objects() as { level: number; greedy_pass: number; lo: number; hi: number; chance: number }[])
      .sort((a, b) => a.level - b.level);
  if (rows.length < 2) return "Start model: fewer than two levels measured; cannot check the curve.";
  const between = rows.filter((r) => r.lo > r.chance && r.greedy_pass < mastered);
  const nearChance = rows.filter((r) => r.lo <= r.chance);
  let drop = { size: -Infinity, from: rows[0].level };
  for (let i = 1; i < rows.length; i++) {
    const d = rows[i - 1].greedy_pass - rows[i].greedy_pass;
    if (d > drop.size) drop = { size: d, from: rows[i - 1].level };
  }
  const graded = between.length >= 2 && drop.size < cliff;
  return `**Graded-start check.** Greedy pass falls from ${fixed2(rows[0].greedy_pass)} at L${
    rows[0].level
  } to ` +
    `${fixed2(rows.at(-1)!.greedy_pass)} at L${
      rows.at(-1)!.level
    }; ${between.length} level(s) lie between chance and ` +
    `${mastered} with the Wilson interval above chance (${
      between.map((r) => `L${r.level} ${fixed2(r.greedy_pass)}`).join(", ") || "none"
    }); ` +
    `${nearChance.length} level(s) are not distinguishable from chance (${
      nearChance.map((r) => `L${r.level}`).join(", ") || "none"
    }); ` +
    `the largest drop between adjacent levels is ${fixed2(drop.size)} (L${drop.from} to L${
      drop.from + 1
    }). ` +
    (graded
      ? "**Graded**: there is a band to move."
      : `**Not graded** (needs at least two intermediate levels and no drop of ${cliff} or more): band drift cannot be tested on this start model.`);
}
