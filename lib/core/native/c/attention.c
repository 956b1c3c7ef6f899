/*
 * Causal multi-head self-attention, softmax(q k^T / sqrt(D) + causal mask) v,
 * straight from the fused projection qkv [B, T, 3C] (q, k, v side by side, head
 * h at columns h*D of each) to y [B, T, C] (heads side by side): no head
 * transposes, no mask tensor, blocks above the diagonal skipped. Optional
 * rotary positions (GPT-NeoX half split) are applied to q and k inside.
 *
 * Training: the backward pass recomputes the probabilities from qkv instead of
 * keeping the [B, H, T, T] tensor (as FlashAttention does), so the op has one
 * output. Sampling: a preallocated KV cache, keys stored [B, H, D, S_max] and
 * values [B, S_max, C], written in place at the new positions.
 *
 * Each head is copied into zero-padded scratch (rows and columns rounded up to
 * 8) and multiplied by small register-blocked kernels on 8-float vectors (GCC
 * vector extensions: AVX2 where built with it, SSE otherwise). Every output
 * element is still one sum in index order, so the blocking changes no result;
 * per-head sgemm calls were slower at these sizes (T = 32, D = 16), where
 * OpenBLAS's fixed cost per call dominates.
 */
#include <stdlib.h>
#include <string.h>
#include "hl.h"
#include "mathf.h"

typedef float v8 __attribute__((vector_size(32)));
static inline v8 ld8(const float *p) {
  v8 v;
  memcpy(&v, p, sizeof v);
  return v;
}
static inline void st8(float *p, v8 v) { memcpy(p, &v, sizeof v); }
static inline v8 splat(float x) { return (v8){x, x, x, x, x, x, x, x}; }
static inline int up8(int n) { return (n + 7) & ~7; }

/*
 * out [Tp, Tp] rows i, columns j < up8(i + 1): sum_d a[i][d] bt[d][j]
 * (a [Tp, Dp], bt [Dp, Tp]); the causal lower part of a @ b^T.
 */
static void lower_abt(const float *a, const float *bt, int Tp, int Dp, int D, float *out) {
  for (int i0 = 0; i0 < Tp; i0 += 4) {
    for (int j0 = 0; j0 < i0 + 4; j0 += 8) {
      v8 acc0 = splat(0), acc1 = splat(0), acc2 = splat(0), acc3 = splat(0);
      for (int d = 0; d < D; d++) {
        v8 b = ld8(bt + (size_t)d * Tp + j0);
        acc0 += splat(a[(size_t)(i0 + 0) * Dp + d]) * b;
        acc1 += splat(a[(size_t)(i0 + 1) * Dp + d]) * b;
        acc2 += splat(a[(size_t)(i0 + 2) * Dp + d]) * b;
        acc3 += splat(a[(size_t)(i0 + 3) * Dp + d]) * b;
      }
      st8(out + (size_t)(i0 + 0) * Tp + j0, acc0);
      st8(out + (size_t)(i0 + 1) * Tp + j0, acc1);
      st8(out + (size_t)(i0 + 2) * Tp + j0, acc2);
      st8(out + (size_t)(i0 + 3) * Tp + j0, acc3);
    }
  }
}

/* out [Tp, Dp] = L @ m for lower-triangular L [Tp, Tp] (zeros above the diagonal) and m [Tp, Dp]. */
static void lower_times(const float *L, const float *m, int Tp, int Dp, float *out) {
  for (int i0 = 0; i0 < Tp; i0 += 4) {
    for (int c = 0; c < Dp; c += 8) {
      v8 acc0 = splat(0), acc1 = splat(0), acc2 = splat(0), acc3 = splat(0);
      for (int j = 0; j < i0 + 4; j++) {
        v8 x = ld8(m + (size_t)j * Dp + c);
        acc0 += splat(L[(size_t)(i0 + 0) * Tp + j]) * x;
        acc1 += splat(L[(size_t)(i0 + 1) * Tp + j]) * x;
        acc2 += splat(L[(size_t)(i0 + 2) * Tp + j]) * x;
        acc3 += splat(L[(size_t)(i0 + 3) * Tp + j]) * x;
      }
      st8(out + (size_t)(i0 + 0) * Dp + c, acc0);
      st8(out + (size_t)(i0 + 1) * Dp + c, acc1);
      st8(out + (size_t)(i0 + 2) * Dp + c, acc2);
      st8(out + (size_t)(i0 + 3) * Dp + c, acc3);
    }
  }
}

