/**
 * An independent forward pass of the nanoGPT architecture in plain TypeScript
 * float64 loops (no tfjs), reading a state dict in PyTorch layout. It shares no
 * code with lib/model/gpt.ts beyond the config and state-dict types, so
 * agreement between the two checks the tfjs model's math and its weight layout.
 *
 * Math, written out literally (nanoGPT model.py, GPT-2):
 *   x = wte[tok_t] (+ wpe[t] for learned positions, t = 0..T-1)
 *   per block: x += c_proj(attn(ln_1(x))); x += mlp_c_proj(act(c_fc(ln_2(x))))
 *   logits = ln_f(x) . wte[v]   (lm_head tied to wte)
 * LayerNorm eps 1e-5 (biased variance); Linear y = W x + b with W [out, in].
 * Attention: q, k, v = columns [0, C), [C, 2C), [2C, 3C) of c_attn's output;
 * head h uses columns h*hd..(h+1)*hd-1; causal softmax(q.k / sqrt(hd)).
 * Rotary (GPT-NeoX half-split): theta_i = t * base^(-2i/hd) rotates the pair
 * (x[i], x[i + hd/2]) on q and k, i = 0..hd/2-1.
 * Activations: gelu = exact erf GELU; gelu_tanh = GPT-2's tanh approximation; relu.
 */
import type { GptConfig } from "../../lib/model/config.ts";
import type { StateDict } from "../../lib/model/state_dict.ts";

type Vec = number[];

function tensor(sd: StateDict, name: string): Float32Array {
  const t = sd.get(name);
  if (!t) throw new Error(`reference: state dict lacks '${name}'`);
  return t.data;
}

/** y = W x + b for one row, W [out, in] row-major (PyTorch Linear). */
function linear(x: Vec, sd: StateDict, prefix: string, bias: boolean): Vec {
  const w = tensor(sd, `${prefix}.weight`), b = bias ? tensor(sd, `${prefix}.bias`) : undefined;
  const inn = x.length, out = w.length / inn;
  const y: Vec = [];
  for (let o = 0; o < out; o++) {
    let s = b ? b[o] : 0;
    for (let i = 0; i < inn; i++) s += w[o * inn + i] * x[i];
    y.push(s);
  }
  return y;
}

function layerNorm(x: Vec, sd: StateDict, prefix: string, bias: boolean): Vec {
  const g = tensor(sd, `${prefix}.weight`), b = bias ? tensor(sd, `${prefix}.bias`) : undefined;
  const n = x.length;
  let mean = 0;
  for (const v of x) mean += v / n;
  let variance = 0;
  for (const v of x) variance += (v - mean) ** 2 / n;
  return x.map((v, i) => ((v - mean) / Math.sqrt(variance + 1e-5)) * g[i] + (b ? b[i] : 0));
}

/** erf to ~1e-15: Maclaurin series below |x| 2.5, erfc continued fraction above. */
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
  let f = 0;
  for (let n = 60; n >= 1; n--) f = n / 2 / (ax + f);
  return Math.sign(x) * (1 - Math.exp(-ax * ax) / Math.sqrt(Math.PI) / (ax + f));
}

/** The MLP nonlinearity named by the config. */
export function activation(v: number, kind: GptConfig["activation"]): number {
  if (kind === "relu") return Math.max(0, v);
  if (kind === "gelu") return 0.5 * v * (1 + erf(v / Math.SQRT2));
  return 0.5 * v * (1 + Math.tanh(Math.sqrt(2 / Math.PI) * (v + 0.044715 * v ** 3)));
}

/** Rotary embedding of one head vector at position `pos` (GPT-NeoX half-split layout). */
export function rope(x: Vec, pos: number, base: number): Vec {
  const hd = x.length, half = hd / 2, out = [...x];
  for (let i = 0; i < half; i++) {
    const theta = pos * Math.pow(base, (-2 * i) / hd), c = Math.cos(theta), s = Math.sin(theta);
    out[i] = x[i] * c - x[i + half] * s;
    out[i + half] = x[i + half] * c + x[i] * s;
  }
  return out;
}

