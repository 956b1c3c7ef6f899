/*
 * Vectorisable float32 exp, erf and tanh, written so gcc vectorises the loops
 * that call them (selects gcc if-converts under -fno-trapping-math, floorf as
 * one instruction, no other libm calls) and so their results are
 * the same on every x86-64 machine (see hl.h on numerics).
 *
 * hl_expf: Cephes expf (range reduction by ln 2 split in two constants, degree-6
 * polynomial), within 2 ulp; returns exactly 0 below -87.34 (as a float32 exp
 * underflows there) and clamps above 88.38.
 * hl_erf: the rational approximation on [-4, 4] used by Eigen and XLA for float
 * erf (odd degree-13 numerator over even degree-8 denominator), evaluated in
 * double: within 1e-7 of erf (evaluated in float it was 4e-7); erf is +-1 in
 * float32 beyond 4.
 * hl_tanhf: 1 - 2 / (exp(2u) + 1) with u clamped to [-9, 9] (tanh is 1 in float32
 * beyond), about 1e-7 absolute error.
 */
#ifndef HL_MATHF_H
#define HL_MATHF_H
#include <stdint.h>
#include <math.h>
#include <string.h>

static inline float hl_expf(float x) {
  const float hi = 88.3762626647949f, lo = -87.3365478515625f;
  float under = x < lo ? 0.0f : 1.0f;
  x = x > hi ? hi : x;
  x = x < lo ? lo : x;
  float fn = floorf(x * 1.44269504088896341f + 0.5f); /* n = round(x / ln 2) */
  float r = x - fn * 0.693359375f;
  r = r - fn * -2.12194440e-4f;
  float z = r * r;
  float y = 1.9875691500e-4f;
  y = y * r + 1.3981999507e-3f;
  y = y * r + 8.3334519073e-3f;
  y = y * r + 4.1665795894e-2f;
  y = y * r + 1.6666665459e-1f;
  y = y * r + 5.0000001201e-1f;
  y = y * z + r + 1.0f;
  int32_t bits = ((int32_t)fn + 127) * 8388608; /* 2^n as float bits (a multiply, not a shift: vectorises) */
  float p;
  memcpy(&p, &bits, sizeof p);
  return y * p * under;
}

static inline double hl_erf(double x) {
  x = x > 4.0 ? 4.0 : x;
  x = x < -4.0 ? -4.0 : x;
  double x2 = x * x;
  double p = x2 * -2.72614225801306e-10 + 2.77068142495902e-08;
  p = x2 * p + -2.10102402082508e-06;
  p = x2 * p + -5.69250639462346e-05;
  p = x2 * p + -7.34990630326855e-04;
  p = x2 * p + -2.95459980854025e-03;
  p = x2 * p + -1.60960333262415e-02;
  p = x * p;
  double q = x2 * -1.45660718464996e-05 + -2.13374055278905e-04;
  q = x2 * q + -1.68282697438203e-03;
  q = x2 * q + -7.37332916720468e-03;
  q = x2 * q + -1.42647390514189e-02;
  return p / q;
}

static inline float hl_tanhf(float u) {
  u = u > 9.0f ? 9.0f : u;
  u = u < -9.0f ? -9.0f : u;
  return 1.0f - 2.0f / (hl_expf(2.0f * u) + 1.0f);
}

#endif
