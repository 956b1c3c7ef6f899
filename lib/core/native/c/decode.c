/*
 * One sampling step of the whole model in one call: token (and learned
 * position) embeddings, every block (LayerNorm, fused q/k/v linear, attention
 * against the preallocated KV cache written in place, output projection and
 * residual, LayerNorm, MLP and residual), the final LayerNorm on each row's
 * last position, the tied lm_head and log-softmax. It calls the same
 * pointer-level kernels the per-op path runs, in the same order, so its
 * numbers are those of the per-op native path; only the ~25 tfjs kernel
 * dispatches a step (about 10 us each) are gone.
 *
 * table (u32 byte offsets; 0 = absent): ids, pos, wte, wpe, cos, sin, ln_f.w,
 * ln_f.b, out, then per layer ln_1.w, ln_1.b, c_attn.w, c_attn.b,
 * attn.c_proj.w, attn.c_proj.b, ln_2.w, ln_2.b, c_fc.w, c_fc.b, mlp.c_proj.w,
 * mlp.c_proj.b, key cache, value cache.
 */
#include <stdlib.h>
#include <string.h>
#include "hl.h"

#define HL_DECODE_HEAD 9
#define HL_DECODE_LAYER 14

static const float *opt(uint8_t *heap, uint32_t off) { return off ? HL_F(heap, off) : NULL; }

int hl_decode_step(uint8_t *heap, const uint32_t *table, int L, int act, int B, int T, int C, int H, int V, int P,
                   int start, int smax, float eps, float scale) {
  if (!heap) return -1;
  int N = B * T, D = C / H, F = 4 * C;
  const int32_t *ids = HL_I(heap, table[0]), *pos = table[1] ? HL_I(heap, table[1]) : NULL;
  const float *wte = HL_F(heap, table[2]), *wpe = opt(heap, table[3]);
  const float *cosT = opt(heap, table[4]), *sinT = opt(heap, table[5]);
  size_t words = (size_t)N * (4 * C + 3 * C + F) + (size_t)B * V; /* x, h, y, t; qkv; f; logits */
  float *mem = malloc(sizeof(float) * words);
  if (!mem) return -2;
  float *x = mem, *h = x + (size_t)N * C, *y = h + (size_t)N * C, *t = y + (size_t)N * C;
  float *qkv = t + (size_t)N * C, *f = qkv + (size_t)N * 3 * C, *logits = f + (size_t)N * F;
  int code = 0;
  for (int n = 0; n < N && !code; n++) {
    if (ids[n] < 0 || ids[n] >= V || (pos && (pos[n] < 0 || pos[n] >= P))) code = -4;
    for (int c = 0; c < C && !code; c++) {
      float e = wte[(size_t)ids[n] * C + c];
      x[(size_t)n * C + c] = pos ? e + wpe[(size_t)pos[n] * C + c] : e;
    }
  }
  for (int l = 0; l < L && !code; l++) {
    const uint32_t *w = table + HL_DECODE_HEAD + (size_t)l * HL_DECODE_LAYER;
    hl_layernorm_rows(x, HL_F(heap, w[0]), opt(heap, w[1]), h, N, C, eps);
    hl_linear_rows(h, HL_F(heap, w[2]), opt(heap, w[3]), qkv, N, C, 3 * C);
    code = hl_attend_cached(qkv, HL_F(heap, w[12]), HL_F(heap, w[13]), y, cosT, sinT, B, T, H, D, start, smax, scale);
    if (code) break;
    hl_linear_rows(y, HL_F(heap, w[4]), opt(heap, w[5]), t, N, C, C);
    for (size_t i = 0; i < (size_t)N * C; i++) x[i] = x[i] + t[i];
    hl_layernorm_rows(x, HL_F(heap, w[6]), opt(heap, w[7]), h, N, C, eps);
    hl_linear_rows(h, HL_F(heap, w[8]), opt(heap, w[9]), f, N, C, F);
    hl_activation(f, f, (size_t)N * F, act);
    hl_linear_rows(f, HL_F(heap, w[10]), opt(heap, w[11]), t, N, F, C);
    for (size_t i = 0; i < (size_t)N * C; i++) x[i] = x[i] + t[i];
  }
  if (!code) {
    /* Each row's last position only: LayerNorm is row-wise, so this is the full forward's value there. */
    for (int b = 0; b < B; b++) memcpy(y + (size_t)b * C, x + ((size_t)b * T + T - 1) * C, sizeof(float) * C);
    hl_layernorm_rows(y, HL_F(heap, table[6]), opt(heap, table[7]), h, B, C, eps);
    hl_gemm(0, 1, B, V, C, 1.0f, h, C, wte, C, 0.0f, logits, V);
    hl_log_softmax_rows(logits, HL_F(heap, table[8]), B, V);
  }
  free(mem);
  return code;
}
