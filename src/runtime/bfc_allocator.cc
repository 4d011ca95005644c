#include "src/runtime/bfc_allocator.h"

#include <algorithm>

namespace tessera {

BfcAllocator::BfcAllocator(std::unique_ptr<SubAllocator> sub, size_t memory_limit, bool allow_growth, std::string name,
                           bool on_host)
    : sub_(std::move(sub)),
      memory_limit_(memory_limit),
      allow_growth_(allow_growth),
      name_(std::move(name)),
      on_host_(on_host),
      next_region_size_(allow_growth ? std::min(kInitialGrowthRegion, memory_limit) : memory_limit) {}

BfcAllocator::~BfcAllocator() {
  for (auto& [ptr, bytes] : regions_) sub_->Free(ptr, bytes);
}

size_t BfcAllocator::RoundedBytes(size_t bytes) {
  if (bytes == 0) return kMinAllocationSize;
  return (bytes + kMinAllocationSize - 1) / kMinAllocationSize * kMinAllocationSize;
}

void BfcAllocator::InsertFree(uintptr_t ptr) { free_.emplace(chunks_[ptr].size, ptr); }
void BfcAllocator::EraseFree(uintptr_t ptr) { free_.erase({chunks_[ptr].size, ptr}); }

bool BfcAllocator::Extend(size_t rounded) {
  const size_t available = memory_limit_ - stats_.bytes_reserved;
  if (rounded > available) return false;
  size_t size = std::max(std::min(next_region_size_, available), rounded);
  void* mem = sub_->Alloc(size);
  // Backpedal: retry at 90% until it fits or drops below the request.
  while (mem == nullptr) {
    size = static_cast<size_t>(static_cast<double>(size) * 0.9) / kMinAllocationSize * kMinAllocationSize;
    if (size < rounded) return false;
    mem = sub_->Alloc(size);
  }
  regions_.emplace_back(mem, size);
  stats_.bytes_reserved += size;
  if (allow_growth_) next_region_size_ = std::min(size * 2, memory_limit_);
  const auto p = reinterpret_cast<uintptr_t>(mem);
  chunks_[p] = Chunk{size, false, 0, 0};
  InsertFree(p);
  return true;
}

void* BfcAllocator::Allocate(size_t bytes) {
  const size_t rounded = RoundedBytes(bytes);
  std::lock_guard<std::mutex> l(mu_);
  auto it = free_.lower_bound({rounded, 0});
  if (it == free_.end()) {
    if (!Extend(rounded)) return nullptr;
    it = free_.lower_bound({rounded, 0});
    if (it == free_.end()) return nullptr;
  }
  const uintptr_t p = it->second;
  free_.erase(it);
  Chunk& c = chunks_[p];
  // Split when the remainder is worth keeping.
  if (c.size - rounded >= kMinAllocationSize) {
    const uintptr_t q = p + rounded;
    chunks_[q] = Chunk{c.size - rounded, false, p, c.next};
    if (c.next) chunks_[c.next].prev = q;
    Chunk& c2 = chunks_[p];  // the map may have rebalanced; references stay valid, but be explicit
    c2.next = q;
    c2.size = rounded;
    InsertFree(q);
  }
  Chunk& used = chunks_[p];
  used.in_use = true;
  stats_.bytes_in_use += used.size;
  stats_.peak_bytes_in_use = std::max(stats_.peak_bytes_in_use, stats_.bytes_in_use);
  ++stats_.num_allocs;
  return reinterpret_cast<void*>(p);
}

void BfcAllocator::Deallocate(void* ptr, size_t) {
  if (ptr == nullptr) return;
  std::lock_guard<std::mutex> l(mu_);
  uintptr_t p = reinterpret_cast<uintptr_t>(ptr);
  auto it = chunks_.find(p);
  if (it == chunks_.end() || !it->second.in_use) return;  // not ours, or double free: ignore
  it->second.in_use = false;
  stats_.bytes_in_use -= it->second.size;
  // Coalesce with a free next neighbour, then with a free previous one.
  const uintptr_t next = it->second.next;
  if (next && !chunks_[next].in_use) {
    EraseFree(next);
    Chunk n = chunks_[next];
    it->second.size += n.size;
    it->second.next = n.next;
    if (n.next) chunks_[n.next].prev = p;
    chunks_.erase(next);
  }
  const uintptr_t prev = it->second.prev;
  if (prev && !chunks_[prev].in_use) {
    EraseFree(prev);
    Chunk& pc = chunks_[prev];
    pc.size += it->second.size;
    pc.next = it->second.next;
    if (pc.next) chunks_[pc.next].prev = prev;
    chunks_.erase(p);
    p = prev;
  }
  InsertFree(p);
}

AllocatorStats BfcAllocator::stats() const {
  std::lock_guard<std::mutex> l(mu_);
  AllocatorStats s = stats_;
  s.largest_free_chunk = free_.empty() ? 0 : free_.rbegin()->first;
  return s;
}

}  // namespace tessera
