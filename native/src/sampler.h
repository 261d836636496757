// sampler.h: token selection of ARITHMETIC.md section 13 (greedy, temperature / top-k / top-p with
// a counter-based RNG keyed by (seed, request id, sample index, step)). Runs on the host for
// every backend.
#ifndef OLI_SAMPLER_H
#define OLI_SAMPLER_H

#include <cstdint>
#include <vector>

namespace oli {

struct SamplingParams {
  float temperature = 0.0f;
  uint32_t top_k = 0;
  float top_p = 1.0f;
  uint64_t seed = 0;
  uint64_t request_id = 0;
  uint64_t sample_index = 0;
};

/** SplitMix64 finaliser ("mix" of ARITHMETIC.md section 13). */
uint64_t rng_mix(uint64_t z);

/** The 24-bit uniform in [0, 1) for a step. */
float rng_uniform(const SamplingParams& p, uint64_t step);

/** Choose a token from logits[0..vocab). scratch is reused between calls. */
int32_t sample_token(const float* logits, int32_t vocab, const SamplingParams& p, uint64_t step,
                     std::vector<int32_t>* scratch);

}  // namespace oli

#endif  // OLI_SAMPLER_H
