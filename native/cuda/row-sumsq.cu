// row-sumsq.cu: out[t] = D(x[t,:], x[t,:], N), the squared norms of base outputs and LoRA deltas
// that feed attribution (ARITHMETIC.md section 10). One half-warp owns one row.
#include "cuda-check.cuh"
#include "cuda-math.cuh"
#include "cuda-ops.cuh"

namespace oli {
namespace cuda {
namespace {

constexpr int kRowsPerBlock = 8;  // 8 half-warps = 128 threads

__global__ void row_sumsq_kernel(const float* __restrict__ x, int32_t T, int32_t N,
                                 float* __restrict__ out) {
  const int lane = threadIdx.x % kLanes;
  int32_t t = blockIdx.x * kRowsPerBlock + threadIdx.x / kLanes;
  const bool valid = t < T;
  if (!valid) t = T - 1;  // keep every lane in the shuffle tree
  const float* r = x + static_cast<int64_t>(t) * N;
  float v = tree16(lane_dot(r, r, N, lane));
  if (valid && lane == 0) out[t] = v;
}

}  // namespace

oli_status row_sumsq_launch(cudaStream_t stream, const float* x, int32_t T, int32_t N, float* out) {
  if (T < 0 || N < 0) return set_error(OLI_STATUS_INVALID_ARGUMENT, "cuda row_sumsq: negative size");
  if (T == 0) return OLI_STATUS_OK;
  row_sumsq_kernel<<<div_up(T, kRowsPerBlock), kRowsPerBlock * kLanes, 0, stream>>>(x, T, N, out);
  OLI_CUDA_CHECK_LAUNCH();
  return OLI_STATUS_OK;
}

}  // namespace cuda
}  // namespace oli
