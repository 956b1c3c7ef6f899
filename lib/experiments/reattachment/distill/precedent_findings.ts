/**
 * Findings of notebook 02's precedent-family distillation section, generated
 * from its tables (precedent.ts): the standalone verdict (the arithmetic
 * sections' `standaloneFindings`, on the precedent training levels) and, per
 * bank mode, whether reattaching draft-verify helps, does nothing, or hurts,
 * gated on the power check, the teacher check (the start model reads its
 * contexts) and format retention (a method that lost the draft or verify
 * call runs draft-verify broken, so its reattachment is not judged); and
 * GRPO's share of groups that carried a signal.
 *
 * @example
 * ```ts
 * import { assertStringIncludes } from "@std/assert";
 * import { precedentReattachFindings } from "./precedent_findings.ts";
 * const row = { method: "ophsd_trace", group: "ophsd", text: "", seeds: 3, bare: 0.7, bare_lo: 0.6, bare_hi: 0.8, harness: 0.9, reattach: 0.2, lo: 0.1, hi: 0.3, effect: "helps", vs_base: 0, vs_base_lo: -0.1, vs_base_hi: 0.1 };
 * const power = [{ method: "ophsd_trace", seeds: 3, signal: "loss", first: 1, last: 0.5, signal_ok: 3, acc_before: 0.6, acc_after: 0.7, acc_change: 0.1, lo: 0.05, hi: 0.15, learned: true }];
 * assertStringIncludes(precedentReattachFindings({ warm: [row] }, power, "the gate passed."), "contradicted for ophsd_trace");
 * ```
 */
import { intervalText, signed2 } from "../../../experiments/format.ts";
import { fixed2 } from "../../../experiments/format.ts";
import {
  forgottenFormats,
  type PowerRow,
  type ReattachRow,
  type RetentionSummary,
  type VariedGroupsRow,
} from "./tables.ts";
import { reattachVerdict, type TeacherCheck } from "./findings.ts";

/** The precedent teacher contexts; each holds the label, so reading it completes the answer exactly. */
export const PRECEDENT_CONTEXTS: readonly string[] = ["answer", "answer_like", "trace"];

/** Draft-verify's two calls, probed by format retention. */
const CALLS = ["draft", "verify"] as const;

/**
 * Methods whose exact match on a draft-verify call fell below half the start model's (tables.ts
 * `forgottenFormats`), with the values (`"verify 0.12"`), in row order.
 */
export function forgottenCalls(retention: readonly RetentionSummary[]): Map<string, string[]> {
  return new Map(
    [...forgottenFormats(retention, CALLS)].map((
      [m, rows],
    ) => [m, rows.map((r) => `${r.format} ${fixed2(r.exact)}`)]),
  );
}

const iv = (lo: number, hi: number) => intervalText(lo, hi, { signed: true });
const MODE_TEXT: Record<string, string> = { fresh: "fresh bank", warm: "warm bank" };

/** Per bank mode: draft-verify minus bare on the training levels per method, and the OPHSD claim's verdict. */
export function precedentReattachFindings(
  byMode: Record<string, readonly ReattachRow[]>,
  power: readonly PowerRow[],
  gateSentence: string,
  teacher?: TeacherCheck,
  retention: readonly RetentionSummary[] = [],
): string {
  const learned = new Set(power.filter((p) => p.learned).map((p) => p.method));
  const forgot = forgottenCalls(retention);
  const lines = Object.entries(byMode).map(([mode, rows]) => {
    const parts = rows.map((r) =>
      `${r.method} ${signed2(r.reattach)} ${iv(r.lo, r.hi)} (${r.effect}${
        r.method !== "base" && !learned.has(r.method) ? "; did not learn" : ""
      }${
        forgot.has(r.method) ? `; lost a draft-verify call: ${forgot.get(r.method)!.join(", ")} exact` : ""
      })`
    );
    const ophsd = rows.filter((r) => r.group === "ophsd" && learned.has(r.method) && !forgot.has(r.method));
    const verdict = teacher && !teacher.ok ? `cannot decide at this scale: ${teacher.why}` : reattachVerdict(
      ophsd,
      "no OPHSD variant both passed the power check and kept its draft and verify calls",
      rows.find((r) => r.method === "base")?.reattach,
    );
    // The ablations do not enter the verdict (as in the arithmetic sections), but one that learned, kept its
    // calls and still gains from reattaching is said beside it.
    const ablations = rows.filter((r) =>
      r.group === "ablation" && learned.has(r.method) && !forgot.has(r.method) && r.effect === "helps"
    ).map((r) => r.method);
    return `- **${
      MODE_TEXT[mode] ?? mode
    }**: draft-verify minus bare on the training levels, paired by seed: ${
      parts.join("; ")
    }. Claim "reattaching gives no gain or degrades" (OPHSD): **${verdict}**${
      ablations.length
        ? ` (the verdict counts the OPHSD methods, not the ablations; of these, ${
          ablations.join(", ")
        } learned, kept its calls and still gains from reattaching)`
        : ""
    }.`;
  });
  return `**Precedent family: does reattaching draft-verify help?** Positive control (the harness helps the ` +
    `start model): ${gateSentence}\n\n${lines.join("\n")}`;
}

/** GRPO's groups with reward variance (the only ones with a nonzero advantage), one sentence. */
export function variedGroupsFindings(rows: readonly VariedGroupsRow[]): string {
  return rows.map((r) =>
    `**${r.method}: groups with a learning signal.** ${r.groups} prompts x ${r.group_size} samples a step; ` +
    `the share of groups whose rewards differ (the rest have zero advantage) is ${fixed2(r.varied)} ${
      intervalText(r.lo, r.hi)
    } over ${r.seeds} seeds (first quarter of steps ${fixed2(r.varied_first)}, last ${
      fixed2(r.varied_last)
    }), ` +
    `i.e. about ${fixed2(r.varied * r.groups * r.group_size)} of ${
      r.groups * r.group_size
    } rollouts a step ` +
    "carry a gradient."
  ).join("\n\n");
}
