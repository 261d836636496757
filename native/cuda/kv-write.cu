// kv-write.cu: the cache writer of the paged KV cache: row slots[t] (= physical block *
// block_size + offset) of k_cache/v_cache receives the step's post-RoPE k[t] and v[t]. The engine
// writes every token of a step before any attention of that layer (ARITHMETIC.md section 8).
#include "cuda-check.cuh"
#include "cuda-math.cuh"
#include "cuda-ops.cuh"

namespace oli {
namespace cuda {
namespace {

__global__ void kv_write_kernel(const float* __restrict__ k, const float* __restrict__ v,
                                int32_t kv_dim, const int32_t* __restrict__ slots,
                                float* __restrict__ k_cache, float* __restrict__ v_cache) {
  const int64_t t = blockIdx.x;
  const int64_t dst = static_cast<int64_t>(slots[t]) * kv_dim;
  for (int32_t i = threadIdx.x; i < kv_dim; i += blockDim.x) {
    k_cache[dst + i] = k[t * kv_dim + i];
    v_cache[dst + i] = v[t * kv_dim + i];
  }
}

}  // namespace

oli_status kv_write_launch(cudaStream_t stream, const float* k, const float* v, int32_t T,
                           int32_t kv_dim, const int32_t* slots, float* k_cache, float* v_cache) {
  if (T < 0 || kv_dim < 0) return set_error(OLI_STATUS_INVALID_ARGUMENT, "cuda kv_write: negative size");
  if (T == 0 || kv_dim == 0) return OLI_STATUS_OK;
  kv_write_kernel<<<static_cast<unsigned int>(T), 128, 0, stream>>>(k, v, kv_dim, slots, k_cache,
                                                                   v_cache);
  OLI_CUDA_CHECK_LAUNCH();
  return OLI_STATUS_OK;
}

}  // namespace cuda
}  // namespace oli
