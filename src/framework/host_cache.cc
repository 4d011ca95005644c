#include "src/framework/host_cache.h"

#include <cstdlib>
#include <new>

namespace tessera {
namespace {

constexpr size_t kAlignment = 64;
constexpr int kClasses = 11;  // 64 B << 0 .. 64 B << 10 = 64 KiB
constexpr int kPerClass = 16;

int ClassOf(size_t bytes) {
  size_t size = kAlignment;
  for (int c = 0; c < kClasses; ++c, size <<= 1) {
    if (bytes <= size) return c;
  }
  return -1;
}

size_t ClassSize(int c) { return kAlignment << c; }

// Trivially destructible, so it can be read after the cache is gone (blocks
// freed during thread or process teardown go straight back to malloc).
thread_local bool cache_gone = false;

struct ThreadCache {
  void* blocks[kClasses][kPerClass];
  int count[kClasses] = {};
  ~ThreadCache() {
    cache_gone = true;
    for (int c = 0; c < kClasses; ++c) {
      for (int i = 0; i < count[c]; ++i) std::free(blocks[c][i]);
    }
  }
};

ThreadCache* Cache() {
  if (cache_gone) return nullptr;
  thread_local ThreadCache cache;
  return &cache;
}

}  // namespace

void* HostCacheAlloc(size_t bytes) {
  const int c = ClassOf(bytes);
  if (c < 0) {
    const size_t rounded = (bytes + kAlignment - 1) / kAlignment * kAlignment;
    return std::aligned_alloc(kAlignment, rounded);
  }
  ThreadCache* cache = Cache();
  if (cache != nullptr && cache->count[c] > 0) return cache->blocks[c][--cache->count[c]];
  return std::aligned_alloc(kAlignment, ClassSize(c));
}

void HostCacheFree(void* ptr, size_t bytes) {
  if (ptr == nullptr) return;
  const int c = ClassOf(bytes);
  if (c >= 0) {
    ThreadCache* cache = Cache();
    if (cache != nullptr && cache->count[c] < kPerClass) {
      cache->blocks[c][cache->count[c]++] = ptr;
      return;
    }
  }
  std::free(ptr);
}

void HostCacheOutOfMemory() { throw std::bad_alloc(); }

}  // namespace tessera
