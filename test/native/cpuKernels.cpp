// cpuKernels.cpp: kernel-level bit checks of the CPU backend (built and run by cpuKernels.test.ts).
//
// Every SIMD kernel table (AVX-512, AVX2, when the CPU has them) against the scalar reference of
// native/ARITHMETIC.md, over every tile shape and tail the kernels have (T = 1..9 tokens, N = 1..35
// rows: the 8-row decode tile, the 4x4 tile and their row/token tails; K with and without a 16-lane
// tail; f32 and BF16 weights) on inputs with signed zeros, subnormals, infinities and NaN; silu_mul
// and exp_shifted on edge values of exp_f's branches; Backend::matmul_group (one dispatch, fused silu) against
// separate matmul + silu_mul calls; and the thread pool (every item run exactly once, a worker's
// exception rethrown on the caller).
//
// Prints one JSON object per failing case: {"check":"matmul avx512","case":"T=1 N=9 K=17 rows 1..9",
// "elements":9,"mismatches":1,"first":3,"want":"3f800000","got":"3f800001"}, one per check kind:
// {"total":"matmul avx512","cases":2100,"failed":0}, and a final {"summary":true,...}. NaN matches any NaN (payloads are not part of
// the spec); everything else must match bit for bit. Exit status 0 when everything matched.
#include <atomic>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <map>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include "../../native/src/backend.h"
#include "../../native/src/cpu/cpu-kernels.h"
#include "../../native/src/cpu/thread-pool.h"
#include "../../native/src/math/oli-math.h"

