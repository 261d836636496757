// engine-adapters.cpp: adapter registry, the two-tier adapter cache (host tier of widened f32
// copies under adapter_cache_bytes, device tier of backend copies under adapter_device_cache_bytes,
// both LRU; the device tier is a subset of the host tier) and merge mode.
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
  out->host_resident = a.host_resident() ? 1 : 0;
  out->device_resident = a.device ? 1 : 0;
  out->merged = (a.id == merged_id_) ? 1 : 0;
  out->alpha = a.cfg.alpha;
  out->scale = a.cfg.scale;
  out->bytes = a.bytes;
  out->last_used = a.last_used;
}

// Drop a's device-tier copy (or, with shared tiers, its wrap of the host copy).
void Engine::drop_device(Adapter* a) {
  if (!a->usable()) return;
  backend_->release(&a->buffer);  // a wrap is not owned: release only forgets it
  if (a->device) {
    a->device = false;
    device_bytes_ -= a->bytes;
  }
}

// Drop a's host-tier copy and, the device tier being a subset of the host tier, its device copy.
void Engine::drop_host(Adapter* a) {
  drop_device(a);
  if (!a->host_resident()) return;
  a->host.reset();
  host_bytes_ -= a->bytes;
}

// Evict least recently used unpinned host copies (never keep) until bytes more fit the host
// budget; false when pinned adapters leave too little room.
bool Engine::make_room_host(uint64_t bytes, const Adapter* keep) {
  while (host_bytes_ + bytes > opt_.adapter_cache_bytes) {
    Adapter* victim = nullptr;
    for (auto& kv : adapters_) {
      Adapter* c = kv.second.get();
      if (c->host_resident() && c->pins == 0 && c != keep && (!victim || c->last_used < victim->last_used)) victim = c;
    }
    if (!victim) return false;
    bool had_device = victim->device;
    drop_host(victim);
    host_evictions_++;
    if (had_device) device_evictions_++;
    log(OLI_LOG_LEVEL_DEBUG, "adapter evicted from the host tier: " + victim->id);
  }
  return true;
}

// Same for the device tier; an evicted device copy keeps its host copy.
bool Engine::make_room_device(uint64_t bytes, const Adapter* keep) {
  while (device_bytes_ + bytes > opt_.adapter_device_cache_bytes) {
    Adapter* victim = nullptr;
    for (auto& kv : adapters_) {
      Adapter* c = kv.second.get();
      if (c->device && c->pins == 0 && c != keep && (!victim || c->last_used < victim->last_used)) victim = c;
    }
    if (!victim) return false;
    drop_device(victim);
    device_evictions_++;
    log(OLI_LOG_LEVEL_DEBUG, "adapter evicted from the device tier: " + victim->id);
  }
  return true;
}

// Widen files (whose id the caller checked) into a fresh host copy of a. Room was made.
oli_status Engine::fill_host(Adapter* a, const AdapterFiles& files) {
  Adapter parsed;
  AdapterLayout layout;
  oli_status st = adapter_parse(files, *model_, opt_.max_lora_rank, &parsed, &layout);
  if (st) return st;
  if (parsed.bytes != a->bytes || parsed.a_off != a->a_off || parsed.b_off != a->b_off)
    return set_error(OLI_STATUS_INTERNAL, "adapter %s: layout differs from its registration", a->id.c_str());
  HostWeights w;
  if ((st = w.allocate(a->bytes))) return st;
  if ((st = adapter_widen(parsed, layout, w.data()))) return st;
  a->host = std::move(w);
  host_bytes_ += a->bytes;
  return OLI_STATUS_OK;
}

// Give a host-resident adapter what the forward pass reads: a wrap of the host copy (shared
// tiers) or a device-tier copy uploaded from it.
oli_status Engine::attach_device(Adapter* a, bool* waiting) {
  if (shared_tiers_) {
    Buffer b;
    if (!backend_->wrap_host(a->host.data(), a->bytes, &b))
      return set_error(OLI_STATUS_INTERNAL, "%s backend refused to wrap adapter weights", backend_->name());
    a->buffer = b;
    return OLI_STATUS_OK;
  }
  if (!make_room_device(a->bytes, a)) {
    *waiting = true;
    return OLI_STATUS_OK;
  }
  Buffer b;
  oli_status st = backend_->alloc(a->bytes, &b);
  if (st) return st;
  if ((st = backend_->upload(b.ptr, a->host.data(), a->bytes))) {
    backend_->release(&b);
    return st;
  }
  a->buffer = b;
  a->device = true;
  device_bytes_ += a->bytes;
  return OLI_STATUS_OK;
}

