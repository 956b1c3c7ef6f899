/**
 * The findings of notebook 02's distillation sections, generated from the
 * tables (every number in a sentence comes from them). Order: the power
 * check first (a method that did not learn is reported as such and nothing
 * is claimed from it), then the three questions of issue 14 (does OPHSD beat
 * OPSD and the baselines standalone; does reattaching help, do nothing or
 * hurt; which teacher context carries the signal), then the live-harness
 * feedback risk, the ablations and format retention.
 *
 * @example
 * ```ts
 * import { assertStringIncludes } from "@std/assert";
 * import { powerFindings } from "./findings.ts";
 * const row = { method: "sft", seeds: 3, signal: "loss", first: 1, last: 0.1, signal_ok: 3, acc_before: 0.1, acc_after: 0.9, acc_change: 0.8, lo: 0.7, hi: 0.9, learned: true };
 * assertStringIncludes(powerFindings([row]), "1 of 1 trained methods learned");
 * ```
 */
import { fixed2, intervalText, signed2 } from "../../../experiments/format.ts";
import {
  type CompareRow,
  type FeedbackRow,
  forgottenFormats,
  type PowerRow,
  type ReattachRow,
  type RetentionSummary,
  type SegmentCalls,
} from "./tables.ts";

const iv = (lo: number, hi: number) => intervalText(lo, hi, { signed: true });

/** The power check, one sentence per method that did not learn. */
export function powerFindings(power: readonly PowerRow[]): string {
  const learned = power.filter((p) => p.learned);
  const lines = [
    `**Power check.** ${learned.length} of ${power.length} trained methods learned at this scale ` +
    "(training loss fell in every seed, GRPO: reward rose; greedy held-out accuracy on the training level moved, " +
    "pooled over seeds, paired per problem, 95% interval excluding 0)" +
    (learned.length
      ? `: ${learned.map((p) => `${p.method} (${signed2(p.acc_change)} ${iv(p.lo, p.hi)})`).join(", ")}.`
      : "."),
  ];
  const not = power.filter((p) => !p.learned);
  if (not.length) {
    lines.push(
      "Did not learn at this scale (no evidence for or against the claim): " +
        not.map((p) =>
          `${p.method} (${p.signal} ${fixed2(p.first)} -> ${
            fixed2(p.last)
          }, fell/rose in ${p.signal_ok} of ${p.seeds} seeds; ` +
          `accuracy ${fixed2(p.acc_before)} -> ${fixed2(p.acc_after)}, change ${iv(p.lo, p.hi)})`
        ).join("; ") + ".",
    );
  }
  const down = learned.filter((p) => p.hi < 0);
  if (down.length) {
    lines.push(
      `Of those that learned, ${down.map((p) => p.method).join(", ")} moved held-out accuracy *down*: ` +
        "they learned something other than the task.",
    );
  }
  return lines.join("\n\n");
}

const learnedSet = (power: readonly PowerRow[]) =>
  new Set(power.filter((p) => p.learned).map((p) => p.method));

/** Does the best OPHSD variant beat the best OPSD variant and the baselines, bare, on the training level? */
export function standaloneFindings(
  reattach: readonly ReattachRow[],
  power: readonly PowerRow[],
  compare: (a: string, b: string) => CompareRow,
  teacher?: TeacherCheck,
): string {
  const best = (group: string) =>
    reattach.filter((r) => r.group === group).sort((a, b) => b.bare - a.bare)[0];
  const ophsd = best("ophsd"), opsd = best("opsd");
  if (!ophsd) return "**Standalone.** No OPHSD method ran.";
  const learned = learnedSet(power);
  const others = [opsd?.method, "sft", "grpo", "base"].filter((m): m is string =>
    !!m && reattach.some((r) => r.method === m)
  );
  const rows = others.map((o) => compare(ophsd.method, o));
  const text = rows.map((c) => `vs ${c.b} ${signed2(c.diff)} ${iv(c.lo, c.hi)}`).join(", ");
  let verdict: string;
  if (!learned.has(ophsd.method)) {
    verdict = `cannot decide at this scale: ${ophsd.method} did not pass the power check`;
  } else if (teacher && !teacher.ok) verdict = `cannot decide at this scale: ${teacher.why}`;
  else if (rows.every((c) => c.lo > 0)) verdict = "supported";
  else if (rows.some((c) => c.hi < 0)) {
    verdict = `contradicted: ${rows.filter((c) => c.hi < 0).map((c) => c.b).join(", ")} ${
      rows.filter((c) => c.hi < 0).length > 1 ? "are" : "is"
    } higher`;
  } else {
    // A positive claim not detected: say how large an advantage over all of them the intervals still allow
    // (bounded by the tightest upper end), so a reader sees the test's reach.
    const undetected = rows.filter((c) => c.lo <= 0);
    const tightest = undetected.reduce((a, c) => (c.hi < a.hi ? c : a));
    verdict = `not reproduced: no detectable difference from ${undetected.map((c) => c.b).join(", ")}` +
      (Number.isFinite(tightest.hi) && tightest.hi > 0
        ? ` (the tightest interval, vs ${tightest.b}, still allows an advantage of up to ${
          signed2(tightest.hi)
        })`
        : "");
  }
  return `**Does OPHSD beat OPSD and the baselines standalone?** The best OPHSD variant, ${ophsd.method}, ` +
    `reaches bare accuracy ${fixed2(ophsd.bare)} ${
      intervalText(ophsd.bare_lo, ophsd.bare_hi)
    } on the training level ` +
    `(paired by seed: ${text}). Claim: **${verdict}**.`;
}

