/**
 * An independent forward pass of the nanoGPT architecture in plain TypeScript
 * float64 loops (no tfjs), reading a state dict in PyTorch layout. It shares
 * no code with lib/model/gpt.ts beyond the config and state-dict types, so
 * agreement between the two checks the tfjs model's math and its weight layout.
 */
import type { GptConfig } from "../../lib/model/config.ts";
import type { StateDict } from "../../lib/model/state_dict.ts";

type Mat = number[][];

function get(sd: StateDict, name: string): { shape: number[]; data: Float32Array } {
  const t = sd.get(name);
  if (!t) throw new Error(`reference: missing ${name}`);
  return t;
}

/** y = x W^T + b with W [out, in] (PyTorch Linear). */
function linear(x: Mat, sd: StateDict, prefix: string, bias: boolean): Mat {
  const w = get(sd, `${prefix}.weight`);
  const [out, inn] = w.shape;
  const b = bias ? get(sd, `${prefix}.bias`).data : undefined;
  return x.map((row) => {
    const y = new Array(out).fill(0);
    for (let o = 0; o < out; o++) {
      let s = b ? b[o] : 0;
      for (let i = 0; i < inn; i++) s += row[i] * w.data[o * inn + i];
      y[o] = s;
    }
    return y;
  });
}

function layerNorm(x: Mat, sd: StateDict, prefix: string, bias: boolean): Mat {
  const g = get(sd, `${prefix}.weight`).data, b = bias ? get(sd, `${prefix}.bias`).data : undefined;
  return x.map((row) => {
    const n = row.length;
    const mean = row.reduce((a, v) => a + v, 0) / n;
    const variance = row.reduce((a, v) => a + (v - mean) ** 2, 0) / n;
    return row.map((v, i) => ((v - mean) / Math.sqrt(variance + 1e-5)) * g[i] + (b ? b[i] : 0));
  });
}

/** erf by Abramowitz-Stegun 7.1.26 is too coarse (1e-7); use a series/continued fraction to ~1e-15. */
export function erf(x: number): number {
  const ax = Math.abs(x);
  if (ax < 2.5) {
    let term = ax, sum = ax;
    for (let n = 1; n < 60; n++) {
      term *= (-ax * ax) / n;
      sum += term / (2 * n + 1);
    }
    return Math.sign(x) * (2 / Math.sqrt(Math.PI)) * sum;
  }
  // erfc continued fraction for large |x|
  let f = 0;
  for (let n = 60; n >= 1; n--) f = n / 2 / (ax + f);
  const erfc = Math.exp(-ax * ax) / Math.sqrt(Math.PI) / (ax + f);
  return Math.sign(x) * (1 - erfc);
}

function act(v: number, kind: GptConfig["activation"]): number {
  if (kind === "relu") return Math.max(0, v);
  if (kind === "gelu") return 0.5 * v * (1 + erf(v / Math.SQRT2));
  return 0.5 * v * (1 + Math.tanh(Math.sqrt(2 / Math.PI) * (v + 0.044715 * v ** 3)));
}

function rope(vec: number[], pos: number, base: number): number[] {
  const D = vec.length, half = D / 2, out = [...vec];
  for (let i = 0; i < half; i++) {
    const a = pos * Math.pow(base, (-2 * i) / D), c = Math.cos(a), s = Math.sin(a);
    out[i] = vec[i] * c - vec[i + half] * s;
    out[i + half] = vec[i + half] * c + vec[i] * s;
  }
  return out;
}

function assertTokens(c: GptConfig, tokens: number[]): void {
  if (tokens.length === 0 || tokens.length > c.block_size) {
    throw new Error(`reference: ${tokens.length} tokens, block_size ${c.block_size}`);
  }
  const bad = tokens.find((t) => !Number.isInteger(t) || t < 0 || t >= c.vocab_size);
  if (bad !== undefined) throw new Error(`reference: token ${bad} outside 0..${c.vocab_size - 1}`);
}

/** Log-softmax logits [T][V] for one token sequence. */
export function referenceLogProbs(c: GptConfig, sd: StateDict, tokens: number[]): number[][] {
  assertTokens(c, tokens);
  const C = c.n_embd, H = c.n_head, D = C / H, T = tokens.length;
  const wte = get(sd, "transformer.wte.weight").data;
  let x: Mat = tokens.map((tok, t) => {
    const row = Array.from({ length: C }, (_, i) => wte[tok * C + i]);
    if (c.position === "learned") {
      const wpe = get(sd, "transformer.wpe.weight").data;
      for (let i = 0; i < C; i++) row[i] += wpe[t * C + i];
    }
    return row;
  });
  for (let l = 0; l < c.n_layer; l++) {
    const p = `transformer.h.${l}`;
    const qkv = linear(layerNorm(x, sd, `${p}.ln_1`, c.bias), sd, `${p}.attn.c_attn`, c.bias);
    const y: Mat = Array.from({ length: T }, () => new Array(C).fill(0));
    for (let h = 0; h < H; h++) {
      const head = (t: number, which: number) => {
        const v = qkv[t].slice(which * C + h * D, which * C + (h + 1) * D);
        return c.position === "rotary" && which < 2 ? rope(v, t, c.rope_base) : v;
      };
      for (let i = 0; i < T; i++) {
        const q = head(i, 0);
        const scores = Array.from(
          { length: i + 1 },
          (_, j) => head(j, 1).reduce((a, kv, d) => a + kv * q[d], 0) / Math.sqrt(D),
        );
        const m = Math.max(...scores);
        const e = scores.map((s) => Math.exp(s - m));
        const z = e.reduce((a, b) => a + b, 0);
        for (let j = 0; j <= i; j++) {
          const v = head(j, 2);
          for (let d = 0; d < D; d++) y[i][h * D + d] += (e[j] / z) * v[d];
        }
      }
    }
    const attnOut = linear(y, sd, `${p}.attn.c_proj`, c.bias);
    x = x.map((row, t) => row.map((v, i) => v + attnOut[t][i]));
    const hidden = linear(layerNorm(x, sd, `${p}.ln_2`, c.bias), sd, `${p}.mlp.c_fc`, c.bias).map((r) =>
      r.map((v) => act(v, c.activation))
    );
    const mlpOut = linear(hidden, sd, `${p}.mlp.c_proj`, c.bias);
    x = x.map((row, t) => row.map((v, i) => v + mlpOut[t][i]));
  }
  x = layerNorm(x, sd, "transformer.ln_f", c.bias);
  const head = get(sd, "lm_head.weight").data;
  return x.map((row) => {
    const logits = Array.from(
      { length: c.vocab_size },
      (_, v) => row.reduce((a, xv, i) => a + xv * head[v * C + i], 0),
    );
    const m = Math.max(...logits);
    const lse = m + Math.log(logits.reduce((a, z) => a + Math.exp(z - m), 0));
    return logits.map((z) => z - lse);
  });
}