oli_status Engine::make_resident(Adapter* a, bool* waiting) {
  *waiting = false;
  a->last_used = ++tick_;
  if (a->usable()) {
    if (shared_tiers_) host_hits_++;
    else device_hits_++;
    return OLI_STATUS_OK;
  }
  if (a->bytes > opt_.adapter_cache_bytes)
    return set_error(OLI_STATUS_ADAPTER_TOO_LARGE, "adapter %s needs %llu bytes, more than adapter_cache_bytes", a->id.c_str(), static_cast<unsigned long long>(a->bytes));
  if (!shared_tiers_ && a->bytes > opt_.adapter_device_cache_bytes)
    return set_error(OLI_STATUS_ADAPTER_TOO_LARGE, "adapter %s needs %llu bytes, more than adapter_device_cache_bytes", a->id.c_str(), static_cast<unsigned long long>(a->bytes));
  if (a->host_resident()) {
    host_hits_++;
  } else {
    if (!make_room_host(a->bytes, a)) {
      *waiting = true;
      return OLI_STATUS_OK;
    }
    // Registered, on disk: read the files once, and serve them only if they still hash to the id.
    AdapterFiles files;
    oli_status st = adapter_files_read(a->dir, &files);
    if (st) return st;
    disk_bytes_ += files.bytes_read;
    if (files.id != a->id)
      return set_error(OLI_STATUS_ADAPTER_CHANGED, "adapter %s: files in %s changed on disk (hash now %s)", a->id.c_str(), a->dir.c_str(), files.id.c_str());
    if ((st = fill_host(a, files))) return st;
    disk_loads_++;
    disk_reloads_++;
    log(OLI_LOG_LEVEL_DEBUG, "adapter reloaded from disk: " + a->id);
  }
  return attach_device(a, waiting);
}

oli_status Engine::load_adapter(const std::string& dir, oli_adapter_info* out) {
  if (!model_) return set_error(OLI_STATUS_NO_MODEL, "load a model before adapters");
  AdapterFiles files;
  oli_status st = adapter_files_read(dir, &files);
  if (st) return st;
  disk_bytes_ += files.bytes_read;
  auto it = adapters_.find(files.id);
  if (it != adapters_.end()) {
    // Same content again: refresh recency; refill an evicted host copy from the bytes just read.
    Adapter* a = it->second.get();
    a->last_used = ++tick_;
    if (!a->host_resident() && make_room_host(a->bytes, a)) {
      if ((st = fill_host(a, files))) return st;
      disk_loads_++;
      disk_reloads_++;
    }
    if (out) fill_info(*a, out);
    return OLI_STATUS_OK;
  }
  std::unique_ptr<Adapter> a(new Adapter());
  AdapterLayout layout;
  if ((st = adapter_parse(files, *model_, opt_.max_lora_rank, a.get(), &layout))) return st;
  if (a->bytes > opt_.adapter_cache_bytes)
    return set_error(OLI_STATUS_ADAPTER_TOO_LARGE, "adapter %s needs %llu bytes, more than adapter_cache_bytes (%llu)", dir.c_str(), static_cast<unsigned long long>(a->bytes), static_cast<unsigned long long>(opt_.adapter_cache_bytes));
  if (!shared_tiers_ && a->bytes > opt_.adapter_device_cache_bytes)
    return set_error(OLI_STATUS_ADAPTER_TOO_LARGE, "adapter %s needs %llu bytes, more than adapter_device_cache_bytes (%llu)", dir.c_str(), static_cast<unsigned long long>(a->bytes), static_cast<unsigned long long>(opt_.adapter_device_cache_bytes));
  // Pins are only held inside generate, which excludes this call, so room can always be made.
  if (!make_room_host(a->bytes, nullptr)) return set_error(OLI_STATUS_INTERNAL, "adapter host tier pinned outside generate");
  HostWeights w;
  if ((st = w.allocate(a->bytes))) return st;
  if ((st = adapter_widen(*a, layout, w.data()))) return st;
  a->host = std::move(w);
  a->last_used = ++tick_;
  Adapter* raw = a.get();
  adapters_.emplace(files.id, std::move(a));  // may throw before taking ownership: then freed
  host_bytes_ += raw->bytes;
  disk_loads_++;
  if (out) fill_info(*raw, out);
  log(OLI_LOG_LEVEL_INFO, "adapter loaded: " + files.id + " from " + dir);
  return OLI_STATUS_OK;
}

oli_status Engine::unload_adapter(const std::string& id) {
  auto it = adapters_.find(id);
  if (it == adapters_.end()) return set_error(OLI_STATUS_ADAPTER_NOT_FOUND, "adapter %s is not registered", id.c_str());
  if (merged_id_ == id) unmerge_adapter();
  drop_host(it->second.get());
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
  merged_buffers_.reserve(static_cast<size_t>(c.layers) * MOD_COUNT);  // push_back below never throws
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
