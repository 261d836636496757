// model.cpp: see model.h.
#include "model.h"

#include <sys/stat.h>

#include <algorithm>
#include <cstring>
#include <map>
#include <set>

#include "json.h"
#include "math/oli-math.h"
#include "sha256.h"

namespace oli {

const char* module_name(int32_t m) {
  static const char* names[MOD_COUNT] = {"q_proj", "k_proj", "v_proj", "o_proj", "gate_proj", "up_proj", "down_proj"};
  return (m >= 0 && m < MOD_COUNT) ? names[m] : "?";
}

const char* module_parent(int32_t m) { return m <= MOD_O ? "self_attn" : "mlp"; }

int32_t ModelConfig::in_features(int32_t m) const {
  switch (m) {
    case MOD_O: return heads * head_dim;
    case MOD_DOWN: return inter;
    default: return hidden;
  }
}

int32_t ModelConfig::out_features(int32_t m) const {
  switch (m) {
    case MOD_Q: return heads * head_dim;
    case MOD_K:
    case MOD_V: return kv_heads * head_dim;
    case MOD_O: return hidden;
    case MOD_GATE:
    case MOD_UP: return inter;
    default: return hidden;
  }
}

static bool file_exists(const std::string& p) {
  struct stat st;
  return stat(p.c_str(), &st) == 0 && S_ISREG(st.st_mode);
}

static oli_status get_int(const Json& j, const char* key, bool required, int64_t def, int64_t lo, int64_t hi,
                          const std::string& path, int32_t* out) {
  const Json* v = j.get(key);
  if (!v || v->is_null()) {
    if (required) return set_error(OLI_STATUS_UNSUPPORTED_MODEL, "%s: missing \"%s\"", path.c_str(), key);
    *out = static_cast<int32_t>(def);
    return OLI_STATUS_OK;
  }
  if (v->type != Json::Type::Number || !v->is_integer || v->integer < lo || v->integer > hi)
    return set_error(OLI_STATUS_UNSUPPORTED_MODEL, "%s: \"%s\" must be an integer in [%lld, %lld]", path.c_str(), key, static_cast<long long>(lo), static_cast<long long>(hi));
  *out = static_cast<int32_t>(v->integer);
  return OLI_STATUS_OK;
}

oli_status parse_model_config(const std::string& text, const std::string& path, ModelConfig* out) {
  Json j;
  std::string err;
  if (!parse_json(text.data(), text.size(), &j, &err)) return set_error(OLI_STATUS_FORMAT_ERROR, "%s: %s", path.c_str(), err.c_str());
  if (j.type != Json::Type::Object) return set_error(OLI_STATUS_FORMAT_ERROR, "%s: not a JSON object", path.c_str());
  const Json* mt = j.get("model_type");
  if (mt && !mt->is_null() && (mt->type != Json::Type::String || mt->str != "llama"))
    return set_error(OLI_STATUS_UNSUPPORTED_MODEL, "%s: model_type must be \"llama\"", path.c_str());
  const Json* act = j.get("hidden_act");
  if (act && !act->is_null() && (act->type != Json::Type::String || act->str != "silu"))
    return set_error(OLI_STATUS_UNSUPPORTED_MODEL, "%s: hidden_act must be \"silu\"", path.c_str());
  const Json* rs = j.get("rope_scaling");
  if (rs && !rs->is_null()) return set_error(OLI_STATUS_UNSUPPORTED_MODEL, "%s: rope_scaling is not supported", path.c_str());
  for (const char* key : {"attention_bias", "mlp_bias"}) {
    const Json* b = j.get(key);
    if (b && b->type == Json::Type::Bool && b->boolean) return set_error(OLI_STATUS_UNSUPPORTED_MODEL, "%s: %s=true is not supported", path.c_str(), key);
  }
  ModelConfig c;
  oli_status st;
  if ((st = get_int(j, "vocab_size", true, 0, 1, 1 << 24, path, &c.vocab))) return st;
  if ((st = get_int(j, "hidden_size", true, 0, 1, 65536, path, &c.hidden))) return st;
  if ((st = get_int(j, "intermediate_size", true, 0, 1, 262144, path, &c.inter))) return st;
  if ((st = get_int(j, "num_hidden_layers", true, 0, 1, 1024, path, &c.layers))) return st;
  if ((st = get_int(j, "num_attention_heads", true, 0, 1, 1024, path, &c.heads))) return st;
  if ((st = get_int(j, "num_key_value_heads", false, c.heads, 1, 1024, path, &c.kv_heads))) return st;
  if ((st = get_int(j, "max_position_embeddings", false, 2048, 1, 1 << 20, path, &c.max_pos))) return st;
  if (c.hidden % c.heads != 0 && !j.get("head_dim"))
    return set_error(OLI_STATUS_UNSUPPORTED_MODEL, "%s: hidden_size not divisible by num_attention_heads", path.c_str());
  if ((st = get_int(j, "head_dim", false, c.hidden / c.heads, 2, 1024, path, &c.head_dim))) return st;
  if (c.head_dim % 2) return set_error(OLI_STATUS_UNSUPPORTED_MODEL, "%s: head_dim must be even", path.c_str());
  if (c.heads % c.kv_heads) return set_error(OLI_STATUS_UNSUPPORTED_MODEL, "%s: num_attention_heads must be a multiple of num_key_value_heads", path.c_str());
  const Json* eps = j.get("rms_norm_eps");
  double e = 1e-6;
  if (eps && !eps->is_null()) {
    if (eps->type != Json::Type::Number || !(eps->number > 0) || eps->number > 1) return set_error(OLI_STATUS_UNSUPPORTED_MODEL, "%s: bad rms_norm_eps", path.c_str());
    e = eps->number;
  }
  c.eps = static_cast<float>(e);
  const Json* th = j.get("rope_theta");
  if (th && !th->is_null()) {
    if (th->type != Json::Type::Number || !(th->number > 1.0) || th->number > 1e12) return set_error(OLI_STATUS_UNSUPPORTED_MODEL, "%s: bad rope_theta", path.c_str());
    c.theta = th->number;
  }
  const Json* tie = j.get("tie_word_embeddings");
  c.tied = tie && tie->type == Json::Type::Bool && tie->boolean;
  *out = c;
  return OLI_STATUS_OK;
}

namespace {

struct Loader {
  Backend* backend;
  Model* model;
  std::map<std::string, const TensorView*> index;
  bool first = true;

