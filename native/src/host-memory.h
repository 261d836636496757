// host-memory.h: host allocations for weights and activations. Buffers of 2 MiB or more are
// anonymous mappings aligned to 2 MiB and advised for transparent huge pages (decode streams
// every weight once per step; 2 MiB pages measured 8-10% more read bandwidth than 4 KiB pages:
// fewer TLB misses, and the hardware prefetchers stop at page edges). Smaller ones come from
// aligned_alloc. Both are 64-byte aligned.
#pragma once

#include <cstddef>

namespace oli {

/** A host allocation; `mapped` is the mapping length (0 when it came from aligned_alloc). */
struct HostBlock {
  void* ptr = nullptr;
  size_t mapped = 0;
};

/** Allocate at least `bytes` (rounded up to 64); ptr == nullptr when out of memory. */
HostBlock host_block_alloc(size_t bytes);

/** Free a block from host_block_alloc (a null block is a no-op). */
void host_block_free(HostBlock block);

}  // namespace oli
