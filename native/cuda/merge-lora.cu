// merge-lora.cu: merged-mode weights (a serving option, never consensus; ARITHMETIC.md
// section 9): out[n][k] = w[n][k] + scale * D(B[n,:], A[:,k], r). One thread owns one output
// element and evaluates D serially with 16 register accumulators and the same halving tree;
// threads of a warp take consecutive k, so the A column reads are coalesced.
#include "cuda-check.cuh"
#include "cuda-math.cuh"
#include "cuda-ops.cuh"

namespace oli {
namespace cuda {
namespace {

__global__ void merge_lora_kernel(const float* w, const float* __restrict__ a,
                                  const float* __restrict__ b, int32_t N, int32_t K, int32_t r,
                                  float scale, float* out) {
  const int32_t k = blockIdx.x * blockDim.x + threadIdx.x;
  const int64_t n = blockIdx.y;
  if (k >= K) return;
  const float m = serial_dot_strided(b + n * r, 1, a + k, K, r);
  const int64_t i = n * K + k;
  out[i] = __fadd_rn(w[i], __fmul_rn(scale, m));
}

}  // namespace

oli_status merge_lora_launch(cudaStream_t stream, const float* w, const float* a, const float* b,
                             int32_t N, int32_t K, int32_t r, float scale, float* out) {
  if (N < 0 || K < 0 || r < 0)
    return set_error(OLI_STATUS_INVALID_ARGUMENT, "cuda merge_lora: bad shape N=%d K=%d r=%d", N, K, r);
  if (N == 0 || K == 0) return OLI_STATUS_OK;
  if (N > 65535) return set_error(OLI_STATUS_INVALID_ARGUMENT, "cuda merge_lora: %d rows exceed 65535", N);
  dim3 grid(div_up(K, 128), static_cast<unsigned int>(N));
  merge_lora_kernel<<<grid, 128, 0, stream>>>(w, a, b, N, K, r, scale, out);
  OLI_CUDA_CHECK_LAUNCH();
  return OLI_STATUS_OK;
}

}  // namespace cuda
}  // namespace oli