/** Does reattaching the harness help, do nothing, or hurt, per trained method? */
export function reattachFindings(
  reattach: readonly ReattachRow[],
  power: readonly PowerRow[],
  gateSentence: string,
  teacher?: TeacherCheck,
  retention: readonly RetentionSummary[] = [],
  segments?: SegmentCalls,
): string {
  const learned = learnedSet(power);
  const plan = (m: string) => retention.find((r) => r.method === m && r.format === "plan")?.exact;
  const basePlan = plan("base");
  // A model that no longer writes valid plans runs plan-solve as its bare call: reattachment then measures the format.
  const forgottenPlan = forgottenFormats(retention, ["plan"]);
  const forgotPlan = (m: string) => forgottenPlan.has(m);
  // A model that lost its segment calls (bare at the segment length) runs plan-solve on broken segments.
  const seg = (m: string) => segments?.rows.find((r) => r.method === m)?.accuracy;
  const baseSeg = seg("base");
  const lostSegments = (m: string) => baseSeg !== undefined && (seg(m) ?? baseSeg) < baseSeg / 2;
  const forgot = (m: string) => forgotPlan(m) || lostSegments(m);
  const parts = reattach.map((r) =>
    `${r.method} ${signed2(r.reattach)} ${iv(r.lo, r.hi)} (${r.effect}${
      r.method !== "base" && !learned.has(r.method) ? "; did not learn" : ""
    }${forgotPlan(r.method) ? `; forgot the plan format: plan exact ${fixed2(plan(r.method)!)}` : ""}${
      lostSegments(r.method)
        ? `; lost its segment calls: bare L${segments!.level} ${fixed2(seg(r.method)!)} (start model ${
          fixed2(baseSeg!)
        })`
        : ""
    })`
  );
  const ophsd = reattach.filter((r) => r.group === "ophsd" && learned.has(r.method) && !forgot(r.method));
  const forgetting = reattach.filter((r) => r.method !== "base" && forgot(r.method)).map((r) => r.method);
  const verdict = teacher && !teacher.ok ? `cannot decide at this scale: ${teacher.why}` : reattachVerdict(
    ophsd,
    "no OPHSD variant both passed the power check and kept its harness calls (plan and segments)",
    reattach.find((r) => r.method === "base")?.reattach,
  );
  return `**Does reattaching the harness help?** Plan-solve minus bare on the training level, paired by seed: ${
    parts.join("; ")
  }. ` +
    `Positive control (the harness helps the start model): ${gateSentence} ` +
    (forgetting.length
      ? `${forgetting.length} of ${reattach.length - 1} trained methods forgot a harness call ` +
        `(plan exact below half the start model's ${
          fixed2(basePlan ?? NaN)
        }, or bare accuracy at the segment ` +
        `length below half the start model's ${fixed2(baseSeg ?? NaN)}), so plan-solve falls back to their ` +
        "bare call or runs broken segments, and their reattachment says nothing about internalisation. "
      : "") +
    `Claim "reattaching gives no gain or degrades" (OPHSD): **${verdict}**.`;
}

/**
 * The verdict on "reattaching gives no gain or degrades" from the OPHSD rows that count (learned, kept their
 * harness calls); `none` says why there are none. "No gain" is a null: an interval that merely contains 0
 * does not show it. With `control` (the harness's gain on the start model, the positive control), a variant
 * supports the claim only when its interval's upper end lies below that gain, i.e. the data exclude the
 * harness helping the trained model as much as it helped the untrained one; a wider interval is too wide to
 * tell.
 */
