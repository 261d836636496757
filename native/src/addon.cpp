// addon.cpp: N-API glue (node-addon-api). Calls only the C API of include/openledger-infer.h.
// Long operations (model/adapter loading, merging, generation) run on the libuv thread pool and
// return Promises; failures reject with an Error carrying `code` (OLI_STATUS_* name) and `status`.
#include <napi.h>

#include <atomic>
#include <cstring>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "openledger-infer.h"

namespace {

Napi::Error make_error(Napi::Env env, oli_status status, const std::string& message) {
  Napi::Error err = Napi::Error::New(env, message.empty() ? oli_status_to_string(status) : message);
  err.Set("code", Napi::String::New(env, oli_status_to_string(status)));
  err.Set("status", Napi::Number::New(env, static_cast<double>(status)));
  return err;
}

[[noreturn]] void throw_status(Napi::Env env, oli_status status) {
  throw make_error(env, status, oli_error_get_last());
}

[[noreturn]] void throw_arg(Napi::Env env, const std::string& message) {
  throw make_error(env, OLI_STATUS_INVALID_ARGUMENT, message);
}

uint32_t get_u32(const Napi::Object& o, const char* key, uint32_t def) {
  Napi::Value v = o.Get(key);
  if (v.IsUndefined() || v.IsNull()) return def;
  if (!v.IsNumber()) throw_arg(o.Env(), std::string(key) + " must be a number");
  double d = v.As<Napi::Number>().DoubleValue();
  if (!(d >= 0 && d <= 4294967295.0) || d != static_cast<double>(static_cast<uint64_t>(d)))
    throw_arg(o.Env(), std::string(key) + " must be an integer in [0, 2^32)");
  return static_cast<uint32_t>(d);
}

uint64_t get_u64(const Napi::Object& o, const char* key, uint64_t def) {
  Napi::Value v = o.Get(key);
  if (v.IsUndefined() || v.IsNull()) return def;
  if (v.IsBigInt()) {
    bool lossless = false;
    uint64_t x = v.As<Napi::BigInt>().Uint64Value(&lossless);
    if (!lossless) throw_arg(o.Env(), std::string(key) + " must fit in an unsigned 64-bit integer");
    return x;
  }
  if (!v.IsNumber()) throw_arg(o.Env(), std::string(key) + " must be a number or bigint");
  double d = v.As<Napi::Number>().DoubleValue();
  if (!(d >= 0 && d <= 9007199254740991.0) || d != static_cast<double>(static_cast<uint64_t>(d)))
    throw_arg(o.Env(), std::string(key) + " must be a non-negative safe integer");
  return static_cast<uint64_t>(d);
}

float get_f32(const Napi::Object& o, const char* key, float def) {
  Napi::Value v = o.Get(key);
  if (v.IsUndefined() || v.IsNull()) return def;
  if (!v.IsNumber()) throw_arg(o.Env(), std::string(key) + " must be a number");
  return static_cast<float>(v.As<Napi::Number>().DoubleValue());
}

Napi::Object adapter_to_js(Napi::Env env, const oli_adapter_info& a) {
  Napi::Object o = Napi::Object::New(env);
  o.Set("id", a.id);
  o.Set("path", a.path);
  o.Set("rank", a.rank);
  o.Set("targets", a.targets);
  o.Set("useRslora", a.use_rslora != 0);
  o.Set("hostResident", a.host_resident != 0);
  o.Set("deviceResident", a.device_resident != 0);
  o.Set("merged", a.merged != 0);
  o.Set("alpha", a.alpha);
  o.Set("scale", a.scale);
  o.Set("bytes", static_cast<double>(a.bytes));
  o.Set("lastUsed", static_cast<double>(a.last_used));
  return o;
}

class EngineWrap;

/**
 * Push delivery of native log lines into JS. The engine calls notify() on the thread that logs
 * (a libuv pool thread during async calls); it wakes the JS thread through a thread-safe function
 * whose JS callback drains the engine's queue into the logger (TS: native/engine.ts). Wakeups are
 * coalesced (at most one pending) and never block the logging thread; the queue keeps the lines in
 * order, and its bound and drop count are the engine's (oli_engine_set_log_notify).
 */
struct LogSink {
  std::mutex mu;             // guards tsfn use against its finalisation at environment teardown
  bool tsfn_alive = false;
  bool released = false;
  Napi::ThreadSafeFunction tsfn;
  std::atomic<bool> wake_pending{false};

