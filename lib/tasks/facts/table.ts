/**
 * Fact recall over a long-tailed key→value table (DESIGN.md, analysis 3: the
 * task family where a sheet of verified facts in context can supply what a
 * model did not memorise).
 *
 * World. `world_seed` fixes `n_keys` distinct two-character keys (from
 * `KEY_CHARS`, 24 characters, so 576 possible keys) in rank order, and a value
 * digit per key. Values are balanced: digit i % 10 for rank i, shuffled, so a
 * constant guess is right 10% of the time over the table (`chance` gives the
 * exact rate per frequency band). Pre-training draws keys with Zipf weights
 * 1 / (rank + 1)^`zipf`: the head is seen often, the tail rarely, which is what
 * makes memorisation graded over training budget and model size.
 *
 * Levels are frequency bands: the table's ranks split into `bands` equal parts,
 * level 1 the most frequent. The frozen eval set draws keys uniformly inside
 * each band.
 *
 * Format (the same shape as a sheet entry, see sheet.ts): prompt "^ab=",
 * target "7$". The verifier knows the table: `verify(key, completion)`.
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * import { FactTable } from "./table.ts";
 * import { Rng } from "../../core/rng.ts";
 * const t = FactTable.build({ world_seed: 1, n_keys: 40, zipf: 1, bands: 4 });
 * const q = t.sampleBand(new Rng(0), 1);
 * assertEquals(t.verify(q.key, `${t.value(q.key)}$`), true);
 * assertEquals(t.keys.length, 40);
 * ```
 */
import { z } from "zod";
import { Rng } from "../../core/rng.ts";
import { LabError } from "../../core/errors.ts";

/** Characters keys are made of (both are tokens of the lab's vocabulary). */
export const KEY_CHARS = "abcdefghijklmnopABCDEFGH";
export const MAX_KEYS = KEY_CHARS.length ** 2;

export const FactSettingsSchema = z.strictObject({
  world_seed: z.number().int().min(0).default(1),
  n_keys: z.number().int().min(10).max(MAX_KEYS).default(256),
  /** Zipf exponent of the pre-training key frequencies (0 = uniform). */
  zipf: z.number().min(0).max(3).default(1),
  /** Frequency bands (eval levels), most frequent first. */
  bands: z.number().int().min(1).max(10).default(4),
});
export type FactSettings = z.output<typeof FactSettingsSchema>;

/** One query of the frozen set or of a split. */
export interface FactQuery {
  key: string;
  /** Frequency band, 1 = most frequent. */
  level: number;
  prompt: string;
  target: string;
  answer: string;
}

/** The world: keys in rank order with their values and Zipf weights. */
export class FactTable {
  readonly #value = new Map<string, string>();
  readonly #rank = new Map<string, number>();

  private constructor(
    readonly settings: FactSettings,
    readonly keys: readonly string[],
    /** Possible keys outside the table (novel names for lookup-only rows). */
    readonly offKeys: readonly string[],
    values: readonly string[],
    readonly weights: readonly number[],
  ) {
    keys.forEach((k, i) => {
      this.#value.set(k, values[i]);
      this.#rank.set(k, i);
    });
  }

  /** The table of validated (or raw) settings. */
  static build(input: z.input<typeof FactSettingsSchema>): FactTable {
    const s = FactSettingsSchema.parse(input);
    const rng = new Rng(s.world_seed).fork("facts/world");
    const all: string[] = [];
    for (const a of KEY_CHARS) for (const b of KEY_CHARS) all.push(a + b);
    const shuffled = rng.shuffle(all);
    const keys = shuffled.slice(0, s.n_keys);
    const values = rng.shuffle(keys.map((_, i) => String(i % 10)));
    const weights = keys.map((_, r) => 1 / (r + 1) ** s.zipf);
    return new FactTable(s, keys, shuffled.slice(s.n_keys), values, weights);
  }

  /** The true value of a key (LabError for a key not in the table). */
  value(key: string): string {
    const v = this.#value.get(key);
    if (v === undefined) {
      throw new LabError(
        `key ${JSON.stringify(key)} is not in the fact table (world ${this.settings.world_seed})`,
      );
    }
    return v;
  }

  has(key: string): boolean {
    return this.#value.has(key);
  }

  /** Rank of a key, 0 = most frequent. */
  rank(key: string): number {
    const r = this.#rank.get(key);
    if (r === undefined) throw new LabError(`key ${JSON.stringify(key)} is not in the fact table`);
    return r;
  }

  /** Frequency band (level) of a key. */
  band(key: string): number {
    return Math.floor(this.rank(key) * this.settings.bands / this.keys.length) + 1;
  }

  /** Keys of band `level`. */
  bandKeys(level: number): string[] {
    return this.keys.filter((k) => this.band(k) === level);
  }

  /** Does the completion give the key's true value? */
  verify(key: string, completion: string): boolean {
    return completion.replace(/\$.*$/s, "") === this.value(key);
  }

  /** A bare query on `key`. */
  query(key: string): FactQuery {
    const answer = this.value(key);
    return { key, level: this.band(key), prompt: `^${key}=`, target: `${answer}$`, answer };
  }

  /** A key drawn by pre-training frequency. */
  sampleKey(rng: Rng): string {
    return this.keys[rng.categorical(this.weights)];
  }

  /** A query drawn uniformly inside band `level`. */
  sampleBand(rng: Rng, level: number): FactQuery {
    const keys = this.bandKeys(level);
    if (keys.length === 0) throw new LabError(`band ${level} is empty (bands 1..${this.settings.bands})`);
    return this.query(rng.choice(keys));
  }

  /** Exact chance in a band: the share of its keys whose value is the band's most common value. */
  chance(level: number): number {
    const counts = new Map<string, number>();
    const keys = this.bandKeys(level);
    for (const k of keys) counts.set(this.value(k), (counts.get(this.value(k)) ?? 0) + 1);
    return Math.max(...counts.values()) / keys.length;
  }

  /** Share of pre-training draws that land in band `level`. */
  bandMass(level: number): number {
    const total = this.weights.reduce((a, b) => a + b, 0);
    return this.keys.reduce((a, k, i) => a + (this.band(k) === level ? this.weights[i] : 0), 0) / total;
  }
}
