// engine.cpp: engine lifecycle (options, backend choice, model load, scratch), counters, logs
// and the KV block allocator. Adapters: engine-adapters.cpp; scheduler: engine-generate.cpp;
// forward pass: engine-forward.cpp.
#include "engine.h"

#include <algorithm>
#include <cmath>
#include <cstring>

#include "math/oli-math.h"

namespace oli {

Engine::Engine(const oli_engine_options& options) : opt_(options) {}

Engine::~Engine() {
  if (!backend_) return;
  for (auto& kv : adapters_) drop_host(kv.second.get());
  for (auto& b : merged_buffers_) backend_->release(&b);
  for (auto& b : k_cache_) backend_->release(&b);
  for (auto& b : v_cache_) backend_->release(&b);
  free_scratch();
  if (model_) free_model(backend_.get(), model_.get());
}

// Lines go into one bounded FIFO (log_queue_lines); a full queue drops its oldest line and counts
// it, and the next drain announces the loss first. The engine never prints. The notify hook lets
// the embedder (the N-API glue: a thread-safe function into the JS logger) drain as lines occur.
void Engine::log(int32_t level, const std::string& message) {
  void (*notify)(void*) = nullptr;
  void* user = nullptr;
  {
    std::lock_guard<std::mutex> lock(log_mutex_);
    if (logs_.size() >= opt_.log_queue_lines) {
      logs_.pop_front();
      log_dropped_++;
    }
    logs_.emplace_back(level, message);
    notify = log_notify_;
    user = log_notify_user_;
  }
  if (notify) notify(user);
}

void Engine::drain_logs(void (*fn)(int32_t, const char*, void*), void* user) {
  std::deque<std::pair<int32_t, std::string>> taken;
  uint64_t dropped = 0;
  {
    std::lock_guard<std::mutex> lock(log_mutex_);
    taken.swap(logs_);
    dropped = log_dropped_ - log_dropped_reported_;
    log_dropped_reported_ = log_dropped_;
  }
  if (!fn) return;
  if (dropped) {
    std::string m = std::to_string(dropped) + " native log lines were dropped before these (log queue full: " +
                    std::to_string(opt_.log_queue_lines) + " lines)";
    fn(OLI_LOG_LEVEL_WARN, m.c_str(), user);
  }
  for (auto& e : taken) fn(e.first, e.second.c_str(), user);
}

void Engine::set_log_notify(void (*fn)(void*), void* user) {
  bool pending;
  {
    std::lock_guard<std::mutex> lock(log_mutex_);
    log_notify_ = fn;
    log_notify_user_ = user;
    pending = !logs_.empty() || log_dropped_ != log_dropped_reported_;
  }
  if (fn && pending) fn(user);
}

oli_status Engine::init() {
  oli_status st = create_backend();
  if (st) return st;
  // The two adapter tiers are one when the backend reads host memory in place (CPU), unless a
  // test asks for separate copies to exercise the device tier's LRU without a GPU.
  shared_tiers_ = backend_->host_visible() && !(opt_.debug_flags & OLI_DEBUG_FLAG_SEPARATE_ADAPTER_COPIES);
  return OLI_STATUS_OK;
}

oli_status Engine::create_backend() {
  const oli_engine_options& o = opt_;
  if (o.threads < 1 || o.threads > 256) return set_error(OLI_STATUS_INVALID_ARGUMENT, "threads must be in [1, 256]");
  if (o.kv_block_size < 1 || o.kv_block_size > 256) return set_error(OLI_STATUS_INVALID_ARGUMENT, "kv_block_size must be in [1, 256]");
  if (o.kv_blocks < 1 || o.kv_blocks > (1u << 24)) return set_error(OLI_STATUS_INVALID_ARGUMENT, "kv_blocks must be in [1, 2^24]");
  if (static_cast<uint64_t>(o.kv_blocks) * o.kv_block_size > 0x7FFFFFFFull)
    return set_error(OLI_STATUS_INVALID_ARGUMENT, "kv_blocks * kv_block_size must be below 2^31 token slots");
  if (o.max_batch_tokens < 1 || o.max_batch_tokens > 65536) return set_error(OLI_STATUS_INVALID_ARGUMENT, "max_batch_tokens must be in [1, 65536]");
  if (o.max_running < 1 || o.max_running > 4096) return set_error(OLI_STATUS_INVALID_ARGUMENT, "max_running must be in [1, 4096]");
  if (o.prefill_chunk < 1) return set_error(OLI_STATUS_INVALID_ARGUMENT, "prefill_chunk must be >= 1");
  if (o.max_lora_rank < 1 || o.max_lora_rank > 4096) return set_error(OLI_STATUS_INVALID_ARGUMENT, "max_lora_rank must be in [1, 4096]");
  if (o.adapter_cache_bytes < 1) return set_error(OLI_STATUS_INVALID_ARGUMENT, "adapter_cache_bytes must be >= 1");
  if (o.adapter_device_cache_bytes < 1) return set_error(OLI_STATUS_INVALID_ARGUMENT, "adapter_device_cache_bytes must be >= 1");
  if (o.debug_flags & ~static_cast<uint32_t>(OLI_DEBUG_FLAG_SEPARATE_ADAPTER_COPIES | OLI_DEBUG_FLAG_FAULT_INJECTION))
    return set_error(OLI_STATUS_INVALID_ARGUMENT, "unknown debug_flags bits 0x%x", o.debug_flags);
  if (o.log_queue_lines < 16 || o.log_queue_lines > (1u << 20)) return set_error(OLI_STATUS_INVALID_ARGUMENT, "log_queue_lines must be in [16, 2^20]");
  if (o.cpu_kernels > OLI_CPU_KERNELS_AVX2) return set_error(OLI_STATUS_INVALID_ARGUMENT, "unknown cpu_kernels value");
  CpuBackendOptions co;
  co.threads = o.threads;
  co.kernels = o.cpu_kernels;
  switch (o.backend) {
    case OLI_BACKEND_AUTO:
#ifdef OLI_WITH_CUDA
      if (cuda_device_count() > 0) {
        oli_status st = create_cuda_backend(0, &backend_);
        if (st == OLI_STATUS_OK) return st;
        log(OLI_LOG_LEVEL_WARN, std::string("cuda backend unavailable, using cpu: ") + oli_error_get_last());
      }
#endif
      return create_cpu_backend(co, &backend_);
    case OLI_BACKEND_CPU:
      return create_cpu_backend(co, &backend_);
    case OLI_BACKEND_CUDA:
#ifdef OLI_WITH_CUDA
      if (cuda_device_count() <= 0) return set_error(OLI_STATUS_BACKEND_UNAVAILABLE, "no CUDA device is available");
      return create_cuda_backend(0, &backend_);
#else
      return set_error(OLI_STATUS_BACKEND_UNAVAILABLE, "this build has no CUDA backend");
#endif
    default:
      return set_error(OLI_STATUS_INVALID_ARGUMENT, "unknown backend value %u", o.backend);
  }
}

oli_status Engine::load_model(const std::string& dir) {
  if (model_) return set_error(OLI_STATUS_MODEL_ALREADY_LOADED, "a model is already loaded");
  std::unique_ptr<Model> m;
  oli_status st = oli::load_model(backend_.get(), dir, opt_.max_seq_len, &m);
  if (st) return st;
  model_ = std::move(m);
  max_seq_ = model_->rope_len;
  const ModelConfig& c = model_->cfg;
  size_t kv_floats = static_cast<size_t>(opt_.kv_blocks) * opt_.kv_block_size * c.kv_heads * c.head_dim;
  k_cache_.resize(c.layers);
  v_cache_.resize(c.layers);
  for (int32_t l = 0; l < c.layers && !st; l++) {
    st = backend_->alloc(kv_floats * 4, &k_cache_[l]);
    if (!st) st = backend_->alloc(kv_floats * 4, &v_cache_[l]);
  }
  if (!st) st = alloc_scratch();
  if (st) {
    for (auto& b : k_cache_) backend_->release(&b);
    for (auto& b : v_cache_) backend_->release(&b);
    k_cache_.clear();
    v_cache_.clear();
    free_scratch();
    free_model(backend_.get(), model_.get());
    model_.reset();
    return st;
  }
  refcount_.assign(opt_.kv_blocks, 0);
  free_.clear();
  free_.reserve(opt_.kv_blocks);  // release_block's push_back then never allocates (generate's abort path)
  for (int32_t b = static_cast<int32_t>(opt_.kv_blocks) - 1; b >= 0; b--) free_.push_back(b);
  reserved_ = 0;
  log(OLI_LOG_LEVEL_INFO, "model loaded: " + dir + " (id " + model_->id + ", " + std::to_string(model_->num_params) +
                        " parameters, backend " + backend_->name() + "/" + backend_->variant() + ", sha256 " +
                        sha256_variant() + ")");
  return OLI_STATUS_OK;
}

oli_status Engine::alloc_scratch() {
  const ModelConfig& c = model_->cfg;
  const int64_t T = opt_.max_batch_tokens;
  const int64_t qd = static_cast<int64_t>(c.heads) * c.head_dim, kvd = static_cast<int64_t>(c.kv_heads) * c.head_dim;
  int64_t max_n = std::max<int64_t>({qd, kvd, c.hidden, c.inter});
  struct Want {
    float** ptr;
    int64_t floats;
  } wants[] = {
      {&x_, T * c.hidden}, {&h_, T * c.hidden}, {&q_, T * qd}, {&k_, T * kvd}, {&v_, T * kvd}, {&att_, T * qd},
      {&o_, T * c.hidden}, {&g_, T * c.inter}, {&u_, T * c.inter}, {&act_, T * c.inter},
      {&lu_, T * opt_.max_lora_rank}, {&delta_, T * max_n}, {&attr_, T * c.layers * MOD_COUNT * 2},
      {&lin_, T * c.hidden}, {&lnorm_, T * c.hidden}, {&logits_, T * c.vocab},
  };
  for (auto& w : wants) {
    Buffer b;
    oli_status st = backend_->alloc(static_cast<size_t>(w.floats) * 4, &b);
    if (st) return st;
    scratch_.push_back(b);
    *w.ptr = static_cast<float*>(b.ptr);
  }
  return OLI_STATUS_OK;
}

void Engine::free_scratch() {
  if (!backend_) return;
  for (auto& b : scratch_) backend_->release(&b);
  scratch_.clear();
  if (meta_.ptr) backend_->release(&meta_);
}

oli_status Engine::ensure_meta(size_t bytes) {
  if (meta_.ptr && meta_.bytes >= bytes) return OLI_STATUS_OK;
  if (meta_.ptr) backend_->release(&meta_);
  size_t want = std::max<size_t>(bytes, 1 << 16);
  return backend_->alloc(want, &meta_);
}

oli_status Engine::model_info(oli_model_info* out) {
  if (!model_) return set_error(OLI_STATUS_NO_MODEL, "no model is loaded");
  const ModelConfig& c = model_->cfg;
  std::memset(out, 0, sizeof *out);
  out->vocab_size = c.vocab;
  out->hidden_size = c.hidden;
  out->intermediate_size = c.inter;
  out->num_layers = c.layers;
  out->num_heads = c.heads;
  out->num_kv_heads = c.kv_heads;
  out->head_dim = c.head_dim;
  out->max_position_embeddings = c.max_pos;
  out->tied_embeddings = c.tied ? 1 : 0;
  out->source_dtype = model_->source_dtype;
  out->rms_norm_eps = c.eps;
  out->rope_theta = static_cast<float>(c.theta);
  out->num_parameters = model_->num_params;
  out->weight_bytes = model_->weight_bytes;
  out->file_bytes = model_->file_bytes;
  std::snprintf(out->id, sizeof out->id, "%s", model_->id.c_str());
  std::snprintf(out->backend, sizeof out->backend, "%s", backend_->name());
  std::snprintf(out->cpu_kernels, sizeof out->cpu_kernels, "%s", backend_->variant());
  return OLI_STATUS_OK;
}

oli_status Engine::stats(oli_engine_stats* out) {
  std::memset(out, 0, sizeof *out);
  out->kv_blocks_total = model_ ? opt_.kv_blocks : 0;
  out->kv_blocks_free = model_ ? static_cast<uint32_t>(free_.size()) : 0;
  out->kv_blocks_reserved = static_cast<uint32_t>(std::max<int64_t>(reserved_, 0));
  out->adapters_registered = static_cast<uint32_t>(adapters_.size());
  for (auto& kv : adapters_) {
    const Adapter& a = *kv.second;
    if (a.host_resident()) out->adapters_host_resident++;
    if (a.device) out->adapters_device_resident++;
    out->adapter_pins += static_cast<uint32_t>(a.pins);
  }
  out->adapter_tiers_shared = shared_tiers_ ? 1 : 0;
  out->adapter_host_bytes = host_bytes_;
  out->adapter_device_bytes = device_bytes_;
  out->adapter_host_hits = host_hits_;
  out->adapter_device_hits = device_hits_;
  out->adapter_host_evictions = host_evictions_;
  out->adapter_device_evictions = device_evictions_;
  out->adapter_disk_loads = disk_loads_;
  out->adapter_disk_reloads = disk_reloads_;
  out->adapter_disk_bytes = disk_bytes_;
  {
    std::lock_guard<std::mutex> lock(log_mutex_);
    out->log_lines_dropped = log_dropped_;
  }
  out->steps = steps_;
  out->tokens_processed = tokens_;
  out->kv_cow_copies = cow_;
  return OLI_STATUS_OK;
}

void Engine::publish_stats() {
  oli_engine_stats s;
  stats(&s);
  std::lock_guard<std::mutex> lock(stats_mutex_);
  snapshot_ = s;
}

void Engine::stats_snapshot(oli_engine_stats* out) {
  std::lock_guard<std::mutex> lock(stats_mutex_);
  *out = snapshot_;
}

// ------------------------------------------------------------------ KV blocks

int32_t Engine::alloc_block() {
  int32_t b = free_.back();
  free_.pop_back();
  refcount_[b] = 1;
  return b;
}

void Engine::release_block(int32_t b) {
  if (--refcount_[b] == 0) free_.push_back(b);
}

int64_t Engine::blocks_per_child(const RequestData& r) const {
  int64_t bs = opt_.kv_block_size, P = static_cast<int64_t>(r.prompt.size()), M = r.max_tokens;
  return (P + M + bs - 1) / bs - P / bs;
}

int64_t Engine::blocks_needed(const RequestData& r) const {
  int64_t bs = opt_.kv_block_size, P = static_cast<int64_t>(r.prompt.size());
  return (P + bs - 1) / bs + static_cast<int64_t>(r.n) * blocks_per_child(r);
}

}  // namespace oli
