// rope.cu: rotary position embedding in place (ARITHMETIC.md section 7, rotate-half pairing).
// The cos/sin tables were computed once on the host in binary64 and uploaded; the device never
// evaluates a trigonometric function.
#include "cuda-check.cuh"
#include "cuda-math.cuh"
#include "cuda-ops.cuh"

namespace oli {
namespace cuda {
namespace {

__global__ void rope_kernel(float* __restrict__ x, int32_t heads, int32_t head_dim,
                            const int32_t* __restrict__ positions,
                            const float* __restrict__ cos_table,
                            const float* __restrict__ sin_table) {
  const int32_t half = head_dim / 2;
  const int64_t t = blockIdx.y;
  const int32_t item = blockIdx.x * blockDim.x + threadIdx.x;  // h * half + i
  if (item >= heads * half) return;
  const int32_t h = item / half, i = item % half;
  const int64_t p = positions[t];
  const float c = cos_table[p * half + i];
  const float s = sin_table[p * half + i];
  float* v = x + (t * heads + h) * head_dim;
  const float x0 = v[i], x1 = v[i + half];
  v[i] = __fsub_rn(__fmul_rn(x0, c), __fmul_rn(x1, s));
  v[i + half] = __fadd_rn(__fmul_rn(x1, c), __fmul_rn(x0, s));
}

}  // namespace

oli_status rope_launch(cudaStream_t stream, float* x, int32_t T, int32_t heads, int32_t head_dim,
                       const int32_t* positions, const float* cos_table, const float* sin_table) {
  if (T < 0 || heads < 0 || head_dim < 0 || head_dim % 2 != 0)
    return set_error(OLI_STATUS_INVALID_ARGUMENT, "cuda rope: bad shape T=%d heads=%d head_dim=%d",
                     T, heads, head_dim);
  if (T == 0 || heads == 0 || head_dim == 0) return OLI_STATUS_OK;
  if (T > 65535) return set_error(OLI_STATUS_INVALID_ARGUMENT, "cuda rope: %d tokens exceed 65535", T);
  const int64_t items = static_cast<int64_t>(heads) * (head_dim / 2);
  dim3 grid(div_up(items, 128), static_cast<unsigned int>(T));
  rope_kernel<<<grid, 128, 0, stream>>>(x, heads, head_dim, positions, cos_table, sin_table);
  OLI_CUDA_CHECK_LAUNCH();
  return OLI_STATUS_OK;
}

}  // namespace cuda
}  // namespace oli
