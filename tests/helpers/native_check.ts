/**
 * Checks for the native kernels (lib/core/native): an op's native result and
 * gradient against tfjs's stock path (the provider suspended) and against a
 * float64 reference whose gradient is taken by central differences in double.
 *
 * `checkOp` draws seeded inputs, then asserts, for the forward values and the
 * gradient of sum(r * f(inputs)) for a random r:
 *  - |native - reference64| <= tol * (1 + |reference64|), per element;
 *  - |native - stock| within the same bound (both are float32 approximations).
 */
import * as tf from "@tensorflow/tfjs";
import { assert } from "@std/assert";
import { Rng } from "../../lib/core/rng.ts";
import { NATIVE_LIBRARY, nativeKernelsActive, withStockKernels } from "../../lib/core/native/mod.ts";

/** Whether scripts/setup.sh built the native library here (the native tests are skipped if not). */
export const NATIVE_BUILT = await Deno.stat(NATIVE_LIBRARY).then(() => true, () => false);

export interface InputSpec {
  shape: number[];
  /** int32 inputs are drawn in [0, max). */
  int?: number;
  /** Scale of float inputs (normal draws times this). */
  scale?: number;
  /** Not differentiated (e.g. rotary tables). */
  constant?: boolean;
  /** Fixed values instead of random draws. */
  values?: number[];
}

export interface OpCheck {
  name: string;
  inputs: InputSpec[];
  /** The op under test on tensors; called with the provider active and suspended. */
  op: (...xs: tf.Tensor[]) => tf.Tensor;
  /** float64 reference on the same values (flat arrays, row-major). */
  ref: (...xs: Float64Array[]) => Float64Array;
  /** Relative tolerance of values (default 2e-6) and gradients (default 2e-4). */
  tol?: number;
  gradTol?: number;
  /** Skip gradients (e.g. inference-only ops). */
  noGrad?: boolean;
  /** Skip the comparison with the stock path (where the stock kernel is wrong or absent). */
  noStock?: boolean;
  seed?: number;
}

function draw(spec: InputSpec, rng: Rng): Float64Array {
  const n = spec.shape.reduce((a, b) => a * b, 1);
  if (spec.values) return Float64Array.from(spec.values);
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    out[i] = spec.int ? rng.int(spec.int) : Math.fround(rng.normal() * (spec.scale ?? 1));
  }
  return out;
}

/** Largest |a - b| / (1 + |b|). */
export function maxRelErr(a: ArrayLike<number>, b: ArrayLike<number>): number {
  assert(a.length === b.length, `lengths differ: ${a.length} vs ${b.length}`);
  let m = 0;
  for (let i = 0; i < a.length; i++) {
    const e = Math.abs(a[i] - b[i]) / (1 + Math.abs(b[i]));
    if (!(e <= m)) m = Number.isNaN(e) ? Infinity : e;
  }
  return m;
}

function assertClose(what: string, a: ArrayLike<number>, b: ArrayLike<number>, tol: number) {
  const e = maxRelErr(a, b);
  assert(e <= tol, `${what}: max relative error ${e.toExponential(2)} > ${tol}`);
}

/** Values and gradients (of sum(r * op)) of the op on the current path. */
function run(c: OpCheck, values: Float64Array[], r: Float64Array | undefined) {
  return tf.tidy(() => {
    const xs = c.inputs.map((s, i) =>
      s.int
        ? tf.tensor(Int32Array.from(values[i]), s.shape, "int32")
        : tf.tensor(Float32Array.from(values[i]), s.shape)
    );
    const y = c.op(...xs);
    const out = { y: Array.from(y.dataSync()), grads: [] as number[][] };
    if (c.noGrad || !r) return out;
    const diff = c.inputs.map((s, i) => (!s.int && !s.constant ? i : -1)).filter((i) => i >= 0);
    const rt = tf.tensor(Float32Array.from(r), y.shape);
    const g = tf.grads((...ds: tf.Tensor[]) => {
      const all = xs.slice();
      diff.forEach((k, j) => (all[k] = ds[j]));
      return tf.sum(tf.mul(c.op(...all), rt));
    })(diff.map((k) => xs[k]));
    out.grads = g.map((t) => Array.from(t.dataSync()));
    return out;
  });
}

/** Gradient of sum(r * ref) by central differences in float64. */
function refGrads(c: OpCheck, values: Float64Array[], r: Float64Array): number[][] {
  const out: number[][] = [];
  const f = (vs: Float64Array[]) => c.ref(...vs).reduce((a, v, i) => a + v * r[i], 0);
  c.inputs.forEach((s, k) => {
    if (s.int || s.constant) return;
    const g: number[] = [];
    for (let i = 0; i < values[k].length; i++) {
      const h = 1e-6 * Math.max(1, Math.abs(values[k][i]));
      const plus = values.map((v) => v.slice()), minus = values.map((v) => v.slice());
      plus[k][i] += h;
      minus[k][i] -= h;
      g.push((f(plus) - f(minus)) / (2 * h));
    }
    out.push(g);
  });
  return out;
}

/** Run the three-way comparison (native, stock, float64) of one op. */
export function checkOp(c: OpCheck): void {
  assert(nativeKernelsActive(), "checkOp needs the native kernels active (useWasm() with the library built)");
  const rng = new Rng(c.seed ?? 1);
  const values = c.inputs.map((s) => draw(s, rng));
  const ref = c.ref(...values);
  const r = c.noGrad ? undefined : Float64Array.from(ref, () => Math.fround(rng.normal()));
  const native = run(c, values, r);
  const stock = c.noStock ? undefined : withStockKernels(() => run(c, values, r));
  const tol = c.tol ?? 2e-6, gradTol = c.gradTol ?? 2e-4;
  assertClose(`${c.name} native vs float64`, native.y, ref, tol);
  if (stock) assertClose(`${c.name} native vs stock`, native.y, stock.y, tol);
  if (!r) return;
  const refG = refGrads(c, values, r);
  native.grads.forEach((g, i) => {
    assertClose(`${c.name} gradient ${i} native vs float64`, g, refG[i], gradTol);
    if (stock) assertClose(`${c.name} gradient ${i} native vs stock`, g, stock.grads[i], gradTol);
  });
}
