/**
 * Seeded random number generator: the only source of randomness in lib/.
 *
 * xoshiro128** (Blackman & Vigna 2018) on four 32-bit words, seeded through
 * splitmix32 so that nearby integer seeds give unrelated streams. Every init,
 * shuffle, data draw and sampled token traces back to a seed in a run's config:
 * callers pass an `Rng` in, and derive independent sub-streams with `fork(label)`
 * so that adding a draw in one place does not shift the draws of another.
 *
 * The state is four uint32 words; `state()` / `Rng.fromState` round-trip it
 * exactly, which is what makes resuming a run bit-identical.
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * import { Rng } from "./rng.ts";
 * const a = new Rng(42), b = new Rng(42);
 * assertEquals(a.float(), b.float()); // same seed, same draws
 * // a fork depends on its parent's state and label, not on the parent's later draws
 * const data = a.fork("data"), same = b.fork("data");
 * a.float();
 * assertEquals(data.int(10), same.int(10));
 * ```
 */

/** One splitmix32 step: returns [output, nextState]. */
function splitmix32(state: number): [number, number] {
  const next = (state + 0x9e3779b9) | 0;
  let z = next;
  z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
  z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
  z ^= z >>> 16;
  return [z >>> 0, next];
}

/** FNV-1a hash of a string to uint32, used to turn fork labels into seeds. */
export function hashString32(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** Serializable generator state: four uint32 words. */
export type RngState = [number, number, number, number];

export class Rng {
  #s: Uint32Array;

  /** Seed with any integer (only its low 32 bits and sign-folded high bits are used). */
  constructor(seed: number) {
    if (!Number.isFinite(seed)) throw new Error(`Rng seed must be a finite number, got ${seed}`);
    this.#s = new Uint32Array(4);
    let st = (Math.floor(seed) ^ Math.floor(seed / 2 ** 32)) | 0;
    for (let i = 0; i < 4; i++) {
      const [out, next] = splitmix32(st);
      this.#s[i] = out;
      st = next;
    }
    if ((this.#s[0] | this.#s[1] | this.#s[2] | this.#s[3]) === 0) this.#s[0] = 1;
  }

  /** Rebuild a generator from `state()` output; continues the exact stream. */
  static fromState(state: RngState): Rng {
    if (!Array.isArray(state) || state.length !== 4 || state.some((w) => !Number.isInteger(w) || w < 0)) {
      throw new Error(`Rng.fromState: expected four uint32 words, got ${JSON.stringify(state)}`);
    }
    const r = new Rng(0);
    r.#s.set(state);
    return r;
  }

  /** The current state, as four uint32 words (a copy). */
  state(): RngState {
    return [this.#s[0], this.#s[1], this.#s[2], this.#s[3]];
  }

  /** Next uint32. */
  nextUint32(): number {
    const s = this.#s;
    const result = Math.imul(rotl(Math.imul(s[1], 5), 7), 9) >>> 0;
    const t = s[1] << 9;
    s[2] ^= s[0];
    s[3] ^= s[1];
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    s[3] = rotl(s[3], 11);
    return result;
  }

  /** Uniform float in [0, 1) with 32 bits of resolution. */
  float(): number {
    return this.nextUint32() / 4294967296;
  }

  /** Uniform integer in [0, n). Unbiased (rejection sampling). */
  int(n: number): number {
    if (!Number.isInteger(n) || n <= 0 || n > 2 ** 32) {
      throw new Error(`Rng.int: n must be a positive integer, got ${n}`);
    }
    const limit = 4294967296 - (4294967296 % n);
    let x: number;
    do x = this.nextUint32(); while (x >= limit);
    return x % n;
  }

  /** Standard normal draw (Box-Muller, one value per call). */
  normal(): number {
    let u = 0;
    while (u === 0) u = this.float();
    const v = this.float();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  }

  /** A uniformly chosen element of a non-empty array. */
  choice<T>(xs: readonly T[]): T {
    if (xs.length === 0) throw new Error("Rng.choice: empty array");
    return xs[this.int(xs.length)];
  }

  /** Fisher-Yates shuffle in place; returns the same array. */
  shuffle<T>(xs: T[]): T[] {
    for (let i = xs.length - 1; i > 0; i--) {
      const j = this.int(i + 1);
      [xs[i], xs[j]] = [xs[j], xs[i]];
    }
    return xs;
  }

  /** Index drawn from unnormalised non-negative weights. */
  categorical(weights: ArrayLike<number>): number {
    let total = 0;
    for (let i = 0; i < weights.length; i++) total += weights[i];
    if (!(total > 0)) throw new Error("Rng.categorical: weights must have a positive sum");
    let u = this.float() * total;
    for (let i = 0; i < weights.length; i++) {
      u -= weights[i];
      if (u < 0) return i;
    }
    return weights.length - 1;
  }

  /**
   * An independent child generator named by `label`. Does not advance this
   * generator, so forks are stable however many draws happen in between.
   */
  fork(label: string): Rng {
    const h = hashString32(label);
    const r = new Rng(0);
    let st = (this.#s[0] ^ h ^ Math.imul(this.#s[2], 0x9e3779b9)) | 0;
    for (let i = 0; i < 4; i++) {
      const [out, next] = splitmix32(st ^ this.#s[(i + 1) & 3]);
      r.#s[i] = out;
      st = next;
    }
    if ((r.#s[0] | r.#s[1] | r.#s[2] | r.#s[3]) === 0) r.#s[0] = 1;
    return r;
  }
}

function rotl(x: number, k: number): number {
  return (x << k) | (x >>> (32 - k));
}
