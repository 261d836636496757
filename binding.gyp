{
  # openledger_infer: the native multi-LoRA inference addon (see native/README.md).
  # CPU backend always; the CUDA backend (native/cuda/) joins when with_cuda==1.
  "variables": {
    # ---- CUDA detection (owned by the CUDA backend; see native/cuda/README.md) ---------------
    # with_cuda is 1 when nvcc and the static CUDA runtime are found (native/cuda/cuda-config.mjs).
    # Force a CPU-only build with: node-gyp rebuild -- -Dwith_cuda=0 (or OLI_WITH_CUDA=0).
    "nvcc%": "<!(node native/cuda/cuda-config.mjs nvcc)",
    "cudart_static%": "<!(node native/cuda/cuda-config.mjs cudart)",
    "with_cuda%": "<!(node native/cuda/cuda-config.mjs with)"
  },
  "targets": [
    {
      "target_name": "openledger_infer",
      "sources": [
        "native/src/addon.cpp",
        "native/src/capi.cpp",
        "native/src/common.cpp",
        "native/src/engine.cpp",
        "native/src/engine-adapters.cpp",
        "native/src/engine-forward.cpp",
        "native/src/engine-generate.cpp",
        "native/src/adapter.cpp",
        "native/src/model.cpp",
        "native/src/json.cpp",
        "native/src/safetensors.cpp",
        "native/src/sha256.cpp",
        "native/src/host-memory.cpp",
        "native/src/sampler.cpp",
        "native/src/cpu/cpu-backend.cpp",
        "native/src/cpu/cpu-kernels.cpp",
        "native/src/cpu/thread-pool.cpp"
      ],
      "include_dirs": [
        "<!(node -p \"require('node-addon-api').include_dir\")",
        "native/include"
      ],
      "defines": [
        "NAPI_VERSION=8",
        "NODE_ADDON_API_DISABLE_DEPRECATED",
        "NAPI_CPP_EXCEPTIONS"
      ],
      # Consensus arithmetic (native/ARITHMETIC.md): no FP contraction, no fast-math; explicit
      # fma only. -march is deliberately absent: SIMD paths use target attributes + runtime checks.
      "cflags!": ["-fno-exceptions"],
      "cflags_cc!": ["-fno-exceptions", "-fno-rtti"],
      "cflags": ["-O3", "-ffp-contract=off", "-fno-fast-math", "-fexceptions"],
      "cflags_cc": ["-std=c++17", "-O3", "-ffp-contract=off", "-fno-fast-math", "-fexceptions", "-Wall", "-Wno-unused-function"],
      "ldflags": ["-pthread"],
      "conditions": [
        # ================= CUDA BACKEND: owned by the CUDA engineer ==========================
        # When with_cuda==1 (nvcc present): compile native/cuda/*.cu with a gyp rule (one object
        # per op file; sm_90 SASS + compute_90 PTX so newer GPUs JIT; --fmad=false and the IEEE
        # defaults -ftz=false -prec-div=true -prec-sqrt=true, never --use_fast_math, per
        # native/ARITHMETIC.md), link the CUDA runtime statically (libcudart_static.a -ldl
        # -lpthread -lrt: the addon then loads on machines without a driver and falls back to the
        # CPU) and define OLI_WITH_CUDA so that native/src/engine.cpp can call
        # oli::create_cuda_backend / oli::cuda_device_count (declared in native/src/backend.h).
        ["with_cuda==1", {
          "defines": ["OLI_WITH_CUDA"],
          "sources": ["<!@(node native/cuda/cuda-config.mjs sources)"],
          "rules": [
            {
              "rule_name": "nvcc",
              "extension": "cu",
              "inputs": [
                "native/cuda/cuda-check.cuh",
                "native/cuda/cuda-device.cuh",
                "native/cuda/cuda-math.cuh",
                "native/cuda/cuda-ops.cuh",
                "native/src/backend.h",
                "native/include/openledger-infer.h"
              ],
              "outputs": ["<(INTERMEDIATE_DIR)/cuda/<(RULE_INPUT_ROOT).o"],
              "action": [
                "<(nvcc)", "-c", "<(RULE_INPUT_PATH)",
                "-o", "<(INTERMEDIATE_DIR)/cuda/<(RULE_INPUT_ROOT).o",
                "-O3", "-std=c++17", "-Inative/include",
                "--fmad=false", "-ftz=false", "-prec-div=true", "-prec-sqrt=true",
                "-gencode", "arch=compute_90,code=sm_90",
                "-gencode", "arch=compute_90,code=compute_90",
                "-Xcompiler", "-fPIC", "-Xcompiler", "-ffp-contract=off",
                "-Xcompiler", "-fno-fast-math"
              ],
              "message": "NVCC <(RULE_INPUT_PATH)",
              "process_outputs_as_sources": 1
            }
          ],
          "libraries": ["<(cudart_static)", "-ldl", "-lpthread", "-lrt"]
        }]
        # ================= END CUDA BACKEND ==================================================
      ]
    }
  ]
}
