// cuda-backend.cu: the CUDA implementation of oli::Backend (../src/backend.h). Weights, KV
// blocks, adapter weights and per-step metadata live in device memory; every op is one of the
// launchers of cuda-ops.cuh, issued in order on one non-blocking stream. upload() and
// download() return only when the copy is complete, so the engine may reuse or read its host
// buffers immediately (pageable host memory, as the engine uses, needs that anyway).
#include <cstdio>
#include <memory>
#include <new>

#include "cuda-check.cuh"
#include "cuda-device.cuh"
#include "cuda-ops.cuh"

namespace oli {
namespace cuda {
namespace {

// cudaMalloc granularity; rounding keeps every buffer 256-byte aligned and non-empty.
constexpr size_t kAllocAlign = 256;

#define OLI_CUDA_ENTER()                               \
  do {                                                 \
    oli_status oli_enter_status_ = enter();            \
    if (oli_enter_status_ != OLI_STATUS_OK) return oli_enter_status_; \
  } while (0)

class CudaBackend final : public Backend {
 public:
  CudaBackend(int device, cudaStream_t stream, int major, int minor)
      : device_(device), stream_(stream) {
    std::snprintf(variant_, sizeof variant_, "sm_%d%d", major, minor);
  }

  ~CudaBackend() override {
    release(&slot_scratch_);
    (void)destroy_stream();  // a destructor cannot report; the status is dropped on purpose
  }

  const char* name() const override { return "cuda"; }
  const char* variant() const override { return variant_; }
  bool host_visible() const override { return false; }

  // ---- memory ----

  oli_status alloc(size_t bytes, Buffer* out) override {
    OLI_CUDA_ENTER();
    size_t rounded = ((bytes + kAllocAlign - 1) / kAllocAlign) * kAllocAlign;
    if (rounded == 0) rounded = kAllocAlign;
    void* p = nullptr;
    OLI_CUDA_CHECK(cudaMalloc(&p, rounded));
    out->ptr = p;
    out->bytes = bytes;
    out->handle = nullptr;
    out->owned = true;
    return OLI_STATUS_OK;
  }

  void release(Buffer* buffer) override {
    // release() cannot report (void in the interface); a failed free leaves its message in
    // oli_error_get_last() and the buffer is forgotten either way.
    if (buffer->owned && buffer->ptr) (void)free_device(buffer->ptr);
    *buffer = Buffer{};
  }

  // Device kernels cannot read pageable host memory in place; the engine then allocs + uploads.
  bool wrap_host(const void*, size_t, Buffer*) override { return false; }

  oli_status upload(void* dst, const void* src_host, size_t bytes) override {
    if (bytes == 0) return OLI_STATUS_OK;
    OLI_CUDA_ENTER();
    OLI_CUDA_CHECK(cudaMemcpyAsync(dst, src_host, bytes, cudaMemcpyHostToDevice, stream_));
    OLI_CUDA_CHECK(cudaStreamSynchronize(stream_));
    return OLI_STATUS_OK;
  }

  oli_status download(void* dst_host, const void* src, size_t bytes) override {
    if (bytes == 0) return sync();
    OLI_CUDA_ENTER();
    OLI_CUDA_CHECK(cudaMemcpyAsync(dst_host, src, bytes, cudaMemcpyDeviceToHost, stream_));
    OLI_CUDA_CHECK(cudaStreamSynchronize(stream_));
    return OLI_STATUS_OK;
  }

  oli_status sync() override {
    OLI_CUDA_ENTER();
    OLI_CUDA_CHECK(cudaStreamSynchronize(stream_));
    return OLI_STATUS_OK;
  }

  // ---- ops ----

  oli_status embed(const int32_t* tokens, int32_t T, const float* table, int32_t hidden,
                   float* out) override {
    OLI_CUDA_ENTER();
    return embed_launch(stream_, tokens, T, table, hidden, out);
  }

  oli_status gather_rows(const float* x, const int32_t* rows, int32_t n, int32_t dim,
                         float* out) override {
    OLI_CUDA_ENTER();
    return gather_rows_launch(stream_, x, rows, n, dim, out);
  }

  oli_status rmsnorm(const float* x, const float* w, int32_t T, int32_t dim, float eps,
                     float* out) override {
    OLI_CUDA_ENTER();
    return rmsnorm_launch(stream_, x, w, T, dim, eps, out);
  }

  oli_status matmul(const float* x, int32_t T, int32_t K, const float* w, int32_t N,
                    float* y) override {
    OLI_CUDA_ENTER();
    return matmul_launch(stream_, x, K, T, K, w, K, N, y, N, false, 0.0f);
  }

  oli_status lora_shrink(const LoraBatch& lb, const float* x, int32_t K, float* u) override {
    OLI_CUDA_ENTER();
    const int32_t* token_slot = nullptr;
    oli_status st = device_token_slots(lb, &token_slot);
    if (st != OLI_STATUS_OK) return st;
    return lora_shrink_launch(stream_, lb, token_slot, x, K, u);
  }

  oli_status lora_expand(const LoraBatch& lb, const float* u, int32_t N, float* delta) override {
    OLI_CUDA_ENTER();
    const int32_t* token_slot = nullptr;
    oli_status st = device_token_slots(lb, &token_slot);
    if (st != OLI_STATUS_OK) return st;
    return lora_expand_launch(stream_, lb, token_slot, u, N, delta);
  }

  oli_status row_sumsq(const float* x, int32_t T, int32_t N, float* out) override {
    OLI_CUDA_ENTER();
    return row_sumsq_launch(stream_, x, T, N, out);
  }