  static void notify(void* user) {
    LogSink* s = static_cast<LogSink*>(user);
    if (s->wake_pending.exchange(true)) return;  // a wakeup is already on its way
    std::lock_guard<std::mutex> lock(s->mu);
    if (!s->tsfn_alive || s->released || s->tsfn.NonBlockingCall() != napi_ok) s->wake_pending = false;
  }

  void release() {
    std::lock_guard<std::mutex> lock(mu);
    if (tsfn_alive && !released) tsfn.Release();
    released = true;
  }
};

/** Runs fn on the thread pool; resolves with done(env) or rejects with a typed error. */
class Job : public Napi::AsyncWorker {
 public:
  Job(Napi::Env env, EngineWrap* wrap, Napi::Object self, std::function<oli_status()> fn,
      std::function<Napi::Value(Napi::Env)> done);
  ~Job() override;
  void Execute() override {
    status_ = fn_();
    if (status_ != OLI_STATUS_OK) message_ = oli_error_get_last();
  }
  void OnOK() override;
  Napi::Promise promise() { return deferred_.Promise(); }

 private:
  EngineWrap* wrap_;
  Napi::ObjectReference self_;
  std::function<oli_status()> fn_;
  std::function<Napi::Value(Napi::Env)> done_;
  Napi::Promise::Deferred deferred_;
  oli_status status_ = OLI_STATUS_OK;
  std::string message_;
};

class EngineWrap : public Napi::ObjectWrap<EngineWrap> {
 public:
  static Napi::Function Define(Napi::Env env) {
    return DefineClass(env, "NativeEngine",
                       {
                           InstanceMethod("loadModel", &EngineWrap::LoadModel),
                           InstanceMethod("modelInfo", &EngineWrap::ModelInfo),
                           InstanceMethod("loadAdapter", &EngineWrap::LoadAdapter),
                           InstanceMethod("unloadAdapter", &EngineWrap::UnloadAdapter),
                           InstanceMethod("listAdapters", &EngineWrap::ListAdapters),
                           InstanceMethod("mergeAdapter", &EngineWrap::MergeAdapter),
                           InstanceMethod("unmergeAdapter", &EngineWrap::UnmergeAdapter),
                           InstanceMethod("stats", &EngineWrap::Stats),
                           InstanceMethod("drainLogs", &EngineWrap::DrainLogs),
                           InstanceMethod("setLogNotify", &EngineWrap::SetLogNotify),
                           InstanceMethod("generate", &EngineWrap::Generate),
                           InstanceMethod("debugInjectFault", &EngineWrap::DebugInjectFault),
                           InstanceMethod("close", &EngineWrap::Close),
                       });
  }

