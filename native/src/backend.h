// backend.h: the op-level compute interface every backend implements (CPU in src/cpu/, CUDA in
// cuda/). The engine (src/engine.cpp) owns scheduling, the KV block allocator, adapters and
// sampling; a backend owns memory and runs ops. Every op's arithmetic is specified in
// ../ARITHMETIC.md and must be reproduced bit for bit.
//
// Memory model: all tensor pointers passed to ops are *backend addresses* inside buffers obtained
// from alloc() (or wrap_host()); pointer arithmetic on them is allowed (element offsets). On the
// CPU they are host pointers; on CUDA they are device pointers, so weights, KV blocks, adapter
// weights and per-step metadata stay resident on the device. Host-side arrays are marked `_host`.
// Ops are issued in order; download() and sync() wait for all issued ops.
#ifndef OLI_BACKEND_H
#define OLI_BACKEND_H

#include <cstddef>
#include <cstdint>
#include <memory>

#include "../include/openledger-infer.h"

namespace oli {

/** Record a failure message for oli_error_get_last() on this thread and return status. */
oli_status set_error(oli_status status, const char* fmt, ...);

/** A backend allocation. ptr is a backend address; handle is backend private. */
struct Buffer {
  void* ptr = nullptr;
  size_t bytes = 0;
  void* handle = nullptr;
  bool owned = false;
};

/** Adapter weights of one (layer, module) for one slot: A [rank, K], B [N, rank] (backend addresses). */
struct LoraSlotRef {
  const float* a = nullptr;
  const float* b = nullptr;
  int32_t rank = 0;
  float scale = 0.0f;
};

/** How the LoRA ops walk tokens. */
enum class LoraMode : int32_t {
  BGMV = 0,  // decode: one adapter slot per token (token_slot)
  SGMV = 1,  // prefill: contiguous segments of tokens sharing a slot (segments)
};

/**
 * LoRA description of one step for one (layer, module). slots is indexed by slot number; a slot
 * whose rank is 0 is unused. Tokens with slot -1 have no adapter and are never touched.
 */
struct LoraBatch {
  LoraMode mode = LoraMode::BGMV;
  int32_t num_tokens = 0;
  const int32_t* token_slot_host = nullptr;  // [num_tokens]
  const int32_t* token_slot = nullptr;       // [num_tokens] backend copy
  int32_t num_segments = 0;
  const int32_t* segments_host = nullptr;    // [num_segments][3] = token start, token count, slot
  const int32_t* segments = nullptr;         // backend copy
  const LoraSlotRef* slots_host = nullptr;   // [num_slots]
  int32_t num_slots = 0;
  int32_t max_rank = 0;                      // row stride of the shrink output u
};

/** Paged attention over a step's query tokens (ARITHMETIC.md section 8). */
struct AttentionArgs {
  const float* q = nullptr;          // [T][num_heads * head_dim], RoPE applied
  int32_t num_tokens = 0;
  int32_t num_heads = 0;
  int32_t num_kv_heads = 0;
  int32_t head_dim = 0;
  const int32_t* positions = nullptr;     // [T] query position (attends to keys 0..pos)
  const int32_t* table_offsets = nullptr; // [T] offset into block_tables of the token's sequence
  const int32_t* block_tables = nullptr;  // flat physical block ids
  const float* k_cache = nullptr;         // [blocks][block_size][num_kv_heads][head_dim]
  const float* v_cache = nullptr;
  int32_t block_size = 0;
  float* out = nullptr;                   // [T][num_heads * head_dim]
};

/** One product of matmul_group: y [T, N] = x W^T with W [N, K] in f32 (w) or BF16 bits (w16). */
struct MatmulItem {
  const float* w = nullptr;
  const uint16_t* w16 = nullptr;  // set instead of w only when supports_bf16_weights()
  int32_t N = 0;
  float* y = nullptr;
};

/** The compute backend interface. All methods return OLI_STATUS_OK or set oli_error_get_last(). */
class Backend {
 public:
  virtual ~Backend() = default;

  /** "cpu" or "cuda". */
  virtual const char* name() const = 0;
  /** Kernel variant, e.g. "avx512", "scalar", "sm_90". */
  virtual const char* variant() const = 0;
  /** True when backend addresses are host addresses (CPU): the engine may read them directly. */
  virtual bool host_visible() const = 0;

  // ---- memory ----
  virtual oli_status alloc(size_t bytes, Buffer* out) = 0;
  virtual void release(Buffer* buffer) = 0;
  /**
   * Use host memory in place (e.g. an F32 tensor in the private copy of a weights file, or an
   * adapter's host-tier copy) when the backend can; returns false when
   * it cannot, and the caller then allocs and uploads. The host memory must outlive the buffer.
   */
  virtual bool wrap_host(const void* host, size_t bytes, Buffer* out) = 0;
  virtual oli_status upload(void* dst, const void* src_host, size_t bytes) = 0;
  virtual oli_status download(void* dst_host, const void* src, size_t bytes) = 0;
  virtual oli_status sync() = 0;