export function reattachVerdict(ophsd: readonly ReattachRow[], none: string, control?: number): string {
  if (ophsd.length === 0) return `cannot decide at this scale: ${none}`;
  const margin = control !== undefined && control > 0 ? control : undefined;
  const helps = ophsd.filter((r) => r.effect === "helps").map((r) => r.method);
  const rest = ophsd.filter((r) => r.effect !== "helps");
  const holds = rest.filter((r) => margin === undefined || r.hi < margin).map((r) => r.method);
  const wide = rest.filter((r) => margin !== undefined && !(r.hi < margin));
  const gain = margin === undefined ? "" : signed2(margin);
  const wideText = wide.map((r) => `${r.method} ${iv(r.lo, r.hi)}`).join(", ");
  if (helps.length > 0) {
    return `contradicted for ${helps.join(", ")} (reattaching still helps)` +
      (holds.length ? `; holds for ${holds.join(", ")}` : "") +
      (wide.length ? `; too wide to tell for ${wideText}` : "");
  }
  if (margin === undefined) return "supported: no OPHSD variant that learned gains from reattaching";
  if (wide.length === 0) {
    return `supported: no OPHSD variant that learned gains from reattaching, and every interval excludes a gain ` +
      `as large as the harness gives the start model (${gain})`;
  }
  if (holds.length > 0) {
    return `supported for ${holds.join(", ")} (interval below the start model's gain ${gain}); ` +
      `too wide to tell for ${wideText}`;
  }
  return `cannot decide at this scale: no detectable gain, but ${wideText} ${
    wide.length === 1 ? "does" : "do"
  } not exclude a gain as large as the harness gives the start model (${gain})`;
}

/** The gate on the start models, in one sentence (which seeds distillation trained from). */
export function gateControlSentence(
  check: { passedSeeds: number[]; failedSeeds: number[] } | undefined,
): string {
  if (!check) return "no gate was checked.";
  const s = (xs: number[]) => xs.map((x) => `s${x}`).join(", ");
  return `the gate passed on the start models ${s(check.passedSeeds) || "(none)"}` +
    (check.failedSeeds.length
      ? ` and failed on ${s(check.failedSeeds)}, from which nothing was trained.`
      : ".");
}

/** Which teacher context carries the signal: each OPSD / OPHSD variant's bare gain over the start model. */
export function contextFindings(
  reattach: readonly ReattachRow[],
  power: readonly PowerRow[],
  teacher?: TeacherCheck,
): string {
  const learned = learnedSet(power);
  const rows = reattach.filter((r) => r.group === "opsd" || r.group === "ophsd").sort((a, b) =>
    b.vs_base - a.vs_base
  );
  const best = rows.find((r) =>
    learned.has(r.method) && r.vs_base_lo > 0 &&
    !teacher?.unreadable.includes(contextFormatOf(r.method) ?? "")
  );
  return `**Which teacher context carries the signal?** Bare accuracy on the training level minus the start model's, ` +
    `paired by seed: ${
      rows.map((r) =>
        `${r.method} ${signed2(r.vs_base)} ${iv(r.vs_base_lo, r.vs_base_hi)}${
          teacher?.unreadable.includes(contextFormatOf(r.method) ?? "")
            ? " (teacher cannot read this context)"
            : ""
        }${learned.has(r.method) ? "" : " (did not learn)"}`
      ).join("; ")
    }. ` +
    (best
      ? `The best context that learned and beat the start model: ${best.method} (${best.text}).`
      : "No teacher context that passed the power and teacher checks improved bare accuracy over the start model with an interval above 0.") +
    (best
      ? ""
      : " Which context carries the signal: **cannot decide at this scale** (see the power and teacher checks).");
}

/** The live-harness feedback risk, and the replay / anchor remedies. */
export function feedbackFindings(feedback: readonly FeedbackRow[], reattach: readonly ReattachRow[]): string {
  if (feedback.length === 0) return "";
  const bare = (m: string) => reattach.find((r) => r.method === m);
  return `**Live-harness feedback.** The harness's own accuracy on the training problems (first -> last quarter of steps) ` +
    `and the final bare accuracy: ${
      feedback.map((f) => {
        const r = bare(f.method);
        return `${f.method} ${fixed2(f.harness_first)} -> ${fixed2(f.harness_last)} (bare ${
          r ? fixed2(r.bare) : "n/a"
        })`;
      }).join("; ")
    }. A live harness that stops working hands the teacher a wrong context.`;
}

