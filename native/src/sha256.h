// sha256.h: SHA-256 (FIPS 180-4), used for model and adapter identity and logits hashes.
#ifndef OLI_SHA256_H
#define OLI_SHA256_H

#include <cstddef>
#include <cstdint>
#include <string>

namespace oli {

class Sha256 {
 public:
  Sha256();
  void update(const void* data, size_t len);
  /** Finish and write 32 bytes; the object must not be updated afterwards. */
  void finish(uint8_t out[32]);

 private:
  void block(const uint8_t* p);
  uint32_t h_[8];
  uint8_t buf_[64];
  size_t buf_len_ = 0;
  uint64_t total_ = 0;
};

/** Compression function in use: "sha-ni" (x86 SHA extensions, runtime check) or "portable". */
const char* sha256_variant();

/** Lowercase hex of bytes. */
std::string to_hex(const uint8_t* bytes, size_t len);

}  // namespace oli

#endif  // OLI_SHA256_H
