// cpu-kernels.cpp: scalar and AVX-512 inner loops (see cpu-kernels.h). Compiled with
// -ffp-contract=off; fused multiply-adds are explicit (std::fma / _mm512_fmadd_ps).
#include "cpu-kernels.h"

#include <cmath>
#include <vector>

#include "../math/oli-math.h"

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#include <immintrin.h>
#define OLI_HAVE_AVX512_BUILD 1
#endif

namespace oli {
namespace cpu {

// ---------------------------------------------------------------- scalar

static float dot_scalar(const float* a, const float* b, int32_t K) {
  float acc[16] = {0};
  int32_t k = 0;
  for (; k + 16 <= K; k += 16)
    for (int j = 0; j < 16; j++) acc[j] = std::fma(a[k + j], b[k + j], acc[j]);
  for (int j = 0; k + j < K; j++) acc[j] = std::fma(a[k + j], b[k + j], acc[j]);
  return reduce16(acc);
}

static void matmul_scalar(const float* x, int64_t xs, int32_t T, int32_t K, const float* w,
                          int64_t ws, int32_t n0, int32_t n1, float* y, int64_t ys) {
  for (int32_t n = n0; n < n1; n++)
    for (int32_t t = 0; t < T; t++) y[t * ys + n] = dot_scalar(x + t * xs, w + n * ws, K);
}

static void matmul_bf16_scalar(const float* x, int64_t xs, int32_t T, int32_t K, const uint16_t* w,
                               int64_t ws, int32_t n0, int32_t n1, float* y, int64_t ys) {
  std::vector<float> row(K);
  for (int32_t n = n0; n < n1; n++) {
    for (int32_t k = 0; k < K; k++) row[k] = bf16_to_f32(w[n * ws + k]);
    for (int32_t t = 0; t < T; t++) y[t * ys + n] = dot_scalar(x + t * xs, row.data(), K);
  }
}

static void attn_accumulate_scalar(float* o, int32_t hd, float alpha, const float* p,
                                   const float* const* v, int32_t n) {
  for (int32_t d = 0; d < hd; d++) o[d] = o[d] * alpha;
  for (int32_t j = 0; j < n; j++) {
    const float* vj = v[j];
    float pj = p[j];
    for (int32_t d = 0; d < hd; d++) o[d] = std::fma(pj, vj[d], o[d]);
  }
}

static void silu_mul_scalar(const float* g, const float* u, int64_t n, float* out) {
  for (int64_t i = 0; i < n; i++) out[i] = silu_f(g[i]) * u[i];
}

static void exp_shifted_scalar(const float* s, float m, int32_t n, float* p) {
  for (int32_t j = 0; j < n; j++) p[j] = exp_f(s[j] - m);
}

static const Kernels kScalar = {"scalar", matmul_scalar, matmul_bf16_scalar, dot_scalar, silu_mul_scalar,
                                exp_shifted_scalar, attn_accumulate_scalar};

const Kernels& scalar_kernels() { return kScalar; }

// ---------------------------------------------------------------- AVX-512

#ifdef OLI_HAVE_AVX512_BUILD

// Software prefetch of the weight streams 32 KiB ahead, into L2: measured on the 100m model's
// matrices (one thread, 2 MiB pages), 40.5 -> 28.8 ms per pass at 8 tokens and 24.9 -> 23.4 ms at
// 1 token; hardware prefetch alone falls behind once the fmas per byte grow. Nearer distances
// (2-8 KiB) or prefetching into L1 gained less, NTA lost. It costs one instruction per cache
// line (+55% instructions in the 1-token loop), which the memory-bound loop hides. Pure
// scheduling: no value changes.
constexpr int64_t kPrefetchBytes = 32 * 1024;

static inline void prefetch_ahead(const void* p) {
  // integer arithmetic: the address may lie past the end of the weights (prefetches never fault)
  _mm_prefetch(reinterpret_cast<const char*>(reinterpret_cast<uintptr_t>(p) + kPrefetchBytes), _MM_HINT_T2);
}

#define OLI_AVX512 __attribute__((target("avx512f")))

// GCC 12's _mm512_cvtepu16_epi32 starts from _mm512_undefined_epi32(), which trips a spurious
// -Wmaybe-uninitialized at every inlined call site.
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#pragma GCC diagnostic ignored "-Wuninitialized"

// ---- the halving tree of ARITHMETIC.md section 2, in registers. Every step adds the same two
// lanes in the same order as reduce16() (lane i first, then lane i + w), so the bits are those of
// the scalar tree; several rows are reduced side by side in one register.

/** D of one accumulator: lanes i + (i+8), then + (i+4), + (i+2), + (i+1). */
OLI_AVX512 static inline float reduce1_512(__m512 a) {
  __m256 lo = _mm512_castps512_ps256(a);
  __m256 hi = _mm256_castpd_ps(_mm512_extractf64x4_pd(_mm512_castps_pd(a), 1));
  __m256 s8 = _mm256_add_ps(lo, hi);
  __m128 s4 = _mm_add_ps(_mm256_castps256_ps128(s8), _mm256_extractf128_ps(s8, 1));
  __m128 s2 = _mm_add_ps(s4, _mm_movehl_ps(s4, s4));
  return _mm_cvtss_f32(_mm_add_ss(s2, _mm_shuffle_ps(s2, s2, 1)));
}

/** s8 of two rows: quarters 0-1 = s8 of a, quarters 2-3 = s8 of b. */
OLI_AVX512 static inline __m512 halve2_512(__m512 a, __m512 b) {
  return _mm512_add_ps(_mm512_shuffle_f32x4(a, b, _MM_SHUFFLE(1, 0, 1, 0)),
                       _mm512_shuffle_f32x4(a, b, _MM_SHUFFLE(3, 2, 3, 2)));
}

/** s4 of four rows (quarter r = s4 of row r) from the s8 pairs of rows 0-1 and 2-3. */
OLI_AVX512 static inline __m512 halve4_512(__m512 s01, __m512 s23) {
  return _mm512_add_ps(_mm512_shuffle_f32x4(s01, s23, _MM_SHUFFLE(2, 0, 2, 0)),
                       _mm512_shuffle_f32x4(s01, s23, _MM_SHUFFLE(3, 1, 3, 1)));
}

/** [D(a0), D(a1), D(a2), D(a3)]. */
OLI_AVX512 static inline __m128 reduce4_512(__m512 a0, __m512 a1, __m512 a2, __m512 a3) {
  __m512 s4 = halve4_512(halve2_512(a0, a1), halve2_512(a2, a3));
  __m512 s2 = _mm512_add_ps(s4, _mm512_permute_ps(s4, _MM_SHUFFLE(1, 0, 3, 2)));
  __m512 d = _mm512_add_ps(s2, _mm512_permute_ps(s2, _MM_SHUFFLE(2, 3, 0, 1)));
  return _mm512_castps512_ps128(_mm512_permutexvar_ps(_mm512_setr_epi32(0, 4, 8, 12, 0, 4, 8, 12, 0, 4, 8, 12, 0, 4, 8, 12), d));
}

/** [D(a[0]), ..., D(a[7])]. */
OLI_AVX512 static inline __m256 reduce8_512(const __m512* a) {
  __m512 sa = halve4_512(halve2_512(a[0], a[1]), halve2_512(a[2], a[3]));  // rows 0-3
  __m512 sb = halve4_512(halve2_512(a[4], a[5]), halve2_512(a[6], a[7]));  // rows 4-7
  // per quarter q: [sa q0, sa q1, sb q0, sb q1] + [sa q2, sa q3, sb q2, sb q3] = s2 of rows q, q+4
  __m512 s2 = _mm512_add_ps(_mm512_shuffle_ps(sa, sb, _MM_SHUFFLE(1, 0, 1, 0)),
                            _mm512_shuffle_ps(sa, sb, _MM_SHUFFLE(3, 2, 3, 2)));
  // lane 0 of quarter q = D(row q), lane 1 = D(row q + 4)
  __m512 d = _mm512_add_ps(_mm512_shuffle_ps(s2, s2, _MM_SHUFFLE(2, 0, 2, 0)),
                           _mm512_shuffle_ps(s2, s2, _MM_SHUFFLE(3, 1, 3, 1)));
  return _mm512_castps512_ps256(_mm512_permutexvar_ps(_mm512_setr_epi32(0, 4, 8, 12, 1, 5, 9, 13, 0, 4, 8, 12, 1, 5, 9, 13), d));
}

/** y[r] = D(acc[r]) for r < R (R consecutive outputs). */
template <int R>
OLI_AVX512 static inline void store_rows_512(const __m512* acc, float* y) {
  if constexpr (R == 8) {
    _mm256_storeu_ps(y, reduce8_512(acc));
  } else if constexpr (R == 4) {
    _mm_storeu_ps(y, reduce4_512(acc[0], acc[1], acc[2], acc[3]));
  } else {
    for (int r = 0; r < R; r++) y[r] = reduce1_512(acc[r]);
  }
}

OLI_AVX512 static float dot_avx512(const float* a, const float* b, int32_t K) {
  __m512 acc = _mm512_setzero_ps();
  int32_t k = 0;
  for (; k + 16 <= K; k += 16)
    acc = _mm512_fmadd_ps(_mm512_loadu_ps(a + k), _mm512_loadu_ps(b + k), acc);
  if (k < K) {
    __mmask16 m = static_cast<__mmask16>((1u << (K - k)) - 1u);
    acc = _mm512_mask3_fmadd_ps(_mm512_maskz_loadu_ps(m, a + k), _mm512_maskz_loadu_ps(m, b + k),
                                acc, m);
  }
  return reduce1_512(acc);
}

// BF16 -> f32 widening of 16 weights (exact): zero-extend to 32 bits, shift into the high half.
OLI_AVX512 static inline __m512 load_bf16(const uint16_t* p) {
  __m256i h = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(p));
  return _mm512_castsi512_ps(_mm512_slli_epi32(_mm512_cvtepu16_epi32(h), 16));
}

OLI_AVX512 static inline __m512 load_bf16_tail(const uint16_t* p, int32_t n) {
  alignas(32) uint16_t tmp[16] = {0};
  for (int32_t i = 0; i < n; i++) tmp[i] = p[i];
  return load_bf16(tmp);
}

/** Weight rows as f32. */
struct F32Rows512 {
  using T = float;
  OLI_AVX512 static __m512 load(const float* p) { return _mm512_loadu_ps(p); }
  OLI_AVX512 static __m512 load_tail(const float* p, int32_t n) {
    return _mm512_maskz_loadu_ps(static_cast<__mmask16>((1u << n) - 1u), p);
  }
};

/** Weight rows as BF16 bits, widened exactly. */
struct Bf16Rows512 {
  using T = uint16_t;
  OLI_AVX512 static __m512 load(const uint16_t* p) { return load_bf16(p); }
  OLI_AVX512 static __m512 load_tail(const uint16_t* p, int32_t n) { return load_bf16_tail(p, n); }
};

// Register tile: R weight rows x C tokens, one 16-lane accumulator per output element, so every
// element follows exactly the single-row order of dot_avx512 (lane j takes k = j mod 16, masked
// tail lanes keep their accumulator).
template <int R, int C, typename W>
OLI_AVX512 static inline void tile_avx512(const float* x, int64_t xs, int32_t K, const typename W::T* w,
                                          int64_t ws, float* y, int64_t ys) {
  __m512 acc[C][R];
  for (int c = 0; c < C; c++)
    for (int r = 0; r < R; r++) acc[c][r] = _mm512_setzero_ps();
  const typename W::T* wr[R];
  for (int r = 0; r < R; r++) wr[r] = w + r * ws;
  int32_t k = 0;
  for (; k + 16 <= K; k += 16) {
    for (int r = 0; r < R; r++) prefetch_ahead(wr[r] + k);
    __m512 xv[C];
    for (int c = 0; c < C; c++) xv[c] = _mm512_loadu_ps(x + c * xs + k);
    for (int r = 0; r < R; r++) {
      __m512 wv = W::load(wr[r] + k);
      for (int c = 0; c < C; c++) acc[c][r] = _mm512_fmadd_ps(xv[c], wv, acc[c][r]);
    }
  }
  if (k < K) {
    __mmask16 m = static_cast<__mmask16>((1u << (K - k)) - 1u);
    __m512 xv[C];
    for (int c = 0; c < C; c++) xv[c] = _mm512_maskz_loadu_ps(m, x + c * xs + k);
    for (int r = 0; r < R; r++) {
      __m512 wv = W::load_tail(wr[r] + k, K - k);
      for (int c = 0; c < C; c++) acc[c][r] = _mm512_mask3_fmadd_ps(xv[c], wv, acc[c][r], m);
    }
  }
  for (int c = 0; c < C; c++) store_rows_512<R>(acc[c], y + c * ys);
}

// Rows in blocks of 8 at T = 1 (decode: eight weight streams in flight, one x load per 8 fmas),
// blocks of 4 x 4 tokens otherwise; tails by smaller tiles. The tile shape never changes a bit.
template <typename W>
OLI_AVX512 static void matmul_avx512_any(const float* x, int64_t xs, int32_t T, int32_t K,
                                         const typename W::T* w, int64_t ws, int32_t n0, int32_t n1,
                                         float* y, int64_t ys) {
  int32_t n = n0;
  if (T == 1) {
    for (; n + 8 <= n1; n += 8) tile_avx512<8, 1, W>(x, xs, K, w + n * ws, ws, y + n, ys);
    for (; n + 4 <= n1; n += 4) tile_avx512<4, 1, W>(x, xs, K, w + n * ws, ws, y + n, ys);
    for (; n < n1; n++) tile_avx512<1, 1, W>(x, xs, K, w + n * ws, ws, y + n, ys);
    return;
  }
  for (; n + 4 <= n1; n += 4) {
    int32_t t = 0;
    for (; t + 4 <= T; t += 4) tile_avx512<4, 4, W>(x + t * xs, xs, K, w + n * ws, ws, y + t * ys + n, ys);
    for (; t < T; t++) tile_avx512<4, 1, W>(x + t * xs, xs, K, w + n * ws, ws, y + t * ys + n, ys);
  }
  for (; n < n1; n++) {
    int32_t t = 0;
    for (; t + 4 <= T; t += 4) tile_avx512<1, 4, W>(x + t * xs, xs, K, w + n * ws, ws, y + t * ys + n, ys);
    for (; t < T; t++) tile_avx512<1, 1, W>(x + t * xs, xs, K, w + n * ws, ws, y + t * ys + n, ys);
  }
}

OLI_AVX512 static void matmul_avx512(const float* x, int64_t xs, int32_t T, int32_t K,
                                     const float* w, int64_t ws, int32_t n0, int32_t n1, float* y,
                                     int64_t ys) {
  matmul_avx512_any<F32Rows512>(x, xs, T, K, w, ws, n0, n1, y, ys);
}

OLI_AVX512 static void matmul_bf16_avx512(const float* x, int64_t xs, int32_t T, int32_t K,
                                          const uint16_t* w, int64_t ws, int32_t n0, int32_t n1,
                                          float* y, int64_t ys) {
  matmul_avx512_any<Bf16Rows512>(x, xs, T, K, w, ws, n0, n1, y, ys);
}

OLI_AVX512 static void attn_accumulate_avx512(float* o, int32_t hd, float alpha, const float* p,
                                              const float* const* v, int32_t n) {
  int32_t d = 0;
  __m512 av = _mm512_set1_ps(alpha);
  for (; d + 16 <= hd; d += 16) {
    __m512 ov = _mm512_mul_ps(_mm512_loadu_ps(o + d), av);
    for (int32_t j = 0; j < n; j++)
      ov = _mm512_fmadd_ps(_mm512_set1_ps(p[j]), _mm512_loadu_ps(v[j] + d), ov);
    _mm512_storeu_ps(o + d, ov);
  }
  for (; d < hd; d++) {
    float od = o[d] * alpha;
    for (int32_t j = 0; j < n; j++) od = std::fma(p[j], v[j][d], od);
    o[d] = od;
  }
}

// exp_f of ARITHMETIC.md section 5 on 16 lanes: the same operations in the same order as the
// scalar exp_f, each lane taking the scalar branch its value takes (the others are blended away).
OLI_AVX512 static inline __m512 exp_f_avx512(__m512 x) {
  __m512 kf = _mm512_add_ps(_mm512_mul_ps(x, _mm512_set1_ps(1.44269502f)), _mm512_set1_ps(12582912.0f));
  kf = _mm512_sub_ps(kf, _mm512_set1_ps(12582912.0f));
  __m512i n = _mm512_cvttps_epi32(kf);
  __m512 r = _mm512_fmadd_ps(kf, _mm512_set1_ps(-0.693145751953125f), x);
  r = _mm512_fmadd_ps(kf, _mm512_set1_ps(-1.428606765330187e-06f), r);
  __m512 p = _mm512_castsi512_ps(_mm512_set1_epi32(0x39500D01));
  p = _mm512_fmadd_ps(p, r, _mm512_castsi512_ps(_mm512_set1_epi32(0x3AB60B61)));
  p = _mm512_fmadd_ps(p, r, _mm512_castsi512_ps(_mm512_set1_epi32(0x3C088889)));
  p = _mm512_fmadd_ps(p, r, _mm512_castsi512_ps(_mm512_set1_epi32(0x3D2AAAAB)));
  p = _mm512_fmadd_ps(p, r, _mm512_castsi512_ps(_mm512_set1_epi32(0x3E2AAAAB)));
  p = _mm512_fmadd_ps(p, r, _mm512_set1_ps(0.5f));
  p = _mm512_fmadd_ps(p, r, _mm512_set1_ps(1.0f));
  p = _mm512_fmadd_ps(p, r, _mm512_set1_ps(1.0f));
  __m512 scale = _mm512_castsi512_ps(_mm512_slli_epi32(_mm512_add_epi32(n, _mm512_set1_epi32(127)), 23));
  __m512 y = _mm512_mul_ps(p, scale);
  __mmask16 top = _mm512_cmpgt_epi32_mask(n, _mm512_set1_epi32(127));
  y = _mm512_mask_mov_ps(y, top, _mm512_mul_ps(_mm512_mul_ps(p, _mm512_castsi512_ps(_mm512_set1_epi32(0x7F000000))), _mm512_set1_ps(2.0f)));
  y = _mm512_mask_mov_ps(y, _mm512_cmp_ps_mask(x, _mm512_set1_ps(-87.0f), _CMP_LT_OQ), _mm512_setzero_ps());
  y = _mm512_mask_mov_ps(y, _mm512_cmp_ps_mask(x, _mm512_set1_ps(88.72283935546875f), _CMP_GT_OQ),
                         _mm512_castsi512_ps(_mm512_set1_epi32(0x7F800000)));
  return _mm512_mask_mov_ps(y, _mm512_cmp_ps_mask(x, x, _CMP_UNORD_Q), x);
}

OLI_AVX512 static void silu_mul_avx512(const float* g, const float* u, int64_t n, float* out) {
  int64_t i = 0;
  const __m512 one = _mm512_set1_ps(1.0f);
  for (; i + 16 <= n; i += 16) {
    __m512 gv = _mm512_loadu_ps(g + i);
    __m512 neg = _mm512_castsi512_ps(_mm512_xor_si512(_mm512_castps_si512(gv), _mm512_set1_epi32(INT32_MIN)));
    __m512 s = _mm512_div_ps(gv, _mm512_add_ps(one, exp_f_avx512(neg)));
    _mm512_storeu_ps(out + i, _mm512_mul_ps(s, _mm512_loadu_ps(u + i)));
  }
  for (; i < n; i++) out[i] = silu_f(g[i]) * u[i];
}

OLI_AVX512 static void exp_shifted_avx512(const float* s, float m, int32_t n, float* p) {
  const __m512 mv = _mm512_set1_ps(m);
  int32_t j = 0;
  for (; j + 16 <= n; j += 16) _mm512_storeu_ps(p + j, exp_f_avx512(_mm512_sub_ps(_mm512_loadu_ps(s + j), mv)));
  if (j < n) {
    __mmask16 k = static_cast<__mmask16>((1u << (n - j)) - 1u);
    _mm512_mask_storeu_ps(p + j, k, exp_f_avx512(_mm512_sub_ps(_mm512_maskz_loadu_ps(k, s + j), mv)));
  }
}

static const Kernels kAvx512 = {"avx512", matmul_avx512, matmul_bf16_avx512, dot_avx512, silu_mul_avx512,
                                exp_shifted_avx512, attn_accumulate_avx512};

const Kernels* avx512_kernels() {
  __builtin_cpu_init();
  return __builtin_cpu_supports("avx512f") ? &kAvx512 : nullptr;
}

#pragma GCC diagnostic pop

// ---------------------------------------------------------------- AVX2 + FMA
// The 16 lanes of ARITHMETIC.md section 2 are two 8-float registers (lanes 0-7, 8-15).

#define OLI_AVX2 __attribute__((target("avx2,fma")))

// The halving tree in registers, as on AVX-512: s8 = lanes 0-7 + lanes 8-15 is lo + hi.
OLI_AVX2 static inline float reduce1_avx2(__m256 lo, __m256 hi) {
  __m256 s8 = _mm256_add_ps(lo, hi);
  __m128 s4 = _mm_add_ps(_mm256_castps256_ps128(s8), _mm256_extractf128_ps(s8, 1));
  __m128 s2 = _mm_add_ps(s4, _mm_movehl_ps(s4, s4));
  return _mm_cvtss_f32(_mm_add_ss(s2, _mm_shuffle_ps(s2, s2, 1)));
}

/** [D(row 0), ..., D(row 3)] from each row's lanes 0-7 (lo) and 8-15 (hi). */
OLI_AVX2 static inline __m128 reduce4_avx2(const __m256* lo, const __m256* hi) {
  __m256 s8[4];
  for (int r = 0; r < 4; r++) s8[r] = _mm256_add_ps(lo[r], hi[r]);
  // s4 of rows 0|1 and 2|3 (one row per 128-bit half)
  __m256 s01 = _mm256_add_ps(_mm256_permute2f128_ps(s8[0], s8[1], 0x20), _mm256_permute2f128_ps(s8[0], s8[1], 0x31));
  __m256 s23 = _mm256_add_ps(_mm256_permute2f128_ps(s8[2], s8[3], 0x20), _mm256_permute2f128_ps(s8[2], s8[3], 0x31));
  // s2: half 0 = [row 0 s2, row 2 s2], half 1 = [row 1 s2, row 3 s2]
  __m256 s2 = _mm256_add_ps(_mm256_shuffle_ps(s01, s23, _MM_SHUFFLE(1, 0, 1, 0)), _mm256_shuffle_ps(s01, s23, _MM_SHUFFLE(3, 2, 3, 2)));
  // d: half 0 = [D0, D2, ..], half 1 = [D1, D3, ..]
  __m256 d = _mm256_add_ps(_mm256_shuffle_ps(s2, s2, _MM_SHUFFLE(2, 0, 2, 0)), _mm256_shuffle_ps(s2, s2, _MM_SHUFFLE(3, 1, 3, 1)));
  return _mm_unpacklo_ps(_mm256_castps256_ps128(d), _mm256_extractf128_ps(d, 1));
}

OLI_AVX2 static inline __m256i tail_mask8(int32_t n) {
  alignas(32) int32_t m[8];
  for (int i = 0; i < 8; i++) m[i] = i < n ? -1 : 0;
  return _mm256_load_si256(reinterpret_cast<const __m256i*>(m));
}

// Widen 8 BF16 weights exactly.
OLI_AVX2 static inline __m256 load_bf16x8(const uint16_t* p) {
  __m128i h = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p));
  return _mm256_castsi256_ps(_mm256_slli_epi32(_mm256_cvtepu16_epi32(h), 16));
}

