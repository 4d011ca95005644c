// BfcAllocator: a best-fit caching allocator with coalescing, in the spirit
// of TensorFlow's BFC allocator, over any SubAllocator (cudaMalloc on a GPU,
// aligned host memory in tests).
//
//   BfcAllocator a(std::make_unique<MySubAllocator>(), /*memory_limit=*/1 << 30,
//                  /*allow_growth=*/true, "GPU_0_bfc");
//   void* p = a.Allocate(1000);   // rounded up to 256 bytes; null when out of memory
//   a.Deallocate(p, 1000);        // the chunk merges with free neighbours
//
// Regions come from the sub-allocator: with allow_growth the first is 2 MiB
// and each next one doubles (capped by what is left of the limit); without it
// the first region takes the whole limit. A failed region allocation is
// retried at 90% of the size until it fits or falls below the request.
//
// Device-neutral, so it is tested on the CPU. Thread-safety: all methods lock.
#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <vector>

#include "src/framework/allocator.h"

namespace tessera {

class SubAllocator {
 public:
  virtual ~SubAllocator() = default;
  virtual void* Alloc(size_t bytes) = 0;  // null on failure
  virtual void Free(void* ptr, size_t bytes) = 0;
};

struct AllocatorStats {
  size_t bytes_in_use = 0;
  size_t peak_bytes_in_use = 0;
  size_t bytes_reserved = 0;  // obtained from the sub-allocator
  size_t num_allocs = 0;
  size_t largest_free_chunk = 0;
};

class BfcAllocator final : public Allocator {
 public:
  static constexpr size_t kMinAllocationSize = 256;
  static constexpr size_t kInitialGrowthRegion = 2u << 20;

  BfcAllocator(std::unique_ptr<SubAllocator> sub, size_t memory_limit, bool allow_growth, std::string name,
               bool on_host = false);
  ~BfcAllocator() override;

  std::string name() const override { return name_; }
  void* Allocate(size_t bytes) override;
  void Deallocate(void* ptr, size_t bytes) override;
  bool on_host() const override { return on_host_; }

  AllocatorStats stats() const;
  size_t memory_limit() const { return memory_limit_; }

  // Rounds a request the way the allocator does.
  static size_t RoundedBytes(size_t bytes);

 private:
  struct Chunk {
    size_t size = 0;
    bool in_use = false;
    uintptr_t prev = 0, next = 0;  // neighbours in the same region (0 = none)
  };
  bool Extend(size_t rounded);
  void InsertFree(uintptr_t ptr);
  void EraseFree(uintptr_t ptr);

  std::unique_ptr<SubAllocator> sub_;
  const size_t memory_limit_;
  const bool allow_growth_;
  const std::string name_;
  const bool on_host_;

  mutable std::mutex mu_;
  size_t next_region_size_;
  std::map<uintptr_t, Chunk> chunks_;            // by address
  std::set<std::pair<size_t, uintptr_t>> free_;  // (size, address): best fit = lower_bound
  std::vector<std::pair<void*, size_t>> regions_;
  AllocatorStats stats_;
};

}  // namespace tessera
