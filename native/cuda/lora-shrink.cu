// lora-shrink.cu: u[t][j] = D(x[t,:], A[j,:], K) * scale for tokens that carry an adapter
// (ARITHMETIC.md section 9). BGMV (decode): one adapter per token, gathered by token_slot on the
// device. SGMV (prefill): contiguous segments sharing an adapter, each a strided matmul with the
// scale applied to D. Tokens without an adapter are never written.
#include "cuda-check.cuh"
#include "cuda-math.cuh"
#include "cuda-ops.cuh"

namespace oli {
namespace cuda {
namespace {

constexpr int kRowsPerBlock = 16;  // one half-warp per rank row
constexpr int kThreads = kRowsPerBlock * kLanes;

__global__ void __launch_bounds__(kThreads)
    bgmv_shrink_kernel(SlotTable tab, const int32_t* __restrict__ token_slot,
                       const float* __restrict__ x, int32_t K, float* __restrict__ u,
                       int32_t stride) {
  const int64_t t = blockIdx.y;
  const int32_t s = token_slot[t] - tab.base;
  if (s < 0 || s >= tab.count) return;  // no adapter, or handled by another launch
  const DeviceSlot sl = tab.slot[s];
  const int32_t j0 = blockIdx.x * kRowsPerBlock;
  if (j0 >= sl.rank) return;  // uniform over the block
  int32_t j = j0 + threadIdx.x / kLanes;
  const bool ok = j < sl.rank;
  if (!ok) j = sl.rank - 1;
  const float v = tree16(lane_dot(x + t * K, sl.a + static_cast<int64_t>(j) * K, K, threadIdx.x % kLanes));
  if (ok && threadIdx.x % kLanes == 0) u[t * stride + j] = __fmul_rn(v, sl.scale);
}

}  // namespace

oli_status lora_shrink_launch(cudaStream_t stream, const LoraBatch& lb, const int32_t* token_slot,
                              const float* x, int32_t K, float* u) {
  if (K < 0 || lb.max_rank < 0 || lb.num_slots < 0)
    return set_error(OLI_STATUS_INVALID_ARGUMENT, "cuda lora_shrink: bad shape");
  for (int32_t s = 0; s < lb.num_slots; s++)
    if (lb.slots_host[s].rank > lb.max_rank)
      return set_error(OLI_STATUS_INVALID_ARGUMENT, "cuda lora_shrink: slot %d rank %d > max_rank %d", s,
                       lb.slots_host[s].rank, lb.max_rank);
  if (lb.mode == LoraMode::SGMV) {
    for (int32_t g = 0; g < lb.num_segments; g++) {
      const int32_t start = lb.segments_host[3 * g], count = lb.segments_host[3 * g + 1];
      const int32_t s = lb.segments_host[3 * g + 2];
      if (s < 0 || count <= 0) continue;
      if (s >= lb.num_slots) return set_error(OLI_STATUS_INVALID_ARGUMENT, "cuda lora_shrink: segment slot %d out of range", s);
      const LoraSlotRef& ref = lb.slots_host[s];
      oli_status st = matmul_launch(stream, x + static_cast<int64_t>(start) * K, K, count, K, ref.a, K,
                                    ref.rank, u + static_cast<int64_t>(start) * lb.max_rank,
                                    lb.max_rank, true, ref.scale);
      if (st != OLI_STATUS_OK) return st;
    }
    return OLI_STATUS_OK;
  }
  if (lb.num_tokens <= 0 || lb.max_rank == 0) return OLI_STATUS_OK;
  if (lb.num_tokens > 65535) return set_error(OLI_STATUS_INVALID_ARGUMENT, "cuda lora_shrink: %d tokens exceed 65535", lb.num_tokens);
  // Slots travel as kernel parameters, kSlotsPerLaunch per launch; each launch serves the tokens
  // of its slot range, so every token is computed exactly once.
  for (int32_t base = 0; base < lb.num_slots; base += kSlotsPerLaunch) {
    SlotTable tab{};
    tab.base = base;
    tab.count = min(kSlotsPerLaunch, lb.num_slots - base);
    for (int32_t i = 0; i < tab.count; i++) {
      const LoraSlotRef& ref = lb.slots_host[base + i];
      tab.slot[i] = DeviceSlot{ref.a, ref.b, ref.rank, ref.scale};
    }
    dim3 grid(div_up(lb.max_rank, kRowsPerBlock), static_cast<unsigned int>(lb.num_tokens));
    bgmv_shrink_kernel<<<grid, kThreads, 0, stream>>>(tab, token_slot, x, K, u, lb.max_rank);
    OLI_CUDA_CHECK_LAUNCH();
  }
  return OLI_STATUS_OK;
}

}  // namespace cuda
}  // namespace oli
