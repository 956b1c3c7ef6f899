/**
 * The quickstart's findings in Markdown, generated from levelSummary's table:
 * which levels were learned, and whether any level beyond the trained range
 * is above chance (with the chance of a spurious exclusion across levels).
 *
 * @example
 * ```ts
 * import { assertStringIncludes } from "@std/assert";
 * import * as aq from "arquero";
 * import { quickstartFindings } from "./findings.ts";
 * const row = { level: 1, trained: true, seeds: 2, mean: 0.9, lo: 0.8, hi: 1, chance: 0.1, vs_chance: "above" };
 * assertStringIncludes(quickstartFindings(aq.from([row]) as never), "1 of 1 trained levels are above chance");
 * ```
 */
import { meanInterval } from "../../stats/intervals.ts";
import { fixed2, intervalText } from "../format.ts";
import type { levelSummary } from "./tables.ts";

interface SummaryRow {
  level: number;
  trained: boolean;
  seeds: number;
  mean: number;
  lo: number;
  hi: number;
  chance: number;
  vs_chance: string;
}

/** Findings in Markdown, every number taken from `summary` (levelSummary's table). */
export function quickstartFindings(summary: ReturnType<typeof levelSummary>): string {
  const all = summary.objects() as SummaryRow[];
  const lines: string[] = [];
  const seeds = all[0]?.seeds ?? 0;
  const describe = (group: SummaryRow[], name: string) => {
    if (!group.length) return;
    const m = meanInterval(group.map((r) => r.mean));
    lines.push(
      `- **${name}** (levels ${group.map((r) => r.level).join(", ")}): mean exact match ${fixed2(m.mean)}; ` +
        group.map((r) =>
          `L${r.level} ${fixed2(r.mean)} ${intervalText(r.lo, r.hi)} vs chance ${
            fixed2(r.chance)
          } (${r.vs_chance})`
        )
          .join("; ") +
        ".",
    );
  };
  describe(all.filter((r) => r.trained), "Trained levels");
  describe(all.filter((r) => !r.trained), "Beyond the trained range");
  const beyond = all.filter((r) => !r.trained);
  const trained = all.filter((r) => r.trained);
  const learned = trained.filter((r) => r.vs_chance === "above").length;
  const generalised = beyond.filter((r) => r.vs_chance === "above").length;
  const seedsText = `95% t interval over ${seeds} seed${seeds === 1 ? "" : "s"} excludes chance`;
  let verdict: string;
  if (learned === 0) {
    verdict = "The model did not learn the trained levels (expected at smoke scale or with too few steps), " +
      "so nothing can be said about length generalisation.";
  } else if (!beyond.length) {
    verdict = "No level beyond the trained range was evaluated.";
  } else if (generalised === 0) {
    verdict = "No longer level is above chance: with learned absolute positions the model does not " +
      "extrapolate past the trained length, as DESIGN.md expects of this position scheme.";
  } else {
    const best = beyond.reduce((a, r) => (r.mean > a.mean ? r : a));
    const above = beyond.filter((r) => r.vs_chance === "above").map((r) => `L${r.level}`).join(", ");
    verdict = best.mean < 2 * best.chance
      ? `${generalised} of ${beyond.length} longer levels (${above}) are above chance, but none reaches twice ` +
        `chance (best L${best.level} ${fixed2(best.mean)} vs ${
          fixed2(best.chance)
        }): at most a trace of length ` +
        `generalisation. With ${beyond.length} intervals at 95%, at least one excludes chance by luck alone ` +
        `${fixed2(1 - 0.95 ** beyond.length)} of the time.`
      : `${generalised} of ${beyond.length} longer levels (${above}) are above chance, the best ` +
        `L${best.level} at ${fixed2(best.mean)}: some length generalisation.`;
  }
  lines.push(`- ${learned} of ${trained.length} trained levels are above chance (${seedsText}). ${verdict}`);
  return lines.join("\n");
}
