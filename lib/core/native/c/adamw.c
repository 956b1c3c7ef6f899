/*
 * AdamW (Loshchilov & Hutter 2019) over every parameter in one call, in place.
 * The float ops and their order are those of lib/train/optimizer.ts's tfjs
 * path: m = m b1 + g (1 - b1); v = v b2 + g^2 (1 - b2);
 * p = p (1 - lr wd) - lr (m / bc1) / (sqrt(v / bc2) + eps), g pre-scaled by the clip factor.
 * table: per parameter 5 words: byte offsets of p, m, v, g and the element count;
 * decay[i] says whether parameter i takes weight decay.
 */
#include <math.h>
#include "hl.h"

int hl_adamw(uint8_t *heap, const uint32_t *table, const uint8_t *decay, int n, float lr, float beta1,
             float one_minus_beta1, float beta2, float one_minus_beta2, float eps, float decay_factor, float bc1,
             float bc2, float scale, int scaled) {
  if (!heap) return -1;
  for (int i = 0; i < n; i++) {
    const uint32_t *t = table + 5 * i;
    float *p = HL_F(heap, t[0]), *m = HL_F(heap, t[1]), *v = HL_F(heap, t[2]);
    const float *g = HL_F(heap, t[3]);
    size_t size = t[4];
    int dec = decay[i];
    for (size_t j = 0; j < size; j++) {
      float gj = scaled ? g[j] * scale : g[j];
      float mj = m[j] * beta1 + gj * one_minus_beta1;
      float vj = v[j] * beta2 + (gj * gj) * one_minus_beta2;
      m[j] = mj;
      v[j] = vj;
      float update = (mj / bc1) / (sqrtf(vj / bc2) + eps);
      float pj = dec ? p[j] * decay_factor : p[j];
      p[j] = pj - update * lr;
    }
  }
  return 0;
}
