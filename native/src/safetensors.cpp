// safetensors.cpp: see safetensors.h. Validation: header length <= 100 MB and inside the file,
// JSON object, known dtype, non-negative shape, data_offsets consistent with dtype * shape,
// inside the buffer, no overlaps, no duplicates (the JSON parser rejects duplicate keys).
#include "safetensors.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdint>
#include <cstdlib>
#include <cstring>

#include "backend.h"
#include "host-memory.h"
#include "json.h"
#include "math/oli-math.h"
#include "sha256.h"

namespace oli {

namespace {

struct DtypeEntry {
  const char* name;
  Dtype dtype;
  uint32_t size;
};

const DtypeEntry kDtypes[] = {
    {"F32", Dtype::F32, 4},     {"F16", Dtype::F16, 2},         {"BF16", Dtype::BF16, 2},
    {"F64", Dtype::F64, 8},     {"I64", Dtype::I64, 8},         {"I32", Dtype::I32, 4},
    {"I16", Dtype::I16, 2},     {"I8", Dtype::I8, 1},           {"U8", Dtype::U8, 1},
    {"U16", Dtype::U16, 2},     {"U32", Dtype::U32, 4},         {"U64", Dtype::U64, 8},
    {"BOOL", Dtype::BOOL, 1},   {"F8_E4M3", Dtype::F8_E4M3, 1}, {"F8_E5M2", Dtype::F8_E5M2, 1},
    {"F8_E8M0", Dtype::F8_E8M0, 1}, {"C64", Dtype::C64, 8},
};

constexpr uint64_t kMaxHeader = 100ull * 1000 * 1000;  // safetensors reference limit

}  // namespace

const char* dtype_name(Dtype d) {
  for (const auto& e : kDtypes)
    if (e.dtype == d) return e.name;
  return "?";
}

FileBytes::~FileBytes() { host_block_free(block_); }

oli_status FileBytes::read(const std::string& path, uint64_t max_bytes, std::unique_ptr<FileBytes>* out) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return set_error(OLI_STATUS_IO_ERROR, "cannot open %s: %s", path.c_str(), std::strerror(errno));
  struct Closer {
    int fd;
    ~Closer() { ::close(fd); }
  } closer{fd};
  struct stat st;
  if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) return set_error(OLI_STATUS_IO_ERROR, "%s is not a regular file", path.c_str());
  const uint64_t size = static_cast<uint64_t>(st.st_size);
  if (size > max_bytes)
    return set_error(OLI_STATUS_FORMAT_ERROR, "%s is %llu bytes, more than the %llu allowed", path.c_str(), static_cast<unsigned long long>(size), static_cast<unsigned long long>(max_bytes));
  std::unique_ptr<FileBytes> f(new FileBytes());
  f->path_ = path;
  f->size_ = size;
  // Host-memory blocks (64-byte aligned; huge pages from 2 MiB): the CPU backend serves weights in
  // place from these bytes, so they are where decode streams from.
  f->block_ = host_block_alloc(size + 64);
  f->data_ = static_cast<uint8_t*>(f->block_.ptr);
  if (!f->data_) return set_error(OLI_STATUS_OUT_OF_MEMORY, "cannot allocate %llu bytes for %s", static_cast<unsigned long long>(size), path.c_str());
#ifdef POSIX_FADV_SEQUENTIAL
  (void)posix_fadvise(fd, 0, 0, POSIX_FADV_SEQUENTIAL);  // advice only; failure changes nothing