  explicit EngineWrap(const Napi::CallbackInfo& info) : Napi::ObjectWrap<EngineWrap>(info) {
    Napi::Env env = info.Env();
    oli_engine_options o;
    oli_engine_options_set_defaults(&o);
    if (info.Length() > 0 && info[0].IsObject()) {
      Napi::Object opts = info[0].As<Napi::Object>();
      o.backend = get_u32(opts, "backend", o.backend);
      o.cpu_kernels = get_u32(opts, "cpuKernels", o.cpu_kernels);
      o.threads = get_u32(opts, "threads", o.threads);
      o.kv_block_size = get_u32(opts, "kvBlockSize", o.kv_block_size);
      o.kv_blocks = get_u32(opts, "kvBlocks", o.kv_blocks);
      o.max_seq_len = get_u32(opts, "maxSeqLen", o.max_seq_len);
      o.max_batch_tokens = get_u32(opts, "maxBatchTokens", o.max_batch_tokens);
      o.max_running = get_u32(opts, "maxRunning", o.max_running);
      o.prefill_chunk = get_u32(opts, "prefillChunk", o.prefill_chunk);
      o.max_lora_rank = get_u32(opts, "maxLoraRank", o.max_lora_rank);
      o.adapter_cache_bytes = get_u64(opts, "adapterCacheBytes", o.adapter_cache_bytes);
      o.adapter_device_cache_bytes = get_u64(opts, "adapterDeviceCacheBytes", o.adapter_device_cache_bytes);
      o.debug_flags = get_u32(opts, "debugFlags", o.debug_flags);
      o.log_queue_lines = get_u32(opts, "logQueueLines", o.log_queue_lines);
    }
    oli_status st = oli_engine_init(&o, &engine_);
    if (st) throw_status(env, st);
  }

  ~EngineWrap() override { Free(); }

  /** Free the engine (which waits for a running call and ends notifications), then the wakeups. */
  void Free() {
    if (engine_) {
      oli_engine_free(engine_);
      engine_ = nullptr;
    }
    if (sink_) sink_->release();
  }

  oli_engine* engine(Napi::Env env) {
    if (!engine_) throw_arg(env, "engine is closed");
    return engine_;
  }

  int pending = 0;

 private:
  Napi::Value Run(const Napi::CallbackInfo& info, std::function<oli_status()> fn,
                  std::function<Napi::Value(Napi::Env)> done) {
    Job* job = new Job(info.Env(), this, info.This().As<Napi::Object>(), std::move(fn), std::move(done));
    Napi::Promise p = job->promise();
    pending++;
    job->Queue();
    return p;
  }

  std::string string_arg(const Napi::CallbackInfo& info, size_t i, const char* what) {
    if (info.Length() <= i || !info[i].IsString()) throw_arg(info.Env(), std::string(what) + " must be a string");
    return info[i].As<Napi::String>().Utf8Value();
  }

  Napi::Value LoadModel(const Napi::CallbackInfo& info) {
    oli_engine* e = engine(info.Env());
    std::string dir = string_arg(info, 0, "dir");
    return Run(info, [e, dir] { return oli_engine_load_model(e, dir.c_str()); },
               [](Napi::Env env) { return env.Undefined(); });
  }

  Napi::Value ModelInfo(const Napi::CallbackInfo& info) {
    Napi::Env env = info.Env();
    oli_model_info m;
    oli_status st = oli_engine_get_model_info(engine(env), &m);
    if (st) throw_status(env, st);
    Napi::Object o = Napi::Object::New(env);
    o.Set("vocabSize", m.vocab_size);
    o.Set("hiddenSize", m.hidden_size);
    o.Set("intermediateSize", m.intermediate_size);
    o.Set("numLayers", m.num_layers);
    o.Set("numHeads", m.num_heads);
    o.Set("numKvHeads", m.num_kv_heads);
    o.Set("headDim", m.head_dim);
    o.Set("maxPositionEmbeddings", m.max_position_embeddings);
    o.Set("tiedEmbeddings", m.tied_embeddings != 0);
    o.Set("sourceDtype", m.source_dtype == 0 ? "f32" : m.source_dtype == 1 ? "bf16" : "f16");
    o.Set("rmsNormEps", m.rms_norm_eps);
    o.Set("ropeTheta", m.rope_theta);
    o.Set("numParameters", static_cast<double>(m.num_parameters));
    o.Set("weightBytes", static_cast<double>(m.weight_bytes));
    o.Set("fileBytes", static_cast<double>(m.file_bytes));
    o.Set("id", m.id);
    o.Set("backend", m.backend);
    o.Set("kernels", m.cpu_kernels);
    return o;
  }

