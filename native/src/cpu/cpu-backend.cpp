// cpu-backend.cpp: the CPU reference backend. Every op follows ../../ARITHMETIC.md; threads split
// work over whole output elements only, so results are identical for any thread count.
#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <new>
#include <vector>

#include "../backend.h"
#include "../host-memory.h"
#include "../math/oli-math.h"
#include "cpu-kernels.h"
#include "thread-pool.h"

namespace oli {
namespace {

constexpr int32_t kAttentionTile = 32;  // ARITHMETIC.md section 8
// Matmul rows are split between threads in blocks of 8 (the kernels' decode tile), at least 2
// blocks a chunk; any split gives the same bits.
constexpr int32_t kRowBlock = 8;
constexpr int64_t kMinBlocks = 2;

class CpuBackend final : public Backend {
 public:
  CpuBackend(uint32_t threads, const cpu::Kernels* kernels) : pool_(threads), k_(kernels) {}

  const char* name() const override { return "cpu"; }
  const char* variant() const override { return k_->name; }
  bool host_visible() const override { return true; }

  oli_status alloc(size_t bytes, Buffer* out) override {
    HostBlock block = host_block_alloc(bytes);
    if (!block.ptr) return set_error(OLI_STATUS_OUT_OF_MEMORY, "cpu backend: cannot allocate %zu bytes", bytes);
    out->ptr = block.ptr;
    out->bytes = bytes;
    // handle: the mapping length of a huge-page block (0: aligned_alloc), for release
    out->handle = reinterpret_cast<void*>(static_cast<uintptr_t>(block.mapped));
    out->owned = true;
    return OLI_STATUS_OK;
  }

  void release(Buffer* buffer) override {
    if (buffer->owned && buffer->ptr) {
      HostBlock block;
      block.ptr = buffer->ptr;
      block.mapped = static_cast<size_t>(reinterpret_cast<uintptr_t>(buffer->handle));
      host_block_free(block);
    }
    *buffer = Buffer{};
  }

  bool wrap_host(const void* host, size_t bytes, Buffer* out) override {
    if (reinterpret_cast<uintptr_t>(host) % 4 != 0) return false;
    // Weights are served in place from the file's bytes, which FileBytes reads into huge-page
    // host memory (host-memory.h): no second copy.
    out->ptr = const_cast<void*>(host);
    out->bytes = bytes;
    out->handle = nullptr;
    out->owned = false;
    return true;
  }

  oli_status upload(void* dst, const void* src, size_t bytes) override {
    if (bytes) std::memcpy(dst, src, bytes);
    return OLI_STATUS_OK;
  }

  oli_status download(void* dst, const void* src, size_t bytes) override {
    if (bytes) std::memcpy(dst, src, bytes);
    return OLI_STATUS_OK;
  }

  oli_status sync() override { return OLI_STATUS_OK; }

  oli_status embed(const int32_t* tokens, int32_t T, const float* table, int32_t hidden,
                   float* out) override {
    for (int32_t t = 0; t < T; t++)
      std::memcpy(out + static_cast<int64_t>(t) * hidden,
                  table + static_cast<int64_t>(tokens[t]) * hidden, sizeof(float) * hidden);
    return OLI_STATUS_OK;
  }

  oli_status gather_rows(const float* x, const int32_t* rows, int32_t n, int32_t dim,
                         float* out) override {
    for (int32_t i = 0; i < n; i++)
      std::memcpy(out + static_cast<int64_t>(i) * dim, x + static_cast<int64_t>(rows[i]) * dim,
                  sizeof(float) * dim);
    return OLI_STATUS_OK;
  }

  oli_status rmsnorm(const float* x, const float* w, int32_t T, int32_t dim, float eps,
                     float* out) override {
    const cpu::Kernels* k = k_;
    pool_.parallel_for(T, 1, [&](int64_t b, int64_t e) {
      for (int64_t t = b; t < e; t++) {
        const float* xr = x + t * dim;
        float* yr = out + t * dim;
        float ss = k->dot(xr, xr, dim);
        float ms = ss / static_cast<float>(dim);
        float v = ms + eps;
        float inv = 1.0f / std::sqrt(v);
        for (int32_t i = 0; i < dim; i++) yr[i] = (xr[i] * inv) * w[i];
      }
    });
    return OLI_STATUS_OK;
  }

