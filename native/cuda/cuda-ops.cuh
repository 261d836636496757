// cuda-ops.cuh: host-side launchers of the CUDA kernels, one per op file (<op>.cu). Each launcher
// validates its sizes, enqueues its kernel(s) on `stream` and returns OLI_STATUS_OK or the status
// of the failing CUDA call (through OLI_CUDA_CHECK). Pointers are device addresses unless the
// parameter name ends in _host. The arithmetic of every op is ../ARITHMETIC.md, bit for bit.
#ifndef OLI_CUDA_OPS_CUH
#define OLI_CUDA_OPS_CUH

#include <cstdint>

#include <cuda_runtime.h>

#include "../src/backend.h"

namespace oli {
namespace cuda {

/** One adapter slot as the LoRA kernels see it (device pointers). */
struct DeviceSlot {
  const float* a;
  const float* b;
  int32_t rank;
  float scale;
};

/** Slots passed by value to a BGMV launch (kernel parameters, no upload needed). */
constexpr int kSlotsPerLaunch = 64;
struct SlotTable {
  DeviceSlot slot[kSlotsPerLaunch];
  int32_t base;   // slot number of slot[0]
  int32_t count;  // valid entries
};

/** out[t][:] = table[tokens[t]][:] (embed.cu). */
oli_status embed_launch(cudaStream_t stream, const int32_t* tokens, int32_t T, const float* table,
                        int32_t hidden, float* out);

/** out[i][:] = x[rows[i]][:] (gather-rows.cu). */
oli_status gather_rows_launch(cudaStream_t stream, const float* x, const int32_t* rows, int32_t n,
                              int32_t dim, float* out);

/** RMSNorm per row, section 4 (rmsnorm.cu). */
oli_status rmsnorm_launch(cudaStream_t stream, const float* x, const float* w, int32_t T,
                          int32_t dim, float eps, float* out);

/**
 * Strided matmul (matmul.cu): y[t*ys + n] = D(x[t*xs :], w[n*ws :], K) for t < T, n < N; when
 * apply_scale, y = D * scale (LoRA shrink). The building block of matmul and SGMV.
 */
oli_status matmul_launch(cudaStream_t stream, const float* x, int64_t xs, int32_t T, int32_t K,
                         const float* w, int64_t ws, int32_t N, float* y, int64_t ys,
                         bool apply_scale, float scale);

/** LoRA shrink, BGMV or SGMV (lora-shrink.cu). */
oli_status lora_shrink_launch(cudaStream_t stream, const LoraBatch& lb, const int32_t* token_slot,
                              const float* x, int32_t K, float* u);

/** LoRA expand, BGMV or SGMV (lora-expand.cu). */
oli_status lora_expand_launch(cudaStream_t stream, const LoraBatch& lb, const int32_t* token_slot,
                              const float* u, int32_t N, float* delta);

/** out[t] = D(x[t,:], x[t,:], N) (row-sumsq.cu). */
oli_status row_sumsq_launch(cudaStream_t stream, const float* x, int32_t T, int32_t N, float* out);

/** y[t][:] += d[t][:] for rows with token_slot[t] >= 0, or all rows when null (add-rows.cu). */
oli_status add_rows_launch(cudaStream_t stream, float* y, const float* d, int32_t T, int32_t N,
                           const int32_t* token_slot);

/** RoPE in place, section 7 (rope.cu). */
oli_status rope_launch(cudaStream_t stream, float* x, int32_t T, int32_t heads, int32_t head_dim,
                       const int32_t* positions, const float* cos_table, const float* sin_table);

/** out[i] = silu(g[i]) * u[i], section 6 (silu-mul.cu). */
oli_status silu_mul_launch(cudaStream_t stream, const float* g, const float* u, int64_t n,
                           float* out);

/** KV cache rows slots[t] = k[t], v[t] (kv-write.cu). */
oli_status kv_write_launch(cudaStream_t stream, const float* k, const float* v, int32_t T,
                           int32_t kv_dim, const int32_t* slots, float* k_cache, float* v_cache);

/** Paged flash attention, section 8 (attention.cu). */
oli_status attention_launch(cudaStream_t stream, const AttentionArgs& args);

/** Merged weight out = w + scale * (B A), section 9 merged mode (merge-lora.cu). */
oli_status merge_lora_launch(cudaStream_t stream, const float* w, const float* a, const float* b,
                             int32_t N, int32_t K, int32_t r, float scale, float* out);

}  // namespace cuda
}  // namespace oli

#endif  // OLI_CUDA_OPS_CUH