  uint64_t step_bytes = 0;

  // A matrix read every step: kept BF16-resident when the checkpoint is BF16 and the backend can.
  oli_status matrix(const std::string& name, std::vector<int64_t> shape, const float** out, const uint16_t** out16) {
    auto it = index.find(name);
    if (it != index.end() && it->second->dtype == Dtype::BF16 && it->second->shape == shape &&
        backend->supports_bf16_weights()) {
      const TensorView& t = *it->second;
      if (first) {
        model->source_dtype = 1;
        first = false;
      }
      model->num_params += t.numel;
      step_bytes += t.bytes;
      Buffer buf;
      if (!backend->wrap_host(t.data, t.bytes, &buf)) {
        oli_status st = backend->alloc(t.bytes, &buf);
        if (st) return st;
        if ((st = backend->upload(buf.ptr, t.data, t.bytes))) {
          backend->release(&buf);
          return st;
        }
      } else {
        model->wrapped_tensors++;
      }
      model->buffers.push_back(buf);
      *out = nullptr;
      *out16 = static_cast<const uint16_t*>(buf.ptr);
      return OLI_STATUS_OK;
    }
    *out16 = nullptr;
    oli_status st = weight(name, shape, out);
    if (!st) step_bytes += 4 * static_cast<uint64_t>(shape[0]) * static_cast<uint64_t>(shape[1]);
    return st;
  }