  oli_status matmul(const float* x, int32_t T, int32_t K, const float* w, int32_t N,
                    float* y) override {
    const cpu::Kernels* k = k_;
    pool_.parallel_for((N + kRowBlock - 1) / kRowBlock, kMinBlocks, [&](int64_t b, int64_t e) {
      int32_t n0 = static_cast<int32_t>(b * kRowBlock);
      int32_t n1 = static_cast<int32_t>(std::min<int64_t>(e * kRowBlock, N));
      k->matmul(x, K, T, K, w, K, n0, n1, y, N);
    });
    return OLI_STATUS_OK;
  }

  bool supports_bf16_weights() const override { return true; }

  oli_status matmul_bf16(const float* x, int32_t T, int32_t K, const uint16_t* w, int32_t N,
                         float* y) override {
    const cpu::Kernels* k = k_;
    pool_.parallel_for((N + kRowBlock - 1) / kRowBlock, kMinBlocks, [&](int64_t b, int64_t e) {
      int32_t n0 = static_cast<int32_t>(b * kRowBlock);
      int32_t n1 = static_cast<int32_t>(std::min<int64_t>(e * kRowBlock, N));
      k->matmul_bf16(x, K, T, K, w, K, n0, n1, y, N);
    });
    return OLI_STATUS_OK;
  }

  // One dispatch for all items: their row blocks form one index space; with silu_out, a chunk
  // computes the same rows of both items and then their silu products (no pass of its own).
  oli_status matmul_group(const float* x, int32_t T, int32_t K, const MatmulItem* items, int32_t n,
                          float* silu_out) override {
    constexpr int32_t kMaxItems = 8;
    if (n > kMaxItems) return Backend::matmul_group(x, T, K, items, n, silu_out);
    const cpu::Kernels* k = k_;
    auto rows = [&](const MatmulItem& it, int64_t b0, int64_t b1) {
      int32_t n0 = static_cast<int32_t>(b0 * kRowBlock);
      int32_t n1 = static_cast<int32_t>(std::min<int64_t>(b1 * kRowBlock, it.N));
      if (it.w16) {
        k->matmul_bf16(x, K, T, K, it.w16, K, n0, n1, it.y, it.N);
      } else {
        k->matmul(x, K, T, K, it.w, K, n0, n1, it.y, it.N);
      }
    };
    if (silu_out) {
      const MatmulItem& g = items[0];
      const MatmulItem& u = items[1];
      const int32_t N = g.N;
      pool_.parallel_for((N + kRowBlock - 1) / kRowBlock, kMinBlocks, [&](int64_t b, int64_t e) {
        rows(g, b, e);
        rows(u, b, e);
        int64_t n0 = b * kRowBlock, n1 = std::min<int64_t>(e * kRowBlock, N);
        for (int32_t t = 0; t < T; t++) {
          int64_t o = static_cast<int64_t>(t) * N + n0;
          k->silu_mul(g.y + o, u.y + o, n1 - n0, silu_out + o);
        }
      });
      return OLI_STATUS_OK;
    }
    int64_t start[kMaxItems + 1] = {0};
    for (int32_t i = 0; i < n; i++) start[i + 1] = start[i] + (items[i].N + kRowBlock - 1) / kRowBlock;
    pool_.parallel_for(start[n], kMinBlocks, [&](int64_t b, int64_t e) {
      for (int32_t i = 0; i < n; i++) {
        int64_t lo = std::max(b, start[i]), hi = std::min(e, start[i + 1]);
        if (lo < hi) rows(items[i], lo - start[i], hi - start[i]);
      }
    });
    return OLI_STATUS_OK;
  }

