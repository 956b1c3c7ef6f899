/*
 * LayerNorm over the last axis (torch.nn.LayerNorm, biased variance, eps
 * inside the square root), forward and backward, one pass over each row for
 * each sum. Row statistics are computed in double, in four lanes of partial
 * sums combined in a fixed order (so gcc can vectorise them without
 * reassociating anything); the backward pass recomputes them from x rather
 * than keeping them, so the forward op has one output.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "hl.h"

typedef double v4d __attribute__((vector_size(32)));

static inline double lanes(v4d a) { return (a[0] + a[1]) + (a[2] + a[3]); }

/* Sum of x[0..C) and of x[c] * y[c] (y may be NULL), in double. */
static void row_sums(const float *x, const float *y, int C, double *sx, double *sxy) {
  v4d a = {0, 0, 0, 0}, b = {0, 0, 0, 0};
  int c = 0;
  for (; c + 4 <= C; c += 4) {
    v4d vx = {x[c], x[c + 1], x[c + 2], x[c + 3]};
    a += vx;
    if (y) {
      v4d vy = {y[c], y[c + 1], y[c + 2], y[c + 3]};
      b += vx * vy;
    }
  }
  double ta = lanes(a), tb = lanes(b);
  for (; c < C; c++) {
    ta += (double)x[c];
    if (y) tb += (double)x[c] * (double)y[c];
  }
  *sx = ta;
  *sxy = tb;
}

static void row_stats(const float *x, int C, float eps, double *mean, double *rstd) {
  double s, unused;
  row_sums(x, NULL, C, &s, &unused);
  double mu = s / C;
  v4d acc = {0, 0, 0, 0};
  int c = 0;
  for (; c + 4 <= C; c += 4) {
    v4d d = (v4d){x[c], x[c + 1], x[c + 2], x[c + 3]} - mu;
    acc += d * d;
  }
  double v = lanes(acc);
  for (; c < C; c++) v += ((double)x[c] - mu) * ((double)x[c] - mu);
  *mean = mu;
  *rstd = 1.0 / sqrt(v / C + (double)eps);
}

void hl_layernorm_rows(const float *X, const float *w, const float *b, float *Y, int N, int C, float eps) {
  for (int n = 0; n < N; n++) {
    const float *x = X + (size_t)n * C;
    float *y = Y + (size_t)n * C;
    double mu, rs;
    row_stats(x, C, eps, &mu, &rs);
    if (b) {
      for (int c = 0; c < C; c++) y[c] = (float)(((double)x[c] - mu) * rs * (double)w[c] + (double)b[c]);
    } else {
      for (int c = 0; c < C; c++) y[c] = (float)(((double)x[c] - mu) * rs * (double)w[c]);
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
  double *acc = calloc((size_t)2 * C, sizeof(double));
  float *xh = malloc(sizeof(float) * (size_t)2 * C);
  if (!acc || !xh) {
    free(acc);
    free(xh);
    return -2;
  }
  double *dw = acc, *db = acc + C;
  float *g = xh + C;
  for (int n = 0; n < N; n++) {
    const float *x = X + (size_t)n * C, *dy = DY + (size_t)n * C;
    float *dx = DX + (size_t)n * C;
    double mu, rs;
    row_stats(x, C, eps, &mu, &rs);
    for (int c = 0; c < C; c++) {
      double h = ((double)x[c] - mu) * rs;
      xh[c] = (float)h;
      g[c] = dy[c] * w[c];
      dw[c] += (double)dy[c] * h;
      db[c] += (double)dy[c];
    }
    double sg, sgx;
    row_sums(g, xh, C, &sg, &sgx);
    double mg = sg / C, mgx = sgx / C;
    for (int c = 0; c < C; c++) dx[c] = (float)(rs * ((double)g[c] - mg - (double)xh[c] * mgx));
  }
  float *DW = HL_F(heap, dw_off);
  for (int c = 0; c < C; c++) DW[c] = (float)dw[c];
  if (has_bias) {
    float *DB = HL_F(heap, db_off);
    for (int c = 0; c < C; c++) DB[c] = (float)db[c];
  }
  free(acc);
  free(xh);
  return 0;
}