struct F32Src {
  const float* p;
  OLI_AVX2 __m256 load(int64_t k) const { return _mm256_loadu_ps(p + k); }
  OLI_AVX2 __m256 load_part(int64_t k, int32_t n) const { return _mm256_maskload_ps(p + k, tail_mask8(n)); }
};

struct Bf16Src {
  const uint16_t* p;
  OLI_AVX2 __m256 load(int64_t k) const { return load_bf16x8(p + k); }
  OLI_AVX2 __m256 load_part(int64_t k, int32_t n) const {
    alignas(16) uint16_t tmp[8] = {0};
    for (int32_t i = 0; i < n; i++) tmp[i] = p[k + i];
    return load_bf16x8(tmp);
  }
};

// One output element per (row r, token c); per element the order equals dot_scalar: lane j of
// the 16 takes k = j mod 16, lanes with no element keep +0.
template <int R, int C, typename W>
OLI_AVX2 static inline void tile_avx2(const float* x, int64_t xs, int32_t K, const W* w, float* y, int64_t ys) {
  __m256 lo[R][C], hi[R][C];
  for (int r = 0; r < R; r++)
    for (int c = 0; c < C; c++) lo[r][c] = hi[r][c] = _mm256_setzero_ps();
  int32_t k = 0;
  for (; k + 16 <= K; k += 16) {
    for (int r = 0; r < R; r++) prefetch_ahead(w[r].p + k);
    __m256 xl[C], xh[C];
    for (int c = 0; c < C; c++) {
      xl[c] = _mm256_loadu_ps(x + c * xs + k);
      xh[c] = _mm256_loadu_ps(x + c * xs + k + 8);
    }
    for (int r = 0; r < R; r++) {
      __m256 wl = w[r].load(k), wh = w[r].load(k + 8);
      for (int c = 0; c < C; c++) {
        lo[r][c] = _mm256_fmadd_ps(xl[c], wl, lo[r][c]);
        hi[r][c] = _mm256_fmadd_ps(xh[c], wh, hi[r][c]);
      }
    }
  }
  int32_t rem = K - k;
  if (rem > 0) {
    int32_t nl = rem < 8 ? rem : 8, nh = rem - nl;
    for (int r = 0; r < R; r++) {
      __m256 wl = w[r].load_part(k, nl);
      __m256 wh = nh > 0 ? w[r].load_part(k + 8, nh) : _mm256_setzero_ps();
      for (int c = 0; c < C; c++) {
        // masked-off lanes multiply +0 by +0 and add to the accumulator: acc + (+0) = acc
        // except acc = -0; so blend the untouched lanes back instead.
        __m256 xl = _mm256_maskload_ps(x + c * xs + k, tail_mask8(nl));
        __m256 nlo = _mm256_fmadd_ps(xl, wl, lo[r][c]);
        lo[r][c] = _mm256_blendv_ps(lo[r][c], nlo, _mm256_castsi256_ps(tail_mask8(nl)));
        if (nh > 0) {
          __m256 xh = _mm256_maskload_ps(x + c * xs + k + 8, tail_mask8(nh));
          __m256 nhi = _mm256_fmadd_ps(xh, wh, hi[r][c]);
          hi[r][c] = _mm256_blendv_ps(hi[r][c], nhi, _mm256_castsi256_ps(tail_mask8(nh)));
        }
      }
    }
  }
  for (int c = 0; c < C; c++) {
    if constexpr (R == 4) {
      __m256 l4[4] = {lo[0][c], lo[1][c], lo[2][c], lo[3][c]};
      __m256 h4[4] = {hi[0][c], hi[1][c], hi[2][c], hi[3][c]};
      _mm_storeu_ps(y + c * ys, reduce4_avx2(l4, h4));
    } else {
      for (int r = 0; r < R; r++) y[c * ys + r] = reduce1_avx2(lo[r][c], hi[r][c]);
    }
  }
}

