/**
 * AdamW (Loshchilov & Hutter 2019) with global-norm gradient clipping, over a
 * Map of tfjs variables. As nanoGPT, weight decay applies only to tensors of
 * rank >= 2 (matrices and embeddings), not to biases and LayerNorm gains.
 * Moments live in variables so an update allocates nothing that outlives it;
 * `exportState` / `importState` round-trip them exactly for resume.
 *
 * With the native kernels active (lib/core/native), the gradient norm is one
 * native pass over all gradients (summed in double) and the update one native
 * call over all parameters, in place, with the same float ops in the same
 * order as the tfjs path below (about 14 kernels per parameter).
 *
 * Every trainer's config spreads `adamwFields` (same names, its own defaults)
 * and builds its optimizer with `adamwFor`, so the knobs mean the same thing
 * in SFT, GRPO and distillation.
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * import { z } from "zod";
 * import { adamwFields } from "./optimizer.ts";
 * const schema = z.strictObject(adamwFields({ lr: 1e-3, weight_decay: 0.1 }));
 * assertEquals(schema.parse({}), { lr: 1e-3, weight_decay: 0.1, beta1: 0.9, beta2: 0.99, grad_clip: 1 });
 * ```
 */
import * as tf from "@tensorflow/tfjs";
import { z } from "zod";
import type { StateDict } from "../model/state_dict.ts";
import { LabError } from "../core/errors.ts";
import { nativeAdamW, nativeKernelsActive, nativeSumSquares, nativeSymbols } from "../core/native/mod.ts";

export interface AdamWOptions {
  beta1: number;
  beta2: number;
  eps: number;
  weightDecay: number;
  /** Clip gradients to this global L2 norm (0 = no clipping). */
  gradClip: number;
}

/**
 * The optimizer's config fields (a zod shape to spread into a trainer's schema),
 * with that trainer's defaults for the learning rate and weight decay.
 */
export function adamwFields(defaults: { lr: number; weight_decay: number }) {
  return {
    /** Peak learning rate. */
    lr: z.number().positive().default(defaults.lr),
    /** Decoupled weight decay on matrices and embeddings (not biases or LayerNorm gains). */
    weight_decay: z.number().min(0).default(defaults.weight_decay),
    beta1: z.number().min(0).max(1).default(0.9),
    beta2: z.number().min(0).max(1).default(0.99),
    /** Clip gradients to this global L2 norm (0 = no clipping). */
    grad_clip: z.number().min(0).default(1.0),
  };
}

/** The fields `adamwFor` reads from a validated trainer config. */
export interface AdamwConfig {
  weight_decay: number;
  beta1: number;
  beta2: number;
  grad_clip: number;
}

/** The AdamW a trainer config describes (eps 1e-8), over `params`. */
export function adamwFor(params: Map<string, tf.Variable>, c: AdamwConfig): AdamW {
  return new AdamW(params, {
    beta1: c.beta1,
    beta2: c.beta2,
    eps: 1e-8,
    weightDecay: c.weight_decay,
    gradClip: c.grad_clip,
  });
}

/** Global L2 norm of a set of gradients (one device sync). */
export function globalNorm(grads: Record<string, tf.Tensor>): number {
  const sym = nativeKernelsActive() ? nativeSymbols() : undefined;
  if (sym) return Math.fround(Math.sqrt(nativeSumSquares(sym, Object.values(grads))));
  return tf.tidy(() =>
    tf.sqrt(tf.addN(Object.values(grads).map((g) => tf.sum(tf.square(g)))) as tf.Scalar).dataSync()[0]
  );
}

export class AdamW {
  readonly opts: AdamWOptions;
  #params: Map<string, tf.Variable>;
  #m = new Map<string, tf.Variable>();
  #v = new Map<string, tf.Variable>();
  /** Number of updates applied. */
  t = 0;

  constructor(params: Map<string, tf.Variable>, opts: AdamWOptions) {
    this.opts = opts;
    this.#params = params;
    for (const [name, p] of params) {
      // tidy disposes the zero tensors; each variable holds its own reference to the data.
      this.#m.set(name, tf.tidy(() => tf.variable(tf.zerosLike(p), false)));
      this.#v.set(name, tf.tidy(() => tf.variable(tf.zerosLike(p), false)));
    }
  }

  /**
   * Apply one update with learning rate `lr`, given the gradients' global norm
   * (from `globalNorm`, before clipping). Does not dispose `grads`.
   */
  apply(grads: Record<string, tf.Tensor>, lr: number, norm: number): void {
    const { beta1, beta2, eps, weightDecay, gradClip } = this.opts;
    const names = [...this.#params.keys()];
    const scale = gradClip > 0 && norm > gradClip ? gradClip / norm : 1;
    this.t += 1;
    const bc1 = 1 - Math.pow(beta1, this.t), bc2 = 1 - Math.pow(beta2, this.t);
    const sym = nativeKernelsActive() ? nativeSymbols() : undefined;
    if (sym) {
      const slots = names.map((name) => {
        const p = this.#params.get(name)!;
        return {
          p,
          m: this.#m.get(name)!,
          v: this.#v.get(name)!,
          g: grads[name],
          decay: p.rank >= 2 && weightDecay > 0,
        };
      });
      nativeAdamW(sym, slots, { lr, beta1, beta2, eps, weightDecay, bc1, bc2, scale });
      return;
    }
    tf.tidy(() => {
      for (const name of names) {
        const p = this.#params.get(name)!, m = this.#m.get(name)!, v = this.#v.get(name)!;
        const g = scale === 1 ? grads[name] : tf.mul(grads[name], scale);
        m.assign(tf.add(tf.mul(m, beta1), tf.mul(g, 1 - beta1)));
        v.assign(tf.add(tf.mul(v, beta2), tf.mul(tf.square(g), 1 - beta2)));
        const update = tf.div(tf.div(m, bc1), tf.add(tf.sqrt(tf.div(v, bc2)), eps));
        const decayed = p.rank >= 2 && weightDecay > 0 ? tf.mul(p, 1 - lr * weightDecay) : p;
        p.assign(tf.sub(decayed, tf.mul(update, lr)));
      }
    });
  }

  /** Moments as a flat state dict (`m.NAME`, `v.NAME`) plus the step count. */
  exportState(): { tensors: StateDict; t: number } {
    const tensors: StateDict = new Map();
    for (const [kind, map] of [["m", this.#m], ["v", this.#v]] as const) {
      for (const [name, x] of map) {
        tensors.set(`${kind}.${name}`, {
          shape: x.shape,
          data: Float32Array.from(x.dataSync() as Float32Array),
        });
      }
    }
    return { tensors, t: this.t };
  }

  /** Restore moments exported by `exportState`. */
  importState(state: { tensors: StateDict; t: number }, where: string): void {
    for (const [kind, map] of [["m", this.#m], ["v", this.#v]] as const) {
      for (const [name, x] of map) {
        const s = state.tensors.get(`${kind}.${name}`);
        if (!s || s.data.length !== x.size) {
          throw new LabError(
            `${where}: optimizer state for '${kind}.${name}' is missing or misshaped`,
            "delete the checkpoint to restart the run",
          );
        }
        const value = tf.tensor(s.data, x.shape);
        x.assign(value);
        value.dispose();
      }
    }
    this.t = state.t;
  }

  dispose(): void {
    for (const x of [...this.#m.values(), ...this.#v.values()]) x.dispose();
  }
}
