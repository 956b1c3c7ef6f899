/**
 * Notebook 02's distillation figures: reattachment (bare vs plan-solve per
 * method, on the trained level and the next, mean over seeds with t
 * intervals), the training curves (held-out accuracy on the training level,
 * and the live harness's own accuracy on the training problems: the feedback
 * risk), and the per-token teacher-vs-student signal along one response.
 *
 * @example
 * ```ts
 * import { assertStringIncludes } from "@std/assert";
 * import * as aq from "arquero";
 * import { reattachmentFigure } from "./figures.ts";
 * const row = (mode: string) => ({ method: "sft", group: "baseline", mode, level: 3, seeds: 3, accuracy: 0.5, lo: 0.4, hi: 0.6 });
 * const fig = reattachmentFigure(aq.from([row("bare"), row("harness")]), [3]);
 * assertStringIncludes(fig.svg, "Reattaching the harness");
 * ```
 */
import { composeFigure, type Figure } from "../../../plot/figure.ts";
import { categoryIntervals } from "../../../plot/charts/category_intervals.ts";
import { stepCurves, type StepPoint } from "../../../plot/charts/step_curves.ts";
import { tokenCurves } from "../../../plot/charts/token_curves.ts";
import { seriesLegend } from "../../../plot/charts/series.ts";
import { meanInterval } from "../../../stats/intervals.ts";
import type { MethodRow } from "./tables.ts";
import type { MethodRun } from "./runs.ts";
import type { TokenSignal } from "./signal.ts";

const MODE_TEXT: Record<string, string> = { bare: "bare", harness: "plan-solve reattached" };
const clip = (x: number, fallback: number) => (Number.isFinite(x) ? Math.min(1, Math.max(0, x)) : fallback);

/** Bare vs reattached harness per method, one panel per level in `levels`. */
export function reattachmentFigure(
  table: { objects(): object[] },
  levels: readonly number[],
  trained: readonly number[] = levels,
  opts: { modeText?: Record<string, string>; title?: string; family?: string } = {},
): Figure {
  const rows = table.objects() as MethodRow[];
  const modeText = opts.modeText ?? MODE_TEXT;
  const series = [...new Set(rows.map((r) => modeText[r.mode] ?? r.mode))];
  const palette = ["#000000", "#E69F00", "#56B4E9", "#009E73"];
  const colors = Object.fromEntries(series.map((s, i) => [s, palette[i % palette.length]]));
  const panels = levels.map((level) => ({
    title: `Level ${level}${trained.includes(level) ? " (trained)" : " (not trained)"}`,
    svg: categoryIntervals(
      rows.filter((r) => r.level === level).map((r) => ({
        category: r.method,
        series: modeText[r.mode] ?? r.mode,
        mean: r.accuracy,
        lo: clip(r.lo, r.accuracy),
        hi: clip(r.hi, r.accuracy),
      })),
      { yLabel: "exact match (fraction correct)", yDomain: [0, 1], colors },
    ),
  }));
  const seeds = rows[0]?.seeds ?? 0;
  return composeFigure({
    title: opts.title ?? "Reattaching the harness: bare vs plan-solve, per method",
    subtitle: `${
      opts.family ?? "Chained arithmetic"
    }, every method from the same start model per seed (${seeds} seeds), greedy, frozen eval set.`,
    legend: seriesLegend(series, colors),
    panels,
    columns: 1,
    note: `Mean over ${seeds} seeds with a Student-t 95% interval (clipped to [0, 1]).`,
  });
}

/** Mean over seeds with a t interval of a metric per step, per method (records that carry it). */
function curves(runs: readonly MethodRun[], key: string, methods: readonly string[]): StepPoint[] {
  const out: StepPoint[] = [];
  for (const method of methods) {
    const mine = runs.filter((r) => r.method.name === method);
    const steps = [
      ...new Set(mine.flatMap((r) => r.metrics.filter((m) => typeof m[key] === "number").map((m) => m.step))),
    ]
      .sort((a, b) => a - b);
    for (const step of steps) {
      const vals = mine.map((r) => r.metrics.find((m) => m.step === step)?.[key]).filter((v): v is number =>
        typeof v === "number"
      );
      const s = meanInterval(vals);
      out.push({ step, mean: s.mean, lo: clip(s.lo, s.mean), hi: clip(s.hi, s.mean), series: method });
    }
  }
  return out;
}

/** Who ran the harness that built a method's teacher context: its config's `teacher.harness_weights` (default current). */
function builderOf(run: MethodRun): "frozen" | "current" {
  const teacher = run.method.config.teacher as { harness_weights?: string } | undefined;
  return teacher?.harness_weights === "frozen" ? "frozen" : "current";
}

/**
 * Held-out accuracy on the training level over steps per method, and the live harness's accuracy on the
 * training problems: the main methods, plus the ablations named in `alsoLive` (e.g. the one whose student
 * builds its own teacher's context), who built each context said in the subtitle.
 */