template <typename W, typename P>
OLI_AVX2 static void matmul_avx2_any(const float* x, int64_t xs, int32_t T, int32_t K, const P* wp, int64_t ws,
                                     int32_t n0, int32_t n1, float* y, int64_t ys) {
  int32_t n = n0;
  for (; n + 4 <= n1; n += 4) {
    W w[4] = {{wp + n * ws}, {wp + (n + 1) * ws}, {wp + (n + 2) * ws}, {wp + (n + 3) * ws}};
    int32_t t = 0;
    for (; t + 2 <= T; t += 2) tile_avx2<4, 2>(x + t * xs, xs, K, w, y + t * ys + n, ys);
    for (; t < T; t++) tile_avx2<4, 1>(x + t * xs, xs, K, w, y + t * ys + n, ys);
  }
  for (; n < n1; n++) {
    W w[1] = {{wp + n * ws}};
    for (int32_t t = 0; t < T; t++) tile_avx2<1, 1>(x + t * xs, xs, K, w, y + t * ys + n, ys);
  }
}

OLI_AVX2 static void matmul_avx2(const float* x, int64_t xs, int32_t T, int32_t K, const float* w, int64_t ws,
                                 int32_t n0, int32_t n1, float* y, int64_t ys) {
  matmul_avx2_any<F32Src>(x, xs, T, K, w, ws, n0, n1, y, ys);
}