/* out [Tp, Dp] = L^T @ m for lower-triangular L [Tp, Tp]: out[j] = sum over i >= j of L[i][j] m[i]. */
static void lower_t_times(const float *L, const float *m, int Tp, int Dp, float *out) {
  for (int j0 = 0; j0 < Tp; j0 += 4) {
    for (int c = 0; c < Dp; c += 8) {
      v8 acc0 = splat(0), acc1 = splat(0), acc2 = splat(0), acc3 = splat(0);
      for (int i = j0; i < Tp; i++) {
        v8 x = ld8(m + (size_t)i * Dp + c);
        const float *l = L + (size_t)i * Tp + j0;
        acc0 += splat(l[0]) * x;
        acc1 += splat(l[1]) * x;
        acc2 += splat(l[2]) * x;
        acc3 += splat(l[3]) * x;
      }
      st8(out + (size_t)(j0 + 0) * Dp + c, acc0);
      st8(out + (size_t)(j0 + 1) * Dp + c, acc1);
      st8(out + (size_t)(j0 + 2) * Dp + c, acc2);
      st8(out + (size_t)(j0 + 3) * Dp + c, acc3);
    }
  }
}

/* Scores S (lower part, from lower_abt) -> causal probabilities in place; rows of length Tp, zeros after i. */
static void softmax_lower(float *S, int T, int Tp, float scale) {
  for (int i = 0; i < Tp; i++) {
    float *p = S + (size_t)i * Tp;
    if (i >= T) {
      memset(p, 0, sizeof(float) * Tp);
      continue;
    }
    float mx = -3.4e38f;
    for (int j = 0; j <= i; j++) {
      p[j] = p[j] * scale;
      mx = p[j] > mx ? p[j] : mx;
    }
    double sum = 0.0;
    for (int j = 0; j <= i; j++) {
      p[j] = hl_expf(p[j] - mx);
      sum += (double)p[j];
    }
    for (int j = 0; j <= i; j++) p[j] = (float)((double)p[j] / sum);
    for (int j = i + 1; j < Tp; j++) p[j] = 0.0f;
  }
}

/* Copy T rows of D floats (source stride ld) into dst [Tp, Dp], zero padded; rotated when cosT is given. */
static void load_head(const float *src, int ld, int T, int D, int Tp, int Dp, const float *cosT, const float *sinT,
                      float *dst) {
  memset(dst, 0, sizeof(float) * (size_t)Tp * Dp);
  int half = D / 2;
  for (int t = 0; t < T; t++) {
    const float *r = src + (size_t)t * ld;
    float *o = dst + (size_t)t * Dp;
    if (cosT) {
      const float *c = cosT + (size_t)t * half, *s = sinT + (size_t)t * half;
      for (int i = 0; i < half; i++) {
        o[i] = r[i] * c[i] - r[i + half] * s[i];
        o[i + half] = r[i + half] * c[i] + r[i] * s[i];
      }
    } else {
      memcpy(o, r, sizeof(float) * D);
    }
  }
}

/* Write T rows of D floats from g [Tp, Dp] to dst (stride ld), applying the inverse rotation when cosT is given. */
static void store_head(const float *g, int T, int D, int Dp, const float *cosT, const float *sinT, float *dst,
                       int ld) {
  int half = D / 2;
  for (int t = 0; t < T; t++) {
    const float *r = g + (size_t)t * Dp;
    float *o = dst + (size_t)t * ld;
    if (cosT) {
      const float *c = cosT + (size_t)t * half, *s = sinT + (size_t)t * half;
      for (int i = 0; i < half; i++) {
        o[i] = r[i] * c[i] + r[i + half] * s[i];
        o[i + half] = r[i + half] * c[i] - r[i] * s[i];
      }
    } else {
      memcpy(o, r, sizeof(float) * D);
    }
  }
}

/* Transpose a [Tp, Dp] into at [Dp, Tp]. */
static void transpose(const float *a, int Tp, int Dp, float *at) {
  for (int t = 0; t < Tp; t++)
    for (int d = 0; d < Dp; d++) at[(size_t)d * Tp + t] = a[(size_t)t * Dp + d];
}

typedef struct {
  float *q, *k, *v, *dy, *kt, *vt, *o1, *o2, *o3, *P, *dP;
} Scratch;

