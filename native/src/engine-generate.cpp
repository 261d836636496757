// engine-generate.cpp: request validation and the continuous-batching scheduler (admission,
// step planning, KV allocation with copy-on-write, forks, sampling, completion).
#include <algorithm>
#include <cmath>
#include <cstring>
#include <new>
#include <stdexcept>

#include "engine.h"
#include "math/oli-math.h"

namespace oli {

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

// KV blocks, reservations and adapter pins exist only while generate runs (no sequence outlives
// a call), so their state between calls is a known baseline. Restoring it wholesale is the abort
// path of every failure, thrown or returned, wherever in a step it happens.
void Engine::reset_call_state() noexcept {
  std::fill(refcount_.begin(), refcount_.end(), 0);
  free_.clear();  // capacity kv_blocks was reserved at load: the push_backs below never allocate
  for (int32_t b = static_cast<int32_t>(refcount_.size()) - 1; b >= 0; b--) free_.push_back(b);
  reserved_ = 0;
  for (auto& kv : adapters_) kv.second->pins = 0;
}

bool Engine::call_state_at_baseline() const {
  if (free_.size() != refcount_.size() || reserved_ != 0) return false;
  for (const auto& kv : adapters_)
    if (kv.second->pins != 0) return false;
  return true;
}

namespace {

/** Restores the engine's per-call state when generate leaves by any path (see reset_call_state). */
class CallScope {
 public:
  explicit CallScope(Engine* e) : engine_(e) {}
  ~CallScope() { engine_->end_call(succeeded_); }
  CallScope(const CallScope&) = delete;
  CallScope& operator=(const CallScope&) = delete;
  void succeeded() { succeeded_ = true; }

 private:
  Engine* engine_;
  bool succeeded_ = false;
};

}  // namespace

void Engine::end_call(bool succeeded) noexcept {
  fault_kind_ = OLI_DEBUG_FAULT_NONE;  // an injected fault applies to one call only
  if (call_state_at_baseline()) return;
  // A failure left blocks, reservations or pins behind; a successful call never should (a bug).
  reset_call_state();
  try {
    if (succeeded) log(OLI_LOG_LEVEL_ERROR, "generate: KV blocks, reservations or adapter pins leaked by a successful call; reset");
    else log(OLI_LOG_LEVEL_DEBUG, "generate failed: KV blocks, reservations and adapter pins returned to baseline");
  } catch (...) {  // logging allocates; the reset above is what matters
  }
}

oli_status Engine::inject_fault(uint32_t kind, uint32_t step) {
  if (!(opt_.debug_flags & OLI_DEBUG_FLAG_FAULT_INJECTION))
    return set_error(OLI_STATUS_INVALID_ARGUMENT, "fault injection needs debug_flags OLI_DEBUG_FLAG_FAULT_INJECTION");
  if (kind > OLI_DEBUG_FAULT_EXCEPTION) return set_error(OLI_STATUS_INVALID_ARGUMENT, "unknown fault kind %u", kind);
  if (kind != OLI_DEBUG_FAULT_NONE && step < 1) return set_error(OLI_STATUS_INVALID_ARGUMENT, "fault step must be >= 1");
  fault_kind_ = kind;
  fault_step_ = step;
  return OLI_STATUS_OK;
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
    if (r.logits_mode > OLI_LOGITS_MODE_FULL) return set_error(OLI_STATUS_INVALID_ARGUMENT, "request %zu: unknown logits mode", i);
    if (!r.adapter_id.empty() && !adapters_.count(r.adapter_id))
      return set_error(OLI_STATUS_ADAPTER_NOT_FOUND, "request %zu: adapter %s is not registered", i, r.adapter_id.c_str());
    if (blocks_needed(r) > static_cast<int64_t>(opt_.kv_blocks))
      return set_error(OLI_STATUS_KV_OUT_OF_MEMORY, "request %zu needs %lld KV blocks; the cache has %u", i, static_cast<long long>(blocks_needed(r)), opt_.kv_blocks);
  }
  CallScope scope(this);
  results->assign(reqs.size(), {});
  for (size_t i = 0; i < reqs.size(); i++) (*results)[i].resize(reqs[i].n);
  std::deque<int32_t> waiting;
  for (size_t i = 0; i < reqs.size(); i++) waiting.push_back(static_cast<int32_t>(i));
  std::vector<std::unique_ptr<Sequence>> running;
  std::vector<float> logits_host;
  const int32_t bs = static_cast<int32_t>(opt_.kv_block_size);
  uint32_t step_no = 0;

  while (!waiting.empty() || !running.empty()) {
    step_no++;
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
        if (st) return st;
        if (wait_room) {
          if (running.empty()) {
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
        if (need_block && free_.empty()) return set_error(OLI_STATUS_INTERNAL, "KV block pool exhausted despite reservations");
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
    // Test-only fault (oli_engine_debug_inject_fault): fires with this step's blocks allocated,
    // forks and pins held, before the forward pass.
    if (fault_kind_ != OLI_DEBUG_FAULT_NONE && step_no == fault_step_) {
      uint32_t kind = fault_kind_;
      fault_kind_ = OLI_DEBUG_FAULT_NONE;
      if (kind == OLI_DEBUG_FAULT_BAD_ALLOC) throw std::bad_alloc();
      if (kind == OLI_DEBUG_FAULT_EXCEPTION) throw std::runtime_error("injected fault");
      return set_error(OLI_STATUS_INTERNAL, "injected fault in step %u", step_no);
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
          if (r.logits_mode != OLI_LOGITS_MODE_NONE) t->hash.update(canon.data(), canon.size() * 4);
          if (r.logits_mode == OLI_LOGITS_MODE_FULL) t->out.logits.insert(t->out.logits.end(), canon.begin(), canon.end());
          std::vector<int32_t> scratch;
          int32_t tok = sample_token(lg, c.vocab, t->sp, t->generated, &scratch);
          t->tokens.push_back(tok);
          t->out.tokens.push_back(tok);
          t->generated++;
          bool stop = std::find(r.stop.begin(), r.stop.end(), tok) != r.stop.end();
          if (stop) t->out.finish = OLI_FINISH_REASON_STOP;
          if (stop || t->generated >= r.max_tokens) finish(t, results);
        }
      }
    }
    if (st) return st;
    steps_++;
    publish_stats();
    running.erase(std::remove_if(running.begin(), running.end(), [](const std::unique_ptr<Sequence>& s) { return s->done; }),
                  running.end());
  }
  scope.succeeded();
  return OLI_STATUS_OK;
}

}  // namespace oli
