// safetensors.h: safetensors reader (own parser) over a file read once into private memory.
// Format: u64 LE header length N, N bytes of JSON {name: {dtype, shape, data_offsets: [begin,
// end)}, "__metadata__": {...}}, then the byte buffer; offsets are relative to byte 8 + N.
//
// Files are read, never mapped: a mapping shows later writes to the file and faults (SIGBUS) when
// the file is truncated, and weights served in place from it would then change or crash the
// process mid-generate. Each read also yields the SHA-256 of exactly the bytes read, so an identity
// always describes the weights actually loaded.
#ifndef OLI_SAFETENSORS_H
#define OLI_SAFETENSORS_H

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "../include/openledger-infer.h"
#include "host-memory.h"

namespace oli {

/** Element types named by safetensors. Only F32/F16/BF16 can be used as weights. */
enum class Dtype { F32, F16, BF16, F64, I64, I32, I16, I8, U8, U16, U32, U64, BOOL, F8_E4M3, F8_E5M2, F8_E8M0, C64 };

const char* dtype_name(Dtype d);

/**
 * A whole file read once into private, 64-byte aligned host memory (huge pages for large files,
 * host-memory.h), with the SHA-256 of those
 * bytes (hashed chunk by chunk while reading, so the hash costs no second pass over memory).
 * A file that shrinks or grows while it is read is an error.
 */
class FileBytes {
 public:
  ~FileBytes();
  FileBytes(const FileBytes&) = delete;
  FileBytes& operator=(const FileBytes&) = delete;
  /** Read path; files larger than max_bytes fail with OLI_STATUS_FORMAT_ERROR. */
  static oli_status read(const std::string& path, uint64_t max_bytes, std::unique_ptr<FileBytes>* out);
  const uint8_t* data() const { return data_; }
  uint64_t size() const { return size_; }
  const std::string& path() const { return path_; }
  /** SHA-256 of the bytes (32 bytes). */
  const uint8_t* sha256() const { return sha256_; }

 private:
  FileBytes() = default;
  HostBlock block_;
  uint8_t* data_ = nullptr;
  uint64_t size_ = 0;
  std::string path_;
  uint8_t sha256_[32] = {};
};

struct TensorView {
  std::string name;
  Dtype dtype = Dtype::F32;
  std::vector<int64_t> shape;
  uint64_t numel = 0;
  const uint8_t* data = nullptr;  // inside the file's bytes
  uint64_t bytes = 0;
};

/** A parsed safetensors file; tensor data stays in the file's bytes (owned here). */
class SafetensorsFile {
 public:
  /** Read and parse path (one read; the hash covers exactly the parsed bytes). */
  static oli_status open(const std::string& path, std::unique_ptr<SafetensorsFile>* out);
  /** Parse bytes already read. */
  static oli_status parse(std::unique_ptr<FileBytes> bytes, std::unique_ptr<SafetensorsFile>* out);
  const TensorView* find(const std::string& name) const;
  const std::map<std::string, TensorView>& tensors() const { return tensors_; }
  const FileBytes& file() const { return *file_; }

 private:
  std::unique_ptr<FileBytes> file_;
  std::map<std::string, TensorView> tensors_;
};

/** Largest JSON file read (config.json, adapter_config.json, the shard index). */
constexpr uint64_t kMaxJsonFileBytes = 64ull << 20;

/** Read a whole small file (JSON) into a string; sha256_out (32 bytes) may be null. */
oli_status read_text_file(const std::string& path, std::string* out, uint8_t* sha256_out = nullptr);

/** Widen a F32/F16/BF16 tensor to f32 into dst (numel floats). Other dtypes fail. */
oli_status tensor_to_f32(const TensorView& t, float* dst);

}  // namespace oli

#endif  // OLI_SAFETENSORS_H
