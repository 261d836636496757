// lora-expand.cu: delta[t][n] = D(u[t, :r], B[n, :r], r) for tokens that carry an adapter
// (ARITHMETIC.md section 9). u holds the already scaled shrink output with row stride max_rank.
// BGMV (decode) gathers each token's adapter on the device; SGMV (prefill) runs one strided
// matmul per segment. Tokens without an adapter are never written.
#include "cuda-check.cuh"
#include "cuda-math.cuh"
#include "cuda-ops.cuh"

namespace oli {
namespace cuda {
namespace {

constexpr int kRowsPerBlock = 16;  // one half-warp per output feature
constexpr int kThreads = kRowsPerBlock * kLanes;

__global__ void __launch_bounds__(kThreads)
    bgmv_expand_kernel(SlotTable tab, const int32_t* __restrict__ token_slot,
                       const float* __restrict__ u, int32_t stride, int32_t N,
                       float* __restrict__ delta) {
  const int64_t t = blockIdx.y;
  const int32_t s = token_slot[t] - tab.base;
  if (s < 0 || s >= tab.count) return;
  const DeviceSlot sl = tab.slot[s];
  int32_t n = blockIdx.x * kRowsPerBlock + threadIdx.x / kLanes;
  const bool ok = n < N;
  if (!ok) n = N - 1;
  const float v = tree16(lane_dot(u + t * stride, sl.b + static_cast<int64_t>(n) * sl.rank, sl.rank,
                                  threadIdx.x % kLanes));
  if (ok && threadIdx.x % kLanes == 0) delta[t * N + n] = v;
}

}  // namespace

oli_status lora_expand_launch(cudaStream_t stream, const LoraBatch& lb, const int32_t* token_slot,
                              const float* u, int32_t N, float* delta) {
  if (N < 0 || lb.max_rank < 0 || lb.num_slots < 0)
    return set_error(OLI_STATUS_INVALID_ARGUMENT, "cuda lora_expand: bad shape");
  for (int32_t s = 0; s < lb.num_slots; s++)
    if (lb.slots_host[s].rank > lb.max_rank)
      return set_error(OLI_STATUS_INVALID_ARGUMENT, "cuda lora_expand: slot %d rank %d > max_rank %d", s,
                       lb.slots_host[s].rank, lb.max_rank);
  if (N == 0) return OLI_STATUS_OK;
  if (lb.mode == LoraMode::SGMV) {
    for (int32_t g = 0; g < lb.num_segments; g++) {
      const int32_t start = lb.segments_host[3 * g], count = lb.segments_host[3 * g + 1];
      const int32_t s = lb.segments_host[3 * g + 2];
      if (s < 0 || count <= 0) continue;
      if (s >= lb.num_slots) return set_error(OLI_STATUS_INVALID_ARGUMENT, "cuda lora_expand: segment slot %d out of range", s);
      const LoraSlotRef& ref = lb.slots_host[s];
      oli_status st = matmul_launch(stream, u + static_cast<int64_t>(start) * lb.max_rank, lb.max_rank,
                                    count, ref.rank, ref.b, ref.rank, N,
                                    delta + static_cast<int64_t>(start) * N, N, false, 0.0f);
      if (st != OLI_STATUS_OK) return st;
    }
    return OLI_STATUS_OK;
  }
  if (lb.num_tokens <= 0) return OLI_STATUS_OK;
  if (lb.num_tokens > 65535) return set_error(OLI_STATUS_INVALID_ARGUMENT, "cuda lora_expand: %d tokens exceed 65535", lb.num_tokens);
  for (int32_t base = 0; base < lb.num_slots; base += kSlotsPerLaunch) {
    SlotTable tab{};
    tab.base = base;
    tab.count = min(kSlotsPerLaunch, lb.num_slots - base);
    for (int32_t i = 0; i < tab.count; i++) {
      const LoraSlotRef& ref = lb.slots_host[base + i];
      tab.slot[i] = DeviceSlot{ref.a, ref.b, ref.rank, ref.scale};
    }
    dim3 grid(div_up(N, kRowsPerBlock), static_cast<unsigned int>(lb.num_tokens));
    bgmv_expand_kernel<<<grid, kThreads, 0, stream>>>(tab, token_slot, u, lb.max_rank, N, delta);
    OLI_CUDA_CHECK_LAUNCH();
  }
  return OLI_STATUS_OK;
}

}  // namespace cuda
}  // namespace oli
