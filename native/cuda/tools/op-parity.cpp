// op-parity.cpp: op-level bit-parity check of a candidate backend against the CPU reference
// backend (scalar kernels), for every op of ../../src/backend.h on fixed-seed inputs that include
// lane tails (K not a multiple of 16), partial attention tiles, permuted paged-KV block tables,
// tokens without an adapter, signed zeros, subnormals, infinities and NaN.
//
// Usage: op-parity <candidate>     candidate = cuda | avx512 | scalar
// Prints one JSON object per case on stdout:
//   {"op":"matmul","case":"T=5 K=17 N=33","elements":165,"mismatches":0}
// and a final {"summary":true,...}. Exit status: 0 when every case matched, 1 on a mismatch,
// 2 when the candidate backend is unavailable (the message says why), 3 on an op failure.
// NaN results compare equal to any NaN (payloads are not specified by ARITHMETIC.md; the engine
// canonicalises reported logits); every other value must match bit for bit.
//
// Built by test/native/cudaOps.test.ts with nvcc together with the CPU backend sources and
// native/cuda/*.cu; it is not part of the addon.
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <memory>
#include <string>
#include <vector>

#include "../../src/backend.h"
#include "../../src/math/oli-math.h"

namespace oli {
const char* last_error_message();
}

namespace {

using oli::Backend;
using oli::Buffer;

// ---------------------------------------------------------------- deterministic inputs

struct Rng {
  uint64_t s;
  explicit Rng(uint64_t seed) : s(seed) {}
  uint64_t next() {
    uint64_t z = (s += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
  }
  /** Uniform in [-scale, scale) from 24 random bits (exact binary fractions). */
  float uniform(float scale) {
    float u = static_cast<float>(next() >> 40) * 0x1p-24f;
    return (u * 2.0f - 1.0f) * scale;
  }
  int32_t below(int32_t n) { return static_cast<int32_t>(next() % static_cast<uint64_t>(n)); }
};

std::vector<float> randv(Rng& r, size_t n, float scale) {
  std::vector<float> v(n);
  for (auto& x : v) x = r.uniform(scale);
  return v;
}

/** Sprinkle special values over v (about one in `every`). */
void sprinkle(Rng& r, std::vector<float>& v, int every) {
  const float specials[] = {0.0f, -0.0f, oli::bits_to_f32(0x00000001u), oli::bits_to_f32(0x80400000u),
                            oli::bits_to_f32(0x7F800000u), oli::bits_to_f32(0xFF800000u),
                            oli::bits_to_f32(0x7FC00000u), 1e30f, -1e-30f, 88.5f, -87.5f, 100.0f};
  for (auto& x : v)
    if (r.below(every) == 0) x = specials[r.below(static_cast<int32_t>(sizeof specials / sizeof specials[0]))];
}

// ---------------------------------------------------------------- backend helper

struct Side {
  Backend* be;
  std::vector<Buffer> bufs;
  bool failed = false;