  oli_status add_rows(float* y, const float* d, int32_t T, int32_t N,
                      const int32_t* token_slot) override {
    OLI_CUDA_ENTER();
    return add_rows_launch(stream_, y, d, T, N, token_slot);
  }

  oli_status rope(float* x, int32_t T, int32_t heads, int32_t head_dim, const int32_t* positions,
                  const float* cos_table, const float* sin_table) override {
    OLI_CUDA_ENTER();
    return rope_launch(stream_, x, T, heads, head_dim, positions, cos_table, sin_table);
  }

  oli_status silu_mul(const float* g, const float* u, int64_t n, float* out) override {
    OLI_CUDA_ENTER();
    return silu_mul_launch(stream_, g, u, n, out);
  }

  oli_status kv_write(const float* k, const float* v, int32_t T, int32_t kv_dim,
                      const int32_t* slots, float* k_cache, float* v_cache) override {
    OLI_CUDA_ENTER();
    return kv_write_launch(stream_, k, v, T, kv_dim, slots, k_cache, v_cache);
  }

  oli_status kv_copy_blocks(float* k_cache, float* v_cache, const int32_t* pairs_host, int32_t n,
                            int64_t block_floats) override {
    if (n < 0 || block_floats < 0)
      return set_error(OLI_STATUS_INVALID_ARGUMENT, "cuda kv_copy_blocks: negative size");
    OLI_CUDA_ENTER();
    const size_t bytes = sizeof(float) * static_cast<size_t>(block_floats);
    for (int32_t i = 0; i < n; i++) {
      const int32_t src = pairs_host[2 * i], dst = pairs_host[2 * i + 1];
      if (src < 0 || dst < 0)
        return set_error(OLI_STATUS_INVALID_ARGUMENT, "cuda kv_copy_blocks: negative block id");
      const int64_t so = src * block_floats, dof = dst * block_floats;
      OLI_CUDA_CHECK(cudaMemcpyAsync(k_cache + dof, k_cache + so, bytes, cudaMemcpyDeviceToDevice, stream_));
      OLI_CUDA_CHECK(cudaMemcpyAsync(v_cache + dof, v_cache + so, bytes, cudaMemcpyDeviceToDevice, stream_));
    }
    return OLI_STATUS_OK;
  }

  oli_status attention(const AttentionArgs& args) override {
    OLI_CUDA_ENTER();
    return attention_launch(stream_, args);
  }

  oli_status merge_lora(const float* w, const float* a, const float* b, int32_t N, int32_t K,
                        int32_t r, float scale, float* out) override {
    OLI_CUDA_ENTER();
    return merge_lora_launch(stream_, w, a, b, N, K, r, scale, out);
  }

 private:
  oli_status free_device(void* ptr) {
    OLI_CUDA_CHECK(cudaSetDevice(device_));
    OLI_CUDA_CHECK(cudaFree(ptr));  // implicitly waits for work that may still use it
    return OLI_STATUS_OK;
  }

  oli_status destroy_stream() {
    OLI_CUDA_CHECK(cudaSetDevice(device_));
    OLI_CUDA_CHECK(cudaStreamDestroy(stream_));
    return OLI_STATUS_OK;
  }

  oli_status enter() {
    OLI_CUDA_CHECK(cudaSetDevice(device_));  // calls may come from any host thread
    return OLI_STATUS_OK;
  }

  // BGMV needs each token's slot on the device. The engine passes its device copy; when only
  // the host array is given, upload it into a scratch buffer owned by the backend.
  oli_status device_token_slots(const LoraBatch& lb, const int32_t** out) {
    *out = lb.token_slot;
    if (lb.mode != LoraMode::BGMV || lb.num_tokens <= 0 || lb.token_slot != nullptr)
      return OLI_STATUS_OK;
    if (lb.token_slot_host == nullptr)
      return set_error(OLI_STATUS_INVALID_ARGUMENT, "cuda lora: BGMV batch without token slots");
    const size_t bytes = sizeof(int32_t) * static_cast<size_t>(lb.num_tokens);
    if (slot_scratch_.bytes < bytes) {
      release(&slot_scratch_);
      oli_status st = alloc(bytes, &slot_scratch_);
      if (st != OLI_STATUS_OK) return st;
    }
    oli_status st = upload(slot_scratch_.ptr, lb.token_slot_host, bytes);
    if (st != OLI_STATUS_OK) return st;
    *out = static_cast<const int32_t*>(slot_scratch_.ptr);
    return OLI_STATUS_OK;
  }

  int device_;
  cudaStream_t stream_;
  char variant_[16] = {};
  Buffer slot_scratch_;
};

}  // namespace
}  // namespace cuda

oli_status create_cuda_backend(int device, std::unique_ptr<Backend>* out) {
  const int count = cuda::usable_device_count();
  if (device < 0 || device >= count)
    return set_error(OLI_STATUS_BACKEND_UNAVAILABLE, "cuda: device %d is not usable (%d usable devices)",
                     device, count);
  OLI_CUDA_CHECK(cudaSetDevice(device));
  cudaDeviceProp prop;
  OLI_CUDA_CHECK(cudaGetDeviceProperties(&prop, device));
  cudaStream_t stream = nullptr;
  OLI_CUDA_CHECK(cudaStreamCreateWithFlags(&stream, cudaStreamNonBlocking));
  out->reset(new (std::nothrow) cuda::CudaBackend(device, stream, prop.major, prop.minor));
  if (!*out) {
    OLI_CUDA_CHECK(cudaStreamDestroy(stream));
    return set_error(OLI_STATUS_OUT_OF_MEMORY, "cannot create cuda backend");
  }
  return OLI_STATUS_OK;
}

}  // namespace oli
