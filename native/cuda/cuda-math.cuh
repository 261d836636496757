// cuda-math.cuh: device versions of the consensus arithmetic of ../ARITHMETIC.md. Every float
// operation is written with an explicit round-to-nearest intrinsic (__fmaf_rn, __fmul_rn,
// __fadd_rn, __fsub_rn, __fdiv_rn, __fsqrt_rn) so that nothing can be contracted or
// approximated, independently of the --fmad setting (the build also passes --fmad=false).
#ifndef OLI_CUDA_MATH_CUH
#define OLI_CUDA_MATH_CUH

#include <cstdint>

#include <cuda_runtime.h>

namespace oli {
namespace cuda {

/** Lanes of the dot product D (ARITHMETIC.md section 2): lane j owns k = j (mod 16). */
constexpr int kLanes = 16;
/** Key positions per attention tile (ARITHMETIC.md section 8). */
constexpr int kAttentionTile = 32;

/**
 * The halving tree of D over the 16 lanes of a half-warp: lane i adds lane i^w for
 * w = 8, 4, 2, 1. For i < w that is acc[i] + acc[i+w], exactly the CPU's s8/s4/s2 tree; lane 0
 * (of each half-warp) ends with D. All 32 lanes of the warp must call it.
 */
__device__ __forceinline__ float tree16(float v) {
  v = __fadd_rn(v, __shfl_xor_sync(0xffffffffu, v, 8));
  v = __fadd_rn(v, __shfl_xor_sync(0xffffffffu, v, 4));
  v = __fadd_rn(v, __shfl_xor_sync(0xffffffffu, v, 2));
  v = __fadd_rn(v, __shfl_xor_sync(0xffffffffu, v, 1));
  return v;
}

/**
 * The per-lane part of D(x, w, K) for lane `lane` (0..15): fma over k = lane, lane+16, ... in
 * increasing k, starting from +0.0f.
 */
__device__ __forceinline__ float lane_dot(const float* __restrict__ x, const float* __restrict__ w,
                                          int32_t K, int lane) {
  float acc = 0.0f;
  for (int32_t k = lane; k < K; k += kLanes) acc = __fmaf_rn(x[k], w[k], acc);
  return acc;
}

/**
 * D(x, w, K) computed in one thread: 16 register accumulators, then the same tree. Used where one
 * thread owns an output element (merge). Bitwise equal to the half-warp form.
 */
__device__ __forceinline__ float serial_dot_strided(const float* __restrict__ x, int64_t xs,
                                                    const float* __restrict__ w, int64_t ws,
                                                    int32_t K) {
  float acc[kLanes];
#pragma unroll
  for (int j = 0; j < kLanes; j++) acc[j] = 0.0f;
  for (int32_t k0 = 0; k0 < K; k0 += kLanes) {
#pragma unroll
    for (int j = 0; j < kLanes; j++) {
      int32_t k = k0 + j;
      if (k < K) acc[j] = __fmaf_rn(x[k * xs], w[k * ws], acc[j]);
    }
  }
  float s8[8], s4[4], s2[2];
#pragma unroll
  for (int i = 0; i < 8; i++) s8[i] = __fadd_rn(acc[i], acc[i + 8]);
#pragma unroll
  for (int i = 0; i < 4; i++) s4[i] = __fadd_rn(s8[i], s8[i + 4]);
#pragma unroll
  for (int i = 0; i < 2; i++) s2[i] = __fadd_rn(s4[i], s4[i + 2]);
  return __fadd_rn(s2[0], s2[1]);
}

/** exp_f of ARITHMETIC.md section 5 (bit-identical to oli::exp_f on the host). */
__device__ __forceinline__ float exp_f(float x) {
  if (x != x) return x;
  if (x > 88.72283935546875f) return __int_as_float(0x7F800000);
  if (x < -87.0f) return 0.0f;
  float kf = __fadd_rn(__fmul_rn(x, 1.44269502f), 12582912.0f);
  kf = __fsub_rn(kf, 12582912.0f);
  int n = __float2int_rz(kf);
  float r = __fmaf_rn(kf, -0.693145751953125f, x);
  r = __fmaf_rn(kf, -1.428606765330187e-06f, r);
  float p = __int_as_float(0x39500D01);
  p = __fmaf_rn(p, r, __int_as_float(0x3AB60B61));
  p = __fmaf_rn(p, r, __int_as_float(0x3C088889));
  p = __fmaf_rn(p, r, __int_as_float(0x3D2AAAAB));
  p = __fmaf_rn(p, r, __int_as_float(0x3E2AAAAB));
  p = __fmaf_rn(p, r, 0.5f);
  p = __fmaf_rn(p, r, 1.0f);
  p = __fmaf_rn(p, r, 1.0f);
  if (n <= 127) return __fmul_rn(p, __int_as_float((n + 127) << 23));
  return __fmul_rn(__fmul_rn(p, __int_as_float(0x7F000000)), 2.0f);
}

/** silu of ARITHMETIC.md section 6. */
__device__ __forceinline__ float silu_f(float g) {
  return __fdiv_rn(g, __fadd_rn(1.0f, exp_f(-g)));
}

/** Blocks needed to cover n items with `per` items per block. */
inline unsigned int div_up(int64_t n, int64_t per) {
  return static_cast<unsigned int>((n + per - 1) / per);
}

}  // namespace cuda
}  // namespace oli

#endif  // OLI_CUDA_MATH_CUH