  Napi::Value LoadAdapter(const Napi::CallbackInfo& info) {
    oli_engine* e = engine(info.Env());
    std::string dir = string_arg(info, 0, "dir");
    auto out = std::make_shared<oli_adapter_info>();
    return Run(info, [e, dir, out] { return oli_engine_load_adapter(e, dir.c_str(), out.get()); },
               [out](Napi::Env env) -> Napi::Value { return adapter_to_js(env, *out); });
  }

  Napi::Value UnloadAdapter(const Napi::CallbackInfo& info) {
    oli_engine* e = engine(info.Env());
    std::string id = string_arg(info, 0, "id");
    return Run(info, [e, id] { return oli_engine_unload_adapter(e, id.c_str()); },
               [](Napi::Env env) { return env.Undefined(); });
  }

  Napi::Value ListAdapters(const Napi::CallbackInfo& info) {
    oli_engine* e = engine(info.Env());
    auto list = std::make_shared<std::vector<oli_adapter_info>>();
    return Run(
        info,
        [e, list] {
          uint32_t count = 0;
          oli_status st = oli_engine_list_adapters(e, nullptr, 0, &count);
          if (st) return st;
          list->resize(count);
          st = oli_engine_list_adapters(e, list->data(), count, &count);
          if (count < list->size()) list->resize(count);
          return st;
        },
        [list](Napi::Env env) -> Napi::Value {
          Napi::Array arr = Napi::Array::New(env, list->size());
          for (size_t i = 0; i < list->size(); i++) arr.Set(static_cast<uint32_t>(i), adapter_to_js(env, (*list)[i]));
          return arr;
        });
  }

  Napi::Value MergeAdapter(const Napi::CallbackInfo& info) {
    oli_engine* e = engine(info.Env());
    std::string id = string_arg(info, 0, "id");
    return Run(info, [e, id] { return oli_engine_merge_adapter(e, id.c_str()); },
               [](Napi::Env env) { return env.Undefined(); });
  }

  Napi::Value UnmergeAdapter(const Napi::CallbackInfo& info) {
    oli_engine* e = engine(info.Env());
    return Run(info, [e] { return oli_engine_unmerge_adapter(e); }, [](Napi::Env env) { return env.Undefined(); });
  }

  Napi::Value Stats(const Napi::CallbackInfo& info) {
    Napi::Env env = info.Env();
    oli_engine_stats s;
    oli_status st = oli_engine_get_stats(engine(env), &s);
    if (st) throw_status(env, st);
    Napi::Object o = Napi::Object::New(env);
    o.Set("kvBlocksTotal", s.kv_blocks_total);
    o.Set("kvBlocksFree", s.kv_blocks_free);
    o.Set("kvBlocksReserved", s.kv_blocks_reserved);
    o.Set("adaptersRegistered", s.adapters_registered);
    o.Set("adaptersResident", s.adapters_host_resident);
    o.Set("adaptersDeviceResident", s.adapters_device_resident);
    o.Set("adapterTiersShared", s.adapter_tiers_shared != 0);
    o.Set("adapterPins", s.adapter_pins);
    o.Set("adapterBytesResident", static_cast<double>(s.adapter_host_bytes));
    o.Set("adapterDeviceBytesResident", static_cast<double>(s.adapter_device_bytes));
    o.Set("adapterDeviceHits", static_cast<double>(s.adapter_device_hits));
    o.Set("adapterHostHits", static_cast<double>(s.adapter_host_hits));
    o.Set("adapterEvictions", static_cast<double>(s.adapter_host_evictions));
    o.Set("adapterDeviceEvictions", static_cast<double>(s.adapter_device_evictions));
    o.Set("adapterLoads", static_cast<double>(s.adapter_disk_loads));
    o.Set("adapterDiskReloads", static_cast<double>(s.adapter_disk_reloads));
    o.Set("adapterDiskBytes", static_cast<double>(s.adapter_disk_bytes));
    o.Set("steps", static_cast<double>(s.steps));
    o.Set("tokensProcessed", static_cast<double>(s.tokens_processed));
    o.Set("kvCowCopies", static_cast<double>(s.kv_cow_copies));
    o.Set("logLinesDropped", static_cast<double>(s.log_lines_dropped));
    return o;
  }

