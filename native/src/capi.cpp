// capi.cpp: the C API of include/openledger-infer.h over oli::Engine. Every entry point takes the
// engine mutex and converts C++ exceptions (allocation failures) into status codes.
#include <cstring>
#include <new>
#include <string>
#include <vector>

#include "../include/openledger-infer.h"
#include "backend.h"
#include "engine.h"

namespace oli {
const char* last_error_message();
void clear_error();
}  // namespace oli

struct oli_engine {
  explicit oli_engine(const oli_engine_options& o) : impl(o) {}
  oli::Engine impl;
};

struct oli_batch {
  std::vector<oli::RequestData> requests;
  std::vector<std::vector<oli::CompletionData>> results;
  bool done = false;
};

namespace {

// Run fn, turning C++ exceptions into statuses: nothing may unwind through the C API. The engine's
// own cleanup (generate's abort path) runs during unwinding, before the catch.
template <typename F>
oli_status guarded(F&& fn) {
  try {
    return fn();
  } catch (const std::bad_alloc&) {
    return oli::set_error(OLI_STATUS_OUT_OF_MEMORY, "out of host memory");
  } catch (const std::exception& e) {
    return oli::set_error(OLI_STATUS_INTERNAL, "internal error: %s", e.what());
  } catch (...) {
    return oli::set_error(OLI_STATUS_INTERNAL, "internal error: unknown exception");
  }
}

}  // namespace

#define OLI_GUARD(...) return guarded([&]() -> oli_status __VA_ARGS__);