static float *scratch_alloc(Scratch *s, int Tp, int Dp) {
  size_t td = (size_t)Tp * Dp, tt = (size_t)Tp * Tp;
  float *m = aligned_alloc(32, sizeof(float) * (9 * td + 2 * tt));
  if (!m) return NULL;
  float **parts[] = {&s->q, &s->k, &s->v, &s->dy, &s->kt, &s->vt, &s->o1, &s->o2, &s->o3};
  for (int i = 0; i < 9; i++) *parts[i] = m + i * td;
  s->P = m + 9 * td;
  s->dP = s->P + tt;
  return m;
}

int hl_attention(uint8_t *heap, uint32_t qkv_off, uint32_t y_off, uint32_t cos_off, uint32_t sin_off, int rope,
                 int B, int T, int H, int D, float scale) {
  if (!heap) return -1;
  int Tp = up8(T), Dp = up8(D), C = H * D, ld = 3 * C;
  Scratch s;
  float *mem = scratch_alloc(&s, Tp, Dp);
  if (!mem) return -2;
  const float *cosT = rope ? HL_F(heap, cos_off) : NULL, *sinT = rope ? HL_F(heap, sin_off) : NULL;
  for (int b = 0; b < B; b++) {
    for (int h = 0; h < H; h++) {
      const float *Q = HL_F(heap, qkv_off) + (size_t)b * T * ld + (size_t)h * D;
      load_head(Q, ld, T, D, Tp, Dp, cosT, sinT, s.q);
      load_head(Q + C, ld, T, D, Tp, Dp, cosT, sinT, s.k);
      load_head(Q + 2 * C, ld, T, D, Tp, Dp, NULL, NULL, s.v);
      transpose(s.k, Tp, Dp, s.kt);
      lower_abt(s.q, s.kt, Tp, Dp, D, s.P);
      softmax_lower(s.P, T, Tp, scale);
      lower_times(s.P, s.v, Tp, Dp, s.o1);
      store_head(s.o1, T, D, Dp, NULL, NULL, HL_F(heap, y_off) + (size_t)b * T * C + (size_t)h * D, C);
    }
  }
  free(mem);
  return 0;
}

/*
 * Given dy [B, T, C], writes dqkv [B, T, 3C]:
 * dP = dy v^T; dv = P^T dy; dS = P (dP - rowsum(P dP)) scale; dq = dS k; dk = dS^T q.
 */
int hl_attention_grad(uint8_t *heap, uint32_t qkv_off, uint32_t dy_off, uint32_t dqkv_off, uint32_t cos_off,
                      uint32_t sin_off, int rope, int B, int T, int H, int D, float scale) {
  if (!heap) return -1;
  int Tp = up8(T), Dp = up8(D), C = H * D, ld = 3 * C;
  Scratch s;
  float *mem = scratch_alloc(&s, Tp, Dp);
  if (!mem) return -2;
  const float *cosT = rope ? HL_F(heap, cos_off) : NULL, *sinT = rope ? HL_F(heap, sin_off) : NULL;
  for (int b = 0; b < B; b++) {
    for (int h = 0; h < H; h++) {
      size_t head = (size_t)b * T * ld + (size_t)h * D;
      const float *Q = HL_F(heap, qkv_off) + head;
      float *dQ = HL_F(heap, dqkv_off) + head;
      load_head(Q, ld, T, D, Tp, Dp, cosT, sinT, s.q);
      load_head(Q + C, ld, T, D, Tp, Dp, cosT, sinT, s.k);
      load_head(Q + 2 * C, ld, T, D, Tp, Dp, NULL, NULL, s.v);
      load_head(HL_F(heap, dy_off) + (size_t)b * T * C + (size_t)h * D, C, T, D, Tp, Dp, NULL, NULL, s.dy);
      transpose(s.k, Tp, Dp, s.kt);
      transpose(s.v, Tp, Dp, s.vt);
      lower_abt(s.q, s.kt, Tp, Dp, D, s.P);
      softmax_lower(s.P, T, Tp, scale);
      lower_abt(s.dy, s.vt, Tp, Dp, D, s.dP);
      for (int i = 0; i < Tp; i++) {
        float *dp = s.dP + (size_t)i * Tp;
        const float *p = s.P + (size_t)i * Tp;
        if (i >= T) {
          memset(dp, 0, sizeof(float) * Tp);
          continue;
        }
        double dot = 0.0;
        for (int j = 0; j <= i; j++) dot += (double)p[j] * (double)dp[j];
        float fdot = (float)dot;
        for (int j = 0; j <= i; j++) dp[j] = p[j] * (dp[j] - fdot) * scale;
        for (int j = i + 1; j < Tp; j++) dp[j] = 0.0f;
      }
      lower_t_times(s.P, s.dy, Tp, Dp, s.o1);  /* dv */
      lower_times(s.dP, s.k, Tp, Dp, s.o2);    /* dq */
      lower_t_times(s.dP, s.q, Tp, Dp, s.o3);  /* dk */
      store_head(s.o2, T, D, Dp, cosT, sinT, dQ, ld);
      store_head(s.o3, T, D, Dp, cosT, sinT, dQ + C, ld);
      store_head(s.o1, T, D, Dp, NULL, NULL, dQ + 2 * C, ld);
    }
  }
  free(mem);
  return 0;
}

