// rmsnorm.cu: RMSNorm per row (ARITHMETIC.md section 4). The sum of squares is D(x, x, dim) in
// one half-warp (a data-parallel row never splits its reduction), then every thread of the block
// scales its elements.
#include "cuda-check.cuh"
#include "cuda-math.cuh"
#include "cuda-ops.cuh"

namespace oli {
namespace cuda {
namespace {

// x and out may alias (in-place norm): each element is read before it is written by its thread,
// and the sum of squares is complete before any thread writes.
__global__ void rmsnorm_kernel(const float* x, const float* __restrict__ w, int32_t dim, float eps,
                               float* out) {
  __shared__ float inv_shared;
  const int64_t t = blockIdx.x;
  const float* xr = x + t * dim;
  if (threadIdx.x < 32) {
    // Both half-warps of warp 0 compute the same D; lane 0 publishes it.
    float ss = tree16(lane_dot(xr, xr, dim, threadIdx.x % kLanes));
    if (threadIdx.x == 0) {
      float ms = __fdiv_rn(ss, static_cast<float>(dim));
      float v = __fadd_rn(ms, eps);
      inv_shared = __fdiv_rn(1.0f, __fsqrt_rn(v));
    }
  }
  __syncthreads();
  const float inv = inv_shared;
  float* yr = out + t * dim;
  for (int32_t i = threadIdx.x; i < dim; i += blockDim.x) yr[i] = __fmul_rn(__fmul_rn(xr[i], inv), w[i]);
}

}  // namespace

oli_status rmsnorm_launch(cudaStream_t stream, const float* x, const float* w, int32_t T,
                          int32_t dim, float eps, float* out) {
  if (T < 0 || dim <= 0) return set_error(OLI_STATUS_INVALID_ARGUMENT, "cuda rmsnorm: bad shape T=%d dim=%d", T, dim);
  if (T == 0) return OLI_STATUS_OK;
  rmsnorm_kernel<<<static_cast<unsigned int>(T), 256, 0, stream>>>(x, w, dim, eps, out);
  OLI_CUDA_CHECK_LAUNCH();
  return OLI_STATUS_OK;
}

}  // namespace cuda
}  // namespace oli