extern "C" {

uint32_t oli_api_get_version(void) { return OLI_API_VERSION; }

const char* oli_status_to_string(oli_status s) {
  switch (s) {
    case OLI_STATUS_OK: return "OLI_STATUS_OK";
    case OLI_STATUS_INVALID_ARGUMENT: return "OLI_STATUS_INVALID_ARGUMENT";
    case OLI_STATUS_IO_ERROR: return "OLI_STATUS_IO_ERROR";
    case OLI_STATUS_FORMAT_ERROR: return "OLI_STATUS_FORMAT_ERROR";
    case OLI_STATUS_TRUNCATED_FILE: return "OLI_STATUS_TRUNCATED_FILE";
    case OLI_STATUS_UNSUPPORTED_DTYPE: return "OLI_STATUS_UNSUPPORTED_DTYPE";
    case OLI_STATUS_MISSING_TENSOR: return "OLI_STATUS_MISSING_TENSOR";
    case OLI_STATUS_SHAPE_MISMATCH: return "OLI_STATUS_SHAPE_MISMATCH";
    case OLI_STATUS_UNSUPPORTED_MODEL: return "OLI_STATUS_UNSUPPORTED_MODEL";
    case OLI_STATUS_UNSUPPORTED_ADAPTER: return "OLI_STATUS_UNSUPPORTED_ADAPTER";
    case OLI_STATUS_ADAPTER_RANK_TOO_LARGE: return "OLI_STATUS_ADAPTER_RANK_TOO_LARGE";
    case OLI_STATUS_ADAPTER_NOT_FOUND: return "OLI_STATUS_ADAPTER_NOT_FOUND";
    case OLI_STATUS_ADAPTER_TOO_LARGE: return "OLI_STATUS_ADAPTER_TOO_LARGE";
    case OLI_STATUS_ADAPTER_CHANGED: return "OLI_STATUS_ADAPTER_CHANGED";
    case OLI_STATUS_NO_MODEL: return "OLI_STATUS_NO_MODEL";
    case OLI_STATUS_MODEL_ALREADY_LOADED: return "OLI_STATUS_MODEL_ALREADY_LOADED";
    case OLI_STATUS_TOKEN_OUT_OF_RANGE: return "OLI_STATUS_TOKEN_OUT_OF_RANGE";
    case OLI_STATUS_PROMPT_TOO_LONG: return "OLI_STATUS_PROMPT_TOO_LONG";
    case OLI_STATUS_KV_OUT_OF_MEMORY: return "OLI_STATUS_KV_OUT_OF_MEMORY";
    case OLI_STATUS_OUT_OF_MEMORY: return "OLI_STATUS_OUT_OF_MEMORY";
    case OLI_STATUS_BACKEND_UNAVAILABLE: return "OLI_STATUS_BACKEND_UNAVAILABLE";
    case OLI_STATUS_BACKEND_ERROR: return "OLI_STATUS_BACKEND_ERROR";
    case OLI_STATUS_INTERNAL: return "OLI_STATUS_INTERNAL";
  }
  return "OLI_STATUS_UNKNOWN";
}

const char* oli_error_get_last(void) { return oli::last_error_message(); }

int32_t oli_cuda_is_compiled(void) {
#ifdef OLI_WITH_CUDA
  return 1;
#else
  return 0;
#endif
}

int32_t oli_cuda_get_device_count(void) {
#ifdef OLI_WITH_CUDA
  return oli::cuda_device_count();
#else
  return 0;
#endif
}

void oli_engine_options_set_defaults(oli_engine_options* o) {
  std::memset(o, 0, sizeof *o);
  o->backend = OLI_BACKEND_AUTO;
  o->cpu_kernels = OLI_CPU_KERNELS_AUTO;
  o->threads = 1;
  o->kv_block_size = 16;   // vLLM's DEFAULT_BLOCK_SIZE
  o->kv_blocks = 256;
  o->max_seq_len = 0;
  o->max_batch_tokens = 256;
  o->max_running = 64;
  o->prefill_chunk = 128;
  o->max_lora_rank = 64;
  o->adapter_cache_bytes = 1ull << 30;
  o->adapter_device_cache_bytes = 512ull << 20;
  o->debug_flags = 0;
  o->log_queue_lines = 4096;
}

oli_status oli_engine_init(const oli_engine_options* options, oli_engine** out) {
  if (!out) return oli::set_error(OLI_STATUS_INVALID_ARGUMENT, "out is NULL");
  *out = nullptr;
  OLI_GUARD({
    oli_engine_options o;
    if (options) o = *options;
    else oli_engine_options_set_defaults(&o);
    oli_engine* e = new oli_engine(o);
    oli_status st = e->impl.init();
    if (st) {
      delete e;
      return st;
    }
    *out = e;
    return OLI_STATUS_OK;
  })
}

void oli_engine_free(oli_engine* engine) {
  if (!engine) return;
  { std::lock_guard<std::mutex> lock(engine->impl.mutex); }
  delete engine;
}

// Serialise on the engine mutex, convert exceptions, and publish counters on every path (a
// failed call's cleanup must be visible to stats scrapes too).
#define OLI_ENGINE_CALL(engine, expr)                                                      \
  do {                                                                                     \
    if (!(engine)) return oli::set_error(OLI_STATUS_INVALID_ARGUMENT, "engine is NULL");   \
    std::lock_guard<std::mutex> lock((engine)->impl.mutex);                                \
    oli::clear_error();                                                                    \
    oli_status st_ = guarded([&]() -> oli_status { return (expr); });                      \
    (engine)->impl.publish_stats();                                                        \
    return st_;                                                                            \
  } while (0)

oli_status oli_engine_load_model(oli_engine* engine, const char* dir) {
  if (!dir) return oli::set_error(OLI_STATUS_INVALID_ARGUMENT, "dir is NULL");
  OLI_ENGINE_CALL(engine, engine->impl.load_model(dir));
}

oli_status oli_engine_get_model_info(oli_engine* engine, oli_model_info* out) {
  if (!out) return oli::set_error(OLI_STATUS_INVALID_ARGUMENT, "out is NULL");
  OLI_ENGINE_CALL(engine, engine->impl.model_info(out));
}

oli_status oli_engine_load_adapter(oli_engine* engine, const char* dir, oli_adapter_info* out) {
  if (!dir) return oli::set_error(OLI_STATUS_INVALID_ARGUMENT, "dir is NULL");
  OLI_ENGINE_CALL(engine, engine->impl.load_adapter(dir, out));
}

oli_status oli_engine_unload_adapter(oli_engine* engine, const char* id) {
  if (!id) return oli::set_error(OLI_STATUS_INVALID_ARGUMENT, "id is NULL");
  OLI_ENGINE_CALL(engine, engine->impl.unload_adapter(id));
}

oli_status oli_engine_list_adapters(oli_engine* engine, oli_adapter_info* out, uint32_t capacity, uint32_t* count) {
  OLI_ENGINE_CALL(engine, engine->impl.list_adapters(out, capacity, count));
}

oli_status oli_engine_merge_adapter(oli_engine* engine, const char* id) {
  if (!id) return oli::set_error(OLI_STATUS_INVALID_ARGUMENT, "id is NULL");
  OLI_ENGINE_CALL(engine, engine->impl.merge_adapter(id));
}

oli_status oli_engine_unmerge_adapter(oli_engine* engine) { OLI_ENGINE_CALL(engine, engine->impl.unmerge_adapter()); }

oli_status oli_engine_get_stats(oli_engine* engine, oli_engine_stats* out) {
  if (!out) return oli::set_error(OLI_STATUS_INVALID_ARGUMENT, "out is NULL");
  if (!engine) return oli::set_error(OLI_STATUS_INVALID_ARGUMENT, "engine is NULL");
  // Counters are published after every step and every registry change, so a metrics scrape
  // never waits for a running generate.
  engine->impl.stats_snapshot(out);
  return OLI_STATUS_OK;
}

void oli_engine_drain_logs(oli_engine* engine, void (*fn)(int32_t, const char*, void*), void* user) {
  if (!engine) return;
  engine->impl.drain_logs(fn, user);
}

void oli_engine_set_log_notify(oli_engine* engine, void (*fn)(void*), void* user) {
  if (!engine) return;
  engine->impl.set_log_notify(fn, user);
}

oli_status oli_batch_init(oli_batch** out) {
  if (!out) return oli::set_error(OLI_STATUS_INVALID_ARGUMENT, "out is NULL");
  OLI_GUARD({
    *out = new oli_batch();
    return OLI_STATUS_OK;
  })
}

void oli_batch_free(oli_batch* batch) { delete batch; }

oli_status oli_batch_add(oli_batch* batch, const oli_request* r) {
  if (!batch || !r) return oli::set_error(OLI_STATUS_INVALID_ARGUMENT, "batch or request is NULL");
  if (r->prompt_len && !r->prompt) return oli::set_error(OLI_STATUS_INVALID_ARGUMENT, "prompt is NULL");
  if (r->num_stop_tokens && !r->stop_tokens) return oli::set_error(OLI_STATUS_INVALID_ARGUMENT, "stop_tokens is NULL");
  OLI_GUARD({
    oli::RequestData d;
    d.prompt.assign(r->prompt, r->prompt + r->prompt_len);
    if (r->adapter_id) d.adapter_id = r->adapter_id;
    d.max_tokens = r->max_tokens;
    d.sampling.temperature = r->temperature;
    d.sampling.top_k = r->top_k;
    d.sampling.top_p = r->top_p;
    d.sampling.seed = r->seed;
    d.sampling.request_id = r->request_id;
    d.stop.assign(r->stop_tokens, r->stop_tokens + r->num_stop_tokens);
    d.n = r->n;
    d.logits_mode = r->logits_mode;
    batch->requests.push_back(std::move(d));
    batch->done = false;
    return OLI_STATUS_OK;
  })
}

oli_status oli_engine_generate(oli_engine* engine, oli_batch* batch) {
  if (!batch) return oli::set_error(OLI_STATUS_INVALID_ARGUMENT, "batch is NULL");
  batch->done = false;
  batch->results.clear();
  if (!engine) return oli::set_error(OLI_STATUS_INVALID_ARGUMENT, "engine is NULL");
  std::lock_guard<std::mutex> lock(engine->impl.mutex);
  oli::clear_error();
  oli_status st = guarded([&]() -> oli_status { return engine->impl.generate(batch->requests, &batch->results); });
  engine->impl.publish_stats();
  batch->done = st == OLI_STATUS_OK;
  if (!batch->done) batch->results.clear();  // no partial results
  return st;
}

float oli_sampler_debug_uniform(uint64_t seed, uint64_t request_id, uint64_t sample_index, uint64_t step) {
  oli::SamplingParams p;
  p.seed = seed;
  p.request_id = request_id;
  p.sample_index = sample_index;
  return oli::rng_uniform(p, step);
}

oli_status oli_engine_debug_inject_fault(oli_engine* engine, uint32_t kind, uint32_t step) {
  OLI_ENGINE_CALL(engine, engine->impl.inject_fault(kind, step));
}

oli_status oli_batch_get_result(const oli_batch* batch, uint32_t request_index, uint32_t sample_index, oli_result* out) {
  if (!batch || !out) return oli::set_error(OLI_STATUS_INVALID_ARGUMENT, "batch or out is NULL");
  if (!batch->done) return oli::set_error(OLI_STATUS_INVALID_ARGUMENT, "the batch has not been generated");
  if (request_index >= batch->results.size() || sample_index >= batch->results[request_index].size())
    return oli::set_error(OLI_STATUS_INVALID_ARGUMENT, "result index out of range");
  const oli::CompletionData& c = batch->results[request_index][sample_index];
  std::memset(out, 0, sizeof *out);
  out->tokens = c.tokens.data();
  out->num_tokens = static_cast<uint32_t>(c.tokens.size());
  out->finish_reason = c.finish;
  out->logits = c.logits.empty() ? nullptr : c.logits.data();
  out->num_logits = c.logits.size();
  std::memcpy(out->logits_sha256, c.hash, 32);
  out->attr_delta_norm = c.delta_norm;
  out->attr_base_norm = c.base_norm;
  out->attr_terms = c.terms;
  return OLI_STATUS_OK;
}

}  // extern "C"
