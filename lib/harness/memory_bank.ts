/**
 * A memory bank of labelled examples (DESIGN.md, analysis 2, after the OPHSD
 * reference): bare prompts with their true labels, retrieved by similarity to
 * a query prompt. It grows with each training batch's true labels (`add`; the
 * distillation trainer calls it), or, in the "fresh" evaluation mode, with
 * each evaluation example's label after its prediction.
 *
 * Retrieval is a `Retriever` (a knob): TF-IDF over (slot, letter) features
 * (retrieval_tfidf.ts; its inverted index lives in the bank and grows with
 * it) or cosine over the model's own embeddings (retrieval_embedding.ts,
 * tied to one model). `select` scores a batch of queries once and picks
 * several neighbour sets from the same scores (the verify call's confirmers
 * and challengers).
 *
 * On disk a bank is JSON: {format, version, vocab, entries: [[prompt, label,
 * level], ...]}, written atomically. `loadBank` checks every field and that
 * the bank was written with this tokenizer, and names the file and field of
 * anything wrong.
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * import { MemoryBank, tfidfRetriever } from "./memory_bank.ts";
 * const bank = new MemoryBank([
 *   { prompt: "^aeim?", label: "A", level: 1 },
 *   { prompt: "^aeio?", label: "B", level: 1 },
 *   { prompt: "^bfjn?", label: "C", level: 1 },
 * ]);
 * const [hits] = bank.nearest(["^aeim?"], 2, tfidfRetriever);
 * assertEquals(hits.map((h) => h.entry.label), ["A", "B"]);
 * const [[others]] = bank.select(["^aeim?"], tfidfRetriever, [{ k: 1, where: (_q, e) => e.label !== "A" }]);
 * assertEquals(others.map((h) => h.entry.label), ["B"]);
 * ```
 */
import { LabError } from "../core/errors.ts";
import { writeFileAtomic } from "../core/atomic.ts";
import { encode, VOCAB } from "../tasks/tokenizer.ts";
import { checkItem } from "./context.ts";
import { TfidfIndex } from "./retrieval_tfidf.ts";
import { type Hit, topK } from "./top_k.ts";

export interface BankEntry {
  /** The bare prompt ("^aeimbf?"). */
  prompt: string;
  /** Its true label ("C"). */
  label: string;
  level: number;
}

export interface Neighbour extends Hit {
  entry: BankEntry;
}

/** Scores queries against a bank: one Float32Array(bank.size) of similarities per query. */
export interface Retriever {
  readonly name: string;
  scores(bank: MemoryBank, queries: readonly string[]): Float32Array[];
  /** Free what it holds (embedding retrievers hold tensors). */
  dispose?(): void;
}

/** TF-IDF cosine over (position, character) features: needs no model. */
export const tfidfRetriever: Retriever = {
  name: "tfidf",
  scores: (bank, queries) => bank.tfidf.scores(queries),
};

/** One neighbour set to pick per query: the k best entries that `where` admits. */
export interface Pick {
  k: number;
  where?: (query: number, entry: BankEntry, index: number) => boolean;
}

export const BANK_FORMAT = "harnesslab.memory_bank";
export const BANK_VERSION = 1;

function checkEntry(e: BankEntry, where: string): BankEntry {
  if (typeof e.prompt !== "string" || !/^\^.+$/.test(e.prompt)) {
    throw new LabError(
      `${where}.prompt is ${JSON.stringify(e.prompt)}`,
      'give a bare prompt starting with "^"',
    );
  }
  encode(e.prompt); // a LabError naming the character outside the vocabulary
  checkItem(e.prompt.slice(1), `${where}.prompt`);
  if (typeof e.label !== "string" || e.label.length === 0) {
    throw new LabError(`${where}.label is ${JSON.stringify(e.label)}`, "give the example's true label");
  }
  encode(e.label);
  checkItem(e.label, `${where}.label`);
  if (!Number.isInteger(e.level) || e.level < 1) {
    throw new LabError(
      `${where}.level is ${JSON.stringify(e.level)}`,
      "give the example's level (an integer >= 1)",
    );
  }
  return { prompt: e.prompt, label: e.label, level: e.level };
}

export class MemoryBank {
  readonly #entries: BankEntry[] = [];
  /** The TF-IDF index over the entries' prompts (grows with the bank). */
  readonly tfidf = new TfidfIndex();

  constructor(entries: readonly BankEntry[] = []) {
    this.add(entries);
  }

  get size(): number {
    return this.#entries.length;
  }