#endif
  // Hash each chunk right after reading it, while it is still in cache.
  constexpr uint64_t kChunk = 1u << 20;
  Sha256 hash;
  uint64_t done = 0;
  while (done < size) {
    size_t want = static_cast<size_t>(std::min<uint64_t>(kChunk, size - done));
    ssize_t got = ::read(fd, f->data_ + done, want);
    if (got < 0) {
      if (errno == EINTR) continue;
      return set_error(OLI_STATUS_IO_ERROR, "cannot read %s: %s", path.c_str(), std::strerror(errno));
    }
    if (got == 0)
      return set_error(OLI_STATUS_TRUNCATED_FILE, "%s shrank while being read (%llu of %llu bytes)", path.c_str(), static_cast<unsigned long long>(done), static_cast<unsigned long long>(size));
    hash.update(f->data_ + done, static_cast<size_t>(got));
    done += static_cast<uint64_t>(got);
  }
  uint8_t extra;
  ssize_t more;
  do more = ::read(fd, &extra, 1);
  while (more < 0 && errno == EINTR);
  if (more > 0) return set_error(OLI_STATUS_IO_ERROR, "%s grew while being read", path.c_str());
  hash.finish(f->sha256_);
  *out = std::move(f);
  return OLI_STATUS_OK;
}

oli_status read_text_file(const std::string& path, std::string* out, uint8_t* sha256_out) {
  std::unique_ptr<FileBytes> f;
  oli_status st = FileBytes::read(path, kMaxJsonFileBytes, &f);
  if (st) return st;
  out->assign(reinterpret_cast<const char*>(f->data()), f->size());
  if (sha256_out) std::memcpy(sha256_out, f->sha256(), 32);
  return OLI_STATUS_OK;
}

oli_status SafetensorsFile::open(const std::string& path, std::unique_ptr<SafetensorsFile>* out) {
  std::unique_ptr<FileBytes> bytes;
  oli_status st = FileBytes::read(path, UINT64_MAX, &bytes);
  if (st) return st;
  return parse(std::move(bytes), out);
}