  // setLogNotify(fn): fn() is called on the JS thread soon after native log lines are queued
  // (coalesced); it is expected to call drainLogs(). Set once.
  Napi::Value SetLogNotify(const Napi::CallbackInfo& info) {
    Napi::Env env = info.Env();
    oli_engine* e = engine(env);
    if (info.Length() < 1 || !info[0].IsFunction()) throw_arg(env, "notify must be a function");
    if (sink_) throw_arg(env, "log notify is already set");
    sink_ = std::make_shared<LogSink>();
    // The finaliser (JS thread, at release or environment teardown) owns one reference, so the
    // sink outlives every queued wakeup.
    auto* keep = new std::shared_ptr<LogSink>(sink_);
    sink_->tsfn = Napi::ThreadSafeFunction::New(
        env, info[0].As<Napi::Function>(), "openledger_infer_log", 0, 1,
        [](Napi::Env, std::shared_ptr<LogSink>* p) {
          {
            std::lock_guard<std::mutex> lock((*p)->mu);
            (*p)->tsfn_alive = false;
          }
          delete p;
        },
        keep);
    sink_->tsfn_alive = true;
    sink_->tsfn.Unref(env);  // pending log wakeups never keep the process alive
    oli_engine_set_log_notify(e, &LogSink::notify, sink_.get());
    return env.Undefined();
  }

  Napi::Value DrainLogs(const Napi::CallbackInfo& info) {
    Napi::Env env = info.Env();
    if (sink_) sink_->wake_pending = false;  // lines queued from here on wake again
    struct Ctx {
      Napi::Env env;
      Napi::Array arr;
      uint32_t n;
    } ctx{env, Napi::Array::New(env), 0};
    oli_engine_drain_logs(
        engine(env),
        [](int32_t level, const char* message, void* user) {
          Ctx* c = static_cast<Ctx*>(user);
          Napi::Object o = Napi::Object::New(c->env);
          o.Set("level", level);
          o.Set("message", message);
          c->arr.Set(c->n++, o);
        },
        &ctx);
    return ctx.arr;
  }

