/*
 * Embedding lookup, optionally plus a second lookup (learned positions):
 * y[n] = table[ids[n]] (+ ptable[pos[n]]), and its gradient as a scatter-add
 * accumulated in double in row order (the one-hot matmul it replaces is [N, V]
 * wide and its gradient a [V, N] @ [N, C] matmul).
 * Returns -4 when an id is outside its table.
 */
#include <stdlib.h>
#include "hl.h"

int hl_embed(uint8_t *heap, uint32_t ids_off, uint32_t table_off, int V, uint32_t pos_off, uint32_t ptable_off,
             int P, int has_pos, uint32_t y_off, int N, int C) {
  if (!heap) return -1;
  const int32_t *ids = HL_I(heap, ids_off), *pos = has_pos ? HL_I(heap, pos_off) : NULL;
  const float *E = HL_F(heap, table_off), *PE = has_pos ? HL_F(heap, ptable_off) : NULL;
  float *Y = HL_F(heap, y_off);
  for (int n = 0; n < N; n++) {
    int id = ids[n];
    if (id < 0 || id >= V) return -4;
    const float *e = E + (size_t)id * C;
    float *y = Y + (size_t)n * C;
    if (pos) {
      int p = pos[n];
      if (p < 0 || p >= P) return -4;
      const float *pe = PE + (size_t)p * C;
      for (int c = 0; c < C; c++) y[c] = e[c] + pe[c];
    } else {
      for (int c = 0; c < C; c++) y[c] = e[c];
    }
  }
  return 0;
}

/* dtable [V, C] = sum of dy rows [N, C] by id. */
int hl_embed_grad(uint8_t *heap, uint32_t ids_off, uint32_t dy_off, uint32_t dtable_off, int N, int V, int C) {
  if (!heap) return -1;
  const int32_t *ids = HL_I(heap, ids_off);
  const float *DY = HL_F(heap, dy_off);
  double *acc = calloc((size_t)V * C, sizeof(double));
  if (!acc) return -2;
  for (int n = 0; n < N; n++) {
    int id = ids[n];
    if (id < 0 || id >= V) {
      free(acc);
      return -4;
    }
    double *a = acc + (size_t)id * C;
    const float *dy = DY + (size_t)n * C;
    for (int c = 0; c < C; c++) a[c] += (double)dy[c];
  }
  float *D = HL_F(heap, dtable_off);
  for (size_t i = 0; i < (size_t)V * C; i++) D[i] = (float)acc[i];
  free(acc);
  return 0;
}
