// engine-adapters.cpp: adapter registry, LRU residency under the byte budget, merge mode.
#include <algorithm>
#include <cmath>
#include <cstring>

#include "engine.h"
#include "math/oli-math.h"

namespace oli {

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
  log(OLI_LOG_LEVEL_DEBUG, "adapter evicted: " + a->id);
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
  log(OLI_LOG_LEVEL_INFO, "adapter loaded: " + id + " from " + dir);
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
  log(OLI_LOG_LEVEL_INFO, "adapter merged: " + id);
  return OLI_STATUS_OK;
}

oli_status Engine::unmerge_adapter() {
  for (auto& b : merged_buffers_) backend_->release(&b);
  merged_buffers_.clear();
  merged_layers_.clear();
  merged_id_.clear();
  return OLI_STATUS_OK;
}

}  // namespace oli