function assertTokens(c: GptConfig, tokens: number[]): void {
  if (tokens.length === 0 || tokens.length > c.block_size) {
    throw new Error(`reference: ${tokens.length} tokens; need 1..block_size ${c.block_size}`);
  }
  const bad = tokens.find((t) => !Number.isInteger(t) || t < 0 || t >= c.vocab_size);
  if (bad !== undefined) throw new Error(`reference: token ${bad} outside 0..${c.vocab_size - 1}`);
}

/** Causal multi-head self-attention over rows x [T][C] (already layer-normed). */
function attention(c: GptConfig, sd: StateDict, p: string, x: Vec[]): Vec[] {
  const C = c.n_embd, hd = C / c.n_head, T = x.length;
  const qkv = x.map((row) => linear(row, sd, `${p}.attn.c_attn`, c.bias)); // [T][3C]
  const y: Vec[] = Array.from({ length: T }, () => new Array(C).fill(0)); // [T][C]
  for (let h = 0; h < c.n_head; h++) {
    const part = (t: number, which: 0 | 1 | 2) => qkv[t].slice(which * C + h * hd, which * C + (h + 1) * hd);
    const turn = (v: Vec, t: number) => c.position === "rotary" ? rope(v, t, c.rope_base) : v;
    const q = x.map((_, t) => turn(part(t, 0), t)), k = x.map((_, t) => turn(part(t, 1), t));
    const v = x.map((_, t) => part(t, 2));
    for (let i = 0; i < T; i++) {
      const scores: number[] = [];
      for (let j = 0; j <= i; j++) { // causal: keys 0..i only
        let s = 0;
        for (let d = 0; d < hd; d++) s += q[i][d] * k[j][d];
        scores.push(s / Math.sqrt(hd));
      }
      const m = Math.max(...scores), e = scores.map((s) => Math.exp(s - m));
      const z = e.reduce((a, b) => a + b, 0);
      for (let j = 0; j <= i; j++) for (let d = 0; d < hd; d++) y[i][h * hd + d] += (e[j] / z) * v[j][d];
    }
  }
  return y.map((row) => linear(row, sd, `${p}.attn.c_proj`, c.bias));
}

/** Logits [T][V] for one token sequence (positions 0..T-1), in float64. */
export function referenceLogits(c: GptConfig, sd: StateDict, tokens: number[]): number[][] {
  assertTokens(c, tokens);
  const C = c.n_embd, wte = tensor(sd, "transformer.wte.weight");
  let x: Vec[] = tokens.map((tok, t) => {
    const row: Vec = [];
    for (let i = 0; i < C; i++) row.push(wte[tok * C + i]);
    if (c.position === "learned") {
      const wpe = tensor(sd, "transformer.wpe.weight");
      for (let i = 0; i < C; i++) row[i] += wpe[t * C + i];
    }
    return row;
  });
  for (let l = 0; l < c.n_layer; l++) {
    const p = `transformer.h.${l}`;
    const a = attention(c, sd, p, x.map((row) => layerNorm(row, sd, `${p}.ln_1`, c.bias)));
    x = x.map((row, t) => row.map((v, i) => v + a[t][i]));
    const m = x.map((row) => {
      const hidden = linear(layerNorm(row, sd, `${p}.ln_2`, c.bias), sd, `${p}.mlp.c_fc`, c.bias);
      return linear(hidden.map((v) => activation(v, c.activation)), sd, `${p}.mlp.c_proj`, c.bias);
    });
    x = x.map((row, t) => row.map((v, i) => v + m[t][i]));
  }
  return x.map((row) => {
    const f = layerNorm(row, sd, "transformer.ln_f", c.bias);
    const logits: number[] = [];
    for (let v = 0; v < c.vocab_size; v++) {
      let s = 0;
      for (let i = 0; i < C; i++) s += f[i] * wte[v * C + i];
      logits.push(s);
    }
    return logits;
  });
}

/** log-softmax of one row, max-shifted. */
export function logSoftmax(row: number[]): number[] {
  const m = Math.max(...row);
  let z = 0;
  for (const v of row) z += Math.exp(v - m);
  const lse = m + Math.log(z);
  return row.map((v) => v - lse);
}

/** Log-softmax logits [T][V] for one token sequence, in float64. */
export function referenceLogProbs(c: GptConfig, sd: StateDict, tokens: number[]): number[][] {
  return referenceLogits(c, sd, tokens).map(logSoftmax);
}