  Napi::Value Generate(const Napi::CallbackInfo& info) {
    Napi::Env env = info.Env();
    oli_engine* e = engine(env);
    if (info.Length() < 1 || !info[0].IsArray()) throw_arg(env, "requests must be an array");
    Napi::Array reqs = info[0].As<Napi::Array>();
    oli_batch* raw = nullptr;
    oli_status st = oli_batch_init(&raw);
    if (st) throw_status(env, st);
    std::shared_ptr<oli_batch> batch(raw, oli_batch_free);
    std::vector<uint32_t> ns;
    for (uint32_t i = 0; i < reqs.Length(); i++) {
      Napi::Value rv = reqs.Get(i);
      if (!rv.IsObject()) throw_arg(env, "request " + std::to_string(i) + " must be an object");
      Napi::Object r = rv.As<Napi::Object>();
      Napi::Value pv = r.Get("prompt");
      if (!pv.IsTypedArray() || pv.As<Napi::TypedArray>().TypedArrayType() != napi_int32_array)
        throw_arg(env, "request " + std::to_string(i) + ": prompt must be an Int32Array");
      Napi::Int32Array prompt = pv.As<Napi::Int32Array>();
      std::vector<int32_t> stop;
      Napi::Value sv = r.Get("stopTokens");
      if (!sv.IsUndefined() && !sv.IsNull()) {
        if (!sv.IsTypedArray() || sv.As<Napi::TypedArray>().TypedArrayType() != napi_int32_array)
          throw_arg(env, "request " + std::to_string(i) + ": stopTokens must be an Int32Array");
        Napi::Int32Array s = sv.As<Napi::Int32Array>();
        stop.assign(s.Data(), s.Data() + s.ElementLength());
      }
      std::string adapter;
      Napi::Value av = r.Get("adapterId");
      if (!av.IsUndefined() && !av.IsNull()) {
        if (!av.IsString()) throw_arg(env, "request " + std::to_string(i) + ": adapterId must be a string");
        adapter = av.As<Napi::String>().Utf8Value();
      }
      oli_request q;
      std::memset(&q, 0, sizeof q);
      q.prompt = prompt.Data();
      q.prompt_len = static_cast<uint32_t>(prompt.ElementLength());
      q.adapter_id = adapter.empty() ? nullptr : adapter.c_str();
      q.max_tokens = get_u32(r, "maxTokens", 16);
      q.temperature = get_f32(r, "temperature", 0.0f);
      q.top_k = get_u32(r, "topK", 0);
      q.top_p = get_f32(r, "topP", 1.0f);
      q.seed = get_u64(r, "seed", 0);
      q.request_id = get_u64(r, "requestId", 0);
      q.stop_tokens = stop.data();
      q.num_stop_tokens = static_cast<uint32_t>(stop.size());
      q.n = get_u32(r, "n", 1);
      q.logits_mode = get_u32(r, "logitsMode", OLI_LOGITS_MODE_NONE);
      st = oli_batch_add(batch.get(), &q);
      if (st) throw_status(env, st);
      ns.push_back(q.n);
    }
    return Run(
        info, [e, batch] { return oli_engine_generate(e, batch.get()); },
        [batch, ns](Napi::Env env) -> Napi::Value {
          Napi::Array out = Napi::Array::New(env, ns.size());
          for (uint32_t i = 0; i < ns.size(); i++) {
            Napi::Array samples = Napi::Array::New(env, ns[i]);
            for (uint32_t s = 0; s < ns[i]; s++) {
              oli_result r;
              if (oli_batch_get_result(batch.get(), i, s, &r)) continue;
              Napi::Object o = Napi::Object::New(env);
              Napi::Int32Array toks = Napi::Int32Array::New(env, r.num_tokens);
              if (r.num_tokens) std::memcpy(toks.Data(), r.tokens, r.num_tokens * 4);
              o.Set("tokens", toks);
              o.Set("finishReason", r.finish_reason);
              if (r.logits) {
                Napi::Float32Array lg = Napi::Float32Array::New(env, r.num_logits);
                std::memcpy(lg.Data(), r.logits, r.num_logits * 4);
                o.Set("logits", lg);
              }
              o.Set("logitsSha256", Napi::Buffer<uint8_t>::Copy(env, r.logits_sha256, 32));
              o.Set("attrDeltaNorm", r.attr_delta_norm);
              o.Set("attrBaseNorm", r.attr_base_norm);
              o.Set("attrTerms", static_cast<double>(r.attr_terms));
              samples.Set(s, o);
            }
            out.Set(i, samples);
          }
          return out;
        });
  }

  Napi::Value DebugInjectFault(const Napi::CallbackInfo& info) {
    Napi::Env env = info.Env();
    if (info.Length() < 2 || !info[0].IsNumber() || !info[1].IsNumber()) throw_arg(env, "kind and step must be numbers");
    oli_status st = oli_engine_debug_inject_fault(engine(env), info[0].As<Napi::Number>().Uint32Value(),
                                                  info[1].As<Napi::Number>().Uint32Value());
    if (st) throw_status(env, st);
    return env.Undefined();
  }

