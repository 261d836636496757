/*
 * openledger-infer.h: C API of the OpenLedger multi-LoRA inference engine.
 *
 * This header is the only surface the N-API glue (src/addon.cpp) calls. The arithmetic behind
 * every number it returns is specified in ../ARITHMETIC.md and is bit-exact across batch
 * composition, thread count, KV block size and backend (CPU / CUDA).
 *
 * Conventions
 *  - Names (STYLE.md section 3): functions are oli_<object>_<action> in snake_case
 *    (oli_engine_load_model, oli_status_to_string, oli_error_get_last); enum values carry their
 *    enum's prefix in upper case (oli_log_level -> OLI_LOG_LEVEL_*); C API integers are sized.
 *  - Every fallible function returns an oli_status. OLI_STATUS_OK is 0. On failure a message
 *    describing the problem is available from oli_error_get_last() on the calling thread.
 *  - Objects come in init/free pairs. Free functions accept NULL.
 *  - An oli_engine is internally serialised: calls from several threads are safe and run one
 *    after another.
 *  - Pointers handed out by the engine (result tokens, logits) stay valid until the owning object
 *    (oli_batch) is freed.
 */
#ifndef OPENLEDGER_INFER_H
#define OPENLEDGER_INFER_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* 2: object_action function names and prefixed enum values (STYLE.md section 3), two-tier
 * adapter cache, model identity, log notification, debug entry points. */
#define OLI_API_VERSION 2u

/** Status codes. Stable numbers: the TS face maps each one to a NATIVE_ERROR_* string code. */
typedef enum oli_status {
  OLI_STATUS_OK = 0,
  OLI_STATUS_INVALID_ARGUMENT = 1,      /* bad option / parameter value */
  OLI_STATUS_IO_ERROR = 2,              /* file missing or unreadable */
  OLI_STATUS_FORMAT_ERROR = 3,          /* malformed JSON / safetensors header */
  OLI_STATUS_TRUNCATED_FILE = 4,        /* file shorter than its header says */
  OLI_STATUS_UNSUPPORTED_DTYPE = 5,     /* tensor dtype not F32/BF16/F16 or unknown */
  OLI_STATUS_MISSING_TENSOR = 6,        /* a required tensor is absent */
  OLI_STATUS_SHAPE_MISMATCH = 7,        /* tensor shape differs from what the config implies */
  OLI_STATUS_UNSUPPORTED_MODEL = 8,     /* config.json describes something not supported */
  OLI_STATUS_UNSUPPORTED_ADAPTER = 9,   /* PEFT variant not supported (DoRA, bias, ...) */
  OLI_STATUS_ADAPTER_RANK_TOO_LARGE = 10,
  OLI_STATUS_ADAPTER_NOT_FOUND = 11,
  OLI_STATUS_ADAPTER_TOO_LARGE = 12,    /* adapter alone exceeds the adapter cache budget */
  OLI_STATUS_ADAPTER_CHANGED = 13,      /* files on disk no longer match the adapter's hash */
  OLI_STATUS_NO_MODEL = 14,             /* operation needs a loaded model */
  OLI_STATUS_MODEL_ALREADY_LOADED = 15,
  OLI_STATUS_TOKEN_OUT_OF_RANGE = 16,
  OLI_STATUS_PROMPT_TOO_LONG = 17,      /* prompt + max_tokens exceeds the context length */
  OLI_STATUS_KV_OUT_OF_MEMORY = 18,     /* request can never fit in the KV cache */
  OLI_STATUS_OUT_OF_MEMORY = 19,        /* host or device allocation failed */
  OLI_STATUS_BACKEND_UNAVAILABLE = 20,  /* requested backend not compiled in / no device */
  OLI_STATUS_BACKEND_ERROR = 21,        /* device runtime error */
  OLI_STATUS_INTERNAL = 22
} oli_status;

/** Backend selection. */
typedef enum oli_backend {
  OLI_BACKEND_AUTO = 0, /* CUDA when compiled in and a device exists, else CPU */
  OLI_BACKEND_CPU = 1,
  OLI_BACKEND_CUDA = 2
} oli_backend;

/** CPU kernel selection (all variants produce identical bits; see ARITHMETIC.md). */
typedef enum oli_cpu_kernels {
  OLI_CPU_KERNELS_AUTO = 0,
  OLI_CPU_KERNELS_SCALAR = 1,
  OLI_CPU_KERNELS_AVX512 = 2,
  OLI_CPU_KERNELS_AVX2 = 3
} oli_cpu_kernels;