OLI_AVX2 static void matmul_bf16_avx2(const float* x, int64_t xs, int32_t T, int32_t K, const uint16_t* w,
                                      int64_t ws, int32_t n0, int32_t n1, float* y, int64_t ys) {
  matmul_avx2_any<Bf16Src>(x, xs, T, K, w, ws, n0, n1, y, ys);
}

OLI_AVX2 static float dot_avx2(const float* a, const float* b, int32_t K) {
  float y;
  F32Src w[1] = {{b}};
  tile_avx2<1, 1>(a, 0, K, w, &y, 0);
  return y;
}

OLI_AVX2 static void attn_accumulate_avx2(float* o, int32_t hd, float alpha, const float* p,
                                          const float* const* v, int32_t n) {
  int32_t d = 0;
  __m256 av = _mm256_set1_ps(alpha);
  for (; d + 8 <= hd; d += 8) {
    __m256 ov = _mm256_mul_ps(_mm256_loadu_ps(o + d), av);
    for (int32_t j = 0; j < n; j++) ov = _mm256_fmadd_ps(_mm256_set1_ps(p[j]), _mm256_loadu_ps(v[j] + d), ov);
    _mm256_storeu_ps(o + d, ov);
  }
  for (; d < hd; d++) {
    float od = o[d] * alpha;
    for (int32_t j = 0; j < n; j++) od = std::fma(p[j], v[j][d], od);
    o[d] = od;
  }
}

