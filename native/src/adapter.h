// adapter.h: PEFT LoRA adapters: adapter_config.json validation, tensor layout checks against the
// model, content-hash identity, and upload into one backend buffer per adapter.
#ifndef OLI_ADAPTER_H
#define OLI_ADAPTER_H

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "backend.h"
#include "model.h"

namespace oli {

struct AdapterConfig {
  uint32_t rank = 0;
  float alpha = 0.0f;
  bool rslora = false;
  float scale = 0.0f;
  uint32_t targets = 0;  // OLI_TARGET_* (bit m = Module m)
};

/** A registered adapter. Weights live in `buffer` while resident. */
struct Adapter {
  std::string id;
  std::string dir;
  AdapterConfig cfg;
  uint64_t bytes = 0;              // f32 bytes when resident
  bool resident = false;
  Buffer buffer;
  std::vector<int64_t> a_off;      // [layer * MOD_COUNT + module] float offset of A, -1 if absent
  std::vector<int64_t> b_off;
  uint64_t last_used = 0;
  int32_t pins = 0;                // running sequences using it
};

/** Hash the adapter files of dir: id = sha256(sha256(config) || sha256(weights)). */
oli_status adapter_identity(const std::string& dir, std::string* id);

/**
 * Read, validate and (when upload is true) upload an adapter directory into a. Fills a->id,
 * a->cfg, a->bytes, offsets; a->buffer when uploaded. expected_id, when non-empty, must match.
 */
oli_status adapter_read(Backend* backend, const Model& model, uint32_t max_rank,
                        const std::string& dir, const std::string& expected_id, Adapter* a);

/** Parse adapter_config.json text (exposed for tests through load errors). */
oli_status parse_adapter_config(const std::string& text, const std::string& path,
                                const ModelConfig& mc, uint32_t max_rank, AdapterConfig* out,
                                std::string* target_regex);

}  // namespace oli

#endif  // OLI_ADAPTER_H