/*
 * Incremental attention over a preallocated cache (the fused decode step's). qkv [B, T, 3C] holds the new
 * positions start..start+T-1; their keys (rotated) and values are written into
 * kc [B, H, D, S_max] and vc [B, S_max, C], then each new position attends to
 * keys 0..its own. cos/sin rows are for the new positions.
 */
int hl_attend_cached(const float *QKV, float *KC, float *VC, float *Y, const float *cosT, const float *sinT, int B,
                     int T, int H, int D, int start, int smax, float scale) {
  if (start + T > smax) return -3;
  int C = H * D, ld = 3 * C, S = start + T;
  float *rot = malloc(sizeof(float) * ((size_t)2 * D + S));
  if (!rot) return -2;
  float *qr = rot, *kr = rot + D, *p = rot + 2 * D;
  int half = D / 2;
  for (int b = 0; b < B; b++) {
    for (int t = 0; t < T; t++) {
      const float *row = QKV + ((size_t)b * T + t) * ld;
      memcpy(VC + ((size_t)b * smax + start + t) * C, row + 2 * C, sizeof(float) * C);
      for (int h = 0; h < H; h++) {
        const float *k = row + C + (size_t)h * D;
        if (cosT) {
          const float *c = cosT + (size_t)t * half, *s = sinT + (size_t)t * half;
          for (int i = 0; i < half; i++) {
            kr[i] = k[i] * c[i] - k[i + half] * s[i];
            kr[i + half] = k[i + half] * c[i] + k[i] * s[i];
          }
          k = kr;
        }
        float *kt = KC + ((size_t)b * H + h) * D * smax + start + t;
        for (int d = 0; d < D; d++) kt[(size_t)d * smax] = k[d];
      }
    }
    for (int t = 0; t < T; t++) {
      const float *row = QKV + ((size_t)b * T + t) * ld;
      int n = start + t + 1;
      for (int h = 0; h < H; h++) {
        const float *q = row + (size_t)h * D;
        if (cosT) {
          const float *c = cosT + (size_t)t * half, *s = sinT + (size_t)t * half;
          for (int i = 0; i < half; i++) {
            qr[i] = q[i] * c[i] - q[i + half] * s[i];
            qr[i + half] = q[i + half] * c[i] + q[i] * s[i];
          }
          q = qr;
        }
        const float *kt = KC + ((size_t)b * H + h) * D * smax;
        for (int j = 0; j < n; j++) p[j] = 0.0f;
        for (int d = 0; d < D; d++) {
          float a = q[d];
          const float *kd = kt + (size_t)d * smax;
          for (int j = 0; j < n; j++) p[j] += a * kd[j];
        }
        float mx = -3.4e38f;
        for (int j = 0; j < n; j++) {
          p[j] = p[j] * scale;
          mx = p[j] > mx ? p[j] : mx;
        }
        double sum = 0.0;
        for (int j = 0; j < n; j++) {
          p[j] = hl_expf(p[j] - mx);
          sum += (double)p[j];
        }
        for (int j = 0; j < n; j++) p[j] = (float)((double)p[j] / sum);
        float *y = Y + ((size_t)b * T + t) * C + (size_t)h * D;
        for (int d = 0; d < D; d++) y[d] = 0.0f;
        for (int j = 0; j < n; j++) {
          float a = p[j];
          const float *vj = VC + ((size_t)b * smax + j) * C + (size_t)h * D;
          for (int d = 0; d < D; d++) y[d] += a * vj[d];
        }
      }
    }
  }
  free(rot);
  return 0;
}