  oli_status lora_shrink(const LoraBatch& lb, const float* x, int32_t K, float* u) override {
    const cpu::Kernels* k = k_;
    const int32_t stride = lb.max_rank;
    if (lb.mode == LoraMode::BGMV) {
      // items: (token, block of 8 rank rows), so a few tokens (decode at batch 1) still split
      const int64_t nb = (stride + kRowBlock - 1) / kRowBlock;
      pool_.parallel_for(lb.num_tokens * nb, 1, [&](int64_t b, int64_t e) {
        for (int64_t i = b; i < e;) {
          int64_t t = i / nb, j0 = (i % nb) * kRowBlock, j1 = std::min<int64_t>(e - t * nb, nb) * kRowBlock;
          i = (t + 1) * nb;
          int32_t s = lb.token_slot_host[t];
          if (s < 0) continue;
          const LoraSlotRef& ref = lb.slots_host[s];
          int32_t r0 = static_cast<int32_t>(std::min<int64_t>(j0, ref.rank));
          int32_t r1 = static_cast<int32_t>(std::min<int64_t>(j1, ref.rank));
          float* ut = u + t * stride;
          k->matmul(x + t * K, K, 1, K, ref.a, K, r0, r1, ut, stride);
          for (int32_t j = r0; j < r1; j++) ut[j] = ut[j] * ref.scale;
        }
      });
      return OLI_STATUS_OK;
    }
    for (int32_t g = 0; g < lb.num_segments; g++) {
      int32_t start = lb.segments_host[3 * g], count = lb.segments_host[3 * g + 1];
      int32_t s = lb.segments_host[3 * g + 2];
      if (s < 0 || count <= 0) continue;
      const LoraSlotRef& ref = lb.slots_host[s];
      pool_.parallel_for(count, 4, [&](int64_t b, int64_t e) {
        float* ub = u + (start + b) * stride;
        k->matmul(x + (start + b) * K, K, static_cast<int32_t>(e - b), K, ref.a, K, 0, ref.rank,
                  ub, stride);
        for (int64_t t = 0; t < e - b; t++)
          for (int32_t j = 0; j < ref.rank; j++) ub[t * stride + j] = ub[t * stride + j] * ref.scale;
      });
    }
    return OLI_STATUS_OK;
  }

  oli_status lora_expand(const LoraBatch& lb, const float* u, int32_t N, float* delta) override {
    const cpu::Kernels* k = k_;
    const int32_t stride = lb.max_rank;
    if (lb.mode == LoraMode::BGMV) {
      // items: (token, block of 8 output rows)
      const int64_t nb = (N + kRowBlock - 1) / kRowBlock;
      pool_.parallel_for(lb.num_tokens * nb, kMinBlocks, [&](int64_t b, int64_t e) {
        for (int64_t i = b; i < e;) {
          int64_t t = i / nb;
          int32_t n0 = static_cast<int32_t>((i % nb) * kRowBlock);
          int32_t n1 = static_cast<int32_t>(std::min<int64_t>(std::min<int64_t>(e - t * nb, nb) * kRowBlock, N));
          i = (t + 1) * nb;
          int32_t s = lb.token_slot_host[t];
          if (s < 0) continue;
          const LoraSlotRef& ref = lb.slots_host[s];
          k->matmul(u + t * stride, stride, 1, ref.rank, ref.b, ref.rank, n0, n1, delta + t * N, N);
        }
      });
      return OLI_STATUS_OK;
    }
    for (int32_t g = 0; g < lb.num_segments; g++) {
      int32_t start = lb.segments_host[3 * g], count = lb.segments_host[3 * g + 1];
      int32_t s = lb.segments_host[3 * g + 2];
      if (s < 0 || count <= 0) continue;
      const LoraSlotRef& ref = lb.slots_host[s];
      pool_.parallel_for((N + 3) / 4, 8, [&](int64_t b, int64_t e) {
        int32_t n0 = static_cast<int32_t>(b * 4);
        int32_t n1 = static_cast<int32_t>(std::min<int64_t>(e * 4, N));
        k->matmul(u + static_cast<int64_t>(start) * stride, stride, count, ref.rank, ref.b,
                  ref.rank, n0, n1, delta + static_cast<int64_t>(start) * N, N);
      });
    }
    return OLI_STATUS_OK;
  }

  oli_status row_sumsq(const float* x, int32_t T, int32_t N, float* out) override {
    for (int32_t t = 0; t < T; t++) {
      const float* r = x + static_cast<int64_t>(t) * N;
      out[t] = k_->dot(r, r, N);
    }
    return OLI_STATUS_OK;
  }