// exp_f on 8 lanes (see exp_f_avx512).
OLI_AVX2 static inline __m256 exp_f_avx2(__m256 x) {
  __m256 kf = _mm256_add_ps(_mm256_mul_ps(x, _mm256_set1_ps(1.44269502f)), _mm256_set1_ps(12582912.0f));
  kf = _mm256_sub_ps(kf, _mm256_set1_ps(12582912.0f));
  __m256i n = _mm256_cvttps_epi32(kf);
  __m256 r = _mm256_fmadd_ps(kf, _mm256_set1_ps(-0.693145751953125f), x);
  r = _mm256_fmadd_ps(kf, _mm256_set1_ps(-1.428606765330187e-06f), r);
  __m256 p = _mm256_castsi256_ps(_mm256_set1_epi32(0x39500D01));
  p = _mm256_fmadd_ps(p, r, _mm256_castsi256_ps(_mm256_set1_epi32(0x3AB60B61)));
  p = _mm256_fmadd_ps(p, r, _mm256_castsi256_ps(_mm256_set1_epi32(0x3C088889)));
  p = _mm256_fmadd_ps(p, r, _mm256_castsi256_ps(_mm256_set1_epi32(0x3D2AAAAB)));
  p = _mm256_fmadd_ps(p, r, _mm256_castsi256_ps(_mm256_set1_epi32(0x3E2AAAAB)));
  p = _mm256_fmadd_ps(p, r, _mm256_set1_ps(0.5f));
  p = _mm256_fmadd_ps(p, r, _mm256_set1_ps(1.0f));
  p = _mm256_fmadd_ps(p, r, _mm256_set1_ps(1.0f));
  __m256 scale = _mm256_castsi256_ps(_mm256_slli_epi32(_mm256_add_epi32(n, _mm256_set1_epi32(127)), 23));
  __m256 y = _mm256_mul_ps(p, scale);
  __m256 top = _mm256_castsi256_ps(_mm256_cmpgt_epi32(n, _mm256_set1_epi32(127)));
  y = _mm256_blendv_ps(y, _mm256_mul_ps(_mm256_mul_ps(p, _mm256_castsi256_ps(_mm256_set1_epi32(0x7F000000))), _mm256_set1_ps(2.0f)), top);
  y = _mm256_blendv_ps(y, _mm256_setzero_ps(), _mm256_cmp_ps(x, _mm256_set1_ps(-87.0f), _CMP_LT_OQ));
  y = _mm256_blendv_ps(y, _mm256_castsi256_ps(_mm256_set1_epi32(0x7F800000)), _mm256_cmp_ps(x, _mm256_set1_ps(88.72283935546875f), _CMP_GT_OQ));
  return _mm256_blendv_ps(y, x, _mm256_cmp_ps(x, x, _CMP_UNORD_Q));
}

