/*
 * Shared declarations of harnesslab's native kernels (libharnesslab_kernels.so).
 *
 * Every kernel reads and writes TensorFlow.js wasm tensors in place: `heap` is
 * the wasm heap's first byte and tensors are given as byte offsets into it (the
 * `memoryOffset` tfjs-wasm records for each tensor), so no data is copied in or
 * out. Offsets are unsigned 32-bit (the heap is at most 4 GiB) and are added as
 * size_t: no shifting, which would break past 2 GiB.
 *
 * Numerics: built with -ffp-contract=off and no -ffast-math, so every float op
 * is the IEEE op the source names, in the order written; vectorisation never
 * reorders a sum. Reductions accumulate in double. exp and erf are the
 * polynomials of mathf.h, not libm, so results do not depend on glibc's
 * CPU-specific variants. Matmuls are OpenBLAS sgemm (one thread).
 */
#ifndef HL_H
#define HL_H
#include <stddef.h>
#include <stdint.h>

/* Bumped whenever a kernel's signature or numbers change; the TypeScript side refuses a mismatch. */
#define HL_ABI_VERSION 2

#define HL_F(heap, off) ((float *)((heap) + (size_t)(off)))
#define HL_I(heap, off) ((int32_t *)((heap) + (size_t)(off)))

/* The part of OpenBLAS's CBLAS interface used here (Debian's libopenblas0 is LP64: blasint = int). */
enum { HL_ROW_MAJOR = 101, HL_NO_TRANS = 111, HL_TRANS = 112 };
void cblas_sgemm(int order, int transA, int transB, int M, int N, int K, float alpha, const float *A, int lda,
                 const float *B, int ldb, float beta, float *C, int ldc);
void openblas_set_num_threads(int n);
char *openblas_get_corename(void);

/* C = alpha * op(A) op(B) + beta * C, row-major, with leading dimensions. */
static inline void hl_gemm(int ta, int tb, int M, int N, int K, float alpha, const float *A, int lda,
                           const float *B, int ldb, float beta, float *C, int ldc) {
  if (M == 0 || N == 0) return;
  if (K == 0) {
    for (int i = 0; i < M; i++)
      for (int j = 0; j < N; j++) C[(size_t)i * ldc + j] = beta == 0.0f ? 0.0f : beta * C[(size_t)i * ldc + j];
    return;
  }
  cblas_sgemm(HL_ROW_MAJOR, ta ? HL_TRANS : HL_NO_TRANS, tb ? HL_TRANS : HL_NO_TRANS, M, N, K, alpha, A, lda, B,
              ldb, beta, C, ldc);
}

/* Pointer-level kernels shared by the exported functions and the fused decode step (decode.c). */

/* y[c] = sum over rows r of x[r * ld + c], accumulated in double in row order. */
void hl_colsum_into(const float *x, int rows, int cols, int ld, float *y);
/* y [N, O] = x [N, I] @ w [I, O] (+ b [O] when b is not NULL). */
void hl_linear_rows(const float *x, const float *w, const float *b, float *y, int N, int I, int O);
/* LayerNorm of N rows of C (b may be NULL). */
void hl_layernorm_rows(const float *x, const float *w, const float *b, float *y, int N, int C, float eps);
/* Activation of n values: 0 exact GELU, 1 tanh GELU, 2 ReLU. */
void hl_activation(const float *x, float *y, size_t n, int kind);
/* Log-softmax of N rows of V. */
void hl_log_softmax_rows(const float *x, float *y, int N, int V);
/* Attention of T new positions against a preallocated cache (see attention.c); 0, or -2 / -3 on error. */
int hl_attend_cached(const float *qkv, float *kc, float *vc, float *y, const float *cosT, const float *sinT, int B,
                     int T, int H, int D, int start, int smax, float scale);

#endif