/** What a request returns of its logits. */
typedef enum oli_logits_mode {
  OLI_LOGITS_MODE_NONE = 0,
  OLI_LOGITS_MODE_HASH = 1, /* SHA-256 over all generated steps' logits bytes */
  OLI_LOGITS_MODE_FULL = 2  /* every generated step's logits (n_tokens * vocab floats) plus the hash */
} oli_logits_mode;

/** Why a completion ended. */
typedef enum oli_finish_reason {
  OLI_FINISH_REASON_LENGTH = 0, /* max_tokens reached */
  OLI_FINISH_REASON_STOP = 1    /* a stop token was sampled (it is included in the output) */
} oli_finish_reason;

/** Log levels of the engine's messages (see oli_engine_drain_logs). */
typedef enum oli_log_level {
  OLI_LOG_LEVEL_DEBUG = 0,
  OLI_LOG_LEVEL_INFO = 1,
  OLI_LOG_LEVEL_WARN = 2,
  OLI_LOG_LEVEL_ERROR = 3
} oli_log_level;

/** Bit flags of LoRA target modules (oli_adapter_info.targets). */
typedef enum oli_target {
  OLI_TARGET_Q = 1u << 0,
  OLI_TARGET_K = 1u << 1,
  OLI_TARGET_V = 1u << 2,
  OLI_TARGET_O = 1u << 3,
  OLI_TARGET_GATE = 1u << 4,
  OLI_TARGET_UP = 1u << 5,
  OLI_TARGET_DOWN = 1u << 6
} oli_target;

/** Test-only switches of oli_engine_options.debug_flags (0 in production). */
typedef enum oli_debug_flag {
  /*
   * On a host-visible backend (CPU), keep separate device-tier adapter copies (allocate + copy)
   * as a device backend does, so the device tier's budget and LRU can be tested without a GPU.
   * Costs a second copy of every attached adapter; never useful in production.
   */
  OLI_DEBUG_FLAG_SEPARATE_ADAPTER_COPIES = 1u << 0,
  /* Allow oli_engine_debug_inject_fault (otherwise it fails with OLI_STATUS_INVALID_ARGUMENT). */
  OLI_DEBUG_FLAG_FAULT_INJECTION = 1u << 1
} oli_debug_flag;

/** Faults of oli_engine_debug_inject_fault (tests only). */
typedef enum oli_debug_fault {
  OLI_DEBUG_FAULT_NONE = 0,       /* disarm */
  OLI_DEBUG_FAULT_STATUS = 1,     /* the step returns OLI_STATUS_INTERNAL ("injected fault") */
  OLI_DEBUG_FAULT_BAD_ALLOC = 2,  /* the step throws std::bad_alloc (OLI_STATUS_OUT_OF_MEMORY) */
  OLI_DEBUG_FAULT_EXCEPTION = 3   /* the step throws std::runtime_error (OLI_STATUS_INTERNAL) */
} oli_debug_fault;

/**
 * Engine options. Fill with oli_engine_options_set_defaults() and override. The defaults below
 * are the single source: the TS face's defaultEngineOptions equal them (test/native/options.test.ts).
 *
 * Adapter cache: two tiers, each LRU over adapters not used by a running sequence (pinned).
 *  - Host tier (adapter_cache_bytes): the adapter's weights parsed and widened to f32 in host
 *    memory. Evicting a host copy drops the adapter to "registered, on disk": its next use re-reads
 *    its files, and serves them only if they still hash to the adapter's id
 *    (OLI_STATUS_ADAPTER_CHANGED otherwise).
 *  - Device tier (adapter_device_cache_bytes): the backend's copy that the forward pass reads,
 *    uploaded from the host copy. It is a subset of the host tier (evicting a host copy also drops
 *    its device copy), so the device tier holds at most min(both budgets). Evicting a device copy
 *    keeps the host copy: the next use uploads it again without touching the disk.
 *  - Shared tiers: on a host-visible backend (CPU) the backend reads the host copy in place, so
 *    there is no device tier: adapter_device_cache_bytes is ignored, and the device counters of
 *    oli_engine_stats stay 0 (adapter_tiers_shared = 1). Only adapter_cache_bytes bounds memory.
 *  - An adapter larger than a budget that applies is refused with OLI_STATUS_ADAPTER_TOO_LARGE.
 *    Room is made before a copy is filled; while an adapter's files are being read and widened
 *    their bytes are held as well (peak host use = host budget + one adapter's file size).
 */
