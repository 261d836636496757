{
  # openledger_infer: the native multi-LoRA inference addon (see native/README.md).
  # CPU backend always; the CUDA backend (native/cuda/) joins when with_cuda==1.
  "variables": {
    # ---- CUDA detection (owned by the CUDA backend; see native/cuda/) ----------------------
    # "auto" turns into 1 when nvcc is found. Force with: node-gyp rebuild -- -Dwith_cuda=0
    "nvcc%": "<!(command -v nvcc || echo none)",
    "with_cuda%": "0"
  },
  "targets": [
    {
      "target_name": "openledger_infer",
      "sources": [
        "native/src/addon.cpp",
        "native/src/capi.cpp",
        "native/src/common.cpp",
        "native/src/engine.cpp",
        "native/src/engine-forward.cpp",
        "native/src/adapter.cpp",
        "native/src/model.cpp",
        "native/src/json.cpp",
        "native/src/safetensors.cpp",
        "native/src/sha256.cpp",
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
        "NODE_ADDON_API_DISABLE_DEPRECATED"
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
        # When with_cuda==1 (nvcc present): compile native/cuda/*.cu into a static library
        # (sm_90 SASS + compute_90 PTX, --fmad=false, -Xcompiler -fPIC), link the CUDA runtime
        # statically (libcudart_static.a -ldl -lpthread -lrt) and define OLI_WITH_CUDA so that
        # native/src/engine.cpp can call oli::create_cuda_backend / oli::cuda_device_count
        # (declared in native/src/backend.h). Add that here; keep with_cuda==0 building.
        ["with_cuda==1", {
          "defines": ["OLI_WITH_CUDA"]
        }]
        # ================= END CUDA BACKEND ==================================================
      ]
    }
  ]
}
