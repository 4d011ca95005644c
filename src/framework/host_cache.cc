#include "src/framework/host_cache.h"

#include <cstdlib>
#include <mutex>
#include <new>
#include <unordered_map>
#include <vector>

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

// Large blocks (above the classes), shared by all threads: freed ones are
// kept by exact size, up to kLargeBytes in all, and handed out again. A
// training step allocates the same large tensors every step; glibc maps
// blocks this size and gives them back, and each step's fresh pages cost
// page faults (18% of the tutorial CNN's step at batch 64). TF's BFC
// allocator keeps all it ever took; this keeps at most the cap.
constexpr size_t kLargeBytes = size_t{1} << 30;

class LargeBlocks {
 public:
  static LargeBlocks& Get() {
    static LargeBlocks* blocks = new LargeBlocks();  // never destroyed: frees may come during exit
    return *blocks;
  }
  void* Take(size_t bytes) {
    std::lock_guard<std::mutex> l(mu_);
    auto it = free_.find(bytes);
    if (it == free_.end() || it->second.empty()) return nullptr;
    void* p = it->second.back();
    it->second.pop_back();
    held_ -= bytes;
    return p;
  }
  // False when the cache is full (the caller frees the block).
  bool Keep(void* p, size_t bytes) {
    std::lock_guard<std::mutex> l(mu_);
    if (held_ + bytes > kLargeBytes) return false;
    free_[bytes].push_back(p);
    held_ += bytes;
    return true;
  }
  // Every kept block back to malloc (before an allocation is given up on).
  void Release() {
    std::lock_guard<std::mutex> l(mu_);
    for (auto& [size, blocks] : free_) {
      for (void* p : blocks) std::free(p);
    }
    free_.clear();
    held_ = 0;
  }

 private:
  std::mutex mu_;
  std::unordered_map<size_t, std::vector<void*>> free_;
  size_t held_ = 0;
};

size_t RoundedLarge(size_t bytes) { return (bytes + kAlignment - 1) / kAlignment * kAlignment; }

}  // namespace

void* HostCacheAlloc(size_t bytes) {
  const int c = ClassOf(bytes);
  if (c < 0) {
    const size_t rounded = RoundedLarge(bytes);
    if (void* p = LargeBlocks::Get().Take(rounded)) return p;
    void* p = std::aligned_alloc(kAlignment, rounded);
    if (p == nullptr) {
      LargeBlocks::Get().Release();
      p = std::aligned_alloc(kAlignment, rounded);
    }
    return p;
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
  } else if (LargeBlocks::Get().Keep(ptr, RoundedLarge(bytes))) {
    return;
  }
  std::free(ptr);
}

void HostCacheOutOfMemory() { throw std::bad_alloc(); }

}  // namespace tessera
