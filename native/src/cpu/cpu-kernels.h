// cpu-kernels.h: the inner loops of the CPU backend, in scalar, AVX2+FMA and AVX-512 variants
// that produce identical bits (each implements D() of ARITHMETIC.md section 2 exactly).
#ifndef OLI_CPU_KERNELS_H
#define OLI_CPU_KERNELS_H

#include <cstdint>

namespace oli {
namespace cpu {

/** Kernel table. */
struct Kernels {
  const char* name;
  /** y[t*ys + n] = D(x[t*xs :], w[n*ws :], K) for t < T and n0 <= n < n1. */
  void (*matmul)(const float* x, int64_t xs, int32_t T, int32_t K, const float* w, int64_t ws,
                 int32_t n0, int32_t n1, float* y, int64_t ys);
  /** As matmul with w holding BF16 bits (widened exactly before the fma). */
  void (*matmul_bf16)(const float* x, int64_t xs, int32_t T, int32_t K, const uint16_t* w,
                      int64_t ws, int32_t n0, int32_t n1, float* y, int64_t ys);
  /** D(a, b, K). */
  float (*dot)(const float* a, const float* b, int32_t K);
  /** out[i] = silu(g[i]) * u[i] for i < n (ARITHMETIC.md sections 5-6). */
  void (*silu_mul)(const float* g, const float* u, int64_t n, float* out);
  /** p[j] = exp_f(s[j] - m) for j < n (ARITHMETIC.md sections 5, 8). */
  void (*exp_shifted)(const float* s, float m, int32_t n, float* p);
  /** o[d] = o[d] * alpha, then for j < n: o[d] = fma(p[j], v[j][d], o[d]), d < hd. */
  void (*attn_accumulate)(float* o, int32_t hd, float alpha, const float* p,
                          const float* const* v, int32_t n);
};

/** Scalar kernels (any CPU). */
const Kernels& scalar_kernels();

/** AVX-512 kernels, or nullptr when the CPU or compiler lacks AVX-512F. */
const Kernels* avx512_kernels();

/** AVX2 + FMA kernels, or nullptr when the CPU or compiler lacks them. */
const Kernels* avx2_kernels();

/** The 16-lane halving tree of ARITHMETIC.md section 2. */
inline float reduce16(const float* a) {
  float s8[8], s4[4], s2[2];
  for (int i = 0; i < 8; i++) s8[i] = a[i] + a[i + 8];
  for (int i = 0; i < 4; i++) s4[i] = s8[i] + s8[i + 4];
  for (int i = 0; i < 2; i++) s2[i] = s4[i] + s4[i + 2];
  return s2[0] + s2[1];
}

}  // namespace cpu
}  // namespace oli

#endif  // OLI_CPU_KERNELS_H
