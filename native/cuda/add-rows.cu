// add-rows.cu: residual / LoRA delta add, y[t][i] = y[t][i] + d[t][i] (ARITHMETIC.md sections 6
// and 9). Rows whose token carries no adapter (token_slot[t] < 0) are not touched at all, so no
// "+ 0.0f" ever reaches them (that would turn -0.0f into +0.0f).
#include "cuda-check.cuh"
#include "cuda-math.cuh"
#include "cuda-ops.cuh"

namespace oli {
namespace cuda {
namespace {

__global__ void add_rows_kernel(float* __restrict__ y, const float* __restrict__ d, int32_t N,
                                const int32_t* __restrict__ token_slot) {
  const int64_t t = blockIdx.y;
  if (token_slot != nullptr && token_slot[t] < 0) return;
  const int32_t i = blockIdx.x * blockDim.x + threadIdx.x;
  if (i >= N) return;
  y[t * N + i] = __fadd_rn(y[t * N + i], d[t * N + i]);
}

}  // namespace

oli_status add_rows_launch(cudaStream_t stream, float* y, const float* d, int32_t T, int32_t N,
                           const int32_t* token_slot) {
  if (T < 0 || N < 0) return set_error(OLI_STATUS_INVALID_ARGUMENT, "cuda add_rows: negative size");
  if (T == 0 || N == 0) return OLI_STATUS_OK;
  if (T > 65535) return set_error(OLI_STATUS_INVALID_ARGUMENT, "cuda add_rows: %d rows exceed 65535", T);
  dim3 grid(div_up(N, 256), static_cast<unsigned int>(T));
  add_rows_kernel<<<grid, 256, 0, stream>>>(y, d, N, token_slot);
  OLI_CUDA_CHECK_LAUNCH();
  return OLI_STATUS_OK;
}

}  // namespace cuda
}  // namespace oli
