// matmul.cu: y[t][n] = D(x[t,:], w[n,:], K) (ARITHMETIC.md sections 2-3), the base linear layers
// and the SGMV segments of the LoRA ops.
//
// Work split: one half-warp owns one weight row n and a tile of TT tokens; lane j of the
// half-warp walks k = j, j+16, ... (increasing) with one accumulator per token, then the halving
// tree reduces the 16 lanes. That is exactly D's per-element order, so the result does not depend
// on T, the tile, the grid or the device. The tokens' x rows are staged in shared memory in
// chunks of kChunk floats (a multiple of 16, so lane j still owns k = j mod 16); each weight
// element is loaded once per token tile. No split-K, no atomics, no tensor cores.
// Blocks hold R rows: 16 in general, 4 for single-token decode so that small layers (N = 768
// gives 192 blocks instead of 48) still spread their weight stream over every SM.
#include "cuda-check.cuh"
#include "cuda-math.cuh"
#include "cuda-ops.cuh"

namespace oli {
namespace cuda {
namespace {

constexpr int kChunk = 256;        // floats of K per shared-memory pass; multiple of kLanes
static_assert(kChunk % kLanes == 0, "a chunk must keep lane j on k = j mod 16");

template <int TT, int R>
__global__ void __launch_bounds__(R * kLanes)
    matmul_kernel(const float* __restrict__ x, int64_t xs, int32_t T, int32_t K,
                  const float* __restrict__ w, int64_t ws, int32_t N, float* __restrict__ y,
                  int64_t ys, bool apply_scale, float scale) {
  __shared__ float xt[TT][kChunk];
  const int lane = threadIdx.x % kLanes;
  constexpr int kThreads = R * kLanes;
  int32_t n = blockIdx.x * R + threadIdx.x / kLanes;
  const bool row_ok = n < N;
  if (!row_ok) n = N - 1;  // computes a duplicate row, never stored; keeps the warp converged
  const int64_t t0 = static_cast<int64_t>(blockIdx.y) * TT;
  const float* wr = w + static_cast<int64_t>(n) * ws;
  float acc[TT];
#pragma unroll
  for (int tt = 0; tt < TT; tt++) acc[tt] = 0.0f;
  for (int32_t k0 = 0; k0 < K; k0 += kChunk) {
    const int32_t len = min(kChunk, K - k0);
    __syncthreads();  // previous chunk fully consumed
    for (int idx = threadIdx.x; idx < TT * kChunk; idx += kThreads) {
      const int tt = idx / kChunk, kk = idx % kChunk;
      const int64_t t = t0 + tt;
      xt[tt][kk] = (t < T && kk < len) ? x[t * xs + k0 + kk] : 0.0f;
    }
    __syncthreads();
    for (int32_t kk = lane; kk < len; kk += kLanes) {
      const float wv = wr[k0 + kk];
#pragma unroll
      for (int tt = 0; tt < TT; tt++) acc[tt] = __fmaf_rn(xt[tt][kk], wv, acc[tt]);
    }
  }
#pragma unroll
  for (int tt = 0; tt < TT; tt++) {
    const float v = tree16(acc[tt]);
    const int64_t t = t0 + tt;
    if (row_ok && lane == 0 && t < T) y[t * ys + n] = apply_scale ? __fmul_rn(v, scale) : v;
  }
}

template <int TT, int R = 16>
oli_status launch_tile(cudaStream_t stream, const float* x, int64_t xs, int32_t T, int32_t K,
                       const float* w, int64_t ws, int32_t N, float* y, int64_t ys,
                       bool apply_scale, float scale) {
  dim3 grid(div_up(N, R), div_up(T, TT));
  matmul_kernel<TT, R><<<grid, R * kLanes, 0, stream>>>(x, xs, T, K, w, ws, N, y, ys, apply_scale, scale);
  OLI_CUDA_CHECK_LAUNCH();
  return OLI_STATUS_OK;
}

}  // namespace

oli_status matmul_launch(cudaStream_t stream, const float* x, int64_t xs, int32_t T, int32_t K,
                         const float* w, int64_t ws, int32_t N, float* y, int64_t ys,
                         bool apply_scale, float scale) {
  if (T < 0 || K < 0 || N < 0)
    return set_error(OLI_STATUS_INVALID_ARGUMENT, "cuda matmul: bad shape T=%d K=%d N=%d", T, K, N);
  if (T == 0 || N == 0) return OLI_STATUS_OK;
  if (static_cast<int64_t>(T) > 65535LL * 16)
    return set_error(OLI_STATUS_INVALID_ARGUMENT, "cuda matmul: %d tokens exceed the grid", T);
  // Token tile by batch size: the tile changes only which threads share a weight load, never
  // the per-element order, so every choice gives the same bits.
  if (T == 1) return launch_tile<1, 4>(stream, x, xs, T, K, w, ws, N, y, ys, apply_scale, scale);
  if (T <= 4) return launch_tile<4>(stream, x, xs, T, K, w, ws, N, y, ys, apply_scale, scale);
  if (T <= 8) return launch_tile<8>(stream, x, xs, T, K, w, ws, N, y, ys, apply_scale, scale);
  return launch_tile<16>(stream, x, xs, T, K, w, ws, N, y, ys, apply_scale, scale);
}

}  // namespace cuda
}  // namespace oli
