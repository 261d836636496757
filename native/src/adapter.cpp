// adapter.cpp: see adapter.h. Supported: peft_type LORA, r <= max rank, lora_alpha, use_rslora,
// target_modules (list of q/k/v/o/gate/up/down names, a full-match regex, or "all-linear").
// Rejected with OLI_STATUS_UNSUPPORTED_ADAPTER: DoRA, modules_to_save, bias != "none",
// lora_bias, fan_in_fan_out, rank_pattern/alpha_pattern, layers_to_transform, layer_replication,
// exclude_modules, target_parameters, any tensor that is not a plain lora_A/lora_B weight.
#include "adapter.h"

#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <map>
#include <regex>

#include "json.h"
#include "safetensors.h"
#include "sha256.h"

namespace oli {

static const char* kConfigName = "adapter_config.json";
static const char* kWeightsName = "adapter_model.safetensors";

HostWeights& HostWeights::operator=(HostWeights&& o) noexcept {
  if (this != &o) {
    reset();
    data_ = o.data_;
    bytes_ = o.bytes_;
    o.data_ = nullptr;
    o.bytes_ = 0;
  }
  return *this;
}

oli_status HostWeights::allocate(uint64_t bytes) {
  reset();
  void* p = std::aligned_alloc(64, ((bytes + 63) / 64) * 64 + 64);
  if (!p) return set_error(OLI_STATUS_OUT_OF_MEMORY, "cannot allocate %llu bytes of adapter weights", static_cast<unsigned long long>(bytes));
  data_ = static_cast<float*>(p);
  bytes_ = bytes;
  return OLI_STATUS_OK;
}

void HostWeights::reset() {
  std::free(data_);
  data_ = nullptr;
  bytes_ = 0;
}

oli_status adapter_files_read(const std::string& dir, AdapterFiles* out) {
  std::unique_ptr<FileBytes> cfg, weights;
  oli_status st = FileBytes::read(dir + "/" + kConfigName, kMaxJsonFileBytes, &cfg);
  if (st) return st;
  if ((st = FileBytes::read(dir + "/" + kWeightsName, UINT64_MAX, &weights))) return st;
  uint8_t inner[64];
  std::memcpy(inner, cfg->sha256(), 32);
  std::memcpy(inner + 32, weights->sha256(), 32);
  Sha256 outer;
  outer.update(inner, 64);
  uint8_t digest[32];
  outer.finish(digest);
  out->dir = dir;
  out->id = to_hex(digest, 32);
  out->bytes_read = cfg->size() + weights->size();
  out->config_text.assign(reinterpret_cast<const char*>(cfg->data()), cfg->size());
  return SafetensorsFile::parse(std::move(weights), &out->weights);
}

static bool non_empty(const Json* v) {
  if (!v || v->is_null()) return false;
  if (v->type == Json::Type::Bool) return v->boolean;
  if (v->type == Json::Type::Array) return !v->items.empty();
  if (v->type == Json::Type::Object) return !v->members.empty();
  if (v->type == Json::Type::String) return !v->str.empty();
  return true;
}

oli_status parse_adapter_config(const std::string& text, const std::string& path, const ModelConfig& mc,
                                uint32_t max_rank, AdapterConfig* out, std::string* target_regex) {
  (void)mc;
  Json j;
  std::string err;
  if (!parse_json(text.data(), text.size(), &j, &err)) return set_error(OLI_STATUS_FORMAT_ERROR, "%s: %s", path.c_str(), err.c_str());
  if (j.type != Json::Type::Object) return set_error(OLI_STATUS_FORMAT_ERROR, "%s: not a JSON object", path.c_str());
  const Json* pt = j.get("peft_type");
  if (!pt || pt->type != Json::Type::String || pt->str != "LORA")
    return set_error(OLI_STATUS_UNSUPPORTED_ADAPTER, "%s: peft_type must be \"LORA\"", path.c_str());
  if (non_empty(j.get("use_dora"))) return set_error(OLI_STATUS_UNSUPPORTED_ADAPTER, "%s: DoRA (use_dora=true) is not supported", path.c_str());
  if (non_empty(j.get("modules_to_save"))) return set_error(OLI_STATUS_UNSUPPORTED_ADAPTER, "%s: modules_to_save is not supported", path.c_str());
  const Json* bias = j.get("bias");
  if (bias && !bias->is_null() && (bias->type != Json::Type::String || bias->str != "none"))
    return set_error(OLI_STATUS_UNSUPPORTED_ADAPTER, "%s: bias must be \"none\"", path.c_str());
  const char* rejected[] = {"lora_bias", "fan_in_fan_out", "rank_pattern", "alpha_pattern", "layers_to_transform",
                            "layer_replication", "exclude_modules", "target_parameters", "use_qalora"};
  for (const char* key : rejected)
    if (non_empty(j.get(key))) return set_error(OLI_STATUS_UNSUPPORTED_ADAPTER, "%s: %s is not supported", path.c_str(), key);
  const Json* r = j.get("r");
  if (!r || r->type != Json::Type::Number || !r->is_integer || r->integer < 1)
    return set_error(OLI_STATUS_UNSUPPORTED_ADAPTER, "%s: r must be a positive integer", path.c_str());
  if (static_cast<uint64_t>(r->integer) > max_rank)
    return set_error(OLI_STATUS_ADAPTER_RANK_TOO_LARGE, "%s: rank %lld exceeds the maximum rank %u", path.c_str(), static_cast<long long>(r->integer), max_rank);
  AdapterConfig c;
  c.rank = static_cast<uint32_t>(r->integer);
  const Json* alpha = j.get("lora_alpha");
  double a = 8.0;  // PEFT LoraConfig default
  if (alpha && !alpha->is_null()) {
    if (alpha->type != Json::Type::Number || !std::isfinite(alpha->number)) return set_error(OLI_STATUS_UNSUPPORTED_ADAPTER, "%s: bad lora_alpha", path.c_str());
    a = alpha->number;
  }
  c.alpha = static_cast<float>(a);
  const Json* rs = j.get("use_rslora");
  c.rslora = rs && rs->type == Json::Type::Bool && rs->boolean;
  c.scale = c.rslora ? c.alpha / std::sqrt(static_cast<float>(c.rank)) : c.alpha / static_cast<float>(c.rank);
  const Json* tm = j.get("target_modules");
  target_regex->clear();
  if (!tm || tm->is_null()) return set_error(OLI_STATUS_UNSUPPORTED_ADAPTER, "%s: target_modules is required", path.c_str());
  if (tm->type == Json::Type::String) {
    if (tm->str == "all-linear") {
      c.targets = (1u << MOD_COUNT) - 1;
    } else {
      *target_regex = tm->str;  // resolved against module names by adapter_read
    }
  } else if (tm->type == Json::Type::Array) {
    for (const auto& it : tm->items) {
      if (it.type != Json::Type::String) return set_error(OLI_STATUS_UNSUPPORTED_ADAPTER, "%s: target_modules entries must be strings", path.c_str());
      int found = -1;
      for (int32_t m = 0; m < MOD_COUNT; m++)
        if (it.str == module_name(m)) found = m;
      if (found < 0) return set_error(OLI_STATUS_UNSUPPORTED_ADAPTER, "%s: target module \"%s\" is not one of q_proj, k_proj, v_proj, o_proj, gate_proj, up_proj, down_proj", path.c_str(), it.str.c_str());
      c.targets |= 1u << found;
    }
    if (!c.targets) return set_error(OLI_STATUS_UNSUPPORTED_ADAPTER, "%s: target_modules is empty", path.c_str());
  } else {
    return set_error(OLI_STATUS_UNSUPPORTED_ADAPTER, "%s: target_modules must be a list or a string", path.c_str());
  }
  *out = c;
  return OLI_STATUS_OK;
}

// Parse "base_model.model.model.layers.{i}.{self_attn|mlp}.{module}.lora_{A|B}[.{name}].weight".
static bool parse_key(const std::string& key, int32_t layers, int32_t* layer, int32_t* module, int* which) {
  const std::string prefix = "base_model.model.model.layers.";
  if (key.compare(0, prefix.size(), prefix) != 0) return false;
  size_t p = prefix.size();
  size_t dot = key.find('.', p);
  if (dot == std::string::npos || dot == p || dot - p > 6) return false;
  int64_t l = 0;
  for (size_t i = p; i < dot; i++) {
    if (key[i] < '0' || key[i] > '9') return false;
    l = l * 10 + (key[i] - '0');
  }
  if (l >= layers || (dot - p > 1 && key[p] == '0')) return false;
  std::string rest = key.substr(dot + 1);
  for (int32_t m = 0; m < MOD_COUNT; m++) {
    std::string stem = std::string(module_parent(m)) + "." + module_name(m) + ".lora_";
    if (rest.compare(0, stem.size(), stem) != 0) continue;
    std::string tail = rest.substr(stem.size());
    int w;
    if (tail[0] == 'A') w = 0;
    else if (tail[0] == 'B') w = 1;
    else return false;
    tail = tail.substr(1);
    if (tail == ".weight" || (tail.size() > 8 && tail[0] == '.' && tail.compare(tail.size() - 7, 7, ".weight") == 0 &&
                              tail.find('.', 1) == tail.size() - 7)) {
      *layer = static_cast<int32_t>(l);
      *module = m;
      *which = w;
      return true;
    }
    return false;
  }
  return false;
}

oli_status adapter_parse(const AdapterFiles& files, const Model& model, uint32_t max_rank, Adapter* a,
                         AdapterLayout* layout) {
  const ModelConfig& mc = model.cfg;
  const std::string& dir = files.dir;
  std::string cfg_path = dir + "/" + kConfigName;
  AdapterConfig cfg;
  std::string regex_src;
  oli_status st = parse_adapter_config(files.config_text, cfg_path, mc, max_rank, &cfg, &regex_src);
  if (st) return st;
  if (!regex_src.empty()) {
    try {
      std::regex re(regex_src, std::regex::ECMAScript);
      for (int32_t m = 0; m < MOD_COUNT; m++)
        for (int32_t l = 0; l < mc.layers; l++) {
          std::string name = "model.layers." + std::to_string(l) + "." + module_parent(m) + "." + module_name(m);
          if (std::regex_match(name, re)) {
            if (l != 0 && !(cfg.targets & (1u << m)))
              return set_error(OLI_STATUS_UNSUPPORTED_ADAPTER, "%s: target_modules regex selects %s in only some layers (unsupported)", cfg_path.c_str(), module_name(m));
            cfg.targets |= 1u << m;
          } else if (cfg.targets & (1u << m)) {
            return set_error(OLI_STATUS_UNSUPPORTED_ADAPTER, "%s: target_modules regex selects %s in only some layers (unsupported)", cfg_path.c_str(), module_name(m));
          }
        }
    } catch (const std::regex_error&) {
      return set_error(OLI_STATUS_UNSUPPORTED_ADAPTER, "%s: target_modules is not a valid regular expression", cfg_path.c_str());
    }
    if (!cfg.targets) return set_error(OLI_STATUS_UNSUPPORTED_ADAPTER, "%s: target_modules regex matches no supported module", cfg_path.c_str());
  }
  const SafetensorsFile* sf = files.weights.get();
  const size_t slots = static_cast<size_t>(mc.layers) * MOD_COUNT;
  std::vector<const TensorView*> ta(slots, nullptr), tb(slots, nullptr);
  for (const auto& kv : sf->tensors()) {
    int32_t l, m;
    int w;
    if (!parse_key(kv.first, mc.layers, &l, &m, &w)) {
      const char* why = kv.first.find("lora_magnitude_vector") != std::string::npos ? " (DoRA)"
                        : kv.first.find("bias") != std::string::npos          ? " (bias)"
                        : (kv.first.find("embed_tokens") != std::string::npos || kv.first.find("lm_head") != std::string::npos) ? " (modules_to_save)"
                                                                                 : "";
      return set_error(OLI_STATUS_UNSUPPORTED_ADAPTER, "adapter %s: unsupported tensor %s%s", dir.c_str(), kv.first.c_str(), why);
    }
    if (!(cfg.targets & (1u << m)))
      return set_error(OLI_STATUS_UNSUPPORTED_ADAPTER, "adapter %s: tensor %s belongs to %s, which target_modules does not list", dir.c_str(), kv.first.c_str(), module_name(m));
    auto& slot = (w == 0 ? ta : tb)[static_cast<size_t>(l) * MOD_COUNT + m];
    if (slot) return set_error(OLI_STATUS_FORMAT_ERROR, "adapter %s: duplicate tensor for layer %d %s", dir.c_str(), l, module_name(m));
    slot = &kv.second;
  }
  uint64_t floats = 0;
  for (int32_t l = 0; l < mc.layers; l++)
    for (int32_t m = 0; m < MOD_COUNT; m++) {
      if (!(cfg.targets & (1u << m))) continue;
      size_t i = static_cast<size_t>(l) * MOD_COUNT + m;
      std::string base = "base_model.model.model.layers." + std::to_string(l) + "." + module_parent(m) + "." + module_name(m);
      if (!ta[i]) return set_error(OLI_STATUS_MISSING_TENSOR, "adapter %s: missing tensor %s.lora_A.weight", dir.c_str(), base.c_str());
      if (!tb[i]) return set_error(OLI_STATUS_MISSING_TENSOR, "adapter %s: missing tensor %s.lora_B.weight", dir.c_str(), base.c_str());
      int64_t r = cfg.rank, in = mc.in_features(m), out = mc.out_features(m);
      if (ta[i]->shape != std::vector<int64_t>{r, in})
        return set_error(OLI_STATUS_SHAPE_MISMATCH, "adapter %s: %s.lora_A.weight must have shape [%lld, %lld]", dir.c_str(), base.c_str(), static_cast<long long>(r), static_cast<long long>(in));
      if (tb[i]->shape != std::vector<int64_t>{out, r})
        return set_error(OLI_STATUS_SHAPE_MISMATCH, "adapter %s: %s.lora_B.weight must have shape [%lld, %lld]", dir.c_str(), base.c_str(), static_cast<long long>(out), static_cast<long long>(r));
      for (const TensorView* t : {ta[i], tb[i]})
        if (t->dtype != Dtype::F32 && t->dtype != Dtype::BF16 && t->dtype != Dtype::F16)
          return set_error(OLI_STATUS_UNSUPPORTED_DTYPE, "adapter %s: tensor %s has dtype %s; weights must be F32, BF16 or F16", dir.c_str(), t->name.c_str(), dtype_name(t->dtype));
      floats += ta[i]->numel + tb[i]->numel;
    }
  a->id = files.id;
  a->dir = dir;
  a->cfg = cfg;
  a->bytes = floats * 4;
  a->a_off.assign(slots, -1);
  a->b_off.assign(slots, -1);
  int64_t off = 0;
  for (size_t i = 0; i < slots; i++) {
    if (!ta[i]) continue;
    a->a_off[i] = off;
    off += static_cast<int64_t>(ta[i]->numel);
    a->b_off[i] = off;
    off += static_cast<int64_t>(tb[i]->numel);
  }
  layout->a = std::move(ta);
  layout->b = std::move(tb);
  return OLI_STATUS_OK;
}

oli_status adapter_widen(const Adapter& a, const AdapterLayout& layout, float* dst) {
  for (size_t i = 0; i < layout.a.size(); i++) {
    if (!layout.a[i]) continue;
    oli_status st = tensor_to_f32(*layout.a[i], dst + a.a_off[i]);
    if (!st) st = tensor_to_f32(*layout.b[i], dst + a.b_off[i]);
    if (st) return st;
  }
  return OLI_STATUS_OK;
}

}  // namespace oli