  oli_status add_rows(float* y, const float* d, int32_t T, int32_t N,
                      const int32_t* token_slot) override {
    for (int32_t t = 0; t < T; t++) {
      if (token_slot && token_slot[t] < 0) continue;
      float* yr = y + static_cast<int64_t>(t) * N;
      const float* dr = d + static_cast<int64_t>(t) * N;
      for (int32_t i = 0; i < N; i++) yr[i] = yr[i] + dr[i];
    }
    return OLI_STATUS_OK;
  }

  oli_status rope(float* x, int32_t T, int32_t heads, int32_t head_dim, const int32_t* positions,
                  const float* cos_table, const float* sin_table) override {
    const int32_t half = head_dim / 2;
    for (int32_t t = 0; t < T; t++) {
      const float* c = cos_table + static_cast<int64_t>(positions[t]) * half;
      const float* s = sin_table + static_cast<int64_t>(positions[t]) * half;
      for (int32_t h = 0; h < heads; h++) {
        float* v = x + (static_cast<int64_t>(t) * heads + h) * head_dim;
        for (int32_t i = 0; i < half; i++) {
          float x0 = v[i], x1 = v[i + half];
          v[i] = (x0 * c[i]) - (x1 * s[i]);
          v[i + half] = (x1 * c[i]) + (x0 * s[i]);
        }
      }
    }
    return OLI_STATUS_OK;
  }

  oli_status silu_mul(const float* g, const float* u, int64_t n, float* out) override {
    const cpu::Kernels* k = k_;
    pool_.parallel_for(n, 4096, [&](int64_t b, int64_t e) { k->silu_mul(g + b, u + b, e - b, out + b); });
    return OLI_STATUS_OK;
  }

  oli_status kv_write(const float* k, const float* v, int32_t T, int32_t kv_dim,
                      const int32_t* slots, float* k_cache, float* v_cache) override {
    for (int32_t t = 0; t < T; t++) {
      int64_t dst = static_cast<int64_t>(slots[t]) * kv_dim;
      std::memcpy(k_cache + dst, k + static_cast<int64_t>(t) * kv_dim, sizeof(float) * kv_dim);
      std::memcpy(v_cache + dst, v + static_cast<int64_t>(t) * kv_dim, sizeof(float) * kv_dim);
    }
    return OLI_STATUS_OK;
  }

  oli_status kv_copy_blocks(float* k_cache, float* v_cache, const int32_t* pairs, int32_t n,
                            int64_t block_floats) override {
    for (int32_t i = 0; i < n; i++) {
      int64_t src = pairs[2 * i] * block_floats, dst = pairs[2 * i + 1] * block_floats;
      std::memcpy(k_cache + dst, k_cache + src, sizeof(float) * block_floats);
      std::memcpy(v_cache + dst, v_cache + src, sizeof(float) * block_floats);
    }
    return OLI_STATUS_OK;
  }

