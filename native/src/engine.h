// engine.h: the engine behind the C API: model, adapter registry with an LRU cache, paged KV
// cache (block allocator with reference counts and copy-on-write), continuous-batching
// scheduler, forward pass over a Backend, sampling and attribution.
#ifndef OLI_ENGINE_H
#define OLI_ENGINE_H

#include <cstdint>
#include <deque>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

#include "../include/openledger-infer.h"
#include "adapter.h"
#include "backend.h"
#include "model.h"
#include "sampler.h"
#include "sha256.h"

namespace oli {

/** A request as copied into a batch. */
struct RequestData {
  std::vector<int32_t> prompt;
  std::string adapter_id;
  uint32_t max_tokens = 0;
  SamplingParams sampling;
  std::vector<int32_t> stop;
  uint32_t n = 1;
  uint32_t logits_mode = OLI_LOGITS_MODE_NONE;
};

/** One completion's output. */
struct CompletionData {
  std::vector<int32_t> tokens;
  uint32_t finish = OLI_FINISH_REASON_LENGTH;
  std::vector<float> logits;
  uint8_t hash[32] = {};
  double delta_norm = 0.0, base_norm = 0.0;
  uint64_t terms = 0;
};

/** A running sequence (one completion of one request). */
struct Sequence {
  int32_t req = 0;
  uint32_t sample = 0;
  std::vector<int32_t> tokens;  // prompt + generated
  int32_t prompt_len = 0;
  int32_t computed = 0;         // positions whose KV is written
  std::vector<int32_t> table;   // block table
  Adapter* adapter = nullptr;
  bool merged_path = false;
  SamplingParams sp;
  uint32_t generated = 0;
  int64_t reserve_left = 0;
  bool fork_pending = false;
  bool done = false;
  CompletionData out;
  Sha256 hash;
};

class Engine {
 public:
  explicit Engine(const oli_engine_options& options);
  ~Engine();

  oli_status init();
  oli_status create_backend();
  oli_status load_model(const std::string& dir);
  oli_status model_info(oli_model_info* out);
  oli_status load_adapter(const std::string& dir, oli_adapter_info* out);
  oli_status unload_adapter(const std::string& id);
  oli_status list_adapters(oli_adapter_info* out, uint32_t capacity, uint32_t* count);
  oli_status merge_adapter(const std::string& id);
  oli_status unmerge_adapter();
  oli_status stats(oli_engine_stats* out);
  /** Last published counters; never blocks on a running call (for metrics scrapes). */
  void stats_snapshot(oli_engine_stats* out);
  /** Refresh the snapshot (caller holds mutex). */
  void publish_stats();
  oli_status generate(const std::vector<RequestData>& requests,
                      std::vector<std::vector<CompletionData>>* results);
  /** Arm a test-only fault for the next generate (oli_engine_debug_inject_fault). */
  oli_status inject_fault(uint32_t kind, uint32_t step);
  /** generate's exit path, any path: restore per-call state (engine-generate.cpp). */
  void end_call(bool succeeded) noexcept;
  /** Hand queued log lines to fn, oldest first (does not take `mutex`). */
  void drain_logs(void (*fn)(int32_t, const char*, void*), void* user);
  /** Call fn(user) after each queued line (oli_engine_set_log_notify; does not take `mutex`). */
  void set_log_notify(void (*fn)(void*), void* user);

  std::mutex mutex;  // serialises every public call (taken by the C API)

 private:
  // adapters: two-tier cache (engine-adapters.cpp; semantics in the C header)
  void fill_info(const Adapter& a, oli_adapter_info* out) const;
  /** Make a usable by the forward pass (host tier, then device tier); *waiting when pinned
   *  adapters fill a tier now (the caller retries after running sequences finish). */
  oli_status make_resident(Adapter* a, bool* waiting);
  oli_status attach_device(Adapter* a, bool* waiting);
  oli_status fill_host(Adapter* a, const AdapterFiles& files);
  bool make_room_host(uint64_t bytes, const Adapter* keep);
  bool make_room_device(uint64_t bytes, const Adapter* keep);
  void drop_host(Adapter* a);
  void drop_device(Adapter* a);
  // kv
  int32_t alloc_block();
  void release_block(int32_t b);
  int64_t blocks_needed(const RequestData& r) const;
  int64_t blocks_per_child(const RequestData& r) const;
  void finish(Sequence* s, std::vector<std::vector<CompletionData>>* results);
  void reset_call_state() noexcept;
  bool call_state_at_baseline() const;
  // forward
  struct Entry {
    Sequence* seq;
    int32_t start;  // first position
    int32_t count;
    bool logits;
  };
  oli_status ensure_meta(size_t bytes);
  oli_status forward_group(const std::vector<Entry>& entries, bool merged,
                           std::vector<float>* logits_host);
  void log(int32_t level, const std::string& message);
  oli_status alloc_scratch();
  void free_scratch();

  oli_engine_options opt_;
  std::unique_ptr<Backend> backend_;
  std::unique_ptr<Model> model_;
  int32_t max_seq_ = 0;
  // KV pool
  std::vector<Buffer> k_cache_, v_cache_;
  std::vector<int32_t> refcount_;
  std::vector<int32_t> free_;
  int64_t reserved_ = 0;
  // adapters
  std::map<std::string, std::unique_ptr<Adapter>> adapters_;
  bool shared_tiers_ = true;  // the backend reads the host tier in place (no device copies)
  uint64_t tick_ = 0;
  uint64_t host_bytes_ = 0, device_bytes_ = 0;
  uint64_t host_hits_ = 0, device_hits_ = 0;
  uint64_t host_evictions_ = 0, device_evictions_ = 0;
  uint64_t disk_loads_ = 0, disk_reloads_ = 0, disk_bytes_ = 0;
  // merge mode
  std::string merged_id_;
  std::vector<LayerWeights> merged_layers_;
  std::vector<Buffer> merged_buffers_;
  // scratch
  std::vector<Buffer> scratch_;
  float *x_ = nullptr, *h_ = nullptr, *q_ = nullptr, *k_ = nullptr, *v_ = nullptr, *att_ = nullptr;
  float *o_ = nullptr, *g_ = nullptr, *u_ = nullptr, *act_ = nullptr, *lu_ = nullptr, *delta_ = nullptr;
  float *attr_ = nullptr, *lin_ = nullptr, *lnorm_ = nullptr, *logits_ = nullptr;
  Buffer meta_;
  // test-only fault injection (OLI_DEBUG_FLAG_FAULT_INJECTION)
  uint32_t fault_kind_ = OLI_DEBUG_FAULT_NONE;
  uint32_t fault_step_ = 0;
  // counters
  uint64_t steps_ = 0, tokens_ = 0, cow_ = 0;
  std::mutex log_mutex_;  // guards the log fields below only, so draining never waits for a running call
  std::deque<std::pair<int32_t, std::string>> logs_;
  uint64_t log_dropped_ = 0;           // lines dropped by the bounded queue, ever
  uint64_t log_dropped_reported_ = 0;  // of which already announced by a drain
  void (*log_notify_)(void*) = nullptr;
  void* log_notify_user_ = nullptr;
  std::mutex stats_mutex_;
  oli_engine_stats snapshot_{};
};

}  // namespace oli

#endif  // OLI_ENGINE_H