typedef struct oli_engine_options {
  uint32_t backend;              /* oli_backend (default OLI_BACKEND_AUTO) */
  uint32_t cpu_kernels;          /* oli_cpu_kernels (default OLI_CPU_KERNELS_AUTO) */
  uint32_t threads;              /* CPU worker threads, 1..256 (default 1) */
  uint32_t kv_block_size;        /* tokens per KV block, 1..256 (default 16) */
  uint32_t kv_blocks;            /* KV blocks in the pool, 1..2^24 (default 256) */
  uint32_t max_seq_len;          /* 0 = model's max_position_embeddings (default 0) */
  uint32_t max_batch_tokens;     /* token budget per step, 1..65536 (default 256) */
  uint32_t max_running;          /* sequences decoded together, 1..4096 (default 64) */
  uint32_t prefill_chunk;        /* max prompt tokens of one sequence per step, >= 1 (default 128) */
  uint32_t max_lora_rank;        /* largest adapter rank accepted, 1..4096 (default 64) */
  uint64_t adapter_cache_bytes;  /* host tier budget in bytes, >= 1 (default 1 GiB) */
  uint64_t adapter_device_cache_bytes; /* device tier budget in bytes, >= 1 (default 512 MiB) */
  uint32_t debug_flags;          /* OLI_DEBUG_FLAG_* bits, tests only (default 0) */
  uint32_t log_queue_lines;      /* log lines kept between drains, 16..2^20 (default 4096) */
} oli_engine_options;

/** Model facts after load. */
typedef struct oli_model_info {
  uint32_t vocab_size;
  uint32_t hidden_size;
  uint32_t intermediate_size;
  uint32_t num_layers;
  uint32_t num_heads;
  uint32_t num_kv_heads;
  uint32_t head_dim;
  uint32_t max_position_embeddings;
  uint32_t tied_embeddings;      /* 0/1 */
  uint32_t source_dtype;         /* 0 f32, 1 bf16, 2 f16 (of the first weight) */
  float rms_norm_eps;
  float rope_theta;
  uint64_t num_parameters;
  uint64_t weight_bytes;         /* resident weight bytes read per decode step at batch 1: every
                                    linear weight as held (BF16-resident matrices count 2 bytes per
                                    parameter, widened ones 4), the norms, one embedding row */
  uint64_t file_bytes;           /* bytes of the weight files read at load */
  /*
   * Content identity of the model, lowercase hex: SHA-256( SHA-256(config.json) ||
   * [SHA-256(model.safetensors.index.json), when sharded] || SHA-256(shard) for every weight file
   * in byte-wise name order ), over exactly the bytes loaded. Weight files are read once into
   * private memory (never mapped), so truncating or rewriting them after load changes nothing.
   */
  char id[65];
  char backend[16];              /* "cpu" or "cuda" */
  char cpu_kernels[16];          /* backend variant: "scalar", "avx2", "avx512" (CPU) */
} oli_model_info;

/** Adapter facts. id is the lowercase hex SHA-256 identity (see oli_engine_load_adapter). */
typedef struct oli_adapter_info {
  char id[65];
  char path[4096];
  uint32_t rank;
  uint32_t targets;              /* OLI_TARGET_* mask */
  uint32_t use_rslora;           /* 0/1 */
  uint32_t host_resident;        /* 0/1: a host-tier copy exists */
  uint32_t device_resident;      /* 0/1: a separate device-tier copy exists (0 with shared tiers) */
  uint32_t merged;               /* 0/1: currently merged (merge mode) */
  float alpha;
  float scale;
  uint64_t bytes;                /* size of one copy (f32 bytes) */
  uint64_t last_used;            /* LRU tick (both tiers) */
} oli_adapter_info;

/**
 * Engine counters. A "use" of an adapter is the admission of a sequence that needs it (and a
 * merge). Per-call state (reserved blocks, pins) is 0 between calls, including after a failed one.
 */