oli_status SafetensorsFile::parse(std::unique_ptr<FileBytes> bytes, std::unique_ptr<SafetensorsFile>* out) {
  std::unique_ptr<SafetensorsFile> sf(new SafetensorsFile());
  sf->file_ = std::move(bytes);
  const std::string& path = sf->file_->path();
  const uint8_t* d = sf->file_->data();
  uint64_t size = sf->file_->size();
  if (size < 8) return set_error(OLI_STATUS_TRUNCATED_FILE, "%s: shorter than the 8-byte header length", path.c_str());
  uint64_t n = 0;
  for (int i = 7; i >= 0; i--) n = (n << 8) | d[i];
  if (n > kMaxHeader) return set_error(OLI_STATUS_FORMAT_ERROR, "%s: header length %llu exceeds 100 MB", path.c_str(), static_cast<unsigned long long>(n));
  if (8 + n > size) return set_error(OLI_STATUS_TRUNCATED_FILE, "%s: header of %llu bytes extends past the end of the file (%llu bytes)", path.c_str(), static_cast<unsigned long long>(n), static_cast<unsigned long long>(size));
  Json header;
  std::string err;
  if (!parse_json(reinterpret_cast<const char*>(d + 8), n, &header, &err))
    return set_error(OLI_STATUS_FORMAT_ERROR, "%s: bad header JSON: %s", path.c_str(), err.c_str());
  if (header.type != Json::Type::Object) return set_error(OLI_STATUS_FORMAT_ERROR, "%s: header is not a JSON object", path.c_str());
  const uint8_t* buffer = d + 8 + n;
  uint64_t buffer_size = size - 8 - n;
  std::vector<std::pair<uint64_t, uint64_t>> ranges;
  for (const auto& m : header.members) {
    if (m.first == "__metadata__") {
      if (m.second.type != Json::Type::Object) return set_error(OLI_STATUS_FORMAT_ERROR, "%s: __metadata__ is not an object", path.c_str());
      continue;
    }
    const Json& e = m.second;
    const Json* dt = e.get("dtype");
    const Json* shape = e.get("shape");
    const Json* offs = e.get("data_offsets");
    if (!dt || dt->type != Json::Type::String || !shape || shape->type != Json::Type::Array || !offs ||
        offs->type != Json::Type::Array || offs->items.size() != 2)
      return set_error(OLI_STATUS_FORMAT_ERROR, "%s: tensor %s lacks dtype/shape/data_offsets", path.c_str(), m.first.c_str());
    const DtypeEntry* de = nullptr;
    for (const auto& k : kDtypes)
      if (dt->str == k.name) de = &k;
    if (!de) return set_error(OLI_STATUS_UNSUPPORTED_DTYPE, "%s: tensor %s has unknown dtype %s", path.c_str(), m.first.c_str(), dt->str.c_str());
    TensorView tv;
    tv.name = m.first;
    tv.dtype = de->dtype;
    uint64_t numel = 1;
    for (const auto& s : shape->items) {
      if (s.type != Json::Type::Number || !s.is_integer || s.integer < 0)
        return set_error(OLI_STATUS_FORMAT_ERROR, "%s: tensor %s has a bad shape", path.c_str(), m.first.c_str());
      if (s.integer != 0 && numel > (1ull << 62) / static_cast<uint64_t>(s.integer))
        return set_error(OLI_STATUS_FORMAT_ERROR, "%s: tensor %s shape overflows", path.c_str(), m.first.c_str());
      numel *= static_cast<uint64_t>(s.integer);
      tv.shape.push_back(s.integer);
    }
    const Json& b = offs->items[0];
    const Json& en = offs->items[1];
    if (b.type != Json::Type::Number || !b.is_integer || en.type != Json::Type::Number || !en.is_integer ||
        b.integer < 0 || en.integer < b.integer)
      return set_error(OLI_STATUS_FORMAT_ERROR, "%s: tensor %s has bad data_offsets", path.c_str(), m.first.c_str());
    uint64_t bytes = static_cast<uint64_t>(en.integer - b.integer);
    if (bytes != numel * de->size)
      return set_error(OLI_STATUS_FORMAT_ERROR, "%s: tensor %s: data_offsets span %llu bytes but dtype x shape needs %llu", path.c_str(), m.first.c_str(), static_cast<unsigned long long>(bytes), static_cast<unsigned long long>(numel * de->size));
    if (static_cast<uint64_t>(en.integer) > buffer_size)
      return set_error(OLI_STATUS_TRUNCATED_FILE, "%s: tensor %s ends at byte %llu of a %llu-byte data buffer (file truncated)", path.c_str(), m.first.c_str(), static_cast<unsigned long long>(en.integer), static_cast<unsigned long long>(buffer_size));
    tv.numel = numel;
    tv.bytes = bytes;
    tv.data = buffer + b.integer;
    if (bytes) ranges.emplace_back(static_cast<uint64_t>(b.integer), static_cast<uint64_t>(en.integer));
    sf->tensors_.emplace(m.first, std::move(tv));
  }
  std::sort(ranges.begin(), ranges.end());
  for (size_t i = 1; i < ranges.size(); i++)
    if (ranges[i].first < ranges[i - 1].second)
      return set_error(OLI_STATUS_FORMAT_ERROR, "%s: tensor data ranges overlap", path.c_str());
  *out = std::move(sf);
  return OLI_STATUS_OK;
}

const TensorView* SafetensorsFile::find(const std::string& name) const {
  auto it = tensors_.find(name);
  return it == tensors_.end() ? nullptr : &it->second;
}

oli_status tensor_to_f32(const TensorView& t, float* dst) {
  switch (t.dtype) {
    case Dtype::F32:
      std::memcpy(dst, t.data, t.numel * 4);
      return OLI_STATUS_OK;
    case Dtype::BF16:
      for (uint64_t i = 0; i < t.numel; i++) {
        uint16_t h;
        std::memcpy(&h, t.data + 2 * i, 2);
        dst[i] = bf16_to_f32(h);
      }
      return OLI_STATUS_OK;
    case Dtype::F16:
      for (uint64_t i = 0; i < t.numel; i++) {
        uint16_t h;
        std::memcpy(&h, t.data + 2 * i, 2);
        dst[i] = f16_to_f32(h);
      }
      return OLI_STATUS_OK;
    default:
      return set_error(OLI_STATUS_UNSUPPORTED_DTYPE, "tensor %s has dtype %s; weights must be F32, BF16 or F16", t.name.c_str(), dtype_name(t.dtype));
  }
}

}  // namespace oli
