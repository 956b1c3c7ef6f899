/*
 * GELU, forward and backward, in one pass each (and ReLU forward, for the fused
 * decode step): exact (x Phi(x), erf) as
 * nanoGPT's nn.GELU(), and the tanh approximation (GPT-2's
 * 0.5 x (1 + tanh(sqrt(2/pi) (x + 0.044715 x^3)))). The exact form is computed
 * in double around mathf.h's erf and rounded once.
 */
#include "hl.h"
#include "mathf.h"

#define HL_SQRT1_2 0.70710678118654752440
#define HL_INV_SQRT_2PI 0.39894228040143267794
#define HL_SQRT_2_PI 0.79788456080286535588f

void hl_activation(const float *x, float *y, size_t n, int kind) {
  if (kind == 1) {
    for (size_t i = 0; i < n; i++) {
      float v = x[i], u = HL_SQRT_2_PI * (v + 0.044715f * v * v * v);
      y[i] = 0.5f * v * (1.0f + hl_tanhf(u));
    }
  } else if (kind == 0) {
    for (size_t i = 0; i < n; i++) {
      double v = x[i];
      y[i] = (float)(0.5 * v * (1.0 + hl_erf(v * HL_SQRT1_2)));
    }
  } else {
    for (size_t i = 0; i < n; i++) y[i] = x[i] > 0.0f ? x[i] : 0.0f;
  }
}

int hl_gelu(uint8_t *heap, uint32_t x_off, uint32_t y_off, uint32_t n, int tanh_form) {
  if (!heap) return -1;
  hl_activation(HL_F(heap, x_off), HL_F(heap, y_off), n, tanh_form ? 1 : 0);
  return 0;
}

int hl_gelu_grad(uint8_t *heap, uint32_t x_off, uint32_t dy_off, uint32_t dx_off, uint32_t n, int tanh_form) {
  if (!heap) return -1;
  const float *x = HL_F(heap, x_off), *dy = HL_F(heap, dy_off);
  float *dx = HL_F(heap, dx_off);
  if (tanh_form) {
    for (size_t i = 0; i < n; i++) {
      float v = x[i], u = HL_SQRT_2_PI * (v + 0.044715f * v * v * v), t = hl_tanhf(u);
      float du = HL_SQRT_2_PI * (1.0f + 3.0f * 0.044715f * v * v);
      dx[i] = dy[i] * (0.5f * (1.0f + t) + 0.5f * v * (1.0f - t * t) * du);
    }
  } else {
    for (size_t i = 0; i < n; i++) {
      double v = x[i];
      double pdf = HL_INV_SQRT_2PI * (double)hl_expf((float)(-0.5 * v * v));
      dx[i] = (float)((double)dy[i] * (0.5 * (1.0 + hl_erf(v * HL_SQRT1_2)) + v * pdf));
    }
  }
  return 0;
}
