// A per-thread cache of small host blocks (64-byte aligned, power-of-two size
// classes from 64 B to 64 KiB). Tensors of a small graph are allocated and
// freed on every Run; recycling their blocks keeps malloc off the hot path.
// A block freed on another thread joins that thread's cache. Each class keeps
// at most 16 blocks per thread; the rest go back to malloc, and a thread's
// cache is emptied when the thread exits. Larger blocks are kept by exact
// size in one cache for all threads, up to 1 GiB in all, so a training
// step's tensors reuse the last step's pages.
#pragma once

#include <cstddef>

namespace tessera {

// Null on failure. `bytes` may be 0.
void* HostCacheAlloc(size_t bytes);
// `bytes` must be the size given to HostCacheAlloc.
void HostCacheFree(void* ptr, size_t bytes);

[[noreturn]] void HostCacheOutOfMemory();

// A standard allocator over the cache (for shared_ptr control blocks).
template <typename T>
struct HostCacheAllocator {
  using value_type = T;
  HostCacheAllocator() = default;
  template <typename U>
  HostCacheAllocator(const HostCacheAllocator<U>&) {}  // NOLINT
  T* allocate(size_t n) {
    void* p = HostCacheAlloc(n * sizeof(T));
    if (p == nullptr) HostCacheOutOfMemory();  // as std::allocator does
    return static_cast<T*>(p);
  }
  void deallocate(T* p, size_t n) { HostCacheFree(p, n * sizeof(T)); }
  template <typename U>
  bool operator==(const HostCacheAllocator<U>&) const {
    return true;
  }
  template <typename U>
  bool operator!=(const HostCacheAllocator<U>&) const {
    return false;
  }
};

}  // namespace tessera
