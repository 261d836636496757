// host-memory.cpp: see host-memory.h.
#include "host-memory.h"

#include <sys/mman.h>

#include <cstdint>
#include <cstdlib>

namespace oli {

namespace {

constexpr size_t kHugePage = size_t{2} << 20;

}  // namespace

HostBlock host_block_alloc(size_t bytes) {
  size_t rounded = ((bytes + 63) / 64) * 64;
  if (rounded == 0) rounded = 64;
  HostBlock block;
  if (rounded < kHugePage) {
    block.ptr = std::aligned_alloc(64, rounded);
    return block;
  }
  // Over-map by one huge page, then trim both ends so the block starts on a 2 MiB boundary.
  size_t len = (rounded + kHugePage - 1) / kHugePage * kHugePage;
  void* raw = mmap(nullptr, len + kHugePage, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (raw == MAP_FAILED) return block;
  uintptr_t base = reinterpret_cast<uintptr_t>(raw);
  uintptr_t aligned = (base + kHugePage - 1) & ~(uintptr_t{kHugePage} - 1);
  if (aligned > base) munmap(raw, aligned - base);
  uintptr_t end = aligned + len, raw_end = base + len + kHugePage;
  if (raw_end > end) munmap(reinterpret_cast<void*>(end), raw_end - end);
#ifdef MADV_HUGEPAGE
  // advice only: where THP is off the mapping keeps 4 KiB pages and works the same
  madvise(reinterpret_cast<void*>(aligned), len, MADV_HUGEPAGE);
#endif
  block.ptr = reinterpret_cast<void*>(aligned);
  block.mapped = len;
  return block;
}

void host_block_free(HostBlock block) {
  if (block.ptr == nullptr) return;
  if (block.mapped) {
    munmap(block.ptr, block.mapped);
  } else {
    std::free(block.ptr);
  }
}

}  // namespace oli