  Napi::Value Close(const Napi::CallbackInfo& info) {
    Napi::Env env = info.Env();
    if (pending) throw_arg(env, "cannot close the engine while an operation is running");
    Free();
    return env.Undefined();
  }

  oli_engine* engine_ = nullptr;
  std::shared_ptr<LogSink> sink_;
};

Job::Job(Napi::Env env, EngineWrap* wrap, Napi::Object self, std::function<oli_status()> fn,
         std::function<Napi::Value(Napi::Env)> done)
    : Napi::AsyncWorker(env, "openledger_infer"),
      wrap_(wrap),
      self_(Napi::Persistent(self)),
      fn_(std::move(fn)),
      done_(std::move(done)),
      deferred_(Napi::Promise::Deferred::New(env)) {}

Job::~Job() { self_.Reset(); }

void Job::OnOK() {
  Napi::Env env = Env();
  wrap_->pending--;
  if (status_ != OLI_STATUS_OK) {
    deferred_.Reject(make_error(env, status_, message_).Value());
    return;
  }
  try {
    deferred_.Resolve(done_(env));
  } catch (const Napi::Error& e) {
    deferred_.Reject(e.Value());
  }
}

Napi::Object Init(Napi::Env env, Napi::Object exports) {
  exports.Set("NativeEngine", EngineWrap::Define(env));
  exports.Set("apiVersion", Napi::Number::New(env, oli_api_get_version()));
  exports.Set("cudaCompiled", Napi::Function::New(env, [](const Napi::CallbackInfo& info) {
                return Napi::Boolean::New(info.Env(), oli_cuda_is_compiled() != 0);
              }));
  exports.Set("cudaDeviceCount", Napi::Function::New(env, [](const Napi::CallbackInfo& info) {
                return Napi::Number::New(info.Env(), oli_cuda_get_device_count());
              }));
  // defaultOptions(): oli_engine_options_set_defaults under the JS option names.
  exports.Set("defaultOptions", Napi::Function::New(env, [](const Napi::CallbackInfo& info) {
                Napi::Env env = info.Env();
                oli_engine_options o;
                oli_engine_options_set_defaults(&o);
                Napi::Object r = Napi::Object::New(env);
                r.Set("backend", o.backend);
                r.Set("cpuKernels", o.cpu_kernels);
                r.Set("threads", o.threads);
                r.Set("kvBlockSize", o.kv_block_size);
                r.Set("kvBlocks", o.kv_blocks);
                r.Set("maxSeqLen", o.max_seq_len);
                r.Set("maxBatchTokens", o.max_batch_tokens);
                r.Set("maxRunning", o.max_running);
                r.Set("prefillChunk", o.prefill_chunk);
                r.Set("maxLoraRank", o.max_lora_rank);
                r.Set("adapterCacheBytes", static_cast<double>(o.adapter_cache_bytes));
                r.Set("adapterDeviceCacheBytes", static_cast<double>(o.adapter_device_cache_bytes));
                r.Set("debugFlags", o.debug_flags);
                r.Set("logQueueLines", o.log_queue_lines);
                return r;
              }));
  // debugSamplerUniform(seed, requestId, sampleIndex, step): bigints in [0, 2^64).
  exports.Set("debugSamplerUniform", Napi::Function::New(env, [](const Napi::CallbackInfo& info) {
                Napi::Env env = info.Env();
                uint64_t v[4];
                for (size_t i = 0; i < 4; i++) {
                  bool lossless = false;
                  if (info.Length() <= i || !info[i].IsBigInt()) throw_arg(env, "arguments must be bigints");
                  v[i] = info[i].As<Napi::BigInt>().Uint64Value(&lossless);
                  if (!lossless) throw_arg(env, "arguments must be in [0, 2^64)");
                }
                return Napi::Number::New(env, oli_sampler_debug_uniform(v[0], v[1], v[2], v[3]));
              }));
  return exports;
}

}  // namespace

NODE_API_MODULE(openledger_infer, Init)
