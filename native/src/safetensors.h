// safetensors.h: memory-mapped safetensors reader (own parser). Format: u64 LE header length N,
// N bytes of JSON {name: {dtype, shape, data_offsets: [begin, end)}, "__metadata__": {...}}, then
// the byte buffer; offsets are relative to byte 8 + N.
#ifndef OLI_SAFETENSORS_H
#define OLI_SAFETENSORS_H

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "../include/openledger-infer.h"

namespace oli {

/** Element types named by safetensors. Only F32/F16/BF16 can be used as weights. */
enum class Dtype { F32, F16, BF16, F64, I64, I32, I16, I8, U8, U16, U32, U64, BOOL, F8_E4M3, F8_E5M2, F8_E8M0, C64 };

const char* dtype_name(Dtype d);

/** A read-only memory-mapped file. */
class MappedFile {
 public:
  ~MappedFile();
  static oli_status open(const std::string& path, std::unique_ptr<MappedFile>* out);
  const uint8_t* data() const { return data_; }
  uint64_t size() const { return size_; }
  const std::string& path() const { return path_; }

 private:
  MappedFile() = default;
  const uint8_t* data_ = nullptr;
  uint64_t size_ = 0;
  std::string path_;
};

struct TensorView {
  std::string name;
  Dtype dtype = Dtype::F32;
  std::vector<int64_t> shape;
  uint64_t numel = 0;
  const uint8_t* data = nullptr;  // inside the mapping
  uint64_t bytes = 0;
};

/** A parsed safetensors file; tensor data stays in the mapping. */
class SafetensorsFile {
 public:
  static oli_status open(const std::string& path, std::unique_ptr<SafetensorsFile>* out);
  const TensorView* find(const std::string& name) const;
  const std::map<std::string, TensorView>& tensors() const { return tensors_; }
  const MappedFile& file() const { return *file_; }

 private:
  std::unique_ptr<MappedFile> file_;
  std::map<std::string, TensorView> tensors_;
};

/** Read a whole small file (JSON) into a string. */
oli_status read_text_file(const std::string& path, std::string* out);

/** Widen a F32/F16/BF16 tensor to f32 into dst (numel floats). Other dtypes fail. */
oli_status tensor_to_f32(const TensorView& t, float* dst);

}  // namespace oli

#endif  // OLI_SAFETENSORS_H
