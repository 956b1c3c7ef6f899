/*
 * Matmuls on OpenBLAS sgemm: tfjs's BatchMatMul with every transpose and
 * broadcast case, and a Linear layer (x @ W + b) with its gradient.
 */
#include "hl.h"

int hl_abi_version(void) { return HL_ABI_VERSION; }

/* One thread per process (a sweep runs one process per core); returns OpenBLAS's kernel name. */
const char *hl_init(void) {
  openblas_set_num_threads(1);
  return openblas_get_corename();
}

/*
 * out[i] = op(A[a_i]) @ op(B[b_i]) for every index i of the broadcast batch
 * shape. `dims` holds rank batch sizes, then A's and B's batch strides (in
 * matrices; 0 where that operand is broadcast). A run of matrices of A against
 * one matrix of B (a plain [.., M, K] @ [K, N]) is one sgemm.
 */
int hl_batch_matmul(uint8_t *heap, uint32_t a_off, uint32_t b_off, uint32_t out_off, int trans_a, int trans_b,
                    int M, int N, int K, int rank, const int32_t *dims) {
  if (!heap) return -1;
  const float *A = HL_F(heap, a_off), *B = HL_F(heap, b_off);
  float *C = HL_F(heap, out_off);
  const int32_t *size = dims, *sa = dims + rank, *sb = dims + 2 * rank;
  size_t batch = 1;
  int b_fixed = 1, a_contiguous = 1;
  size_t expect = 1;
  for (int d = rank - 1; d >= 0; d--) {
    batch *= (size_t)size[d];
    if (size[d] > 1 && sb[d] != 0) b_fixed = 0;
    if (size[d] > 1 && (size_t)sa[d] != expect) a_contiguous = 0;
    expect *= (size_t)size[d];
  }
  int lda = trans_a ? M : K, ldb = trans_b ? K : N;
  if (b_fixed && a_contiguous && !trans_a) {
    hl_gemm(0, trans_b, (int)(batch * (size_t)M), N, K, 1.0f, A, lda, B, ldb, 0.0f, C, N);
    return 0;
  }
  size_t sizeA = (size_t)M * K, sizeB = (size_t)K * N, sizeC = (size_t)M * N;
  for (size_t i = 0; i < batch; i++) {
    size_t rest = i, ai = 0, bi = 0;
    for (int d = rank - 1; d >= 0; d--) {
      size_t idx = rest % (size_t)size[d];
      rest /= (size_t)size[d];
      ai += idx * (size_t)sa[d];
      bi += idx * (size_t)sb[d];
    }
    hl_gemm(trans_a, trans_b, M, N, K, 1.0f, A + ai * sizeA, lda, B + bi * sizeB, ldb, 0.0f, C + i * sizeC, N);
  }
  return 0;
}

void hl_linear_rows(const float *x, const float *w, const float *b, float *y, int N, int I, int O) {
  if (b) {
    for (int n = 0; n < N; n++)
      for (int o = 0; o < O; o++) y[(size_t)n * O + o] = b[o];
  }
  hl_gemm(0, 0, N, O, I, 1.0f, x, I, w, O, b ? 1.0f : 0.0f, y, O);
}

/* y [N, O] = x [N, I] @ w [I, O] (+ b [O]). */
int hl_linear(uint8_t *heap, uint32_t x_off, uint32_t w_off, uint32_t b_off, int has_bias, uint32_t y_off, int N,
              int I, int O) {
  if (!heap) return -1;
  hl_linear_rows(HL_F(heap, x_off), HL_F(heap, w_off), has_bias ? HL_F(heap, b_off) : NULL, HL_F(heap, y_off), N, I,
                 O);
  return 0;
}

/* dx = dy @ w^T, dw = x^T @ dy, db = column sums of dy; each only when its flag bit (1, 2, 4) is set. */
int hl_linear_grad(uint8_t *heap, uint32_t x_off, uint32_t w_off, uint32_t dy_off, uint32_t dx_off, uint32_t dw_off,
                   uint32_t db_off, int want, int N, int I, int O) {
  if (!heap) return -1;
  const float *dy = HL_F(heap, dy_off);
  if (want & 1) hl_gemm(0, 1, N, I, O, 1.0f, dy, O, HL_F(heap, w_off), O, 0.0f, HL_F(heap, dx_off), I);
  if (want & 2) hl_gemm(1, 0, I, O, N, 1.0f, HL_F(heap, x_off), I, dy, O, 0.0f, HL_F(heap, dw_off), O);
  if (want & 4) hl_colsum_into(dy, N, O, O, HL_F(heap, db_off));
  return 0;
}
