// embed.cu: token embedding lookup, out[t][:] = table[tokens[t]][:]. Token ids are validated by
// the engine before a step starts (OLI_STATUS_TOKEN_OUT_OF_RANGE), so the kernel does not check.
#include "cuda-check.cuh"
#include "cuda-math.cuh"
#include "cuda-ops.cuh"

namespace oli {
namespace cuda {
namespace {

__global__ void embed_kernel(const int32_t* __restrict__ tokens, const float* __restrict__ table,
                             int32_t hidden, float* __restrict__ out) {
  const int64_t t = blockIdx.x;
  const float* src = table + static_cast<int64_t>(tokens[t]) * hidden;
  float* dst = out + t * hidden;
  for (int32_t i = threadIdx.x; i < hidden; i += blockDim.x) dst[i] = src[i];
}

}  // namespace

oli_status embed_launch(cudaStream_t stream, const int32_t* tokens, int32_t T, const float* table,
                        int32_t hidden, float* out) {
  if (T < 0 || hidden < 0) return set_error(OLI_STATUS_INVALID_ARGUMENT, "cuda embed: negative size");
  if (T == 0 || hidden == 0) return OLI_STATUS_OK;
  embed_kernel<<<static_cast<unsigned int>(T), 256, 0, stream>>>(tokens, table, hidden, out);
  OLI_CUDA_CHECK_LAUNCH();
  return OLI_STATUS_OK;
}

}  // namespace cuda
}  // namespace oli
