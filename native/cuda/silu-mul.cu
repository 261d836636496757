// silu-mul.cu: the SwiGLU activation, out[i] = silu(g[i]) * u[i] (ARITHMETIC.md section 6), with
// the own exp_f, never the CUDA expf/__expf.
#include "cuda-check.cuh"
#include "cuda-math.cuh"
#include "cuda-ops.cuh"

namespace oli {
namespace cuda {
namespace {

// out may alias g or u: every index is read and written by one thread.
__global__ void silu_mul_kernel(const float* g, const float* u, int64_t n, float* out) {
  const int64_t stride = static_cast<int64_t>(gridDim.x) * blockDim.x;
  for (int64_t i = static_cast<int64_t>(blockIdx.x) * blockDim.x + threadIdx.x; i < n; i += stride)
    out[i] = __fmul_rn(silu_f(g[i]), u[i]);
}

}  // namespace

oli_status silu_mul_launch(cudaStream_t stream, const float* g, const float* u, int64_t n,
                           float* out) {
  if (n < 0) return set_error(OLI_STATUS_INVALID_ARGUMENT, "cuda silu_mul: negative size");
  if (n == 0) return OLI_STATUS_OK;
  // 65536 blocks x 256 threads covers 16M elements per pass; larger inputs grid-stride.
  unsigned int blocks = div_up(n, 256);
  if (blocks > 65536u) blocks = 65536u;
  silu_mul_kernel<<<blocks, 256, 0, stream>>>(g, u, n, out);
  OLI_CUDA_CHECK_LAUNCH();
  return OLI_STATUS_OK;
}

}  // namespace cuda
}  // namespace oli
