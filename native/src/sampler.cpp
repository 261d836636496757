// sampler.cpp: see sampler.h.
#include "sampler.h"

#include <algorithm>

#include "math/oli-math.h"

namespace oli {

uint64_t rng_mix(uint64_t z) {
  z += 0x9E3779B97F4A7C15ull;
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
  return z ^ (z >> 31);
}

float rng_uniform(const SamplingParams& p, uint64_t step) {
  uint64_t h = rng_mix(rng_mix(rng_mix(rng_mix(p.seed) ^ p.request_id) ^ p.sample_index) ^ step);
  return static_cast<float>(h >> 40) * 0x1p-24f;
}

// NaN ranks as -inf (ARITHMETIC.md section 12).
static inline float rank_value(float v) { return v != v ? bits_to_f32(0xFF800000u) : v; }

int32_t sample_token(const float* logits, int32_t vocab, const SamplingParams& p, uint64_t step,
                     std::vector<int32_t>* scratch) {
  if (p.temperature == 0.0f || p.top_k == 1) {
    int32_t best = 0;
    float bv = rank_value(logits[0]);
    for (int32_t i = 1; i < vocab; i++) {
      float v = rank_value(logits[i]);
      if (v > bv) {
        bv = v;
        best = i;
      }
    }
    return best;
  }
  std::vector<float> z(vocab);
  for (int32_t i = 0; i < vocab; i++) z[i] = rank_value(logits[i] / p.temperature);
  std::vector<int32_t>& order = *scratch;
  order.resize(vocab);
  for (int32_t i = 0; i < vocab; i++) order[i] = i;
  auto cmp = [&](int32_t a, int32_t b) { return z[a] > z[b] || (z[a] == z[b] && a < b); };
  int32_t k = (p.top_k > 0 && static_cast<int64_t>(p.top_k) < vocab) ? static_cast<int32_t>(p.top_k) : vocab;
  if (k < vocab) {
    std::partial_sort(order.begin(), order.begin() + k, order.end(), cmp);
  } else {
    std::sort(order.begin(), order.end(), cmp);
  }
  float m = z[order[0]];
  if (m == bits_to_f32(0xFF800000u)) return 0;  // every candidate NaN or -inf
  std::vector<float> e(k);
  float total = 0.0f;
  for (int32_t i = 0; i < k; i++) {
    e[i] = exp_f(z[order[i]] - m);
    total = total + e[i];
  }
  int32_t kept = k;
  float kept_total = total;
  if (p.top_p < 1.0f) {
    float thr = p.top_p * total;
    float cum = 0.0f;
    for (int32_t i = 0; i < k; i++) {
      cum = cum + e[i];
      if (cum >= thr) {
        kept = i + 1;
        break;
      }
    }
    kept_total = cum;
  }
  float target = rng_uniform(p, step) * kept_total;
  float cum = 0.0f;
  for (int32_t i = 0; i < kept; i++) {
    cum = cum + e[i];
    if (target < cum) return order[i];
  }
  return order[kept - 1];
}

}  // namespace oli