namespace {

int g_cases = 0, g_failed = 0;
std::map<std::string, std::pair<int, int>> g_checks;  // check -> (cases, failed)

void count(const std::string& check, bool ok) {
  g_cases++;
  auto& c = g_checks[check];
  c.first++;
  if (!ok) {
    g_failed++;
    c.second++;
  }
}

struct Rng {
  uint64_t s;
  explicit Rng(uint64_t seed) : s(seed) {}
  uint64_t next() {
    uint64_t z = (s += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
  }
  float uniform(float scale) { return (static_cast<float>(next() >> 40) * 0x1p-24f * 2.0f - 1.0f) * scale; }
};

// Mostly ordinary values, with signed zeros, subnormals, huge values, infinities and NaN sprinkled in.
float special_or(Rng& r, float scale) {
  switch (r.next() % 64) {
    case 0: return 0.0f;
    case 1: return -0.0f;
    case 2: return oli::bits_to_f32(0x00000123u);  // subnormal
    case 3: return oli::bits_to_f32(0x80400000u);  // negative subnormal
    case 4: return 3.0e38f;
    case 5: return oli::bits_to_f32(0x7F800000u);
    case 6: return oli::bits_to_f32(0xFF800000u);
    case 7: return oli::bits_to_f32(0x7FC00001u);
    default: return r.uniform(scale);
  }
}

bool same(float a, float b) {
  if (a != a && b != b) return true;
  return oli::f32_to_bits(a) == oli::f32_to_bits(b);
}

void report(const std::string& check, const std::string& name, const std::vector<float>& want,
            const std::vector<float>& got) {
  size_t bad = 0, first = 0;
  for (size_t i = 0; i < want.size(); i++)
    if (!same(want[i], got[i]) && bad++ == 0) first = i;
  count(check, bad == 0);
  if (bad == 0) return;
  std::printf("{\"check\":\"%s\",\"case\":\"%s\",\"elements\":%zu,\"mismatches\":%zu,\"first\":%zu,\"want\":\"%08x\",\"got\":\"%08x\"}\n",
              check.c_str(), name.c_str(), want.size(), bad, first, oli::f32_to_bits(want[first]), oli::f32_to_bits(got[first]));
}

void check_ok(const std::string& check, const std::string& name, bool ok) {
  count(check, ok);
  if (!ok) std::printf("{\"check\":\"%s\",\"case\":\"%s\",\"elements\":1,\"mismatches\":1}\n", check.c_str(), name.c_str());
}

uint16_t to_bf16(float f) { return static_cast<uint16_t>(oli::f32_to_bits(f) >> 16); }

void check_kernels(const oli::cpu::Kernels& k) {
  const oli::cpu::Kernels& ref = oli::cpu::scalar_kernels();
  Rng rng(42);
  const int32_t Ks[] = {1, 5, 16, 17, 31, 48, 100, 768};
  for (int32_t K : Ks) {
    for (int32_t T = 1; T <= 9; T++) {
      for (int32_t N = 1; N <= 35; N += (K >= 100 ? 3 : 1)) {
        // strides wider than K, offset rows n0 > 0 (rows are split between threads at any block)
        const int64_t xs = K + 3, ws = K + 1, ys = N + 2;
        std::vector<float> x(static_cast<size_t>(T) * xs), w(static_cast<size_t>(N) * ws);
        for (auto& v : x) v = special_or(rng, 1.0f);
        for (auto& v : w) v = special_or(rng, 0.5f);
        std::vector<uint16_t> w16(w.size());
        for (size_t i = 0; i < w.size(); i++) w16[i] = to_bf16(w[i]);
        const int32_t n0 = N > 9 ? 1 : 0;
        std::vector<float> want(static_cast<size_t>(T) * ys, -7.0f), got = want;
        char name[96];
        std::snprintf(name, sizeof name, "T=%d N=%d K=%d rows %d..%d", T, N, K, n0, N);
        ref.matmul(x.data(), xs, T, K, w.data(), ws, n0, N, want.data(), ys);
        k.matmul(x.data(), xs, T, K, w.data(), ws, n0, N, got.data(), ys);
        report(std::string("matmul ") + k.name, name, want, got);
        std::fill(want.begin(), want.end(), -7.0f);
        std::fill(got.begin(), got.end(), -7.0f);
        ref.matmul_bf16(x.data(), xs, T, K, w16.data(), ws, n0, N, want.data(), ys);
        k.matmul_bf16(x.data(), xs, T, K, w16.data(), ws, n0, N, got.data(), ys);
        report(std::string("matmul_bf16 ") + k.name, name, want, got);
      }
    }
    std::vector<float> a(K), b(K);
    for (int rep = 0; rep < 8; rep++) {
      for (auto& v : a) v = special_or(rng, 2.0f);
      for (auto& v : b) v = special_or(rng, 2.0f);
      report(std::string("dot ") + k.name, "K=" + std::to_string(K) + " rep " + std::to_string(rep),
             {ref.dot(a.data(), b.data(), K)}, {k.dot(a.data(), b.data(), K)});
    }
  }
  // silu_mul: exp_f's branch edges (NaN, +-inf, > 88.72..., < -87, the n = 128 lane), subnormals,
  // zeros and a dense sweep, at lengths with and without a 16-lane tail
  std::vector<float> g = {0.0f, -0.0f, 1.0f, -1.0f, 87.0f, -87.0f, 86.9999f, -88.72283935546875f,
                          -88.7228393f, -88.72284f, -88.376f, -88.5f, -88.4f, 88.72283935546875f, 100.0f, -100.0f,
                          oli::bits_to_f32(0x7F800000u), oli::bits_to_f32(0xFF800000u), oli::bits_to_f32(0x7FC00000u),
                          oli::bits_to_f32(0xFFC00123u), oli::bits_to_f32(0x00000001u), oli::bits_to_f32(0x80000001u),
                          3.0e38f, -3.0e38f, 1e-30f, -1e-30f};
  for (int i = 0; i < 20000; i++) g.push_back(-120.0f + 240.0f * static_cast<float>(i) / 20000.0f);
  for (int i = 0; i < 2000; i++) g.push_back(special_or(rng, 30.0f));
  std::vector<float> u(g.size());
  for (auto& v : u) v = special_or(rng, 3.0f);
  for (int64_t n : {static_cast<int64_t>(g.size()), static_cast<int64_t>(g.size()) - 7, int64_t{15}, int64_t{16}, int64_t{1}}) {
    std::vector<float> want(n), got(n);
    ref.silu_mul(g.data(), u.data(), n, want.data());
    k.silu_mul(g.data(), u.data(), n, got.data());
    report(std::string("silu_mul ") + k.name, "n=" + std::to_string(n), want, got);
  }
  // exp_shifted (attention probabilities): the same values, shifted by maxima incl. +-inf and NaN
  const float shifts[] = {0.0f, 3.5f, -2.25f, oli::bits_to_f32(0xFF800000u), oli::bits_to_f32(0x7F800000u),
                          oli::bits_to_f32(0x7FC00000u)};
  for (float m : shifts) {
    for (int32_t n : {1, 7, 16, 31, 32, static_cast<int32_t>(g.size())}) {
      std::vector<float> want(n), got(n);
      ref.exp_shifted(g.data(), m, n, want.data());
      k.exp_shifted(g.data(), m, n, got.data());
      report(std::string("exp_shifted ") + k.name, "m=" + std::to_string(m) + " n=" + std::to_string(n), want, got);
    }
  }
}

// matmul_group on the CPU backend (2 threads) equals one matmul / matmul_bf16 per item and
// silu_mul on the scalar backend (1 thread).
void check_group(uint32_t kernels, const char* label) {
  oli::CpuBackendOptions ro, co;
  ro.threads = 1;
  ro.kernels = OLI_CPU_KERNELS_SCALAR;
  co.threads = 2;
  co.kernels = kernels;
  std::unique_ptr<oli::Backend> ref, cand;
  if (oli::create_cpu_backend(ro, &ref) != OLI_STATUS_OK || oli::create_cpu_backend(co, &cand) != OLI_STATUS_OK) {
    check_ok(std::string("matmul_group ") + label, "backend created", false);
    return;
  }
  Rng rng(7);
  struct Shape { int32_t T, K, N[3], n; bool silu, bf16; };
  const Shape shapes[] = {
      {1, 64, {64, 16, 16}, 3, false, false},  {1, 72, {72, 24, 24}, 3, false, true},
      {5, 33, {37, 9, 9}, 3, false, false},    {8, 768, {768, 256, 256}, 3, false, false},
      {1, 72, {100, 100, 0}, 2, true, false},  {3, 47, {21, 21, 0}, 2, true, true},
      {9, 768, {2048, 2048, 0}, 2, true, false}, {1, 2048, {768, 0, 0}, 1, false, false},
  };
  for (const Shape& s : shapes) {
    std::vector<float> x(static_cast<size_t>(s.T) * s.K);
    for (auto& v : x) v = special_or(rng, 1.0f);
    std::vector<std::vector<float>> w(s.n);
    std::vector<std::vector<uint16_t>> w16(s.n);
    std::vector<std::vector<float>> yr(s.n), yc(s.n);
    std::vector<oli::MatmulItem> items(s.n), items_ref(s.n);
    for (int32_t i = 0; i < s.n; i++) {
      w[i].resize(static_cast<size_t>(s.N[i]) * s.K);
      for (auto& v : w[i]) v = special_or(rng, 0.3f);
      w16[i].resize(w[i].size());
      for (size_t j = 0; j < w[i].size(); j++) w16[i][j] = to_bf16(w[i][j]);
      yr[i].assign(static_cast<size_t>(s.T) * s.N[i], -7.0f);
      yc[i] = yr[i];
      items[i].N = s.N[i];
      items[i].y = yc[i].data();
      if (s.bf16) {
        items[i].w16 = w16[i].data();
      } else {
        items[i].w = w[i].data();
      }
    }
    for (int32_t i = 0; i < s.n; i++) {
      if (s.bf16) {
        ref->matmul_bf16(x.data(), s.T, s.K, w16[i].data(), s.N[i], yr[i].data());
      } else {
        ref->matmul(x.data(), s.T, s.K, w[i].data(), s.N[i], yr[i].data());
      }
    }
    std::vector<float> act_r, act_c;
    if (s.silu) {
      act_r.assign(static_cast<size_t>(s.T) * s.N[0], -7.0f);
      act_c = act_r;
      ref->silu_mul(yr[0].data(), yr[1].data(), static_cast<int64_t>(s.T) * s.N[0], act_r.data());
    }
    oli_status st = cand->matmul_group(x.data(), s.T, s.K, items.data(), s.n, s.silu ? act_c.data() : nullptr);
    char name[96];
    std::snprintf(name, sizeof name, "T=%d K=%d items=%d N0=%d%s%s", s.T, s.K, s.n, s.N[0], s.silu ? " silu" : "",
                  s.bf16 ? " bf16" : "");
    check_ok(std::string("matmul_group ") + label, std::string(name) + " status", st == OLI_STATUS_OK);
    for (int32_t i = 0; i < s.n; i++)
      report(std::string("matmul_group ") + label, std::string(name) + " item " + std::to_string(i), yr[i], yc[i]);
    if (s.silu) report(std::string("matmul_group ") + label, std::string(name) + " silu", act_r, act_c);
  }
}

void check_pool() {
  for (uint32_t threads : {1u, 2u, 3u}) {
    oli::ThreadPool pool(threads);
    const std::string label = "threads=" + std::to_string(threads);
    // every item exactly once, over many loops of many sizes and grains
    bool once = true;
    for (int64_t n = 1; n <= 3000; n = n * 3 + 1) {
      for (int64_t grain : {int64_t{1}, int64_t{2}, int64_t{7}, int64_t{64}}) {
        std::vector<std::atomic<int>> hits(n);
        for (auto& h : hits) h.store(0);
        pool.parallel_for(n, grain, [&](int64_t b, int64_t e) {
          if (b < 0 || e > n || b >= e) throw std::logic_error("bad range");
          for (int64_t i = b; i < e; i++) hits[i].fetch_add(1);
        });
        for (auto& h : hits) once = once && h.load() == 1;
      }
    }
    check_ok("thread_pool", label + " every item run exactly once", once);
    // an exception on any thread reaches the caller; the pool keeps working afterwards
    for (int64_t bad : {int64_t{0}, int64_t{999}}) {
      std::string what;
      try {
        pool.parallel_for(1000, 1, [&](int64_t b, int64_t e) {
          for (int64_t i = b; i < e; i++)
            if (i == bad) throw std::runtime_error("item " + std::to_string(i));
        });
      } catch (const std::runtime_error& err) {
        what = err.what();
      }
      check_ok("thread_pool", label + " exception at item " + std::to_string(bad) + " rethrown on the caller",
               what == "item " + std::to_string(bad));
    }
    std::atomic<int64_t> sum{0};
    pool.parallel_for(1000, 1, [&](int64_t b, int64_t e) {
      for (int64_t i = b; i < e; i++) sum.fetch_add(i);
    });
    check_ok("thread_pool", label + " usable after an exception", sum.load() == 999 * 1000 / 2);
  }
}

}  // namespace

int main() {
  const oli::cpu::Kernels* simd[] = {oli::cpu::avx512_kernels(), oli::cpu::avx2_kernels()};
  for (const oli::cpu::Kernels* k : simd)
    if (k) check_kernels(*k);
  check_kernels(oli::cpu::scalar_kernels());
  if (oli::cpu::avx512_kernels()) check_group(OLI_CPU_KERNELS_AVX512, "avx512");
  if (oli::cpu::avx2_kernels()) check_group(OLI_CPU_KERNELS_AVX2, "avx2");
  check_group(OLI_CPU_KERNELS_SCALAR, "scalar");
  check_pool();
  for (const auto& [check, c] : g_checks)
    std::printf("{\"total\":\"%s\",\"cases\":%d,\"failed\":%d}\n", check.c_str(), c.first, c.second);
  std::printf("{\"summary\":true,\"avx512\":%s,\"avx2\":%s,\"cases\":%d,\"failed\":%d}\n",
              oli::cpu::avx512_kernels() ? "true" : "false", oli::cpu::avx2_kernels() ? "true" : "false", g_cases,
              g_failed);
  return g_failed ? 1 : 0;
}
