/**
 * float64 references for the native kernel tests: plain loops, row-major flat
 * arrays, written from the definitions (not from the C), so a kernel and its
 * reference share no code.
 */

/** erf in double: Taylor series below 3, the continued fraction of erfc above (|error| < 1e-12). */
export function erf64(x: number): number {
  const s = Math.sign(x), a = Math.abs(x);
  if (a < 3) {
    let term = a, sum = a;
    for (let n = 1; n < 80; n++) {
      term *= (-a * a) / n;
      sum += term / (2 * n + 1);
    }
    return (s * 2 * sum) / Math.sqrt(Math.PI);
  }
  let k = a;
  for (let n = 60; n >= 1; n--) k = a + n / 2 / k;
  return s * (1 - Math.exp(-a * a) / Math.sqrt(Math.PI) / k);
}

/** Batched matmul with transposes and broadcast batch dims: shapes as tfjs's matMul. */
export function matmul64(
  a: Float64Array,
  aShape: number[],
  b: Float64Array,
  bShape: number[],
  ta = false,
  tb = false,
): Float64Array {
  const ra = aShape.length, rb = bShape.length;
  const M = ta ? aShape[ra - 1] : aShape[ra - 2], K = ta ? aShape[ra - 2] : aShape[ra - 1];
  const N = tb ? bShape[rb - 2] : bShape[rb - 1];
  const aB = aShape.slice(0, -2), bB = bShape.slice(0, -2);
  const rank = Math.max(aB.length, bB.length);
  const pa = [...new Array(rank - aB.length).fill(1), ...aB],
    pb = [...new Array(rank - bB.length).fill(1), ...bB];
  const outB = pa.map((d, i) => Math.max(d, pb[i]));
  const nb = outB.reduce((x, y) => x * y, 1);
  const out = new Float64Array(nb * M * N);
  for (let i = 0; i < nb; i++) {
    let rest = i, ai = 0, bi = 0, sa = 1, sb = 1;
    for (let d = rank - 1; d >= 0; d--) {
      const idx = rest % outB[d];
      rest = Math.floor(rest / outB[d]);
      ai += (pa[d] === 1 ? 0 : idx) * sa;
      bi += (pb[d] === 1 ? 0 : idx) * sb;
      sa *= pa[d];
      sb *= pb[d];
    }
    for (let m = 0; m < M; m++) {
      for (let n = 0; n < N; n++) {
        let s = 0;
        for (let k = 0; k < K; k++) {
          const av = a[ai * M * K + (ta ? k * M + m : m * K + k)];
          const bv = b[bi * K * N + (tb ? n * K + k : k * N + n)];
          s += av * bv;
        }
        out[i * M * N + m * N + n] = s;
      }
    }
  }
  return out;
}

/** LayerNorm over rows of length C (biased variance, eps inside the root). */
export function layerNorm64(x: Float64Array, w: Float64Array, b: Float64Array | undefined, eps = 1e-5) {
  const C = w.length, out = new Float64Array(x.length);
  for (let r = 0; r < x.length / C; r++) {
    let mean = 0, v = 0;
    for (let c = 0; c < C; c++) mean += x[r * C + c] / C;
    for (let c = 0; c < C; c++) v += (x[r * C + c] - mean) ** 2 / C;
    for (let c = 0; c < C; c++) {
      out[r * C + c] = ((x[r * C + c] - mean) / Math.sqrt(v + eps)) * w[c] + (b ? b[c] : 0);
    }
  }
  return out;
}

/** GELU: exact (x Phi(x)) or the tanh approximation. */
export function gelu64(x: Float64Array, tanh: boolean): Float64Array {
  return x.map((v) =>
    tanh
      ? 0.5 * v * (1 + Math.tanh(Math.sqrt(2 / Math.PI) * (v + 0.044715 * v ** 3)))
      : 0.5 * v * (1 + erf64(v / Math.SQRT2))
  );
}

/** Log-softmax over rows of length V. */
export function logSoftmax64(x: Float64Array, V: number): Float64Array {
  const out = new Float64Array(x.length);
  for (let r = 0; r < x.length / V; r++) {
    let mx = -Infinity, s = 0;
    for (let j = 0; j < V; j++) mx = Math.max(mx, x[r * V + j]);
    for (let j = 0; j < V; j++) s += Math.exp(x[r * V + j] - mx);
    for (let j = 0; j < V; j++) out[r * V + j] = x[r * V + j] - mx - Math.log(s);
  }
  return out;
}

/**
 * Causal self-attention from qkv [B, T, 3C] to y [B, T, C] with H heads; rotary
 * (GPT-NeoX half split) at positions start.. when `rope` is given.
 */
export function attention64(
  qkv: Float64Array,
  B: number,
  T: number,
  H: number,
  rope?: { base: number; start: number },
): Float64Array {
  const C = qkv.length / (B * T * 3), D = C / H, half = D / 2;
  const y = new Float64Array(B * T * C);
  const rot = (v: number[], t: number) => {
    if (!rope) return v;
    const out = v.slice();
    for (let i = 0; i < half; i++) {
      const ang = (rope.start + t) * Math.pow(rope.base, (-2 * i) / D);
      out[i] = v[i] * Math.cos(ang) - v[i + half] * Math.sin(ang);
      out[i + half] = v[i + half] * Math.cos(ang) + v[i] * Math.sin(ang);
    }
    return out;
  };
  const at = (b: number, t: number, part: number, h: number) =>
    Array.from({ length: D }, (_, d) => qkv[(b * T + t) * 3 * C + part * C + h * D + d]);
  for (let b = 0; b < B; b++) {
    for (let h = 0; h < H; h++) {
      for (let i = 0; i < T; i++) {
        const q = rot(at(b, i, 0, h), i);
        const s = Array.from({ length: i + 1 }, (_, j) => {
          const k = rot(at(b, j, 1, h), j);
          return q.reduce((a, v, d) => a + v * k[d], 0) / Math.sqrt(D);
        });
        const mx = Math.max(...s), e = s.map((v) => Math.exp(v - mx)), z = e.reduce((a, v) => a + v, 0);
        for (let j = 0; j <= i; j++) {
          const v = at(b, j, 2, h);
          for (let d = 0; d < D; d++) y[(b * T + i) * C + h * D + d] += (e[j] / z) * v[d];
        }
      }
    }
  }
  return y;
}
