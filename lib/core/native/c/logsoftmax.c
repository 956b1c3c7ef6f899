/*
 * Row-wise log-softmax and the log-probability of one target per row, with
 * their gradients. The log-sum-exp of a row is max + log(sum exp(x - max)),
 * the sum and the log in double.
 */
#include <math.h>
#include <string.h>
#include "hl.h"
#include "mathf.h"

typedef double v4d __attribute__((vector_size(32)));

/* max + log(sum exp(x - max)): the max in eight float lanes (exact in any order), the exps summed in four
 * double lanes combined in a fixed order, so both loops vectorise. */
static float row_lse(const float *x, int V) {
  float m[8], mx = -3.4e38f;
  int j = 0;
  if (V >= 8) {
    memcpy(m, x, sizeof m);
    for (j = 8; j + 8 <= V; j += 8)
      for (int k = 0; k < 8; k++) m[k] = m[k] > x[j + k] ? m[k] : x[j + k];
    for (int k = 0; k < 8; k++) mx = m[k] > mx ? m[k] : mx;
  }
  for (; j < V; j++) mx = x[j] > mx ? x[j] : mx;
  v4d acc = {0, 0, 0, 0};
  for (j = 0; j + 4 <= V; j += 4)
    acc += (v4d){hl_expf(x[j] - mx), hl_expf(x[j + 1] - mx), hl_expf(x[j + 2] - mx), hl_expf(x[j + 3] - mx)};
  double s = (acc[0] + acc[1]) + (acc[2] + acc[3]);
  for (; j < V; j++) s += (double)hl_expf(x[j] - mx);
  return (float)((double)mx + log(s));
}

void hl_log_softmax_rows(const float *X, float *Y, int N, int V) {
  for (int n = 0; n < N; n++) {
    const float *x = X + (size_t)n * V;
    float *y = Y + (size_t)n * V;
    float lse = row_lse(x, V);
    for (int j = 0; j < V; j++) y[j] = x[j] - lse;
  }
}

/* y [N, V] = x - lse(x) per row. */
int hl_log_softmax(uint8_t *heap, uint32_t x_off, uint32_t y_off, int N, int V) {
  if (!heap) return -1;
  hl_log_softmax_rows(HL_F(heap, x_off), HL_F(heap, y_off), N, V);
  return 0;
}

/* dx = dy - exp(y) * sum(dy), per row, from the output y. */
int hl_log_softmax_grad(uint8_t *heap, uint32_t y_off, uint32_t dy_off, uint32_t dx_off, int N, int V) {
  if (!heap) return -1;
  for (int n = 0; n < N; n++) {
    const float *y = HL_F(heap, y_off) + (size_t)n * V, *dy = HL_F(heap, dy_off) + (size_t)n * V;
    float *dx = HL_F(heap, dx_off) + (size_t)n * V;
    double s = 0.0;
    for (int j = 0; j < V; j++) s += (double)dy[j];
    float fs = (float)s;
    for (int j = 0; j < V; j++) dx[j] = dy[j] - hl_expf(y[j]) * fs;
  }
  return 0;
}

/* out [N] = x[n, targets[n]] - lse(x[n]); -4 when a target is outside [0, V). */
int hl_target_log_prob(uint8_t *heap, uint32_t x_off, uint32_t t_off, uint32_t out_off, int N, int V) {
  if (!heap) return -1;
  const int32_t *t = HL_I(heap, t_off);
  float *out = HL_F(heap, out_off);
  for (int n = 0; n < N; n++) {
    if (t[n] < 0 || t[n] >= V) return -4;
    const float *x = HL_F(heap, x_off) + (size_t)n * V;
    out[n] = x[t[n]] - row_lse(x, V);
  }
  return 0;
}

/* dx [N, V] = dy[n] * (onehot(target) - softmax(x)). */
int hl_target_log_prob_grad(uint8_t *heap, uint32_t x_off, uint32_t t_off, uint32_t dy_off, uint32_t dx_off, int N,
                            int V) {
  if (!heap) return -1;
  const int32_t *t = HL_I(heap, t_off);
  const float *dy = HL_F(heap, dy_off);
  for (int n = 0; n < N; n++) {
    const float *x = HL_F(heap, x_off) + (size_t)n * V;
    float *dx = HL_F(heap, dx_off) + (size_t)n * V;
    float lse = row_lse(x, V), g = dy[n];
    for (int j = 0; j < V; j++) dx[j] = -g * hl_expf(x[j] - lse);
    if (t[n] >= 0 && t[n] < V) dx[t[n]] += g;
  }
  return 0;
}
