/*
 * LayerNorm over the last axis (torch.nn.LayerNorm, biased variance, eps inside
 * the square root), forward and backward, one pass over each row. Row
 * statistics are computed in double; the backward pass recomputes them from x
 * rather than keeping them, so the forward op has one output.
 */
#include <math.h>
#include <stdlib.h>
#include "hl.h"

static void row_stats(const float *x, int C, float eps, double *mean, double *rstd) {
  double s = 0.0;
  for (int c = 0; c < C; c++) s += (double)x[c];
  double mu = s / C, v = 0.0;
  for (int c = 0; c < C; c++) {
    double d = (double)x[c] - mu;
    v += d * d;
  }
  *mean = mu;
  *rstd = 1.0 / sqrt(v / C + (double)eps);
}

void hl_layernorm_rows(const float *X, const float *w, const float *b, float *Y, int N, int C, float eps) {
  for (int n = 0; n < N; n++) {
    const float *x = X + (size_t)n * C;
    float *y = Y + (size_t)n * C;
    double mu, rs;
    row_stats(x, C, eps, &mu, &rs);
    for (int c = 0; c < C; c++) {
      double v = ((double)x[c] - mu) * rs * (double)w[c];
      y[c] = (float)(b ? v + (double)b[c] : v);
    }
  }
}

int hl_layernorm(uint8_t *heap, uint32_t x_off, uint32_t w_off, uint32_t b_off, int has_bias, uint32_t y_off, int N,
                 int C, float eps) {
  if (!heap) return -1;
  hl_layernorm_rows(HL_F(heap, x_off), HL_F(heap, w_off), has_bias ? HL_F(heap, b_off) : NULL, HL_F(heap, y_off), N,
                    C, eps);
  return 0;
}

/*
 * xhat = (x - mean) rstd; dw = sum_rows dy xhat; db = sum_rows dy;
 * dx = rstd (g - mean(g) - xhat mean(g xhat)) with g = dy w.
 */
int hl_layernorm_grad(uint8_t *heap, uint32_t x_off, uint32_t w_off, uint32_t dy_off, uint32_t dx_off,
                      uint32_t dw_off, uint32_t db_off, int has_bias, int N, int C, float eps) {
  if (!heap) return -1;
  const float *X = HL_F(heap, x_off), *w = HL_F(heap, w_off), *DY = HL_F(heap, dy_off);
  float *DX = HL_F(heap, dx_off);
  double *acc = calloc((size_t)2 * C + C, sizeof(double));
  if (!acc) return -2;
  double *dw = acc, *db = acc + C, *xh = acc + 2 * C;
  for (int n = 0; n < N; n++) {
    const float *x = X + (size_t)n * C, *dy = DY + (size_t)n * C;
    float *dx = DX + (size_t)n * C;
    double mu, rs;
    row_stats(x, C, eps, &mu, &rs);
    double sg = 0.0, sgx = 0.0;
    for (int c = 0; c < C; c++) {
      double h = ((double)x[c] - mu) * rs, d = (double)dy[c], g = d * (double)w[c];
      xh[c] = h;
      dw[c] += d * h;
      db[c] += d;
      sg += g;
      sgx += g * h;
    }
    double mg = sg / C, mgx = sgx / C;
    for (int c = 0; c < C; c++) dx[c] = (float)(rs * ((double)dy[c] * (double)w[c] - mg - xh[c] * mgx));
  }
  float *DW = HL_F(heap, dw_off);
  for (int c = 0; c < C; c++) DW[c] = (float)dw[c];
  if (has_bias) {
    float *DB = HL_F(heap, db_off);
    for (int c = 0; c < C; c++) DB[c] = (float)db[c];
  }
  free(acc);
  return 0;
}
