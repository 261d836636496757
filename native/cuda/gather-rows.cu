// gather-rows.cu: out[i][:] = x[rows[i]][:] (selects the rows whose logits are needed).
#include "cuda-check.cuh"
#include "cuda-math.cuh"
#include "cuda-ops.cuh"

namespace oli {
namespace cuda {
namespace {

__global__ void gather_rows_kernel(const float* __restrict__ x, const int32_t* __restrict__ rows,
                                   int32_t dim, float* __restrict__ out) {
  const int64_t i = blockIdx.x;
  const float* src = x + static_cast<int64_t>(rows[i]) * dim;
  float* dst = out + i * dim;
  for (int32_t d = threadIdx.x; d < dim; d += blockDim.x) dst[d] = src[d];
}

}  // namespace

oli_status gather_rows_launch(cudaStream_t stream, const float* x, const int32_t* rows, int32_t n,
                              int32_t dim, float* out) {
  if (n < 0 || dim < 0) return set_error(OLI_STATUS_INVALID_ARGUMENT, "cuda gather_rows: negative size");
  if (n == 0 || dim == 0) return OLI_STATUS_OK;
  gather_rows_kernel<<<static_cast<unsigned int>(n), 256, 0, stream>>>(x, rows, dim, out);
  OLI_CUDA_CHECK_LAUNCH();
  return OLI_STATUS_OK;
}

}  // namespace cuda
}  // namespace oli
