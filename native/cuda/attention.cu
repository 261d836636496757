// attention.cu: paged flash attention with online softmax over fixed 32-key tiles
// (ARITHMETIC.md section 8). One thread block owns one (query token, query head): it walks the
// token's logical key positions 0..pos through the sequence's block table, tile by tile:
//   1. scores: half-warps compute s_j = D(q, k_j, hd) * scale (one half-warp per key);
//   2. thread 0 takes the running max in increasing j (the CPU's sequential scan, NaN included),
//      warp 0 computes p_j = exp_f(s_j - m_new) and the 32-slot halving tree of the tile sum
//      with xor shuffles (16, 8, 4, 2, 1), and thread 0 updates l;
//   3. every thread owns output features d: o[d] = o[d] * alpha, then fma(p_j, v_j[d], o[d]) in
//      increasing j.
// The tile is over logical positions, never over KV blocks or the batch, and nothing is split
// across blocks, so the bits equal the CPU reference for any block size, batch or grid.
#include <cmath>

#include "cuda-check.cuh"
#include "cuda-math.cuh"
#include "cuda-ops.cuh"

namespace oli {
namespace cuda {
namespace {

constexpr int kThreads = 128;                  // 4 warps = 8 half-warps
constexpr int kHalfWarps = kThreads / kLanes;

__global__ void __launch_bounds__(kThreads)
    attention_kernel(const float* __restrict__ q, int32_t num_heads, int32_t group, int32_t hd,
                     const int32_t* __restrict__ positions,
                     const int32_t* __restrict__ table_offsets,
                     const int32_t* __restrict__ block_tables, const float* __restrict__ k_cache,
                     const float* __restrict__ v_cache, int32_t block_size, int32_t kv_dim,
                     float scale, float* __restrict__ out) {
  extern __shared__ float smem[];
  float* qs = smem;       // [hd]
  float* os = smem + hd;  // [hd], element d only touched by thread d mod kThreads
  __shared__ float s_sh[kAttentionTile];
  __shared__ float p_sh[kAttentionTile];
  __shared__ int64_t row_sh[kAttentionTile];
  __shared__ float alpha_sh, m_new_sh, l_sh;

  const int tid = threadIdx.x;
  const int lane = tid % kLanes;
  const int hw = tid / kLanes;
  const int64_t t = blockIdx.y;
  const int32_t h = blockIdx.x;
  const int32_t g = h / group;
  const int32_t pos = positions[t];
  const int32_t* table = block_tables + table_offsets[t];
  const float* qsrc = q + (t * num_heads + h) * hd;
  const float neg_inf = __int_as_float(static_cast<int>(0xFF800000u));

  for (int32_t d = tid; d < hd; d += kThreads) {
    qs[d] = qsrc[d];
    os[d] = 0.0f;
  }
  float m = neg_inf, l = 0.0f;  // meaningful in thread 0 only

  for (int32_t base = 0; base <= pos; base += kAttentionTile) {
    const int32_t cnt = min(kAttentionTile, pos - base + 1);
    if (tid < cnt) {
      const int32_t kp = base + tid;
      const int64_t row = static_cast<int64_t>(table[kp / block_size]) * block_size + kp % block_size;
      row_sh[tid] = row * kv_dim + static_cast<int64_t>(g) * hd;
    }
    __syncthreads();  // q loaded, rows published, previous tile's p/alpha consumed

    // 1. scores (uniform trip count so both half-warps of a warp shuffle together)
    for (int jj = 0; jj < kAttentionTile; jj += kHalfWarps) {
      const int j = jj + hw;
      const bool ok = j < cnt;
      const int jc = ok ? j : cnt - 1;
      const float dsum = tree16(lane_dot(qs, k_cache + row_sh[jc], hd, lane));
      if (ok && lane == 0) s_sh[j] = __fmul_rn(dsum, scale);
    }
    __syncthreads();

    // 2. running max, probabilities, tile sum
    if (tid < 32) {
      if (tid == 0) {
        float mt = s_sh[0];
        for (int j = 1; j < cnt; j++)
          if (s_sh[j] > mt) mt = s_sh[j];
        const float m_new = (mt > m) ? mt : m;
        alpha_sh = (m == neg_inf) ? 0.0f : exp_f(__fsub_rn(m, m_new));
        m_new_sh = m_new;
      }
      __syncwarp();
      const float m_new = m_new_sh;
      float v = 0.0f;
      if (tid < cnt) {
        v = exp_f(__fsub_rn(s_sh[tid], m_new));
        p_sh[tid] = v;
      }
      v = __fadd_rn(v, __shfl_xor_sync(0xffffffffu, v, 16));
      v = __fadd_rn(v, __shfl_xor_sync(0xffffffffu, v, 8));
      v = __fadd_rn(v, __shfl_xor_sync(0xffffffffu, v, 4));
      v = __fadd_rn(v, __shfl_xor_sync(0xffffffffu, v, 2));
      v = __fadd_rn(v, __shfl_xor_sync(0xffffffffu, v, 1));
      if (tid == 0) {
        l = __fadd_rn(__fmul_rn(l, alpha_sh), v);
        m = m_new;
      }
    }
    __syncthreads();

    // 3. rescale and accumulate V rows in increasing key order
    const float alpha = alpha_sh;
    for (int32_t d = tid; d < hd; d += kThreads) {
      float od = __fmul_rn(os[d], alpha);
      for (int j = 0; j < cnt; j++) od = __fmaf_rn(p_sh[j], v_cache[row_sh[j] + d], od);
      os[d] = od;
    }
    __syncthreads();  // before the next tile overwrites row_sh / p_sh
  }

  if (tid == 0) l_sh = l;
  __syncthreads();
  const float lt = l_sh;
  float* dst = out + (t * num_heads + h) * hd;
  for (int32_t d = tid; d < hd; d += kThreads) dst[d] = __fdiv_rn(os[d], lt);
}

}  // namespace

oli_status attention_launch(cudaStream_t stream, const AttentionArgs& a) {
  if (a.num_tokens < 0 || a.num_heads <= 0 || a.num_kv_heads <= 0 || a.head_dim <= 0 ||
      a.block_size <= 0 || a.num_heads % a.num_kv_heads != 0)
    return set_error(OLI_STATUS_INVALID_ARGUMENT,
                     "cuda attention: bad shape T=%d heads=%d kv_heads=%d head_dim=%d block=%d",
                     a.num_tokens, a.num_heads, a.num_kv_heads, a.head_dim, a.block_size);
  if (a.num_tokens == 0) return OLI_STATUS_OK;
  if (a.num_tokens > 65535)
    return set_error(OLI_STATUS_INVALID_ARGUMENT, "cuda attention: %d tokens exceed 65535", a.num_tokens);
  // Same expression as the CPU backend: IEEE sqrt and division are correctly rounded on the host.
  const float scale = 1.0f / std::sqrt(static_cast<float>(a.head_dim));
  const size_t smem = sizeof(float) * 2 * static_cast<size_t>(a.head_dim);
  if (smem > 48 * 1024)
    return set_error(OLI_STATUS_INVALID_ARGUMENT, "cuda attention: head_dim %d too large", a.head_dim);
  dim3 grid(static_cast<unsigned int>(a.num_heads), static_cast<unsigned int>(a.num_tokens));
  attention_kernel<<<grid, kThreads, smem, stream>>>(
      a.q, a.num_heads, a.num_heads / a.num_kv_heads, a.head_dim, a.positions, a.table_offsets,
      a.block_tables, a.k_cache, a.v_cache, a.block_size, a.num_kv_heads * a.head_dim, scale, a.out);
  OLI_CUDA_CHECK_LAUNCH();
  return OLI_STATUS_OK;
}

}  // namespace cuda
}  // namespace oli
