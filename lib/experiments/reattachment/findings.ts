/**
 * The generated text of notebook 02's first sections, every number from the
 * tables (tables.ts): what each base model does bare (per level, against its
 * ceiling and chance; macro-F1 for labels), what each harness mode does, and
 * the gates' verdicts with the modes whose downstream results may be read.
 *
 * @example
 * ```ts
 * import { assertStringIncludes } from "@std/assert";
 * import * as aq from "arquero";
 * import { baseFindings } from "./findings.ts";
 * const row = { family: "arithmetic", level: 1, seeds: 2, accuracy: 0.9, lo: 0.8, hi: 1, macro_f1: null, f1_lo: null, f1_hi: null, ceiling: 1, chance: 0.1 };
 * assertStringIncludes(baseFindings(aq.from([row])), "L1 0.90 [0.80, 1.00]");
 * ```
 */
import { fixed2, intervalText, signed2 } from "../format.ts";
import type { HarnessFamily } from "./params.ts";
import { type GateCheck, HARNESS_TEXT } from "./tables.ts";

interface BaseRow {
  family: HarnessFamily;
  level: number;
  seeds: number;
  accuracy: number;
  lo: number;
  hi: number;
  macro_f1: number | null;
  f1_lo: number | null;
  f1_hi: number | null;
  ceiling: number;
  chance: number;
}

const acc = (r: { level: number; accuracy: number; lo: number; hi: number }) =>
  `L${r.level} ${fixed2(r.accuracy)} ${intervalText(r.lo, r.hi)}`;

/** One bullet per base model: bare accuracy per level, against ceiling and chance. */
export function baseFindings(base: { objects(): object[] }): string {
  const rows = base.objects() as BaseRow[];
  const families = [...new Set(rows.map((r) => r.family))];
  return families.map((family) => {
    const mine = rows.filter((r) => r.family === family).sort((a, b) => a.level - b.level);
    const seeds = mine[0].seeds;
    const how = seeds > 1 ? `mean over ${seeds} seeds, 95% t interval` : "one seed, Wilson 95% interval";
    if (family === "arithmetic") {
      return `- **Arithmetic base model, bare** (exact match, ${how}; chance ${fixed2(mine[0].chance)}): ` +
        `${mine.map(acc).join(", ")}.`;
    }
    return `- **Precedent base model, bare** (accuracy, ${how}): ${mine.map(acc).join(", ")}; ` +
      `macro-F1 ${
        mine.map((r) =>
          `L${r.level} ${fixed2(r.macro_f1 ?? NaN)} ${intervalText(r.f1_lo ?? NaN, r.f1_hi ?? NaN)}`
        ).join(", ")
      }; ` +
      `the exact Bayes ceiling ${mine.map((r) => `L${r.level} ${fixed2(r.ceiling)}`).join(", ")}: ` +
      `bare reaches ${mine.map((r) => `${fixed2(r.accuracy / r.ceiling)}`).join(", ")} of it.`;
  }).join("\n");
}

/** The gates' sentences and which base models and harness modes downstream results may rest on. */
export function gateFindings(checks: readonly GateCheck[]): string {
  const label = (c: GateCheck) =>
    `${HARNESS_TEXT[c.family]} (${c.mode === "harness" ? "harness" : `${c.mode} bank`})`;
  const seeds = (xs: number[]) => xs.map((s) => `s${s}`).join(", ");
  const usable = checks.filter((c) => c.passedSeeds.length > 0)
    .map((c) => `${label(c)} on ${c.passed ? "every base model" : `base models ${seeds(c.passedSeeds)}`}`);
  const lines = checks.map((c) => `- ${c.sentence}`);
  lines.push(
    `- **What this allows.** Distillation and reattachment results (analysis 2's later sections) can be read for ` +
      `${
        usable.length ? usable.join("; ") : "no harness mode on any base model"
      }; for every other base model ` +
      `and harness mode nothing is claimed.`,
  );
  return lines.join("\n");
}

/** One sentence on the verify call, from verifyTable: how often it revised, and which way (descriptive). */
export function verifyFindings(verify: { objects(): object[] }): string {
  const rows = verify.objects() as {
    mode: string;
    revised: number;
    right_to_wrong: number;
    wrong_to_right: number;
    draft: number;
    final: number;
  }[];
  if (rows.length === 0) return "";
  const avg = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
  const modes = [...new Set(rows.map((r) => r.mode))];
  return `- **The verify call** (shares of problems, means over levels and seeds; descriptive): ` +
    modes.map((m) => {
      const mine = rows.filter((r) => r.mode === m);
      const mean = (k: "revised" | "right_to_wrong" | "wrong_to_right" | "draft" | "final") =>
        avg(mine.map((r) => r[k]));
      return `${m} bank: revised ${fixed2(mean("revised"))}, a wrong draft made right ${
        fixed2(mean("wrong_to_right"))
      }, ` +
        `a right draft made wrong ${fixed2(mean("right_to_wrong"))}; draft accuracy ${
          fixed2(mean("draft"))
        }, ` +
        `final ${fixed2(mean("final"))} (${signed2(mean("final") - mean("draft"))})`;
    }).join("; ") + ".";
}
