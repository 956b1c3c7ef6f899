/**
 * The warm memory bank of draft-verify distillation (DESIGN.md, analysis 2,
 * after the OPHSD reference): the trainer holds a bank that starts empty and
 * grows with each training batch's true labels. Each step the harness runs
 * live on the current model against the bank as it stands (so a batch never
 * retrieves its own labels), the teacher reads what it built, and then the
 * batch's labels join the bank. The bank rides in the loop's checkpoints
 * (`bankState`), so a resumed run retrieves from the same entries, and the
 * final bank is saved beside the model: it is the "warm" bank the warm-bank
 * evaluation mode reads (lib/harness/evaluate.ts).
 *
 * Departs from the reference: its bank is filled from a fixed training set;
 * here problems are drawn fresh from the generator, so the bank holds every
 * problem the trainer has seen (duplicates included).
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * import { MemoryBank } from "../../harness/memory_bank.ts";
 * import { bankEntries, bankState } from "./warm_bank.ts";
 * const bank = new MemoryBank(bankEntries([{ family: "precedent", level: 1, prompt: "^aei?", target: "B$", answer: "B" }]));
 * const copy = new MemoryBank();
 * bankState(copy).restore(bankState(bank).save());
 * assertEquals(copy.entries(), [{ prompt: "^aei?", label: "B", level: 1 }]);
 * ```
 */
import type { HarnessModel } from "../../harness/calls.ts";
import type { Rng } from "../../core/rng.ts";
import { type BankEntry, MemoryBank } from "../../harness/memory_bank.ts";
import type { Harness, Problem } from "../../harness/types.ts";
import type { TeacherContext } from "./config.ts";
import { buildContexts, type BuiltContexts } from "./teacher.ts";

/** Bank file name beside the trained model (in the run's directory). */
export const BANK_FILE = "bank.json";

/** Problems as bank entries: bare prompt and true label. */
export function bankEntries(problems: readonly Problem[]): BankEntry[] {
  return problems.map((p) => ({ prompt: p.prompt, label: p.answer, level: p.level }));
}

/** The loop's extra checkpoint state for a bank (restore fills an empty bank). */
export function bankState(bank: MemoryBank) {
  return {
    save: () => bank.toJson(),
    restore: (state: unknown) => {
      if (bank.size > 0) throw new Error("bankState.restore: the bank must be empty");
      bank.add(MemoryBank.fromJson(state, "checkpointed bank").entries());
    },
  };
}

/**
 * One step's teacher contexts from the bank as it stands (the harness's retriever for `model`, disposed
 * after), then the batch's true labels added to the bank.
 */
export function contextsThenGrow(
  context: TeacherContext,
  problems: readonly Problem[],
  opts: { model: HarnessModel; harness: Harness; bank: MemoryBank; temperature?: number; rng?: Rng },
): BuiltContexts {
  const retriever = opts.harness.retrieverFor?.(opts.model);
  try {
    return buildContexts(context, problems, { ...opts, retriever });
  } finally {
    retriever?.dispose?.();
    opts.bank.add(bankEntries(problems));
  }
}