/** Frozen vs current teacher, reverse KL vs JSD, anchor and no replay, each against the method it varies. */
export function ablationFindings(rows: readonly CompareRow[]): string {
  if (rows.length === 0) return "";
  return `**Ablations** (bare accuracy on the training level, paired by seed): ${
    rows.map((c) => `${c.a} vs ${c.b} ${signed2(c.diff)} ${iv(c.lo, c.hi)} (${c.effect})`).join("; ")
  }.`;
}

/** Format retention of each method beside the start model's. */
export function retentionFindings(rows: readonly RetentionSummary[]): string {
  const formats = [...new Set(rows.map((r) => r.format))];
  const base = (f: string) => rows.find((r) => r.method === "base" && r.format === f);
  return `**Format retention** (exact match on gold probes; start model first): ${
    formats.map((f) =>
      `${f}: base ${fixed2(base(f)?.exact ?? NaN)}, ` +
      rows.filter((r) => r.format === f && r.method !== "base").map((r) => `${r.method} ${fixed2(r.exact)}`)
        .join(", ")
    ).join(". ")
  }. A method that forgot a format cannot be judged on reattachment through it.`;
}

/**
 * The teacher check: can the start model read the contexts it is handed as a teacher? (Exact match on gold
 * probes of each context format: copying the solution, following the trace.) A teacher that cannot read its
 * context gives little signal, so a null result from distillation is then "cannot decide".
 */
export function teacherCheck(
  rows: readonly RetentionSummary[],
  threshold = 0.5,
  copyable: readonly string[] = FULL_CONTEXTS,
): TeacherCheck {
  // The harness's own calls (plan; draft, verify) are retention, not teacher contexts.
  const base = rows.filter((r) => r.method === "base" && !HARNESS_CALLS.includes(r.format));
  // Only a context that holds every step can be completed exactly by reading; the others (answer, partial,
  // segment results) leave steps to compute, which bare cannot do at the training level.
  const weak = base.filter((r) => copyable.includes(r.format) && r.exact < threshold);
  const unreadable = weak.map((r) => r.format);
  const sentence = base.length === 0
    ? ""
    : `**Teacher check.** The start model, given a context block, completes the gold continuation exactly: ${
      base.map((r) => `${r.format} ${fixed2(r.exact)} ${intervalText(r.lo, r.hi)}`).join(", ")
    }. Of the contexts that hold every step (${copyable.join(", ")}), ` +
      (weak.length
        ? `${unreadable.join(" and ")} ${weak.length > 1 ? "are" : "is"} read exactly less than ${
          fixed2(threshold)
        } of the time: a teacher handed ${weak.length > 1 ? "them" : "it"} gives a weak signal, ` +
          `so a method distilled from ${weak.length > 1 ? "them" : "it"} decides nothing about the claim.`
        : `each is read exactly at least ${fixed2(threshold)} of the time.`) +
      (base.some((r) => !copyable.includes(r.format))
        ? " The others leave steps to compute and are not judged."
        : "");
  const trace = base.find((r) => r.format === "trace");
  return {
    ok: base.length > 0 && !unreadable.includes("trace"),
    unreadable,
    why: trace
      ? `the start model reads the harness trace unreliably (${
        fixed2(trace.exact)
      } exact on gold probes, below ${fixed2(threshold)})`
      : "no teacher check was run",
    sentence,
  };
}

/** The teacher-context format a method's teacher reads (by the method names of params.ts), or null. */
export function contextFormatOf(method: string): string | null {
  if (method.startsWith("opsd_")) return method.slice("opsd_".length);
  if (method.startsWith("ophsd_answer_like")) return "answer_like";
  if (method.startsWith("ophsd_trace")) return "trace";
  return null;
}

/** Retention formats that are the harness's own calls, not teacher contexts (plan-solve's; draft-verify's). */
export const HARNESS_CALLS: readonly string[] = ["plan", "draft", "verify"];

/** Teacher contexts that hold every step of the solution, so reading alone completes them. */
export const FULL_CONTEXTS: readonly string[] = ["solution", "trace"];

/**
 * A precondition of the distillation verdicts: `ok` when the teacher reads the harness trace (OPHSD's
 * verdicts rest on it); `unreadable` lists every full context it cannot read.
 */
export interface TeacherCheck {
  ok: boolean;
  unreadable: string[];
  why: string;
  sentence: string;
}