typedef struct oli_engine_stats {
  uint32_t kv_blocks_total;
  uint32_t kv_blocks_free;
  uint32_t kv_blocks_reserved;       /* reserved by admitted sequences, not yet allocated */
  uint32_t adapters_registered;
  uint32_t adapters_host_resident;   /* adapters with a host-tier copy */
  uint32_t adapters_device_resident; /* adapters with a separate device-tier copy */
  uint32_t adapter_tiers_shared;     /* 1: the backend reads the host tier in place (no device tier) */
  uint32_t adapter_pins;             /* sequences currently pinning adapters */
  uint64_t adapter_host_bytes;       /* bytes of host-tier copies (<= adapter_cache_bytes) */
  uint64_t adapter_device_bytes;     /* bytes of device-tier copies (<= adapter_device_cache_bytes) */
  uint64_t adapter_device_hits;      /* uses served by an existing device copy */
  uint64_t adapter_host_hits;        /* uses served from the host tier without reading the disk
                                        (with shared tiers: every use whose weights were in memory) */
  uint64_t adapter_host_evictions;
  uint64_t adapter_device_evictions; /* device copies dropped (alone, or with their host copy) */
  uint64_t adapter_disk_loads;       /* host copies filled from files: registrations and reloads */
  uint64_t adapter_disk_reloads;     /* of which reloads of registered adapters after host eviction */
  uint64_t adapter_disk_bytes;       /* bytes read from adapter files (each file read once per load) */
  uint64_t steps;                    /* forward steps run */
  uint64_t tokens_processed;         /* tokens through the model (prompt + generated) */
  uint64_t kv_cow_copies;            /* copy-on-write block copies */
  uint64_t log_lines_dropped;        /* log lines lost to a full log queue (see oli_engine_drain_logs) */
} oli_engine_stats;

/** One generation request. Arrays are copied by oli_batch_add. */
typedef struct oli_request {
  const int32_t* prompt;
  uint32_t prompt_len;           /* >= 1 */
  const char* adapter_id;        /* NULL or "" = base model */
  uint32_t max_tokens;           /* >= 1 */
  float temperature;             /* >= 0; 0 = greedy */
  uint32_t top_k;                /* 0 = off */
  float top_p;                   /* (0, 1]; 1 = off */
  uint64_t seed;
  uint64_t request_id;           /* RNG key part; callers give distinct ids to distinct requests */
  const int32_t* stop_tokens;
  uint32_t num_stop_tokens;
  uint32_t n;                    /* completions sharing the prompt's KV blocks (copy-on-write), >= 1 */
  uint32_t logits_mode;          /* oli_logits_mode */
} oli_request;

/** One completion of a request. */
typedef struct oli_result {
  const int32_t* tokens;
  uint32_t num_tokens;
  uint32_t finish_reason;        /* oli_finish_reason */
  const float* logits;           /* OLI_LOGITS_MODE_FULL: num_tokens * vocab floats, else NULL */
  uint64_t num_logits;           /* number of floats at logits */
  uint8_t logits_sha256[32];     /* OLI_LOGITS_MODE_HASH / FULL */
  double attr_delta_norm;        /* see ARITHMETIC.md section 10 */
  double attr_base_norm;
  uint64_t attr_terms;
} oli_result;

typedef struct oli_engine oli_engine;
typedef struct oli_batch oli_batch;

/** Version of this API (OLI_API_VERSION of the compiled library). */
uint32_t oli_api_get_version(void);

/** Constant name of a status ("OLI_STATUS_..."). */
const char* oli_status_to_string(oli_status status);

/** Message of the last failure on the calling thread ("" if none). */
const char* oli_error_get_last(void);

/** 1 when the library was compiled with the CUDA backend. */
int32_t oli_cuda_is_compiled(void);

/** Number of usable CUDA devices (0 without CUDA support, driver or device). */
int32_t oli_cuda_get_device_count(void);

/** Fill options with defaults. */
void oli_engine_options_set_defaults(oli_engine_options* options);

/** Create an engine (no model yet). */
oli_status oli_engine_init(const oli_engine_options* options, oli_engine** out);

/** Destroy an engine and everything it owns. */
void oli_engine_free(oli_engine* engine);

/**
 * Load a Llama-architecture model from a Hugging Face directory: config.json plus
 * model.safetensors or model.safetensors.index.json with shards (F32/BF16/F16).
 */
oli_status oli_engine_load_model(oli_engine* engine, const char* dir);

/** Facts of the loaded model. */
oli_status oli_engine_get_model_info(oli_engine* engine, oli_model_info* out);

/**
 * Register and load a PEFT LoRA adapter directory (adapter_config.json +
 * adapter_model.safetensors). Its id is SHA-256( SHA-256(adapter_config.json bytes) ||
 * SHA-256(adapter_model.safetensors bytes) ) in lowercase hex. Loading the same content twice
 * returns the same id. Unsupported variants fail with OLI_STATUS_UNSUPPORTED_ADAPTER.
 */
oli_status oli_engine_load_adapter(oli_engine* engine, const char* dir, oli_adapter_info* out);

