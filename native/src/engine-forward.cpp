// engine-forward.cpp: one forward step over a group of tokens sharing a weight set (base or
// merged), issued as backend ops (ARITHMETIC.md sections 3-11), plus attribution bookkeeping.
#include <cmath>
#include <cstring>

#include "engine.h"

namespace oli {

#define OLI_TRY(expr)                      \
  do {                                     \
    oli_status st_ = (expr);               \
    if (st_ != OLI_STATUS_OK) return st_;  \
  } while (0)

oli_status Engine::forward_group(const std::vector<Entry>& entries, bool merged, std::vector<float>* logits_host) {
  const ModelConfig& c = model_->cfg;
  const std::vector<LayerWeights>& W = merged ? merged_layers_ : model_->layers;
  const int32_t bs = static_cast<int32_t>(opt_.kv_block_size);
  const int32_t H = c.hidden, QD = c.heads * c.head_dim, KVD = c.kv_heads * c.head_dim, L = c.layers;

  // ---- host metadata
  int32_t T = 0;
  for (const auto& e : entries) T += e.count;
  std::vector<int32_t> tokens(T), positions(T), slots(T), table_off(T), tables, logit_rows, tok_slot(T, -1);
  std::vector<Adapter*> slot_adapters;
  int32_t t = 0;
  for (const auto& e : entries) {
    Sequence* s = e.seq;
    int32_t off = static_cast<int32_t>(tables.size());
    tables.insert(tables.end(), s->table.begin(), s->table.end());
    int32_t sl = -1;
    if (!merged && s->adapter) {
      for (size_t i = 0; i < slot_adapters.size(); i++)
        if (slot_adapters[i] == s->adapter) sl = static_cast<int32_t>(i);
      if (sl < 0) {
        sl = static_cast<int32_t>(slot_adapters.size());
        slot_adapters.push_back(s->adapter);
      }
    }
    for (int32_t p = e.start; p < e.start + e.count; p++, t++) {
      tokens[t] = s->tokens[p];
      positions[t] = p;
      slots[t] = s->table[p / bs] * bs + p % bs;
      table_off[t] = off;
      tok_slot[t] = sl;
    }
    if (e.logits) logit_rows.push_back(t - 1);
  }
  const int32_t R = static_cast<int32_t>(logit_rows.size());
  // per-module token slots and segments (a slot whose adapter lacks the module counts as none)
  std::vector<int32_t> mod_slot(static_cast<size_t>(MOD_COUNT) * T, -1);
  std::vector<int32_t> segs[MOD_COUNT];
  bool has_lora[MOD_COUNT] = {}, sgmv[MOD_COUNT] = {};
  bool any_lora = false;
  for (int32_t m = 0; m < MOD_COUNT; m++) {
    int32_t with = 0;
    for (int32_t i = 0; i < T; i++) {
      int32_t sl = tok_slot[i];
      if (sl >= 0 && (slot_adapters[sl]->cfg.targets & (1u << m))) {
        mod_slot[static_cast<size_t>(m) * T + i] = sl;
        with++;
        std::vector<int32_t>& sg = segs[m];
        size_t n = sg.size();
        if (n && sg[n - 1] == sl && sg[n - 3] + sg[n - 2] == i) {
          sg[n - 2]++;
        } else {
          sg.push_back(i);
          sg.push_back(1);
          sg.push_back(sl);
        }
      }
    }
    has_lora[m] = with > 0;
    any_lora = any_lora || with > 0;
    sgmv[m] = static_cast<int32_t>(segs[m].size() / 3) < with;
  }
  // ---- upload metadata as one int32 block
  size_t n_tables = tables.size();
  size_t seg_total = 0;
  for (auto& sg : segs) seg_total += sg.size();
  size_t ints = 4 * static_cast<size_t>(T) + n_tables + R + mod_slot.size() + seg_total;
  OLI_TRY(ensure_meta(ints * 4));
  std::vector<int32_t> meta;
  meta.reserve(ints);
  auto put = [&](const std::vector<int32_t>& v) {
    size_t at = meta.size();
    meta.insert(meta.end(), v.begin(), v.end());
    return static_cast<int32_t*>(meta_.ptr) + at;
  };
  const int32_t* d_tokens = put(tokens);
  const int32_t* d_positions = put(positions);
  const int32_t* d_slots = put(slots);
  const int32_t* d_table_off = put(table_off);
  const int32_t* d_tables = put(tables);
  const int32_t* d_rows = put(logit_rows);
  const int32_t* d_mod_slot = put(mod_slot);
  const int32_t* d_segs[MOD_COUNT];
  for (int32_t m = 0; m < MOD_COUNT; m++) d_segs[m] = put(segs[m]);
  OLI_TRY(backend_->upload(meta_.ptr, meta.data(), meta.size() * 4));

  std::vector<float> attr_host;
  std::vector<LoraSlotRef> refs(slot_adapters.size());

  // base products of modules ms[0..n) of layer l, which share the input: one dispatch
  auto base = [&](int32_t l, const int32_t* ms, int32_t n, const float* in, int32_t K, float* const* ys,
                  float* silu_out) -> oli_status {
    MatmulItem items[3];
    for (int32_t i = 0; i < n; i++) {
      items[i].w = W[l].w[ms[i]];
      items[i].w16 = W[l].w16[ms[i]];
      items[i].N = c.out_features(ms[i]);
      items[i].y = ys[i];
    }
    return backend_->matmul_group(in, T, K, items, n, silu_out);
  };
  // y += LoRA delta of module m of layer l (input `in`, base output already in y)
  auto lora = [&](int32_t l, int32_t m, const float* in, int32_t K, float* y) -> oli_status {
    const int32_t N = c.out_features(m);
    if (!has_lora[m]) return OLI_STATUS_OK;
    size_t idx = static_cast<size_t>(l) * MOD_COUNT + m;
    for (size_t s = 0; s < slot_adapters.size(); s++) {
      Adapter* a = slot_adapters[s];
      const float* base = static_cast<const float*>(a->buffer.ptr);
      if (a->a_off[idx] >= 0) {
        refs[s] = {base + a->a_off[idx], base + a->b_off[idx], static_cast<int32_t>(a->cfg.rank), a->cfg.scale};
      } else {
        refs[s] = LoraSlotRef{};
      }
    }
    LoraBatch lb;
    lb.mode = sgmv[m] ? LoraMode::SGMV : LoraMode::BGMV;
    lb.num_tokens = T;
    lb.token_slot_host = mod_slot.data() + static_cast<size_t>(m) * T;
    lb.token_slot = d_mod_slot + static_cast<size_t>(m) * T;
    lb.num_segments = static_cast<int32_t>(segs[m].size() / 3);
    lb.segments_host = segs[m].data();
    lb.segments = d_segs[m];
    lb.slots_host = refs.data();
    lb.num_slots = static_cast<int32_t>(refs.size());
    lb.max_rank = static_cast<int32_t>(opt_.max_lora_rank);
    OLI_TRY(backend_->lora_shrink(lb, in, K, lu_));
    OLI_TRY(backend_->lora_expand(lb, lu_, N, delta_));
    // attribution: ||base|| and ||delta|| per token (ARITHMETIC.md section 10), kept on the
    // backend in [layer][module][base|delta][T] and downloaded once per step
    float* sq = attr_ + ((static_cast<size_t>(l) * MOD_COUNT + m) * 2) * T;
    OLI_TRY(backend_->row_sumsq(y, T, N, sq));
    OLI_TRY(backend_->row_sumsq(delta_, T, N, sq + T));
    return backend_->add_rows(y, delta_, T, N, lb.token_slot);
  };

  static const int32_t kQkv[3] = {MOD_Q, MOD_K, MOD_V}, kGateUp[2] = {MOD_GATE, MOD_UP};
  static const int32_t kO = MOD_O, kDown = MOD_DOWN;
  float* const qkv_out[3] = {q_, k_, v_};
  float* const gate_up_out[2] = {g_, u_};
  OLI_TRY(backend_->embed(d_tokens, T, model_->embed, H, x_));
  for (int32_t l = 0; l < L; l++) {
    const LayerWeights& lw = W[l];
    OLI_TRY(backend_->rmsnorm(x_, lw.attn_norm, T, H, c.eps, h_));
    OLI_TRY(base(l, kQkv, 3, h_, H, qkv_out, nullptr));
    OLI_TRY(lora(l, MOD_Q, h_, H, q_));
    OLI_TRY(lora(l, MOD_K, h_, H, k_));
    OLI_TRY(lora(l, MOD_V, h_, H, v_));
    OLI_TRY(backend_->rope(q_, T, c.heads, c.head_dim, d_positions, model_->rope_cos, model_->rope_sin));
    OLI_TRY(backend_->rope(k_, T, c.kv_heads, c.head_dim, d_positions, model_->rope_cos, model_->rope_sin));
    float* kc = static_cast<float*>(k_cache_[l].ptr);
    float* vc = static_cast<float*>(v_cache_[l].ptr);
    OLI_TRY(backend_->kv_write(k_, v_, T, KVD, d_slots, kc, vc));
    AttentionArgs aa;
    aa.q = q_;
    aa.num_tokens = T;
    aa.num_heads = c.heads;
    aa.num_kv_heads = c.kv_heads;
    aa.head_dim = c.head_dim;
    aa.positions = d_positions;
    aa.table_offsets = d_table_off;
    aa.block_tables = d_tables;
    aa.k_cache = kc;
    aa.v_cache = vc;
    aa.block_size = bs;
    aa.out = att_;
    OLI_TRY(backend_->attention(aa));
    OLI_TRY(base(l, &kO, 1, att_, QD, &o_, nullptr));
    OLI_TRY(lora(l, MOD_O, att_, QD, o_));
    OLI_TRY(backend_->add_rows(x_, o_, T, H, nullptr));
    OLI_TRY(backend_->rmsnorm(x_, lw.ffn_norm, T, H, c.eps, h_));
    if (has_lora[MOD_GATE] || has_lora[MOD_UP]) {
      OLI_TRY(base(l, kGateUp, 2, h_, H, gate_up_out, nullptr));
      OLI_TRY(lora(l, MOD_GATE, h_, H, g_));
      OLI_TRY(lora(l, MOD_UP, h_, H, u_));
      OLI_TRY(backend_->silu_mul(g_, u_, static_cast<int64_t>(T) * c.inter, act_));
    } else {
      OLI_TRY(base(l, kGateUp, 2, h_, H, gate_up_out, act_));  // silu fused into the dispatch
    }
    OLI_TRY(base(l, &kDown, 1, act_, c.inter, &o_, nullptr));
    OLI_TRY(lora(l, MOD_DOWN, act_, c.inter, o_));
    OLI_TRY(backend_->add_rows(x_, o_, T, H, nullptr));
  }
  if (R > 0) {
    OLI_TRY(backend_->gather_rows(x_, d_rows, R, H, lin_));
    OLI_TRY(backend_->rmsnorm(lin_, model_->final_norm, R, H, c.eps, lnorm_));
    if (model_->lm_head16) {
      OLI_TRY(backend_->matmul_bf16(lnorm_, R, H, model_->lm_head16, c.vocab, logits_));
    } else {
      OLI_TRY(backend_->matmul(lnorm_, R, H, model_->lm_head, c.vocab, logits_));
    }
    logits_host->resize(static_cast<size_t>(R) * c.vocab);
    OLI_TRY(backend_->download(logits_host->data(), logits_, logits_host->size() * 4));
  } else {
    OLI_TRY(backend_->sync());
  }
  // ---- attribution, canonical order: positions ascending, layers, modules
  if (any_lora) {
    attr_host.resize(static_cast<size_t>(L) * MOD_COUNT * 2 * T);
    OLI_TRY(backend_->download(attr_host.data(), attr_, attr_host.size() * 4));
    t = 0;
    for (const auto& e : entries) {
      Sequence* s = e.seq;
      for (int32_t i = 0; i < e.count; i++, t++) {
        if (tok_slot[t] < 0) continue;
        uint32_t targets = s->adapter->cfg.targets;
        for (int32_t l = 0; l < L; l++)
          for (int32_t m = 0; m < MOD_COUNT; m++) {
            if (!(targets & (1u << m))) continue;
            size_t k = ((static_cast<size_t>(l) * MOD_COUNT + m) * 2) * T + t;
            s->out.base_norm += std::sqrt(static_cast<double>(attr_host[k]));
            s->out.delta_norm += std::sqrt(static_cast<double>(attr_host[k + T]));
            s->out.terms++;
          }
      }
    }
  }
  tokens_ += static_cast<uint64_t>(T);
  return OLI_STATUS_OK;
}

}  // namespace oli