OLI_AVX2 static void silu_mul_avx2(const float* g, const float* u, int64_t n, float* out) {
  int64_t i = 0;
  const __m256 one = _mm256_set1_ps(1.0f);
  const __m256 sign = _mm256_castsi256_ps(_mm256_set1_epi32(INT32_MIN));
  for (; i + 8 <= n; i += 8) {
    __m256 gv = _mm256_loadu_ps(g + i);
    __m256 s = _mm256_div_ps(gv, _mm256_add_ps(one, exp_f_avx2(_mm256_xor_ps(gv, sign))));
    _mm256_storeu_ps(out + i, _mm256_mul_ps(s, _mm256_loadu_ps(u + i)));
  }
  for (; i < n; i++) out[i] = silu_f(g[i]) * u[i];
}

OLI_AVX2 static void exp_shifted_avx2(const float* s, float m, int32_t n, float* p) {
  const __m256 mv = _mm256_set1_ps(m);
  int32_t j = 0;
  for (; j + 8 <= n; j += 8) _mm256_storeu_ps(p + j, exp_f_avx2(_mm256_sub_ps(_mm256_loadu_ps(s + j), mv)));
  for (; j < n; j++) p[j] = exp_f(s[j] - m);
}

static const Kernels kAvx2 = {"avx2", matmul_avx2, matmul_bf16_avx2, dot_avx2, silu_mul_avx2, exp_shifted_avx2,
                              attn_accumulate_avx2};

const Kernels* avx2_kernels() {
  __builtin_cpu_init();
  return (__builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma")) ? &kAvx2 : nullptr;
}

#else

const Kernels* avx512_kernels() { return nullptr; }
const Kernels* avx2_kernels() { return nullptr; }

#endif

}  // namespace cpu
}  // namespace oli