/** Unregister an adapter (frees its weights; unmerges it if merged). */
oli_status oli_engine_unload_adapter(oli_engine* engine, const char* id);

/** Copy up to capacity adapter infos (ordered by id); *count receives the total registered. */
oli_status oli_engine_list_adapters(oli_engine* engine, oli_adapter_info* out, uint32_t capacity,
                                    uint32_t* count);

/** Merge mode: build W + scale*B*A for one adapter in a copy of the base weights. */
oli_status oli_engine_merge_adapter(oli_engine* engine, const char* id);

/** Drop the merged copy (requests for the adapter use the unmerged path again). */
oli_status oli_engine_unmerge_adapter(oli_engine* engine);

/**
 * Counters as published after the last step or registry change. Never waits for a running call,
 * so it is safe to call from a metrics scrape while oli_engine_generate runs on another thread.
 */
oli_status oli_engine_get_stats(oli_engine* engine, oli_engine_stats* out);

/**
 * Logging. The engine never prints: it appends each message to one FIFO queue of at most
 * options.log_queue_lines lines. A full queue drops its oldest line and counts it
 * (oli_engine_stats.log_lines_dropped); the next drain first reports the loss as an
 * OLI_LOG_LEVEL_WARN line ("N native log lines were dropped ..."), so nothing is lost silently.
 *
 * Drain queued messages: calls fn(level, message, user) for each, oldest first, and clears the
 * queue. Never waits for a running call; safe from any thread.
 */
void oli_engine_drain_logs(oli_engine* engine,
                           void (*fn)(int32_t level, const char* message, void* user), void* user);

/**
 * Push notification of log lines (NULL removes it): fn(user) is called right after each line is
 * queued, on the thread that logged it (the thread running an engine call, never a CPU compute
 * worker), with no engine lock held other than the call's own serialisation. fn must not block;
 * it may drain on the spot (oli_engine_drain_logs) or wake another thread to drain, as the N-API
 * glue does (a thread-safe function into the JS logger, so lines reach it while a long call runs,
 * in order). If lines are queued when fn is set, it is called once at once. A call racing with a
 * change may still use the previous fn; after oli_engine_free returns fn is never called.
 */
void oli_engine_set_log_notify(oli_engine* engine, void (*fn)(void* user), void* user);

/** Create an empty batch of requests. */
oli_status oli_batch_init(oli_batch** out);

/** Free a batch and its results. */
void oli_batch_free(oli_batch* batch);

/** Append a request (copied). */
oli_status oli_batch_add(oli_batch* batch, const oli_request* request);

/**
 * Run every request of the batch to completion with continuous batching (requests for different
 * adapters share steps; chunked prefill). All requests are validated before any work starts; on a
 * validation failure nothing runs and the engine stays usable. A failure after work started
 * (device error, allocation failure, a changed adapter file, ...) returns its status with the
 * engine fully usable: every KV block, reservation and adapter pin the call took is released
 * (stats then show kv_blocks_free == kv_blocks_total, kv_blocks_reserved == 0, adapter_pins == 0),
 * and no partial results are reported.
 */
oli_status oli_engine_generate(oli_engine* engine, oli_batch* batch);

/**
 * Tests only (needs debug_flags OLI_DEBUG_FLAG_FAULT_INJECTION, else OLI_STATUS_INVALID_ARGUMENT): arm
 * a fault (oli_debug_fault) for the next oli_engine_generate call. It fires once, in scheduler step
 * `step` (1-based) of that call, after the step's KV blocks are allocated and its sequences forked
 * and pinned, before the forward pass; if the call has fewer steps it never fires. Either way it is
 * disarmed when that call returns. Used to prove that a failure mid-generate releases everything.
 */
oli_status oli_engine_debug_inject_fault(oli_engine* engine, uint32_t kind, uint32_t step);

/**
 * Debug / test entry point: the sampling uniform u of ARITHMETIC.md section 13 for (seed,
 * request_id, sample_index, step), where step is the index of the generated token and sample_index
 * the completion index (< request.n). Exactly the value the engine's sampler uses; exposed so the
 * documented RNG constants can be checked against an independent implementation.
 */
float oli_sampler_debug_uniform(uint64_t seed, uint64_t request_id, uint64_t sample_index, uint64_t step);

/** Result of completion sample_index (< request.n) of request request_index after generate. */
oli_status oli_batch_get_result(const oli_batch* batch, uint32_t request_index, uint32_t sample_index,
                            oli_result* out);

#ifdef __cplusplus
}
#endif

#endif /* OPENLEDGER_INFER_H */
