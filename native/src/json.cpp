// json.cpp: see json.h.
#include "json.h"

#include <charconv>
#include <cstring>

namespace oli {

const Json* Json::get(const char* key) const {
  if (type != Type::Object) return nullptr;
  for (const auto& m : members)
    if (m.first == key) return &m.second;
  return nullptr;
}

namespace {

struct Parser {
  const char* p;
  const char* end;
  std::string* error;

  bool fail(const char* what) {
    *error = std::string(what) + " at offset " + std::to_string(p - begin);
    return false;
  }
  const char* begin;

  void ws() {
    while (p < end && (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r')) p++;
  }

  static void put_utf8(std::string& s, uint32_t cp) {
    if (cp < 0x80) {
      s += static_cast<char>(cp);
    } else if (cp < 0x800) {
      s += static_cast<char>(0xC0 | (cp >> 6));
      s += static_cast<char>(0x80 | (cp & 0x3F));
    } else if (cp < 0x10000) {
      s += static_cast<char>(0xE0 | (cp >> 12));
      s += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
      s += static_cast<char>(0x80 | (cp & 0x3F));
    } else {
      s += static_cast<char>(0xF0 | (cp >> 18));
      s += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
      s += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
      s += static_cast<char>(0x80 | (cp & 0x3F));
    }
  }

  bool hex4(uint32_t* out) {
    if (end - p < 4) return fail("truncated \\u escape");
    uint32_t v = 0;
    for (int i = 0; i < 4; i++) {
      char c = *p++;
      v <<= 4;
      if (c >= '0' && c <= '9') v |= c - '0';
      else if (c >= 'a' && c <= 'f') v |= c - 'a' + 10;
      else if (c >= 'A' && c <= 'F') v |= c - 'A' + 10;
      else return fail("bad \\u escape");
    }
    *out = v;
    return true;
  }

  bool string(std::string* out) {
    if (p >= end || *p != '"') return fail("expected string");
    p++;
    while (true) {
      if (p >= end) return fail("unterminated string");
      unsigned char c = static_cast<unsigned char>(*p++);
      if (c == '"') return true;
      if (c < 0x20) return fail("control character in string");
      if (c != '\\') {
        *out += static_cast<char>(c);
        continue;
      }
      if (p >= end) return fail("unterminated escape");
      char e = *p++;
      switch (e) {
        case '"': *out += '"'; break;
        case '\\': *out += '\\'; break;
        case '/': *out += '/'; break;
        case 'b': *out += '\b'; break;
        case 'f': *out += '\f'; break;
        case 'n': *out += '\n'; break;
        case 'r': *out += '\r'; break;
        case 't': *out += '\t'; break;
        case 'u': {
          uint32_t cp = 0;
          if (!hex4(&cp)) return false;
          if (cp >= 0xD800 && cp < 0xDC00) {
            uint32_t lo = 0;
            if (end - p < 2 || p[0] != '\\' || p[1] != 'u') return fail("lone surrogate");
            p += 2;
            if (!hex4(&lo)) return false;
            if (lo < 0xDC00 || lo > 0xDFFF) return fail("bad surrogate pair");
            cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
          } else if (cp >= 0xDC00 && cp < 0xE000) {
            return fail("lone surrogate");
          }
          put_utf8(*out, cp);
          break;
        }
        default: return fail("bad escape");
      }
    }
  }

  bool number(Json* out) {
    const char* s = p;
    bool integral = true;
    if (p < end && *p == '-') p++;
    if (p >= end || !(*p >= '0' && *p <= '9')) return fail("bad number");
    if (*p == '0') p++;
    else while (p < end && *p >= '0' && *p <= '9') p++;
    if (p < end && *p == '.') {
      integral = false;
      p++;
      if (p >= end || !(*p >= '0' && *p <= '9')) return fail("bad number");
      while (p < end && *p >= '0' && *p <= '9') p++;
    }
    if (p < end && (*p == 'e' || *p == 'E')) {
      integral = false;
      p++;
      if (p < end && (*p == '+' || *p == '-')) p++;
      if (p >= end || !(*p >= '0' && *p <= '9')) return fail("bad number");
      while (p < end && *p >= '0' && *p <= '9') p++;
    }
    out->type = Json::Type::Number;
    auto r = std::from_chars(s, p, out->number);
    if (r.ec != std::errc() || r.ptr != p) {
      if (r.ec == std::errc::result_out_of_range) return fail("number out of range");
      return fail("bad number");
    }
    if (integral) {
      auto ri = std::from_chars(s, p, out->integer);
      out->is_integer = (ri.ec == std::errc() && ri.ptr == p);
    }
    return true;
  }

  bool literal(const char* word) {
    size_t n = std::strlen(word);
    if (static_cast<size_t>(end - p) < n || std::memcmp(p, word, n) != 0) return fail("bad literal");
    p += n;
    return true;
  }

  bool value(Json* out, int depth) {
    if (depth > 64) return fail("nesting too deep");
    ws();
    if (p >= end) return fail("unexpected end");
    char c = *p;
    if (c == '{') {
      p++;
      out->type = Json::Type::Object;
      ws();
      if (p < end && *p == '}') {
        p++;
        return true;
      }
      while (true) {
        ws();
        std::string key;
        if (!string(&key)) return false;
        for (const auto& m : out->members)
          if (m.first == key) return fail(("duplicate key \"" + key + "\"").c_str());
        ws();
        if (p >= end || *p != ':') return fail("expected ':'");
        p++;
        Json v;
        if (!value(&v, depth + 1)) return false;
        out->members.emplace_back(std::move(key), std::move(v));
        ws();
        if (p < end && *p == ',') {
          p++;
          continue;
        }
        if (p < end && *p == '}') {
          p++;
          return true;
        }
        return fail("expected ',' or '}'");
      }
    }
    if (c == '[') {
      p++;
      out->type = Json::Type::Array;
      ws();
      if (p < end && *p == ']') {
        p++;
        return true;
      }
      while (true) {
        Json v;
        if (!value(&v, depth + 1)) return false;
        out->items.push_back(std::move(v));
        ws();
        if (p < end && *p == ',') {
          p++;
          continue;
        }
        if (p < end && *p == ']') {
          p++;
          return true;
        }
        return fail("expected ',' or ']'");
      }
    }
    if (c == '"') {
      out->type = Json::Type::String;
      return string(&out->str);
    }
    if (c == 't') {
      out->type = Json::Type::Bool;
      out->boolean = true;
      return literal("true");
    }
    if (c == 'f') {
      out->type = Json::Type::Bool;
      out->boolean = false;
      return literal("false");
    }
    if (c == 'n') {
      out->type = Json::Type::Null;
      return literal("null");
    }
    return number(out);
  }
};

}  // namespace

bool parse_json(const char* text, size_t len, Json* out, std::string* error) {
  Parser ps{text, text + len, error, text};
  *out = Json{};
  if (!ps.value(out, 0)) return false;
  ps.ws();
  if (ps.p != ps.end) return ps.fail("trailing characters");
  return true;
}

}  // namespace oli