  // ---- ops (T = number of tokens in the step) ----
  /** out[t][:] = table[tokens[t]][:]. */
  virtual oli_status embed(const int32_t* tokens, int32_t T, const float* table, int32_t hidden,
                           float* out) = 0;
  /** out[i][:] = x[rows[i]][:] for i < n. */
  virtual oli_status gather_rows(const float* x, const int32_t* rows, int32_t n, int32_t dim,
                                 float* out) = 0;
  /** RMSNorm per row (section 4). */
  virtual oli_status rmsnorm(const float* x, const float* w, int32_t T, int32_t dim, float eps,
                             float* out) = 0;
  /** y[t][n] = D(x[t,:], w[n,:], K) (sections 2-3). */
  virtual oli_status matmul(const float* x, int32_t T, int32_t K, const float* w, int32_t N,
                            float* y) = 0;
  /**
   * Optional: true when matmul_bf16 is implemented, so BF16 checkpoints may stay BF16-resident
   * (half the bytes per decode step). Widening BF16 is exact, so results equal matmul() on the
   * widened weights bit for bit. Backends that return false never see matmul_bf16 calls.
   */
  virtual bool supports_bf16_weights() const { return false; }
  /** y[t][n] = D(x[t,:], widen(w[n,:]), K) with w holding BF16 bits [N, K]. */
  virtual oli_status matmul_bf16(const float* x, int32_t T, int32_t K, const uint16_t* w,
                                 int32_t N, float* y) {
    (void)x, (void)T, (void)K, (void)w, (void)N, (void)y;
    return set_error(OLI_STATUS_INTERNAL, "%s backend has no BF16 matmul", name());
  }
  /**
   * The products of n items sharing the input x (q/k/v, gate/up), then, when silu_out is set
   * (n == 2, equal N), silu_out[i] = silu(y0[i]) * y1[i]: the bits of matmul()/matmul_bf16() per
   * item and silu_mul(). A backend may run it as one parallel dispatch; this default does not.
   */
  virtual oli_status matmul_group(const float* x, int32_t T, int32_t K, const MatmulItem* items,
                                  int32_t n, float* silu_out) {
    for (int32_t i = 0; i < n; i++) {
      const MatmulItem& it = items[i];
      oli_status st = it.w16 ? matmul_bf16(x, T, K, it.w16, it.N, it.y) : matmul(x, T, K, it.w, it.N, it.y);
      if (st != OLI_STATUS_OK) return st;
    }
    return silu_out ? silu_mul(items[0].y, items[1].y, static_cast<int64_t>(T) * items[0].N, silu_out)
                    : OLI_STATUS_OK;
  }
  /** u[t][j] = D(x[t,:], A[j,:], K) * scale for tokens with a slot (section 9). u stride = max_rank. */
  virtual oli_status lora_shrink(const LoraBatch& lb, const float* x,
                                 int32_t K, float* u) = 0;
  /** delta[t][n] = D(u[t,:r], B[n,:], r) for tokens with a slot. */
  virtual oli_status lora_expand(const LoraBatch& lb, const float* u,
                                 int32_t N, float* delta) = 0;
  /** out[t] = D(x[t,:], x[t,:], N) (attribution). */
  virtual oli_status row_sumsq(const float* x, int32_t T, int32_t N, float* out) = 0;
  /** y[t][:] = y[t][:] + d[t][:] for rows whose token_slot >= 0 (all rows when token_slot is null). */
  virtual oli_status add_rows(float* y, const float* d, int32_t T, int32_t N,
                              const int32_t* token_slot) = 0;
  /** RoPE in place on x [T][heads * head_dim] with tables [max_pos][head_dim / 2] (section 7). */
  virtual oli_status rope(float* x, int32_t T, int32_t heads, int32_t head_dim,
                          const int32_t* positions, const float* cos_table,
                          const float* sin_table) = 0;
  /** out[i] = silu(g[i]) * u[i] (section 6). */
  virtual oli_status silu_mul(const float* g, const float* u, int64_t n, float* out) = 0;
  /** k_cache/v_cache row slots[t] = k[t], v[t] (kv_dim floats per row). */
  virtual oli_status kv_write(const float* k, const float* v, int32_t T, int32_t kv_dim,
                              const int32_t* slots, float* k_cache, float* v_cache) = 0;
  /** Copy whole KV blocks: for i < n, block pairs_host[2i+1] = block pairs_host[2i]. */
  virtual oli_status kv_copy_blocks(float* k_cache, float* v_cache, const int32_t* pairs_host,
                                    int32_t n, int64_t block_floats) = 0;
  /** Paged flash attention (section 8). */
  virtual oli_status attention(const AttentionArgs& args) = 0;
  /** Merged weight: out[n][k] = w[n][k] + scale * D(b[n,:], a[:,k], r) (section 9, merged mode). */
  virtual oli_status merge_lora(const float* w, const float* a, const float* b, int32_t N,
                                int32_t K, int32_t r, float scale, float* out) = 0;
};

/** CPU backend options. */
struct CpuBackendOptions {
  uint32_t threads = 1;
  uint32_t kernels = OLI_CPU_KERNELS_AUTO;
};

/** Create the CPU backend (always available). */
oli_status create_cpu_backend(const CpuBackendOptions& options, std::unique_ptr<Backend>* out);

#ifdef OLI_WITH_CUDA
// Implemented in native/cuda/ by the CUDA backend.
/** Number of usable CUDA devices (0 when there is no driver or device; never fails). */
int cuda_device_count();
/** Create the CUDA backend on a device. */
oli_status create_cuda_backend(int device, std::unique_ptr<Backend>* out);
#endif

}  // namespace oli

#endif  // OLI_BACKEND_H