export function trainingFigure(
  runs: readonly MethodRun[],
  opts: { alsoLive?: readonly string[] } = {},
): Figure {
  const distilled = [
    ...new Set(runs.filter((r) => r.method.trainer === "distill").map((r) => r.method.name)),
  ];
  // Left: the main methods (the ablations would crowd it, and the palette holds 8 colours); right: those of them
  // whose teacher context came from the harness, and the ablations asked for (the others' harness accuracy is in
  // the feedback table).
  const main = distilled.filter((m) =>
    runs.some((r) => r.method.name === m && r.method.group !== "ablation")
  );
  const live = [...main, ...distilled.filter((m) => opts.alsoLive?.includes(m))].filter((m) =>
    runs.some((r) => r.method.name === m && r.metrics.some((x) => typeof x.harness_correct === "number"))
  );
  // harness_correct is recorded every step: smooth by averaging blocks of 10 steps.
  const smooth = (pts: StepPoint[]) => {
    const out: StepPoint[] = [];
    for (const series of new Set(pts.map((p) => p.series))) {
      const mine = pts.filter((p) => p.series === series);
      for (let s = 0; s < mine.length; s += 10) {
        const block = mine.slice(s, s + 10);
        const m = block.reduce((a, p) => a + p.mean, 0) / block.length;
        out.push({ step: block.at(-1)!.step, mean: m, lo: m, hi: m, series });
      }
    }
    return out;
  };
  const builtBy = (b: "frozen" | "current") =>
    live.filter((m) => builderOf(runs.find((r) => r.method.name === m)!) === b);
  const builders = [
    builtBy("frozen").length ? `by the frozen start model for ${builtBy("frozen").join(", ")}` : "",
    builtBy("current").length ? `by the model being trained for ${builtBy("current").join(", ")}` : "",
  ].filter(Boolean).join("; ");
  // the palette holds 8 colours (black among them), the main methods take them; the extra live series are grey
  const extra = live.filter((m) => !main.includes(m));
  const legend = seriesLegend([...main, ...extra], Object.fromEntries(extra.map((m) => [m, "#999999"])));
  const colors = Object.fromEntries(legend.map((e) => [e.label, e.color]));
  return composeFigure({
    title: "Training: does the student learn, and does the live harness keep working?",
    legend,
    subtitle:
      "Left: greedy bare accuracy on held-out problems of the training level, main methods (mean over seeds, t interval). " +
      `Right: share of training problems the harness answered right while building the teacher's context (mean over seeds, 10-step blocks); run ${
        builders || "by no method"
      }.`,
    panels: [
      {
        title: "Held-out accuracy, training level",
        svg: stepCurves(curves(runs, "acc_train", main), {
          yLabel: "exact match",
          yDomain: [0, 1],
          colors,
        }),
      },
      {
        title: "Live harness accuracy on the training problems",
        svg: stepCurves(smooth(curves(runs, "harness_correct", live)), {
          yLabel: "harness correct",
          yDomain: [0, 1],
          colors,
        }),
      },
    ],
    note:
      "A harness run by the model being trained (the reference's setup) lets a drifting student write its own " +
      "teacher's context; one run by the frozen start model cannot drift.",
  });
}

/** Teacher minus student log-prob and the per-token reverse KL along the student's sample, and the log-prob gap along the reference. */
export function tokenSignalFigure(signal: TokenSignal): Figure {
  const pts = (along: string, value: (r: TokenSignal["rows"][number]) => number) =>
    signal.rows.filter((r) => r.along === along).map((r) => ({
      position: r.position,
      token: r.token,
      value: value(r),
      series: r.context,
    }));
  const order = [...new Set(signal.rows.map((r) => r.context))];
  const legend = seriesLegend(order);
  const colors = Object.fromEntries(legend.map((e) => [e.label, e.color]));
  return composeFigure({
    title: "Where the signal comes from: the teacher under each context vs the student, token by token",
    subtitle:
      `Start model (seed ${signal.seed}), prompt ${signal.prompt}: its own sampled response ${signal.response}, ` +
      `and the reference ${signal.truth}.`,
    legend,
    panels: [
      {
        title: "Student's sample: log p_teacher - log p_student",
        svg: tokenCurves(pts("sampled", (r) => r.teacher_logp - r.student_logp), {
          yLabel: "nats",
          reference: 0,
          colors,
        }),
      },
      {
        title: "Student's sample: KL(student || teacher), the token's loss",
        svg: tokenCurves(pts("sampled", (r) => r.kl), { yLabel: "nats", colors }),
      },
      {
        title: "Reference solution: log p_teacher - log p_student",
        svg: tokenCurves(pts("reference", (r) => r.teacher_logp - r.student_logp), {
          yLabel: "nats",
          reference: 0,
          colors,
        }),
      },
    ],
    note: "Teacher = the start model reading the context; student = the same model on the bare prompt. " +
      "Above 0: the context makes the teacher endorse the token more than the student does. " +
      "On the student's sample, a large KL marks a token the teacher corrects.",
  });
}