  /** Append labelled examples (checked; a bad one is a LabError and nothing is added). */
  add(entries: readonly BankEntry[]): void {
    const checked = entries.map((e, i) => checkEntry(e, `bank entry ${this.size + i}`));
    this.#entries.push(...checked);
    this.tfidf.add(checked.map((e) => e.prompt));
  }

  entry(index: number): BankEntry {
    return this.#entries[index];
  }

  /** Prompts of entries from `from` on. */
  prompts(from = 0): string[] {
    return this.#entries.slice(from).map((e) => e.prompt);
  }

  /** A copy of the entries. */
  entries(): BankEntry[] {
    return this.#entries.map((e) => ({ ...e }));
  }

  /** Similarity of each query to every entry (one Float32Array(size) per query). */
  scores(queries: readonly string[], retriever: Retriever): Float32Array[] {
    return retriever.scores(this, queries);
  }

  /** For each pick, the neighbours of each query from precomputed `scores`: result[pick][query][rank]. */
  pick(scores: readonly Float32Array[], picks: readonly Pick[]): Neighbour[][][] {
    return picks.map((p) =>
      scores.map((s, q) =>
        topK(s, p.k, p.where ? (i) => p.where!(q, this.#entries[i], i) : undefined).map((h) => ({
          ...h,
          entry: this.#entries[h.index],
        }))
      )
    );
  }

  /** Score every query once, then pick: result[pick][query][rank]. */
  select(queries: readonly string[], retriever: Retriever, picks: readonly Pick[]): Neighbour[][][] {
    return this.pick(this.scores(queries, retriever), picks);
  }

  /** The k nearest entries of each query. */
  nearest(queries: readonly string[], k: number, retriever: Retriever): Neighbour[][] {
    return this.select(queries, retriever, [{ k }])[0];
  }

  toJson(): { format: string; version: number; vocab: string; entries: [string, string, number][] } {
    return {
      format: BANK_FORMAT,
      version: BANK_VERSION,
      vocab: VOCAB,
      entries: this.#entries.map((e) => [e.prompt, e.label, e.level]),
    };
  }

  /** Write the bank as JSON, atomically (a reader never sees half a file). */
  async save(path: string): Promise<void> {
    await writeFileAtomic(path, JSON.stringify(this.toJson()));
  }

  /** A bank from its JSON form; `where` names the source in errors. */
  static fromJson(data: unknown, where = "bank"): MemoryBank {
    const fix = "regenerate the bank (it is saved beside the model it was trained with)";
    const d = data as Record<string, unknown>;
    if (d === null || typeof d !== "object" || d.format !== BANK_FORMAT) {
      throw new LabError(
        `${where}: field 'format' is ${JSON.stringify(d?.format)}, not "${BANK_FORMAT}"`,
        fix,
      );
    }
    if (d.version !== BANK_VERSION) {
      throw new LabError(
        `${where}: field 'version' is ${JSON.stringify(d.version)}, expected ${BANK_VERSION}`,
        fix,
      );
    }
    if (d.vocab !== VOCAB) {
      throw new LabError(
        `${where}: field 'vocab' is ${JSON.stringify(d.vocab)}: the bank was written with another tokenizer`,
        `use a bank written with this lab's vocabulary ${JSON.stringify(VOCAB)}, or ${fix}`,
      );
    }
    if (!Array.isArray(d.entries)) throw new LabError(`${where}: field 'entries' is not an array`, fix);
    const entries = d.entries.map((e: unknown, i: number) => {
      if (!Array.isArray(e) || e.length !== 3) {
        throw new LabError(
          `${where}: entries[${i}] is ${JSON.stringify(e)}, not [prompt, label, level]`,
          fix,
        );
      }
      return checkEntry({ prompt: e[0], label: e[1], level: e[2] }, `${where}: entries[${i}]`);
    });
    return new MemoryBank(entries);
  }

  /** Read a bank file (errors name the file and the field). */
  static async load(path: string): Promise<MemoryBank> {
    let text: string;
    try {
      text = await Deno.readTextFile(path);
    } catch (e) {
      throw new LabError(`cannot read bank file ${path}: ${(e as Error).message}`, "check the path");
    }
    let data: unknown;
    try {
      data = JSON.parse(text);
    } catch (e) {
      throw new LabError(
        `bank file ${path} is not JSON: ${(e as Error).message}`,
        "regenerate the bank (it is saved beside the model it was trained with)",
      );
    }
    return MemoryBank.fromJson(data, `bank file ${path}`);
  }
}
