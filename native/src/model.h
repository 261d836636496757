// model.h: Llama-architecture base model: config.json parsing, safetensors weights (single file
// or sharded, read once into private memory and hashed), conversion to backend buffers, RoPE tables.
#ifndef OLI_MODEL_H
#define OLI_MODEL_H

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "backend.h"
#include "safetensors.h"

namespace oli {

/** The seven LoRA-targetable projections, in the canonical order of ARITHMETIC.md section 10. */
enum Module : int32_t { MOD_Q = 0, MOD_K, MOD_V, MOD_O, MOD_GATE, MOD_UP, MOD_DOWN, MOD_COUNT };

/** HF module name ("q_proj", ...). */
const char* module_name(int32_t m);
/** Parent block of a module ("self_attn" or "mlp"). */
const char* module_parent(int32_t m);

struct ModelConfig {
  int32_t vocab = 0, hidden = 0, inter = 0, layers = 0, heads = 0, kv_heads = 0, head_dim = 0;
  int32_t max_pos = 0;
  float eps = 0.0f;
  double theta = 10000.0;
  bool tied = false;
  /** Input / output features of a module's weight ([out, in] in HF layout). */
  int32_t in_features(int32_t m) const;
  int32_t out_features(int32_t m) const;
};

struct LayerWeights {
  const float* attn_norm = nullptr;
  const float* ffn_norm = nullptr;
  const float* w[MOD_COUNT] = {};
  /** BF16-resident weight (backend supports_bf16_weights); then w[m] is null. */
  const uint16_t* w16[MOD_COUNT] = {};
};

/**
 * A loaded model. Pointers are backend addresses inside `buffers`, or (host-visible backends)
 * inside the private copies of the weight files in `files`, which are kept only while a tensor is
 * served from them in place. Nothing refers to the files on disk after load: truncating or
 * rewriting them cannot fault the process or change a result.
 */
struct Model {
  ModelConfig cfg;
  std::vector<std::unique_ptr<SafetensorsFile>> files;
  /**
   * Content identity, lowercase hex: SHA-256( SHA-256(config.json) ||
   * [SHA-256(model.safetensors.index.json)] || SHA-256(shard) for each weight file in byte-wise
   * name order ), computed over exactly the bytes loaded.
   */
  std::string id;
  uint64_t file_bytes = 0;  // bytes of the weight files read
  std::vector<Buffer> buffers;
  const float* embed = nullptr;
  const float* final_norm = nullptr;
  const float* lm_head = nullptr;
  const uint16_t* lm_head16 = nullptr;  // BF16-resident lm_head (then lm_head is null)
  std::vector<LayerWeights> layers;
  const float* rope_cos = nullptr;  // [rope_len][head_dim/2]
  const float* rope_sin = nullptr;
  int32_t rope_len = 0;
  uint64_t num_params = 0;
  uint64_t weight_bytes = 0;  // resident bytes of all weights read per decode step
  uint32_t source_dtype = 0;
  uint32_t wrapped_tensors = 0;  // tensors served in place from the private file copies
};

/** Parse and validate config.json text. */
oli_status parse_model_config(const std::string& text, const std::string& path, ModelConfig* out);

/**
 * Load a model directory into backend memory. The context length (rope_len, the positions covered
 * by the RoPE tables) is max_position_embeddings, or max_seq_len when that is smaller and nonzero.
 */
oli_status load_model(Backend* backend, const std::string& dir, uint32_t max_seq_len,
                      std::unique_ptr<Model>* out);

/** Release the model's backend buffers. */
void free_model(Backend* backend, Model* model);

}  // namespace oli

#endif  // OLI_MODEL_H