  oli_status weight(const std::string& name, std::vector<int64_t> shape, const float** out) {
    auto it = index.find(name);
    if (it == index.end()) return set_error(OLI_STATUS_MISSING_TENSOR, "model: missing tensor %s", name.c_str());
    const TensorView& t = *it->second;
    if (t.shape != shape) {
      std::string want, got;
      for (auto s : shape) want += std::to_string(s) + ",";
      for (auto s : t.shape) got += std::to_string(s) + ",";
      return set_error(OLI_STATUS_SHAPE_MISMATCH, "model: tensor %s has shape [%s] but the config implies [%s]", name.c_str(), got.c_str(), want.c_str());
    }
    if (t.dtype != Dtype::F32 && t.dtype != Dtype::BF16 && t.dtype != Dtype::F16)
      return set_error(OLI_STATUS_UNSUPPORTED_DTYPE, "model: tensor %s has dtype %s; weights must be F32, BF16 or F16", name.c_str(), dtype_name(t.dtype));
    if (first) {
      model->source_dtype = t.dtype == Dtype::F32 ? 0 : t.dtype == Dtype::BF16 ? 1 : 2;
      first = false;
    }
    model->num_params += t.numel;
    Buffer buf;
    if (t.dtype == Dtype::F32 && backend->wrap_host(t.data, t.bytes, &buf)) {
      model->buffers.push_back(buf);
      model->wrapped_tensors++;
      *out = static_cast<const float*>(buf.ptr);
      return OLI_STATUS_OK;
    }
    oli_status st = backend->alloc(t.numel * 4, &buf);
    if (st) return st;
    model->buffers.push_back(buf);
    if (backend->host_visible()) {
      st = tensor_to_f32(t, static_cast<float*>(buf.ptr));
    } else {
      std::vector<float> tmp(t.numel);
      st = tensor_to_f32(t, tmp.data());
      if (!st) st = backend->upload(buf.ptr, tmp.data(), t.numel * 4);
    }
    if (st) return st;
    *out = static_cast<const float*>(buf.ptr);
    return OLI_STATUS_OK;
  }
};

}  // namespace

oli_status load_model(Backend* backend, const std::string& dir, uint32_t max_seq_len, std::unique_ptr<Model>* out) {
  std::unique_ptr<Model> m(new Model());
  std::string text;
  std::string cfg_path = dir + "/config.json";
  uint8_t cfg_hash[32];
  oli_status st = read_text_file(cfg_path, &text, cfg_hash);
  if (st) return st;
  if ((st = parse_model_config(text, cfg_path, &m->cfg))) return st;
  const ModelConfig& c = m->cfg;
  int32_t rope_len = c.max_pos;
  if (max_seq_len && max_seq_len < static_cast<uint32_t>(rope_len)) rope_len = static_cast<int32_t>(max_seq_len);
  // weights: sharded index or single file
  std::string index_path = dir + "/model.safetensors.index.json";
  std::vector<std::string> shard_names;
  std::map<std::string, std::string> weight_map;
  // Identity (model.h): hashes of config.json, the index when present, then the shards by name.
  std::vector<uint8_t> identity(cfg_hash, cfg_hash + 32);
  if (file_exists(index_path)) {
    std::string itext;
    uint8_t index_hash[32];
    if ((st = read_text_file(index_path, &itext, index_hash))) return st;
    identity.insert(identity.end(), index_hash, index_hash + 32);
    Json ij;
    std::string err;
    if (!parse_json(itext.data(), itext.size(), &ij, &err)) return set_error(OLI_STATUS_FORMAT_ERROR, "%s: %s", index_path.c_str(), err.c_str());
    const Json* wm = ij.get("weight_map");
    if (!wm || wm->type != Json::Type::Object) return set_error(OLI_STATUS_FORMAT_ERROR, "%s: missing weight_map", index_path.c_str());
    std::set<std::string> seen;
    for (const auto& kv : wm->members) {
      if (kv.second.type != Json::Type::String || kv.second.str.empty() || kv.second.str.find('/') != std::string::npos || kv.second.str[0] == '.')
        return set_error(OLI_STATUS_FORMAT_ERROR, "%s: bad shard file name for %s", index_path.c_str(), kv.first.c_str());
      weight_map[kv.first] = kv.second.str;
      if (seen.insert(kv.second.str).second) shard_names.push_back(kv.second.str);
    }
  } else {
    shard_names.push_back("model.safetensors");
  }
  std::sort(shard_names.begin(), shard_names.end());
  Loader ld{backend, m.get(), {}};
  for (const auto& name : shard_names) {
    std::unique_ptr<SafetensorsFile> f;
    if ((st = SafetensorsFile::open(dir + "/" + name, &f))) {
      free_model(backend, m.get());
      return st;
    }
    for (const auto& kv : f->tensors()) {
      if (!weight_map.empty()) {
        auto it = weight_map.find(kv.first);
        if (it == weight_map.end() || it->second != name) continue;  // listed elsewhere
      }
      if (ld.index.count(kv.first)) {
        free_model(backend, m.get());
        return set_error(OLI_STATUS_FORMAT_ERROR, "model: tensor %s appears in two shards", kv.first.c_str());
      }
      ld.index[kv.first] = &kv.second;
    }
    identity.insert(identity.end(), f->file().sha256(), f->file().sha256() + 32);
    m->file_bytes += f->file().size();
    m->files.push_back(std::move(f));
  }
  {
    Sha256 h;
    h.update(identity.data(), identity.size());
    uint8_t digest[32];
    h.finish(digest);
    m->id = to_hex(digest, 32);
  }
  for (const auto& kv : weight_map) {
    if (!ld.index.count(kv.first)) {
      free_model(backend, m.get());
      return set_error(OLI_STATUS_MISSING_TENSOR, "model: index lists %s in %s but the shard lacks it", kv.first.c_str(), kv.second.c_str());
    }
  }
  auto fail = [&](oli_status s) {
    free_model(backend, m.get());
    return s;
  };
  int64_t H = c.hidden;
  if ((st = ld.weight("model.embed_tokens.weight", {c.vocab, H}, &m->embed))) return fail(st);
  m->layers.resize(c.layers);
  for (int32_t l = 0; l < c.layers; l++) {
    std::string p = "model.layers." + std::to_string(l) + ".";
    LayerWeights& lw = m->layers[l];
    if ((st = ld.weight(p + "input_layernorm.weight", {H}, &lw.attn_norm))) return fail(st);
    for (int32_t mod = 0; mod < MOD_COUNT; mod++) {
      std::string n = p + module_parent(mod) + "." + module_name(mod) + ".weight";
      if ((st = ld.matrix(n, {c.out_features(mod), c.in_features(mod)}, &lw.w[mod], &lw.w16[mod]))) return fail(st);
    }
    if ((st = ld.weight(p + "post_attention_layernorm.weight", {H}, &lw.ffn_norm))) return fail(st);
  }
  if ((st = ld.weight("model.norm.weight", {H}, &m->final_norm))) return fail(st);
  if (c.tied && !ld.index.count("lm_head.weight")) {
    m->lm_head = m->embed;
    ld.step_bytes += 4 * static_cast<uint64_t>(c.vocab) * H;
  } else {
    if ((st = ld.matrix("lm_head.weight", {c.vocab, H}, &m->lm_head, &m->lm_head16))) return fail(st);
  }
  // matrices + norms + one embedding row
  m->weight_bytes = ld.step_bytes + 4 * static_cast<uint64_t>(H) * (2 * c.layers + 2);
  // RoPE tables (ARITHMETIC.md section 7), computed on the host and uploaded.
  int32_t half = c.head_dim / 2;
  m->rope_len = rope_len;
  size_t n = static_cast<size_t>(rope_len) * half;
  std::vector<float> cos_t(n), sin_t(n);
  rope_tables(c.theta, c.head_dim, rope_len, cos_t.data(), sin_t.data());
  Buffer cb, sb;
  if ((st = backend->alloc(n * 4, &cb))) return fail(st);
  m->buffers.push_back(cb);
  if ((st = backend->alloc(n * 4, &sb))) return fail(st);
  m->buffers.push_back(sb);
  if ((st = backend->upload(cb.ptr, cos_t.data(), n * 4))) return fail(st);
  if ((st = backend->upload(sb.ptr, sin_t.data(), n * 4))) return fail(st);
  m->rope_cos = static_cast<const float*>(cb.ptr);
  m->rope_sin = static_cast<const float*>(sb.ptr);
  // Keep a shard's bytes only while a tensor is served from them in place (CPU F32 / BF16).
  for (auto& f : m->files) {
    const uint8_t* lo = f->file().data();
    const uint8_t* hi = lo + f->file().size();
    bool used = false;
    for (const Buffer& b : m->buffers) {
      const uint8_t* p = static_cast<const uint8_t*>(b.ptr);
      if (!b.owned && p >= lo && p < hi) used = true;
    }
    if (!used) f.reset();
  }
  m->files.erase(std::remove(m->files.begin(), m->files.end(), nullptr), m->files.end());
  *out = std::move(m);
  return OLI_STATUS_OK;
}

void free_model(Backend* backend, Model* model) {
  for (auto& b : model->buffers) backend->release(&b);
  model->buffers.clear();
  model->files.clear();
}

}  // namespace oli
