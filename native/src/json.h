// json.h: a small strict JSON parser (RFC 8259) for config.json, adapter_config.json and
// safetensors headers. Duplicate object keys are rejected; nesting is limited to 64 levels.
#ifndef OLI_JSON_H
#define OLI_JSON_H

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace oli {

struct Json {
  enum class Type { Null, Bool, Number, String, Array, Object };
  Type type = Type::Null;
  bool boolean = false;
  double number = 0.0;
  bool is_integer = false;  // number written without fraction/exponent and fits int64
  int64_t integer = 0;
  std::string str;
  std::vector<Json> items;
  std::vector<std::pair<std::string, Json>> members;

  /** Member by key, or nullptr (also when this is not an object). */
  const Json* get(const char* key) const;
  bool is_null() const { return type == Type::Null; }
};

/** Parse text; on failure returns false and describes the problem in *error. */
bool parse_json(const char* text, size_t len, Json* out, std::string* error);

}  // namespace oli

#endif  // OLI_JSON_H
