// engine.cpp: engine lifecycle, adapter registry / LRU cache, KV block allocator and the
// continuous-batching scheduler. The forward pass is in engine-forward.cpp.
#include "engine.h"

#include <algorithm>
#include <cmath>
#include <cstring>

#include "math/oli-math.h"

namespace oli {

Engine::Engine(const oli_engine_options& options) : opt_(options) {}

Engine::~Engine() {
  if (!backend_) return;
  for (auto& kv : adapters_)
    if (kv.second->resident) backend_->release(&kv.second->buffer);
  for (auto& b : merged_buffers_) backend_->release(&b);
  for (auto& b : k_cache_) backend_->release(&b);
  for (auto& b : v_cache_) backend_->release(&b);
  free_scratch();
  if (model_) free_model(backend_.get(), model_.get());
}

void Engine::log(int32_t level, const std::string& message) {
  std::lock_guard<std::mutex> lock(log_mutex_);
  if (logs_.size() >= 1024) logs_.pop_front();
  logs_.emplace_back(level, message);
}

void Engine::drain_logs(void (*fn)(int32_t, const char*, void*), void* user) {
  std::deque<std::pair<int32_t, std::string>> taken;
  {
    std::lock_guard<std::mutex> lock(log_mutex_);
    taken.swap(logs_);
  }
  for (auto& e : taken)
    if (fn) fn(e.first, e.second.c_str(), user);
}

oli_status Engine::init() {
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
  if (o.cpu_kernels > OLI_CPU_KERNELS_AVX512) return set_error(OLI_STATUS_INVALID_ARGUMENT, "unknown cpu_kernels value");
  CpuBackendOptions co;
  co.threads = o.threads;
  co.kernels = o.cpu_kernels;
  switch (o.backend) {
    case OLI_BACKEND_AUTO:
#ifdef OLI_WITH_CUDA
      if (cuda_device_count() > 0) {
        oli_status st = create_cuda_backend(0, &backend_);
        if (st == OLI_STATUS_OK) return st;
        log(OLI_LOG_WARN, std::string("cuda backend unavailable, using cpu: ") + oli_last_error());
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
  // The RoPE table length is the context length; read the config first to size it.
  std::string text;
  oli_status st = read_text_file(dir + "/config.json", &text);
  if (st) return st;
  ModelConfig cfg;
  if ((st = parse_model_config(text, dir + "/config.json", &cfg))) return st;
  int32_t max_seq = cfg.max_pos;
  if (opt_.max_seq_len && static_cast<int32_t>(opt_.max_seq_len) < max_seq) max_seq = static_cast<int32_t>(opt_.max_seq_len);
  std::unique_ptr<Model> m;
  if ((st = oli::load_model(backend_.get(), dir, max_seq, &m))) return st;
  model_ = std::move(m);
  max_seq_ = max_seq;
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
  for (int32_t b = static_cast<int32_t>(opt_.kv_blocks) - 1; b >= 0; b--) free_.push_back(b);
  reserved_ = 0;
  log(OLI_LOG_INFO, "model loaded: " + dir + " (" + std::to_string(model_->num_params) + " parameters, backend " +
                        backend_->name() + "/" + backend_->variant() + ")");
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
      {&lu_, T * opt_.max_lora_rank}, {&delta_, T * max_n}, {&sq_base_, T}, {&sq_delta_, T},
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
  std::snprintf(out->backend, sizeof out->backend, "%s", backend_->name());
  std::snprintf(out->cpu_kernels, sizeof out->cpu_kernels, "%s", backend_->variant());
  return OLI_STATUS_OK;
}

// ------------------------------------------------------------------ adapters

void Engine::fill_info(const Adapter& a, oli_adapter_info* out) const {
  std::memset(out, 0, sizeof *out);
  std::snprintf(out->id, sizeof out->id, "%s", a.id.c_str());
  std::snprintf(out->path, sizeof out->path, "%s", a.dir.c_str());
  out->rank = a.cfg.rank;
  out->targets = a.cfg.targets;
  out->use_rslora = a.cfg.rslora ? 1 : 0;
  out->resident = a.resident ? 1 : 0;
  out->merged = (a.id == merged_id_) ? 1 : 0;
  out->alpha = a.cfg.alpha;
  out->scale = a.cfg.scale;
  out->bytes = a.bytes;
  out->last_used = a.last_used;
}

void Engine::evict(Adapter* a) {
  if (!a->resident) return;
  backend_->release(&a->buffer);
  a->resident = false;
  resident_bytes_ -= a->bytes;
  evictions_++;
  log(OLI_LOG_DEBUG, "adapter evicted: " + a->id);
}

// Make room for a (LRU over unpinned resident adapters), then load it. *waiting is set when room
// cannot be made now because pinned adapters fill the budget.
oli_status Engine::make_resident(Adapter* a, bool* waiting) {
  *waiting = false;
  a->last_used = ++tick_;
  if (a->resident) return OLI_STATUS_OK;
  if (a->bytes > opt_.adapter_cache_bytes)
    return set_error(OLI_STATUS_ADAPTER_TOO_LARGE, "adapter %s needs %llu bytes, more than adapter_cache_bytes", a->id.c_str(), static_cast<unsigned long long>(a->bytes));
  while (resident_bytes_ + a->bytes > opt_.adapter_cache_bytes) {
    Adapter* victim = nullptr;
    for (auto& kv : adapters_) {
      Adapter* c = kv.second.get();
      if (c->resident && c->pins == 0 && c != a && (!victim || c->last_used < victim->last_used)) victim = c;
    }
    if (!victim) {
      *waiting = true;
      return OLI_STATUS_OK;
    }
    evict(victim);
  }
  Adapter fresh;
  oli_status st = adapter_read(backend_.get(), *model_, opt_.max_lora_rank, a->dir, a->id, &fresh);
  if (st) return st;
  a->buffer = fresh.buffer;
  a->a_off = std::move(fresh.a_off);
  a->b_off = std::move(fresh.b_off);
  a->bytes = fresh.bytes;
  a->resident = true;
  resident_bytes_ += a->bytes;
  adapter_loads_++;
  return OLI_STATUS_OK;
}

oli_status Engine::load_adapter(const std::string& dir, oli_adapter_info* out) {
  if (!model_) return set_error(OLI_STATUS_NO_MODEL, "load a model before adapters");
  std::string id;
  oli_status st = adapter_identity(dir, &id);
  if (st) return st;
  auto it = adapters_.find(id);
  if (it != adapters_.end()) {
    bool waiting;
    if ((st = make_resident(it->second.get(), &waiting))) return st;
    if (out) fill_info(*it->second, out);
    return OLI_STATUS_OK;
  }
  std::unique_ptr<Adapter> a(new Adapter());
  if ((st = adapter_read(backend_.get(), *model_, opt_.max_lora_rank, dir, id, a.get()))) return st;
  if (a->bytes > opt_.adapter_cache_bytes) {
    backend_->release(&a->buffer);
    return set_error(OLI_STATUS_ADAPTER_TOO_LARGE, "adapter %s needs %llu bytes, more than adapter_cache_bytes (%llu)", dir.c_str(), static_cast<unsigned long long>(a->bytes), static_cast<unsigned long long>(opt_.adapter_cache_bytes));
  }
  while (resident_bytes_ + a->bytes > opt_.adapter_cache_bytes) {
    Adapter* victim = nullptr;
    for (auto& kv : adapters_) {
      Adapter* c = kv.second.get();
      if (c->resident && c->pins == 0 && (!victim || c->last_used < victim->last_used)) victim = c;
    }
    if (!victim) break;
    evict(victim);
  }
  a->last_used = ++tick_;
  resident_bytes_ += a->bytes;
  adapter_loads_++;
  if (out) fill_info(*a, out);
  log(OLI_LOG_INFO, "adapter loaded: " + id + " from " + dir);
  adapters_[id] = std::move(a);
  return OLI_STATUS_OK;
}

oli_status Engine::unload_adapter(const std::string& id) {
  auto it = adapters_.find(id);
  if (it == adapters_.end()) return set_error(OLI_STATUS_ADAPTER_NOT_FOUND, "adapter %s is not registered", id.c_str());
  if (merged_id_ == id) unmerge_adapter();
  Adapter* a = it->second.get();
  if (a->resident) {
    backend_->release(&a->buffer);
    resident_bytes_ -= a->bytes;
  }
  adapters_.erase(it);
  return OLI_STATUS_OK;
}

oli_status Engine::list_adapters(oli_adapter_info* out, uint32_t capacity, uint32_t* count) {
  uint32_t i = 0;
  for (auto& kv : adapters_) {
    if (out && i < capacity) fill_info(*kv.second, out + i);
    i++;
  }
  if (count) *count = i;
  return OLI_STATUS_OK;
}

oli_status Engine::merge_adapter(const std::string& id) {
  if (!model_) return set_error(OLI_STATUS_NO_MODEL, "no model is loaded");
  auto it = adapters_.find(id);
  if (it == adapters_.end()) return set_error(OLI_STATUS_ADAPTER_NOT_FOUND, "adapter %s is not registered", id.c_str());
  Adapter* a = it->second.get();
  bool waiting;
  oli_status st = make_resident(a, &waiting);
  if (st) return st;
  if (waiting) return set_error(OLI_STATUS_ADAPTER_TOO_LARGE, "adapter cache is full");
  unmerge_adapter();
  const ModelConfig& c = model_->cfg;
  merged_layers_ = model_->layers;
  const float* base = static_cast<const float*>(a->buffer.ptr);
  for (int32_t l = 0; l < c.layers && !st; l++)
    for (int32_t m = 0; m < MOD_COUNT && !st; m++) {
      size_t i = static_cast<size_t>(l) * MOD_COUNT + m;
      if (a->a_off[i] < 0) continue;
      int32_t N = c.out_features(m), K = c.in_features(m);
      Buffer b;
      st = backend_->alloc(static_cast<size_t>(N) * K * 4, &b);
      if (st) break;
      merged_buffers_.push_back(b);
      const float* w = model_->layers[l].w[m];
      std::vector<float> widened;
      if (!w) {
        // BF16-resident base weight (only on host-visible backends): widen exactly for the merge.
        const uint16_t* w16 = model_->layers[l].w16[m];
        widened.resize(static_cast<size_t>(N) * K);
        for (size_t e = 0; e < widened.size(); e++) widened[e] = bf16_to_f32(w16[e]);
        w = widened.data();
      }
      st = backend_->merge_lora(w, base + a->a_off[i], base + a->b_off[i], N, K,
                                static_cast<int32_t>(a->cfg.rank), a->cfg.scale, static_cast<float*>(b.ptr));
      merged_layers_[l].w[m] = static_cast<const float*>(b.ptr);
      merged_layers_[l].w16[m] = nullptr;
    }
  if (!st) st = backend_->sync();
  if (st) {
    unmerge_adapter();
    return st;
  }
  merged_id_ = id;
  log(OLI_LOG_INFO, "adapter merged: " + id);
  return OLI_STATUS_OK;
}

oli_status Engine::unmerge_adapter() {
  for (auto& b : merged_buffers_) backend_->release(&b);
  merged_buffers_.clear();
  merged_layers_.clear();
  merged_id_.clear();
  return OLI_STATUS_OK;
}

oli_status Engine::stats(oli_engine_stats* out) {
  std::memset(out, 0, sizeof *out);
  out->kv_blocks_total = model_ ? opt_.kv_blocks : 0;
  out->kv_blocks_free = model_ ? static_cast<uint32_t>(free_.size()) : 0;
  out->adapters_registered = static_cast<uint32_t>(adapters_.size());
  for (auto& kv : adapters_)
    if (kv.second->resident) out->adapters_resident++;
  out->adapter_bytes_resident = resident_bytes_;
  out->adapter_evictions = evictions_;
  out->adapter_loads = adapter_loads_;
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

// ------------------------------------------------------------------ scheduler

void Engine::finish(Sequence* s, std::vector<std::vector<CompletionData>>* results) {
  for (int32_t b : s->table) release_block(b);
  s->table.clear();
  reserved_ -= s->reserve_left;
  s->reserve_left = 0;
  if (s->adapter) s->adapter->pins--;
  s->hash.finish(s->out.hash);
  (*results)[s->req][s->sample] = std::move(s->out);
  s->done = true;
}

void Engine::abort_all(std::vector<std::unique_ptr<Sequence>>* running) {
  for (auto& s : *running) {
    for (int32_t b : s->table) release_block(b);
    s->table.clear();
    reserved_ -= s->reserve_left;
    if (s->adapter) s->adapter->pins--;
  }
  running->clear();
}

oli_status Engine::generate(const std::vector<RequestData>& reqs,
                            std::vector<std::vector<CompletionData>>* results) {
  if (!model_) return set_error(OLI_STATUS_NO_MODEL, "no model is loaded");
  const ModelConfig& c = model_->cfg;
  // ---- validate everything first: nothing runs on bad input
  for (size_t i = 0; i < reqs.size(); i++) {
    const RequestData& r = reqs[i];
    if (r.prompt.empty()) return set_error(OLI_STATUS_INVALID_ARGUMENT, "request %zu: empty prompt", i);
    if (r.max_tokens < 1) return set_error(OLI_STATUS_INVALID_ARGUMENT, "request %zu: max_tokens must be >= 1", i);
    for (size_t j = 0; j < r.prompt.size(); j++)
      if (r.prompt[j] < 0 || r.prompt[j] >= c.vocab)
        return set_error(OLI_STATUS_TOKEN_OUT_OF_RANGE, "request %zu: prompt token %zu = %d is outside [0, %d)", i, j, r.prompt[j], c.vocab);
    for (int32_t t : r.stop)
      if (t < 0 || t >= c.vocab) return set_error(OLI_STATUS_TOKEN_OUT_OF_RANGE, "request %zu: stop token %d is outside [0, %d)", i, t, c.vocab);
    if (static_cast<int64_t>(r.prompt.size()) + r.max_tokens > max_seq_)
      return set_error(OLI_STATUS_PROMPT_TOO_LONG, "request %zu: prompt (%zu) + max_tokens (%u) exceeds the context length %d", i, r.prompt.size(), r.max_tokens, max_seq_);
    if (!(r.sampling.temperature >= 0.0f) || !std::isfinite(r.sampling.temperature))
      return set_error(OLI_STATUS_INVALID_ARGUMENT, "request %zu: temperature must be finite and >= 0", i);
    if (!(r.sampling.top_p > 0.0f && r.sampling.top_p <= 1.0f))
      return set_error(OLI_STATUS_INVALID_ARGUMENT, "request %zu: top_p must be in (0, 1]", i);
    if (r.n < 1 || r.n > opt_.max_running) return set_error(OLI_STATUS_INVALID_ARGUMENT, "request %zu: n must be in [1, max_running]", i);
    if (r.logits_mode > OLI_LOGITS_FULL) return set_error(OLI_STATUS_INVALID_ARGUMENT, "request %zu: unknown logits mode", i);
    if (!r.adapter_id.empty() && !adapters_.count(r.adapter_id))
      return set_error(OLI_STATUS_ADAPTER_NOT_FOUND, "request %zu: adapter %s is not registered", i, r.adapter_id.c_str());
    if (blocks_needed(r) > static_cast<int64_t>(opt_.kv_blocks))
      return set_error(OLI_STATUS_KV_OUT_OF_MEMORY, "request %zu needs %lld KV blocks; the cache has %u", i, static_cast<long long>(blocks_needed(r)), opt_.kv_blocks);
  }
  results->assign(reqs.size(), {});
  for (size_t i = 0; i < reqs.size(); i++) (*results)[i].resize(reqs[i].n);
  std::deque<int32_t> waiting;
  for (size_t i = 0; i < reqs.size(); i++) waiting.push_back(static_cast<int32_t>(i));
  std::vector<std::unique_ptr<Sequence>> running;
  std::vector<float> logits_host;
  const int32_t bs = static_cast<int32_t>(opt_.kv_block_size);

  while (!waiting.empty() || !running.empty()) {
    // ---- admission (FIFO)
    while (!waiting.empty()) {
      const RequestData& r = reqs[waiting.front()];
      if (running.size() + r.n > opt_.max_running) break;
      int64_t need = blocks_needed(r);
      if (need > static_cast<int64_t>(free_.size()) - reserved_) break;
      Adapter* a = nullptr;
      if (!r.adapter_id.empty()) {
        a = adapters_[r.adapter_id].get();
        bool wait_room;
        oli_status st = make_resident(a, &wait_room);
        if (st) {
          abort_all(&running);
          return st;
        }
        if (wait_room) {
          if (running.empty()) {
            abort_all(&running);
            return set_error(OLI_STATUS_ADAPTER_TOO_LARGE, "adapter %s does not fit in the adapter cache", a->id.c_str());
          }
          break;
        }
        a->pins++;
      }
      std::unique_ptr<Sequence> s(new Sequence());
      s->req = waiting.front();
      s->sample = 0;
      s->tokens = r.prompt;
      s->prompt_len = static_cast<int32_t>(r.prompt.size());
      s->adapter = a;
      s->merged_path = a && a->id == merged_id_;
      s->sp = r.sampling;
      s->sp.sample_index = 0;
      s->reserve_left = need;
      s->fork_pending = r.n > 1;
      reserved_ += need;
      running.push_back(std::move(s));
      waiting.pop_front();
    }
    if (running.empty()) return set_error(OLI_STATUS_INTERNAL, "scheduler made no progress");
    // ---- plan: decodes first, then prefill chunks, within the token budget
    int64_t budget = opt_.max_batch_tokens;
    std::vector<Entry> entries;
    for (int pass = 0; pass < 2; pass++)
      for (auto& sp : running) {
        Sequence* s = sp.get();
        bool decode = s->computed >= s->prompt_len;
        if ((pass == 0) != decode || budget == 0) continue;
        int32_t remaining = static_cast<int32_t>(s->tokens.size()) - s->computed;
        int32_t cnt = decode ? 1 : std::min<int32_t>({remaining, static_cast<int32_t>(opt_.prefill_chunk), static_cast<int32_t>(budget)});
        budget -= cnt;
        entries.push_back({s, s->computed, cnt, s->computed + cnt == static_cast<int32_t>(s->tokens.size())});
      }
    // ---- KV blocks for the new positions (allocation and copy-on-write)
    std::vector<int32_t> cow_pairs;
    for (auto& e : entries) {
      Sequence* s = e.seq;
      for (int32_t p = e.start; p < e.start + e.count; p++) {
        size_t bi = static_cast<size_t>(p / bs);
        bool need_block = bi == s->table.size() || refcount_[s->table[bi]] > 1;
        if (need_block && free_.empty()) {
          abort_all(&running);
          return set_error(OLI_STATUS_INTERNAL, "KV block pool exhausted despite reservations");
        }
        if (bi == s->table.size()) {
          s->table.push_back(alloc_block());
          s->reserve_left--;
          reserved_--;
        } else if (refcount_[s->table[bi]] > 1) {
          int32_t nb = alloc_block();
          s->reserve_left--;
          reserved_--;
          cow_pairs.push_back(s->table[bi]);
          cow_pairs.push_back(nb);
          release_block(s->table[bi]);
          s->table[bi] = nb;
          cow_++;
        }
      }
    }
    oli_status st = OLI_STATUS_OK;
    if (!cow_pairs.empty()) {
      int64_t block_floats = static_cast<int64_t>(bs) * c.kv_heads * c.head_dim;
      for (int32_t l = 0; l < c.layers && !st; l++)
        st = backend_->kv_copy_blocks(static_cast<float*>(k_cache_[l].ptr), static_cast<float*>(v_cache_[l].ptr),
                                      cow_pairs.data(), static_cast<int32_t>(cow_pairs.size() / 2), block_floats);
    }
    // ---- forward, one group per weight set; order tokens so equal adapters form segments
    std::vector<Entry> groups[2];
    for (auto& e : entries) groups[e.seq->merged_path ? 1 : 0].push_back(e);
    for (int gi = 0; gi < 2 && !st; gi++) {
      auto& g = groups[gi];
      if (g.empty()) continue;
      // Token order never changes results (ARITHMETIC.md section 14); grouping equal adapters
      // lets the LoRA ops run segment-wise.
      std::stable_sort(g.begin(), g.end(), [](const Entry& a, const Entry& b) {
        const std::string& ia = a.seq->adapter ? a.seq->adapter->id : std::string();
        const std::string& ib = b.seq->adapter ? b.seq->adapter->id : std::string();
        return ia < ib;
      });
      st = forward_group(g, gi == 1, &logits_host);
      if (st) break;
      // ---- sample
      int64_t row = 0;
      for (auto& e : g) {
        Sequence* s = e.seq;
        s->computed += e.count;
        if (!e.logits) continue;
        const float* lg = logits_host.data() + row * c.vocab;
        row++;
        std::vector<Sequence*> targets{s};
        if (s->fork_pending) {
          s->fork_pending = false;
          const RequestData& r = reqs[s->req];
          int64_t per_child = blocks_per_child(r);
          for (uint32_t i = 1; i < r.n; i++) {
            std::unique_ptr<Sequence> ch(new Sequence(*s));
            ch->sample = i;
            ch->sp.sample_index = i;
            for (int32_t b : ch->table) refcount_[b]++;
            ch->reserve_left = per_child;
            s->reserve_left -= per_child;
            if (ch->adapter) ch->adapter->pins++;
            targets.push_back(ch.get());
            running.push_back(std::move(ch));
          }
        }
        for (Sequence* t : targets) {
          const RequestData& r = reqs[t->req];
          std::vector<float> canon(lg, lg + c.vocab);
          for (auto& v : canon)
            if (v != v) v = bits_to_f32(0x7FC00000u);
          if (r.logits_mode != OLI_LOGITS_NONE) t->hash.update(canon.data(), canon.size() * 4);
          if (r.logits_mode == OLI_LOGITS_FULL) t->out.logits.insert(t->out.logits.end(), canon.begin(), canon.end());
          std::vector<int32_t> scratch;
          int32_t tok = sample_token(lg, c.vocab, t->sp, t->generated, &scratch);
          t->tokens.push_back(tok);
          t->out.tokens.push_back(tok);
          t->generated++;
          bool stop = std::find(r.stop.begin(), r.stop.end(), tok) != r.stop.end();
          if (stop) t->out.finish = OLI_FINISH_STOP;
          if (stop || t->generated >= r.max_tokens) finish(t, results);
        }
      }
    }
    if (st) {
      abort_all(&running);
      return st;
    }
    steps_++;
    publish_stats();
    running.erase(std::remove_if(running.begin(), running.end(), [](const std::unique_ptr<Sequence>& s) { return s->done; }),
                  running.end());
  }
  return OLI_STATUS_OK;
}

}  // namespace oli
