/**
 * Findings of notebook 02's precedent-family distillation section, generated
 * from its tables (precedent.ts): the standalone verdict (the arithmetic
 * sections' `standaloneFindings`, on the precedent training levels) and, per
 * bank mode, whether reattaching draft-verify helps, does nothing, or hurts.
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
import type { PowerRow, ReattachRow } from "./tables.ts";
import { reattachVerdict } from "./findings.ts";

const iv = (lo: number, hi: number) => intervalText(lo, hi, { signed: true });
const MODE_TEXT: Record<string, string> = { fresh: "fresh bank", warm: "warm bank" };

/** Per bank mode: draft-verify minus bare on the training levels per method, and the OPHSD claim's verdict. */
export function precedentReattachFindings(
  byMode: Record<string, readonly ReattachRow[]>,
  power: readonly PowerRow[],
  gateSentence: string,
): string {
  const learned = new Set(power.filter((p) => p.learned).map((p) => p.method));
  const lines = Object.entries(byMode).map(([mode, rows]) => {
    const parts = rows.map((r) =>
      `${r.method} ${signed2(r.reattach)} ${iv(r.lo, r.hi)} (${r.effect}${
        r.method !== "base" && !learned.has(r.method) ? "; did not learn" : ""
      })`
    );
    const ophsd = rows.filter((r) => r.group === "ophsd" && learned.has(r.method));
    const verdict = reattachVerdict(ophsd, "no OPHSD variant passed the power check");
    return `- **${
      MODE_TEXT[mode] ?? mode
    }**: draft-verify minus bare on the training levels, paired by seed: ${
      parts.join("; ")
    }. Claim "reattaching gives no gain or degrades" (OPHSD): **${verdict}**.`;
  });
  return `**Precedent family: does reattaching draft-verify help?** Positive control (the harness helps the ` +
    `start model): ${gateSentence}\n\n${lines.join("\n")}`;
}
