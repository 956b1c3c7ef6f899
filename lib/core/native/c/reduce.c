/* Reductions: sums over leading axes (column sums) and the sum of squares over many tensors. */
#include <stdlib.h>
#include "hl.h"

#define HL_COL_BLOCK 256

void hl_colsum_into(const float *x, int rows, int cols, int ld, float *y) {
  double acc[HL_COL_BLOCK];
  for (int c0 = 0; c0 < cols; c0 += HL_COL_BLOCK) {
    int w = cols - c0 < HL_COL_BLOCK ? cols - c0 : HL_COL_BLOCK;
    for (int c = 0; c < w; c++) acc[c] = 0.0;
    for (int r = 0; r < rows; r++) {
      const float *row = x + (size_t)r * ld + c0;
      for (int c = 0; c < w; c++) acc[c] += (double)row[c];
    }
    for (int c = 0; c < w; c++) y[c0 + c] = (float)acc[c];
  }
}

/* y [cols] = sum over the rows of x [rows, cols] (tfjs Sum over leading axes). */
int hl_colsum(uint8_t *heap, uint32_t x_off, uint32_t y_off, int rows, int cols) {
  if (!heap) return -1;
  hl_colsum_into(HL_F(heap, x_off), rows, cols, cols, HL_F(heap, y_off));
  return 0;
}

/* Sum of squares of n tensors, given as (byte offset, element count) pairs, in double. */
double hl_sum_squares(uint8_t *heap, const uint32_t *table, int n) {
  if (!heap) return -1.0;
  double total = 0.0;
  for (int i = 0; i < n; i++) {
    const float *x = HL_F(heap, table[2 * i]);
    size_t size = table[2 * i + 1];
    double acc[8] = {0, 0, 0, 0, 0, 0, 0, 0};
    size_t j = 0;
    for (; j + 8 <= size; j += 8)
      for (int k = 0; k < 8; k++) acc[k] += (double)x[j + k] * (double)x[j + k];
    for (; j < size; j++) acc[0] += (double)x[j] * (double)x[j];
    total += ((acc[0] + acc[1]) + (acc[2] + acc[3])) + ((acc[4] + acc[5]) + (acc[6] + acc[7]));
  }
  return total;
}
