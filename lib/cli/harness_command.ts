/**
 * `deno task lab harness`: run a harness on a frozen eval set and print the
 * per-level table (exact match with a Wilson 95% interval; for labels also
 * macro-F1 beside the Bayes ceiling), and with `--show N` N full traces, so a
 * person can see what the harness does.
 *
 *   deno task lab harness --model DIR --harness plan_solve --set arith_pm_eval [--mode harness|bare]
 *   deno task lab harness --model DIR --harness draft_verify --set precedent_eval [--mode fresh|warm|bare]
 *
 * The warm bank is `--bank FILE`, or the bank.json saved beside the model
 * (a base model's run directory holds both).
 */
import { dirname } from "node:path";
import { LabError } from "../core/errors.ts";
import { selectBackend } from "../core/backend.ts";
import { loadModelDir } from "../model/checkpoint.ts";
import { Gpt } from "../model/gpt.ts";
import { loadEvalSet } from "../tasks/eval_sets.ts";
import { makeTask } from "../tasks/task.ts";
import { bayesAccuracy, type PrecedentSettings } from "../tasks/precedent.ts";
import { HARNESS_FAMILY, harnessConfigFor, makeHarness } from "../harness/config.ts";
import { evaluateMode, levelScores, type Mode, modesFor } from "../harness/evaluate.ts";
import { MemoryBank } from "../harness/memory_bank.ts";
import { traceText } from "../harness/trace_text.ts";
import type { HarnessName } from "../harness/types.ts";
import { type Flags, numberFlag } from "./args.ts";

export const HARNESS_USAGE = "harness --model DIR --harness plan_solve|draft_verify --set NAME " +
  "[--mode bare|harness|fresh|warm] [--show N] [--per-level N] [--segment-length S] [--retrieval tfidf|embedding] " +
  "[--bank FILE] [--seed S]";

export async function harnessCommand(f: Flags): Promise<void> {
  const name = String(f.harness);
  const overrides: Record<string, unknown> = {};
  if (f["segment-length"] !== undefined) {
    overrides.segment_length = numberFlag("harness", "segment-length", f["segment-length"], 2);
  }
  if (f.retrieval !== undefined) overrides.retrieval = f.retrieval;
  const config = harnessConfigFor(name, overrides);
  const harness = makeHarness(config);
  const modes = modesFor(harness.name);
  const mode = (f.mode ?? modes[1]) as Mode;
  if (!modes.includes(mode)) {
    throw new LabError(
      `harness: mode '${mode}' does not apply to ${name}` +
        (name === "plan_solve" ? " (it has no bank)" : ""),
      `use --mode ${modes.join(" | ")}`,
    );
  }
  const set = await loadEvalSet(String(f.set));
  const family = HARNESS_FAMILY[name as HarnessName];
  if (set.family !== family) {
    throw new LabError(
      `harness: ${name} serves ${family} sets, but set '${f.set}' is ${set.family}`,
      `pick a ${family} eval set (datasets/settings.json)`,
    );
  }
  let warmBank: MemoryBank | undefined;
  if (mode === "warm") {
    const path = (f.bank as string | undefined) ??
      `${dirname(String(f.model).replace(/\/+$/, ""))}/bank.json`;
    if (!f.bank && !(await Deno.stat(path).then(() => true, () => false))) {
      throw new LabError(`harness: mode 'warm' needs a bank and ${path} does not exist`, "pass --bank FILE");
    }
    warmBank = await MemoryBank.load(path);
  }
  const perLevel = numberFlag("harness", "per-level", f["per-level"], 0);
  const byLevel = new Map<number, number>();
  const problems = set.examples.filter((e) => {
    const seen = byLevel.get(e.level) ?? 0;
    byLevel.set(e.level, seen + 1);
    return perLevel <= 0 || seen < perLevel;
  });
  await selectBackend({ quiet: true });
  const { config: modelConfig, stateDict } = await loadModelDir(String(f.model));
  const model = Gpt.fromStateDict(modelConfig, stateDict);
  try {
    const task = makeTask(set.settings);
    const results = evaluateMode(model, task, harness, problems, mode, {
      warmBank,
      seed: numberFlag("harness", "seed", f.seed, 0),
    });
    const labels = task.family === "precedent";
    const scores = levelScores(results, { labels });
    const head = `level     n  exact  95% CI (Wilson)` + (labels ? "  macro-F1  Bayes" : "");
    console.log(`${name}, mode ${mode}, set ${f.set}${warmBank ? `, warm bank of ${warmBank.size}` : ""}`);
    console.log(head);
    for (const s of scores) {
      const ceiling = labels
        ? `  ${s.macro_f1!.toFixed(3)}     ${
          bayesAccuracy(s.level, set.settings as PrecedentSettings).toFixed(3)
        }`
        : "";
      console.log(
        `${String(s.level).padStart(5)}  ${String(s.n).padStart(4)}  ${s.accuracy.toFixed(3)}  [${
          s.lo.toFixed(3)
        }, ${s.hi.toFixed(3)}]${ceiling}`,
      );
    }
    const show = numberFlag("harness", "show", f.show, 0);
    const levels = [...new Set(results.map((r) => r.problem.level))];
    for (let i = 0; i < show; i++) {
      const level = levels[levels.length - 1 - (i % levels.length)]; // hardest levels first
      const r = results.filter((x) => x.problem.level === level)[Math.floor(i / levels.length)];
      if (r) console.log("\n" + traceText(r));
    }
  } finally {
    model.dispose();
  }
}
