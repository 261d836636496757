// adapter.h: PEFT LoRA adapters: files read once and hashed (content identity), adapter_config.json
// validation, tensor layout checks against the model, widening into one f32 block per adapter.
#ifndef OLI_ADAPTER_H
#define OLI_ADAPTER_H

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "backend.h"
#include "model.h"
#include "safetensors.h"

namespace oli {

struct AdapterConfig {
  uint32_t rank = 0;
  float alpha = 0.0f;
  bool rslora = false;
  float scale = 0.0f;
  uint32_t targets = 0;  // OLI_TARGET_* (bit m = Module m)
};

/** A host-tier copy of an adapter's widened f32 weights (64-byte aligned heap memory). */
class HostWeights {
 public:
  HostWeights() = default;
  ~HostWeights() { reset(); }
  HostWeights(HostWeights&& o) noexcept : data_(o.data_), bytes_(o.bytes_) { o.data_ = nullptr, o.bytes_ = 0; }
  HostWeights& operator=(HostWeights&& o) noexcept;
  HostWeights(const HostWeights&) = delete;
  HostWeights& operator=(const HostWeights&) = delete;
  /** Allocate bytes (contents undefined); OLI_STATUS_OUT_OF_MEMORY on failure. */
  oli_status allocate(uint64_t bytes);
  void reset();
  float* data() const { return data_; }
  uint64_t bytes() const { return bytes_; }

 private:
  float* data_ = nullptr;
  uint64_t bytes_ = 0;
};

/**
 * A registered adapter and its place in the two-tier cache (engine.h): `host` holds the widened
 * weights in the host tier; `buffer` is what the forward pass reads (a backend address): a separate
 * device-tier copy (`device` true), or on host-visible backends the host copy itself, wrapped.
 * Neither: "registered, on disk"; the next use re-reads the files and checks the identity.
 */
struct Adapter {
  std::string id;
  std::string dir;
  AdapterConfig cfg;
  uint64_t bytes = 0;              // f32 bytes of one copy (host or device)
  HostWeights host;
  Buffer buffer;
  bool device = false;
  std::vector<int64_t> a_off;      // [layer * MOD_COUNT + module] float offset of A, -1 if absent
  std::vector<int64_t> b_off;
  uint64_t last_used = 0;          // LRU tick of both tiers
  int32_t pins = 0;                // running sequences using it (never evicted while > 0)

  bool host_resident() const { return host.data() != nullptr; }
  /** The forward pass can read buffer. */
  bool usable() const { return buffer.ptr != nullptr; }
};

/** An adapter's two files, each read once into private memory; id is computed over those bytes. */
struct AdapterFiles {
  std::string dir;
  std::string config_text;                   // adapter_config.json
  std::unique_ptr<SafetensorsFile> weights;  // adapter_model.safetensors, parsed from the bytes read
  /** sha256(sha256(config bytes) || sha256(weights bytes)), lowercase hex. */
  std::string id;
  uint64_t bytes_read = 0;
};

/** Read dir's adapter_config.json and adapter_model.safetensors once each; hash and parse them. */
oli_status adapter_files_read(const std::string& dir, AdapterFiles* out);

/** Where each (layer, module) pair of tensors sits in the weights file. */
struct AdapterLayout {
  std::vector<const TensorView*> a, b;  // [layer * MOD_COUNT + module], null if absent
};

/**
 * Validate files against the model (PEFT config, tensor names, shapes, dtypes). Fills a's id, dir,
 * cfg, bytes and offsets and the layout; touches no cache state.
 */
oli_status adapter_parse(const AdapterFiles& files, const Model& model, uint32_t max_rank, Adapter* a,
                         AdapterLayout* layout);

/** Widen every tensor of layout to f32 at a's offsets in dst (a.bytes bytes). */
oli_status adapter_widen(const Adapter& a, const AdapterLayout& layout, float* dst);

/** Parse adapter_config.json text (exposed for tests through load errors). */
oli_status parse_adapter_config(const std::string& text, const std::string& path,
                                const ModelConfig& mc, uint32_t max_rank, AdapterConfig* out,
                                std::string* target_regex);

}  // namespace oli

#endif  // OLI_ADAPTER_H