  oli_status attention(const AttentionArgs& a) override {
    const cpu::Kernels* k = k_;
    const int32_t hd = a.head_dim;
    const int32_t group = a.num_heads / a.num_kv_heads;
    const int32_t kv_dim = a.num_kv_heads * hd;
    const float scale = 1.0f / std::sqrt(static_cast<float>(hd));
    const float neg_inf = bits_to_f32(0xFF800000u);
    pool_.parallel_for(static_cast<int64_t>(a.num_tokens) * a.num_heads, 1, [&](int64_t b,
                                                                                 int64_t e) {
      std::vector<float> o(hd);
      float s[kAttentionTile], p[kAttentionTile];
      const float* vrows[kAttentionTile];
      for (int64_t item = b; item < e; item++) {
        int32_t t = static_cast<int32_t>(item / a.num_heads);
        int32_t h = static_cast<int32_t>(item % a.num_heads);
        int32_t g = h / group;
        int32_t pos = a.positions[t];
        const int32_t* table = a.block_tables + a.table_offsets[t];
        const float* q = a.q + (static_cast<int64_t>(t) * a.num_heads + h) * hd;
        float m = neg_inf, l = 0.0f;
        std::fill(o.begin(), o.end(), 0.0f);
        for (int32_t base = 0; base <= pos; base += kAttentionTile) {
          int32_t cnt = std::min(kAttentionTile, pos - base + 1);
          // scores D(q, k_j): keys in one KV block are consecutive cache rows, so each run of
          // them is one matmul (same D per key as a dot, fewer calls and reductions)
          for (int32_t j = 0; j < cnt;) {
            int32_t kp = base + j, in_block = kp % a.block_size;
            int32_t run = std::min(cnt - j, a.block_size - in_block);
            int64_t row = static_cast<int64_t>(table[kp / a.block_size]) * a.block_size + in_block;
            const float* kr = a.k_cache + row * kv_dim + static_cast<int64_t>(g) * hd;
            k->matmul(q, hd, 1, hd, kr, kv_dim, 0, run, s + j, 0);
            for (int32_t i = 0; i < run; i++)
              vrows[j + i] = a.v_cache + (row + i) * kv_dim + static_cast<int64_t>(g) * hd;
            j += run;
          }
          float mt = neg_inf;
          for (int32_t j = 0; j < cnt; j++) {
            s[j] = s[j] * scale;
            if (j == 0 || s[j] > mt) mt = s[j];
          }
          float m_new = (mt > m) ? mt : m;
          float alpha = (m == neg_inf) ? 0.0f : exp_f(m - m_new);
          k->exp_shifted(s, m_new, cnt, p);
          float slot[kAttentionTile];
          for (int32_t j = 0; j < kAttentionTile; j++) slot[j] = j < cnt ? p[j] : 0.0f;
          for (int32_t w = 16; w >= 1; w /= 2)
            for (int32_t i = 0; i < w; i++) slot[i] = slot[i] + slot[i + w];
          l = (l * alpha) + slot[0];
          k->attn_accumulate(o.data(), hd, alpha, p, vrows, cnt);
          m = m_new;
        }
        float* out = a.out + (static_cast<int64_t>(t) * a.num_heads + h) * hd;
        for (int32_t d = 0; d < hd; d++) out[d] = o[d] / l;
      }
    });
    return OLI_STATUS_OK;
  }

  oli_status merge_lora(const float* w, const float* a, const float* b, int32_t N, int32_t K,
                        int32_t r, float scale, float* out) override {
    std::vector<float> at(static_cast<size_t>(K) * r);
    for (int32_t j = 0; j < r; j++)
      for (int32_t kk = 0; kk < K; kk++) at[static_cast<size_t>(kk) * r + j] = a[static_cast<int64_t>(j) * K + kk];
    const cpu::Kernels* k = k_;
    const float* atp = at.data();
    pool_.parallel_for((K + 3) / 4, 4, [&](int64_t bb, int64_t e) {
      int32_t k0 = static_cast<int32_t>(bb * 4);
      int32_t k1 = static_cast<int32_t>(std::min<int64_t>(e * 4, K));
      k->matmul(b, r, N, r, atp, r, k0, k1, out, K);
    });
    int64_t total = static_cast<int64_t>(N) * K;
    for (int64_t i = 0; i < total; i++) out[i] = w[i] + scale * out[i];
    return OLI_STATUS_OK;
  }

 private:
  ThreadPool pool_;
  const cpu::Kernels* k_;
};

}  // namespace

oli_status create_cpu_backend(const CpuBackendOptions& options, std::unique_ptr<Backend>* out) {
  const cpu::Kernels* kernels = nullptr;
  if (options.kernels == OLI_CPU_KERNELS_SCALAR) {
    kernels = &cpu::scalar_kernels();
  } else if (options.kernels == OLI_CPU_KERNELS_AVX512) {
    kernels = cpu::avx512_kernels();
    if (!kernels)
      return set_error(OLI_STATUS_BACKEND_UNAVAILABLE, "AVX-512 kernels requested but this CPU lacks AVX-512F");
  } else if (options.kernels == OLI_CPU_KERNELS_AVX2) {
    kernels = cpu::avx2_kernels();
    if (!kernels)
      return set_error(OLI_STATUS_BACKEND_UNAVAILABLE, "AVX2 kernels requested but this CPU lacks AVX2/FMA");
  } else {
    kernels = cpu::avx512_kernels();
    if (!kernels) kernels = cpu::avx2_kernels();
    if (!kernels) kernels = &cpu::scalar_kernels();
  }
  out->reset(new (std::nothrow) CpuBackend(options.threads, kernels));
  if (!*out) return set_error(OLI_STATUS_OUT_OF_MEMORY, "cannot create cpu backend");
  return OLI_STATUS_OK;
}

}  // namespace oli