  ~Side() {
    for (auto& b : bufs) be->release(&b);
  }
  template <typename T>
  T* put(const std::vector<T>& host) {
    Buffer b;
    if (be->alloc(sizeof(T) * (host.empty() ? 1 : host.size()), &b) != OLI_STATUS_OK) {
      failed = true;
      return nullptr;
    }
    bufs.push_back(b);
    if (!host.empty() && be->upload(b.ptr, host.data(), sizeof(T) * host.size()) != OLI_STATUS_OK) failed = true;
    return static_cast<T*>(b.ptr);
  }
  std::vector<float> get(const float* p, size_t n) {
    std::vector<float> out(n);
    if (n && be->download(out.data(), p, sizeof(float) * n) != OLI_STATUS_OK) failed = true;
    return out;
  }
  bool ok(oli_status st) {
    if (st != OLI_STATUS_OK) failed = true;
    return st == OLI_STATUS_OK;
  }
};

int g_cases = 0, g_failed_cases = 0, g_errors = 0;

void report(const char* op, const std::string& name, const std::vector<float>& ref,
            const std::vector<float>& got, bool error) {
  g_cases++;
  size_t mismatches = 0, first = 0;
  if (!error) {
    for (size_t i = 0; i < ref.size(); i++) {
      uint32_t a = oli::f32_to_bits(ref[i]), b = oli::f32_to_bits(got[i]);
      bool both_nan = ref[i] != ref[i] && got[i] != got[i];
      if (a != b && !both_nan) {
        if (mismatches == 0) first = i;
        mismatches++;
      }
    }
  }
  if (error) g_errors++;
  if (error || mismatches) g_failed_cases++;
  std::printf("{\"op\":\"%s\",\"case\":\"%s\",\"elements\":%zu,\"mismatches\":%zu", op, name.c_str(), ref.size(),
              mismatches);
  if (error) std::printf(",\"error\":\"%s\"", oli::last_error_message());
  if (mismatches)
    std::printf(",\"first\":%zu,\"ref\":\"0x%08x\",\"got\":\"0x%08x\"", first, oli::f32_to_bits(ref[first]),
                oli::f32_to_bits(got[first]));
  std::printf("}\n");
}

/** Run fn(side) -> output vector on both backends and compare. */
template <typename Fn>
void compare(Backend* ref_be, Backend* cand_be, const char* op, const std::string& name, Fn fn) {
  Side r{ref_be}, c{cand_be};
  std::vector<float> a = fn(r), b = fn(c);
  bool error = r.failed || c.failed || a.size() != b.size();
  report(op, name, a, b, error);
}

std::string fmt(const char* f, long a = 0, long b = 0, long c = 0, long d = 0) {
  char buf[160];
  std::snprintf(buf, sizeof buf, f, a, b, c, d);
  return buf;
}

// ---------------------------------------------------------------- cases

void check_embed_gather(Backend* R, Backend* C) {
  Rng rng(11);
  const int32_t vocab = 50, hidden = 67, T = 9;
  auto table = randv(rng, static_cast<size_t>(vocab) * hidden, 1.0f);
  std::vector<int32_t> tokens(T);
  for (auto& t : tokens) t = rng.below(vocab);
  compare(R, C, "embed", fmt("T=%ld hidden=%ld", T, hidden), [&](Side& s) {
    float* out = s.put(std::vector<float>(static_cast<size_t>(T) * hidden, 7.0f));
    s.ok(s.be->embed(s.put(tokens), T, s.put(table), hidden, out));
    return s.get(out, static_cast<size_t>(T) * hidden);
  });
  std::vector<int32_t> rows = {8, 0, 3, 3};
  compare(R, C, "gather_rows", "n=4 dim=67", [&](Side& s) {
    float* out = s.put(std::vector<float>(4 * hidden, 7.0f));
    s.ok(s.be->gather_rows(s.put(table), s.put(rows), 4, hidden, out));
    return s.get(out, 4 * hidden);
  });
}

void check_rmsnorm_sumsq(Backend* R, Backend* C) {
  Rng rng(12);
  for (int32_t dim : {1, 15, 16, 17, 64, 333, 4099}) {
    for (int special = 0; special < 2; special++) {
      const int32_t T = 4;
      auto x = randv(rng, static_cast<size_t>(T) * dim, 3.0f);
      auto w = randv(rng, dim, 2.0f);
      if (special) sprinkle(rng, x, 9);
      if (dim == 64) for (int i = 0; i < dim; i++) x[i] = oli::bits_to_f32(0x00000100u + i);  // subnormal row
      compare(R, C, "rmsnorm", fmt("T=%ld dim=%ld specials=%ld", T, dim, special), [&](Side& s) {
        float* out = s.put(std::vector<float>(x.size(), 0.0f));
        s.ok(s.be->rmsnorm(s.put(x), s.put(w), T, dim, 1e-5f, out));
        return s.get(out, x.size());
      });
      compare(R, C, "row_sumsq", fmt("T=%ld N=%ld specials=%ld", T, dim, special), [&](Side& s) {
        float* out = s.put(std::vector<float>(T, 0.0f));
        s.ok(s.be->row_sumsq(s.put(x), T, dim, out));
        return s.get(out, T);
      });
    }
  }
}

void check_matmul(Backend* R, Backend* C) {
  Rng rng(13);
  for (int32_t T : {1, 3, 5, 8, 17, 33})
    for (int32_t K : {1, 15, 16, 17, 300, 1000})
      for (int32_t N : {1, 7, 33}) {
        auto x = randv(rng, static_cast<size_t>(T) * K, 1.0f);
        auto w = randv(rng, static_cast<size_t>(N) * K, 0.5f);
        if ((T + K + N) % 3 == 0) sprinkle(rng, x, 50);
        compare(R, C, "matmul", fmt("T=%ld K=%ld N=%ld", T, K, N), [&](Side& s) {
          float* y = s.put(std::vector<float>(static_cast<size_t>(T) * N, 0.0f));
          s.ok(s.be->matmul(s.put(x), T, K, s.put(w), N, y));
          return s.get(y, static_cast<size_t>(T) * N);
        });
      }
}

void check_lora(Backend* R, Backend* C) {
  Rng rng(14);
  const int32_t K = 97, N = 83, max_rank = 64;
  const int32_t ranks[] = {8, 16, 64, 3};
  const int32_t num_slots = 4;
  std::vector<std::vector<float>> as, bs;
  for (int32_t s = 0; s < num_slots; s++) {
    as.push_back(randv(rng, static_cast<size_t>(ranks[s]) * K, 0.3f));
    bs.push_back(randv(rng, static_cast<size_t>(N) * ranks[s], 0.3f));
  }
  const float scales[] = {2.0f, 0.5f, 0.25f, 1.0f / std::sqrt(3.0f)};
  for (int mode = 0; mode < 2; mode++) {
    const int32_t T = 23;
    auto x = randv(rng, static_cast<size_t>(T) * K, 1.0f);
    std::vector<int32_t> token_slot(T);
    std::vector<int32_t> segments;  // SGMV: contiguous runs
    if (mode == 0) {
      for (int32_t t = 0; t < T; t++) token_slot[t] = rng.below(num_slots + 1) - 1;
    } else {
      const int32_t runs[][2] = {{0, 5}, {5, 1}, {6, 9}, {15, 3}, {18, 5}};
      const int32_t run_slot[] = {2, -1, 0, 3, 1};
      for (int i = 0; i < 5; i++) {
        for (int32_t t = runs[i][0]; t < runs[i][0] + runs[i][1]; t++) token_slot[t] = run_slot[i];
        segments.insert(segments.end(), {runs[i][0], runs[i][1], run_slot[i]});
      }
    }
    auto u_in = randv(rng, static_cast<size_t>(T) * max_rank, 0.7f);
    const char* mname = mode == 0 ? "BGMV" : "SGMV";
    auto make_lb = [&](Side& s, std::vector<oli::LoraSlotRef>& refs) {
      refs.clear();
      for (int32_t i = 0; i < num_slots; i++)
        refs.push_back(oli::LoraSlotRef{s.put(as[i]), s.put(bs[i]), ranks[i], scales[i]});
      oli::LoraBatch lb;
      lb.mode = mode == 0 ? oli::LoraMode::BGMV : oli::LoraMode::SGMV;
      lb.num_tokens = T;
      lb.token_slot_host = token_slot.data();
      lb.token_slot = s.put(token_slot);
      lb.num_segments = static_cast<int32_t>(segments.size() / 3);
      lb.segments_host = segments.empty() ? nullptr : segments.data();
      lb.segments = segments.empty() ? nullptr : s.put(segments);
      lb.slots_host = refs.data();
      lb.num_slots = num_slots;
      lb.max_rank = max_rank;
      return lb;
    };
    // Outputs start as a sentinel so rows without an adapter must stay untouched.
    compare(R, C, "lora_shrink", std::string(mname) + " T=23 K=97 ranks=8,16,64,3", [&](Side& s) {
      std::vector<oli::LoraSlotRef> refs;
      oli::LoraBatch lb = make_lb(s, refs);
      float* u = s.put(std::vector<float>(static_cast<size_t>(T) * max_rank, -3.5f));
      s.ok(s.be->lora_shrink(lb, s.put(x), K, u));
      return s.get(u, static_cast<size_t>(T) * max_rank);
    });
    compare(R, C, "lora_expand", std::string(mname) + " T=23 N=83 ranks=8,16,64,3", [&](Side& s) {
      std::vector<oli::LoraSlotRef> refs;
      oli::LoraBatch lb = make_lb(s, refs);
      float* d = s.put(std::vector<float>(static_cast<size_t>(T) * N, -3.5f));
      s.ok(s.be->lora_expand(lb, s.put(u_in), N, d));
      return s.get(d, static_cast<size_t>(T) * N);
    });
    if (mode == 0) {
      // The backend must also accept a BGMV batch that carries only the host slot array.
      compare(R, C, "lora_shrink", "BGMV host-only token slots", [&](Side& s) {
        std::vector<oli::LoraSlotRef> refs;
        oli::LoraBatch lb = make_lb(s, refs);
        lb.token_slot = s.be->host_visible() ? token_slot.data() : nullptr;
        float* u = s.put(std::vector<float>(static_cast<size_t>(T) * max_rank, -3.5f));
        s.ok(s.be->lora_shrink(lb, s.put(x), K, u));
        return s.get(u, static_cast<size_t>(T) * max_rank);
      });
    }
    compare(R, C, "add_rows", std::string(mname) + " masked T=23 N=83", [&](Side& s) {
      Rng again(99);
      auto y = randv(again, static_cast<size_t>(T) * N, 1.0f);
      auto d = randv(again, static_cast<size_t>(T) * N, 1.0f);
      y[0] = -0.0f;
      d[0] = 0.0f;
      float* yp = s.put(y);
      s.ok(s.be->add_rows(yp, s.put(d), T, N, s.put(token_slot)));
      return s.get(yp, y.size());
    });
  }
  compare(R, C, "add_rows", "all rows T=7 N=1001 specials", [&](Side& s) {
    Rng again(98);
    auto y = randv(again, 7 * 1001, 1.0f);
    auto d = randv(again, 7 * 1001, 1.0f);
    sprinkle(again, y, 13);
    sprinkle(again, d, 13);
    float* yp = s.put(y);
    s.ok(s.be->add_rows(yp, s.put(d), 7, 1001, nullptr));
    return s.get(yp, y.size());
  });
}

// More slots than one BGMV launch carries (kSlotsPerLaunch = 64 on CUDA): every token must be
// served by exactly one launch.
void check_lora_many_slots(Backend* R, Backend* C) {
  Rng rng(19);
  const int32_t K = 40, N = 36, max_rank = 8, num_slots = 70, T = 48;
  std::vector<std::vector<float>> as, bs;
  std::vector<int32_t> ranks;
  for (int32_t s = 0; s < num_slots; s++) {
    ranks.push_back(1 + s % max_rank);
    as.push_back(randv(rng, static_cast<size_t>(ranks[s]) * K, 0.4f));
    bs.push_back(randv(rng, static_cast<size_t>(N) * ranks[s], 0.4f));
  }
  std::vector<int32_t> token_slot(T);
  for (int32_t t = 0; t < T; t++) token_slot[t] = t % 5 == 0 ? -1 : rng.below(num_slots);
  token_slot[1] = 69;
  token_slot[2] = 64;
  token_slot[3] = 63;
  auto x = randv(rng, static_cast<size_t>(T) * K, 1.0f);
  auto u_in = randv(rng, static_cast<size_t>(T) * max_rank, 0.7f);
  auto make = [&](Side& s, std::vector<oli::LoraSlotRef>& refs) {
    refs.clear();
    for (int32_t i = 0; i < num_slots; i++)
      refs.push_back(oli::LoraSlotRef{s.put(as[i]), s.put(bs[i]), ranks[i], 0.125f * static_cast<float>(1 + i % 7)});
    oli::LoraBatch lb;
    lb.mode = oli::LoraMode::BGMV;
    lb.num_tokens = T;
    lb.token_slot_host = token_slot.data();
    lb.token_slot = s.put(token_slot);
    lb.slots_host = refs.data();
    lb.num_slots = num_slots;
    lb.max_rank = max_rank;
    return lb;
  };
  compare(R, C, "lora_shrink", "BGMV 70 slots T=48", [&](Side& s) {
    std::vector<oli::LoraSlotRef> refs;
    oli::LoraBatch lb = make(s, refs);
    float* u = s.put(std::vector<float>(static_cast<size_t>(T) * max_rank, -3.5f));
    s.ok(s.be->lora_shrink(lb, s.put(x), K, u));
    return s.get(u, static_cast<size_t>(T) * max_rank);
  });
  compare(R, C, "lora_expand", "BGMV 70 slots T=48", [&](Side& s) {
    std::vector<oli::LoraSlotRef> refs;
    oli::LoraBatch lb = make(s, refs);
    float* d = s.put(std::vector<float>(static_cast<size_t>(T) * N, -3.5f));
    s.ok(s.be->lora_expand(lb, s.put(u_in), N, d));
    return s.get(d, static_cast<size_t>(T) * N);
  });
}

void check_elementwise(Backend* R, Backend* C) {
  Rng rng(15);
  const int64_t n = 70001;
  auto g = randv(rng, n, 30.0f);
  auto u = randv(rng, n, 2.0f);
  sprinkle(rng, g, 97);
  for (int64_t i = 0; i < 200; i++) g[i] = -100.0f + static_cast<float>(i);  // exp_f range edges
  compare(R, C, "silu_mul", "n=70001 range+specials", [&](Side& s) {
    float* out = s.put(std::vector<float>(n, 0.0f));
    s.ok(s.be->silu_mul(s.put(g), s.put(u), n, out));
    return s.get(out, n);
  });
  for (int32_t hd : {16, 64, 80}) {
    const int32_t max_pos = 300, half = hd / 2, T = 6, heads = 3;
    std::vector<float> cos_t(static_cast<size_t>(max_pos) * half), sin_t(cos_t.size());
    oli::rope_tables(10000.0, hd, max_pos, cos_t.data(), sin_t.data());
    std::vector<int32_t> pos = {0, 1, 31, 32, 150, 299};
    auto x = randv(rng, static_cast<size_t>(T) * heads * hd, 2.0f);
    compare(R, C, "rope", fmt("T=%ld heads=%ld head_dim=%ld", T, heads, hd), [&](Side& s) {
      float* xp = s.put(x);
      s.ok(s.be->rope(xp, T, heads, hd, s.put(pos), s.put(cos_t), s.put(sin_t)));
      return s.get(xp, x.size());
    });
  }
}

void check_kv(Backend* R, Backend* C) {
  Rng rng(16);
  const int32_t blocks = 6, bs = 4, kv_dim = 24, T = 5;
  const int64_t block_floats = static_cast<int64_t>(bs) * kv_dim;
  auto kc = randv(rng, static_cast<size_t>(blocks) * block_floats, 1.0f);
  auto vc = randv(rng, kc.size(), 1.0f);
  auto k = randv(rng, static_cast<size_t>(T) * kv_dim, 1.0f);
  auto v = randv(rng, k.size(), 1.0f);
  std::vector<int32_t> slots = {3, 17, 0, 22, 9};
  std::vector<int32_t> pairs = {1, 4, 5, 0};
  for (int which = 0; which < 2; which++)
    compare(R, C, "kv_write+kv_copy_blocks", which ? "v cache" : "k cache", [&](Side& s) {
      float* kp = s.put(kc);
      float* vp = s.put(vc);
      s.ok(s.be->kv_write(s.put(k), s.put(v), T, kv_dim, s.put(slots), kp, vp));
      s.ok(s.be->kv_copy_blocks(kp, vp, pairs.data(), 2, block_floats));
      return s.get(which ? vp : kp, kc.size());
    });
}

void check_attention(Backend* R, Backend* C) {
  Rng rng(17);
  for (int32_t hd : {16, 64, 80})
    for (int32_t bs : {1, 7, 16})
      for (int big = 0; big < 2; big++) {
        const int32_t heads = 4, kv_heads = 2, kv_dim = kv_heads * hd;
        // Two sequences: lengths 45 and 100 (partial tiles); query tokens at several positions.
        const int32_t lens[2] = {45, 100};
        std::vector<int32_t> tables, offsets_of_seq;
        int32_t next_block = 0;
        std::vector<int32_t> phys;
        for (int sq = 0; sq < 2; sq++) {
          offsets_of_seq.push_back(static_cast<int32_t>(tables.size()));
          int32_t nb = (lens[sq] + bs - 1) / bs;
          for (int32_t b = 0; b < nb; b++) tables.push_back(next_block++);
        }
        // Permute the physical ids so logical order != physical order.
        const int32_t total_blocks = next_block;
        std::vector<int32_t> perm(total_blocks);
        for (int32_t i = 0; i < total_blocks; i++) perm[i] = i;
        for (int32_t i = total_blocks - 1; i > 0; i--) std::swap(perm[i], perm[rng.below(i + 1)]);
        for (auto& b : tables) b = perm[b];
        const float kscale = big ? 40.0f : 1.0f;  // big: scores spread far, exp_f underflows
        auto kcache = randv(rng, static_cast<size_t>(total_blocks) * bs * kv_dim, kscale);
        auto vcache = randv(rng, kcache.size(), 1.0f);
        std::vector<int32_t> positions = {0, 31, 32, 44, 0, 63, 64, 99};
        std::vector<int32_t> seq_of = {0, 0, 0, 0, 1, 1, 1, 1};
        const int32_t T = static_cast<int32_t>(positions.size());
        std::vector<int32_t> toff(T);
        for (int32_t t = 0; t < T; t++) toff[t] = offsets_of_seq[seq_of[t]];
        auto q = randv(rng, static_cast<size_t>(T) * heads * hd, 1.0f);
        compare(R, C, "attention", fmt("head_dim=%ld block_size=%ld big_scores=%ld", hd, bs, big), [&](Side& s) {
          oli::AttentionArgs a;
          a.q = s.put(q);
          a.num_tokens = T;
          a.num_heads = heads;
          a.num_kv_heads = kv_heads;
          a.head_dim = hd;
          a.positions = s.put(positions);
          a.table_offsets = s.put(toff);
          a.block_tables = s.put(tables);
          a.k_cache = s.put(kcache);
          a.v_cache = s.put(vcache);
          a.block_size = bs;
          float* out = s.put(std::vector<float>(q.size(), 0.0f));
          a.out = out;
          s.ok(s.be->attention(a));
          return s.get(out, q.size());
        });
      }
}

void check_merge(Backend* R, Backend* C) {
  Rng rng(18);
  for (int32_t r : {1, 8, 17, 64}) {
    const int32_t N = 33, K = 47;
    auto w = randv(rng, static_cast<size_t>(N) * K, 1.0f);
    auto a = randv(rng, static_cast<size_t>(r) * K, 0.5f);
    auto b = randv(rng, static_cast<size_t>(N) * r, 0.5f);
    compare(R, C, "merge_lora", fmt("N=%ld K=%ld r=%ld", N, K, r), [&](Side& s) {
      float* out = s.put(std::vector<float>(w.size(), 0.0f));
      s.ok(s.be->merge_lora(s.put(w), s.put(a), s.put(b), N, K, r, 0.75f, out));
      return s.get(out, w.size());
    });
  }
}

}  // namespace

int main(int argc, char** argv) {
  const std::string cand = argc > 1 ? argv[1] : "cuda";
  std::unique_ptr<Backend> ref, candidate;
  oli::CpuBackendOptions ro;
  ro.threads = 1;
  ro.kernels = OLI_CPU_KERNELS_SCALAR;
  if (oli::create_cpu_backend(ro, &ref) != OLI_STATUS_OK) {
    std::printf("{\"unavailable\":\"cpu reference: %s\"}\n", oli::last_error_message());
    return 2;
  }
  oli_status st = OLI_STATUS_BACKEND_UNAVAILABLE;
  if (cand == "cuda") {
#ifdef OLI_WITH_CUDA
    if (oli::cuda_device_count() > 0) st = oli::create_cuda_backend(0, &candidate);
    else oli::set_error(OLI_STATUS_BACKEND_UNAVAILABLE, "no CUDA device is present");
#else
    oli::set_error(OLI_STATUS_BACKEND_UNAVAILABLE, "built without OLI_WITH_CUDA");
#endif
  } else {
    oli::CpuBackendOptions co;
    co.threads = 2;
    co.kernels = cand == "avx512" ? OLI_CPU_KERNELS_AVX512 : OLI_CPU_KERNELS_SCALAR;
    st = oli::create_cpu_backend(co, &candidate);
  }
  if (st != OLI_STATUS_OK) {
    std::printf("{\"unavailable\":\"%s: %s\"}\n", cand.c_str(), oli::last_error_message());
    return 2;
  }
  Backend* R = ref.get();
  Backend* C = candidate.get();
  check_embed_gather(R, C);
  check_rmsnorm_sumsq(R, C);
  check_matmul(R, C);
  check_lora(R, C);
  check_lora_many_slots(R, C);
  check_elementwise(R, C);
  check_kv(R, C);
  check_attention(R, C);
  check_merge(R, C);
  std::printf("{\"summary\":true,\"candidate\":\"%s\",\"variant\":\"%s\",\"cases\":%d,\"failed\":%d,\"errors\":%d}\n",
              cand.c_str(), C->variant(), g_cases, g_failed_cases, g_errors);
  if (g_errors) return 3;
  return g_failed_cases ? 1 : 0;
}
