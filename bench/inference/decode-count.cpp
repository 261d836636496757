// decode-count.cpp: instructions per decoded token of the native engine, without Node, for
// load-independent A/B comparisons of the CPU backend (wall time on a shared machine is noisy).
// It drives the C API (native/include/openledger-infer.h) and marks two generate calls for
// callgrind: "prefill" (prompt + 1 token) and "full" (prompt + 1 + N tokens);
// instructions per token = (Ir(full) - Ir(prefill)) / (batch * N).
//
// Build (the addon's flags) and run, e.g. at batch 1 with 1 thread:
//   c++ -O3 -std=c++17 -ffp-contract=off -fno-fast-math -pthread -Inative/include \
//     bench/inference/decode-count.cpp $(ls native/src/*.cpp native/src/cpu/*.cpp | grep -v addon.cpp) -o decode-count
//   valgrind --tool=callgrind --instr-atstart=no --callgrind-out-file=cg.%p ./decode-count <modelDir> 1 16 1 [<adapterDir>]
//   callgrind_annotate cg.<pid>.1 | head; callgrind_annotate cg.<pid>.2 | head   (totals: prefill, full)
// Valgrind does not emulate AVX-512: under it the engine picks the AVX2 kernels. Without valgrind
// the program prints wall and CPU time per token instead.
// Args: <modelDir> <batch> <N> <threads> [<adapterDir>: adapter-0000.. used round robin]
#include <sys/resource.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "openledger-infer.h"

#if __has_include(<valgrind/callgrind.h>)
#include <valgrind/callgrind.h>
#else
#define CALLGRIND_START_INSTRUMENTATION
#define CALLGRIND_STOP_INSTRUMENTATION
#define CALLGRIND_DUMP_STATS_AT(x)
#endif

static void check(oli_status st, const char* what) {
  if (st != OLI_STATUS_OK) {
    std::fprintf(stderr, "%s: %s: %s\n", what, oli_status_to_string(st), oli_error_get_last());
    std::exit(1);
  }
}

static double cpu_seconds() {
  rusage ru;
  getrusage(RUSAGE_SELF, &ru);
  return ru.ru_utime.tv_sec + ru.ru_stime.tv_sec + (ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) * 1e-6;
}

int main(int argc, char** argv) {
  if (argc < 5) {
    std::fprintf(stderr, "usage: decode-count <modelDir> <batch> <N> <threads> [<adapterDir>]\n");
    return 2;
  }
  const int batch = std::atoi(argv[2]), steps = std::atoi(argv[3]);
  oli_engine_options opt;
  oli_engine_options_set_defaults(&opt);
  opt.backend = OLI_BACKEND_CPU;
  opt.threads = static_cast<uint32_t>(std::atoi(argv[4]));
  opt.max_running = 32;
  opt.max_batch_tokens = 512;
  oli_engine* engine = nullptr;
  check(oli_engine_init(&opt, &engine), "init");
  check(oli_engine_load_model(engine, argv[1]), "load model");
  oli_model_info info;
  check(oli_engine_get_model_info(engine, &info), "model info");
  std::vector<std::string> ids;
  if (argc > 5) {
    for (int i = 0; i < 8; i++) {
      char dir[4096];
      std::snprintf(dir, sizeof dir, "%s/adapter-%04d", argv[5], i);
      oli_adapter_info ai;
      check(oli_engine_load_adapter(engine, dir, &ai), "load adapter");
      ids.push_back(ai.id);
    }
  }
  std::vector<std::vector<int32_t>> prompts(batch);
  for (int i = 0; i < batch; i++)
    for (int j = 0; j < 4; j++) prompts[i].push_back(static_cast<int32_t>((((i + 1) * 7919LL) + j * 104729LL) % info.vocab_size));
  auto generate = [&](uint32_t max_tokens) {
    oli_batch* b = nullptr;
    check(oli_batch_init(&b), "batch");
    for (int i = 0; i < batch; i++) {
      oli_request r = {};
      r.prompt = prompts[i].data();
      r.prompt_len = static_cast<uint32_t>(prompts[i].size());
      r.adapter_id = ids.empty() ? nullptr : ids[i % ids.size()].c_str();
      r.max_tokens = max_tokens;
      r.top_p = 1.0f;
      r.request_id = static_cast<uint64_t>(i);
      r.n = 1;
      check(oli_batch_add(b, &r), "add");
    }
    check(oli_engine_generate(engine, b), "generate");
    oli_batch_free(b);
  };
  generate(2);  // warm: faults, code paths
  auto t0 = std::chrono::steady_clock::now();
  double c0 = cpu_seconds();
  CALLGRIND_START_INSTRUMENTATION;
  generate(1);
  CALLGRIND_STOP_INSTRUMENTATION;
  CALLGRIND_DUMP_STATS_AT("prefill");
  auto t1 = std::chrono::steady_clock::now();
  double c1 = cpu_seconds();
  CALLGRIND_START_INSTRUMENTATION;
  generate(static_cast<uint32_t>(1 + steps));
  CALLGRIND_STOP_INSTRUMENTATION;
  CALLGRIND_DUMP_STATS_AT("full");
  auto t2 = std::chrono::steady_clock::now();
  double c2 = cpu_seconds();
  double n = static_cast<double>(batch) * steps;
  double wall = (std::chrono::duration<double>(t2 - t1).count() - std::chrono::duration<double>(t1 - t0).count()) / n;
  std::printf("{\"kernels\":\"%s\",\"batch\":%d,\"tokens\":%d,\"threads\":%u,\"adapters\":%zu,\"wallMsPerTok\":%.3f,\"cpuMsPerTok\":%.3f}\n",
              info.cpu_kernels, batch, steps, opt.threads, ids.size(), wall * 1e3, ((c2 - c1) - (c1 - c0)) / n * 1e3);
  oli_engine_free(engine);
  return 0;
}
