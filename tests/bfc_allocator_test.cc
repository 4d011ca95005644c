// The BFC allocator's logic, over host memory (the GPU device uses it over cudaMalloc).
#include "src/runtime/bfc_allocator.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <set>

namespace tessera {
namespace {

class CountingHost : public SubAllocator {
 public:
  explicit CountingHost(size_t fail_above = SIZE_MAX, int* calls = nullptr) : fail_above_(fail_above), calls_(calls) {}
  void* Alloc(size_t bytes) override {
    if (calls_) ++*calls_;
    if (bytes > fail_above_) return nullptr;
    return std::aligned_alloc(256, bytes);
  }
  void Free(void* p, size_t) override { std::free(p); }

 private:
  size_t fail_above_;
  int* calls_;
};

TEST(BfcAllocatorTest, RoundsAndReusesMemory) {
  BfcAllocator a(std::make_unique<CountingHost>(), 64 << 20, /*allow_growth=*/true, "test_bfc", true);
  EXPECT_EQ(BfcAllocator::RoundedBytes(1), 256u);
  EXPECT_EQ(BfcAllocator::RoundedBytes(257), 512u);
  void* p = a.Allocate(1000);
  ASSERT_NE(p, nullptr);
  EXPECT_EQ(reinterpret_cast<uintptr_t>(p) % 256, 0u);
  EXPECT_EQ(a.stats().bytes_in_use, 1024u);
  EXPECT_EQ(a.stats().bytes_reserved, BfcAllocator::kInitialGrowthRegion);  // growth starts at 2 MiB
  a.Deallocate(p, 1000);
  EXPECT_EQ(a.stats().bytes_in_use, 0u);
  void* q = a.Allocate(1000);
  EXPECT_EQ(q, p);  // best fit reuses the freed chunk
  a.Deallocate(q, 1000);
}

TEST(BfcAllocatorTest, CoalescesNeighbours) {
  BfcAllocator a(std::make_unique<CountingHost>(), 1 << 20, /*allow_growth=*/false, "test_bfc", true);
  void* x = a.Allocate(256 * 1024);
  void* y = a.Allocate(256 * 1024);
  void* z = a.Allocate(256 * 1024);
  ASSERT_TRUE(x && y && z);
  a.Deallocate(x, 0);
  a.Deallocate(z, 0);
  a.Deallocate(y, 0);  // merges with both neighbours
  EXPECT_EQ(a.stats().largest_free_chunk, size_t{1} << 20);
  void* whole = a.Allocate(1 << 20);  // the whole region again, in one piece
  EXPECT_EQ(whole, x);
}

TEST(BfcAllocatorTest, GrowthDoublesAndTheLimitHolds) {
  int calls = 0;
  BfcAllocator a(std::make_unique<CountingHost>(SIZE_MAX, &calls), 10 << 20, true, "test_bfc", true);
  void* p1 = a.Allocate(2 << 20);  // region 1: 2 MiB
  void* p2 = a.Allocate(3 << 20);  // region 2: 4 MiB
  ASSERT_TRUE(p1 && p2);
  EXPECT_EQ(a.stats().bytes_reserved, size_t{6} << 20);
  EXPECT_EQ(a.Allocate(5 << 20), nullptr);  // 4 MiB left under the limit
  void* p3 = a.Allocate(4 << 20);
  EXPECT_NE(p3, nullptr);
  EXPECT_EQ(a.stats().bytes_reserved, size_t{10} << 20);
  EXPECT_EQ(calls, 3);
  EXPECT_EQ(a.stats().peak_bytes_in_use, size_t{9} << 20);
}

TEST(BfcAllocatorTest, WithoutGrowthTheFirstRegionIsTheLimitAndBackpedals) {
  // The sub-allocator refuses more than 3 MiB: the 4 MiB region is retried at 90% steps.
  BfcAllocator a(std::make_unique<CountingHost>(3 << 20), 4 << 20, false, "test_bfc", true);
  void* p = a.Allocate(1 << 20);
  ASSERT_NE(p, nullptr);
  EXPECT_LE(a.stats().bytes_reserved, size_t{3} << 20);
  EXPECT_GE(a.stats().bytes_reserved, size_t{2} << 20);
}

TEST(BfcAllocatorTest, ManyAllocationsStayDisjoint) {
  BfcAllocator a(std::make_unique<CountingHost>(), 16 << 20, true, "test_bfc", true);
  std::vector<std::pair<char*, size_t>> live;
  for (int i = 0; i < 200; ++i) {
    size_t n = 100 + (i * 7919) % 20000;
    char* p = static_cast<char*>(a.Allocate(n));
    ASSERT_NE(p, nullptr);
    for (auto& [q, m] : live) ASSERT_TRUE(p + n <= q || q + m <= p) << "overlap";
    live.emplace_back(p, n);
    if (i % 3 == 0) {
      a.Deallocate(live.front().first, live.front().second);
      live.erase(live.begin());
    }
  }
  for (auto& [p, n] : live) a.Deallocate(p, n);
  EXPECT_EQ(a.stats().bytes_in_use, 0u);
}

TEST(BfcAllocatorTest, OutOfMemoryIsResourceExhaustedNamingShapeAndDtype) {
  BfcAllocator a(std::make_unique<CountingHost>(), 1 << 20, false, "GPU_0_bfc", true);
  auto t = AllocateTensor(&a, DataType::kFloat, TensorShape{1024, 1024});
  EXPECT_EQ(t.status().code(), Code::kResourceExhausted);
  EXPECT_EQ(t.status().message(), "OOM when allocating tensor with shape[1024,1024] and type float on GPU_0_bfc");
  EXPECT_TRUE(AllocateTensor(&a, DataType::kFloat, TensorShape{1024}).ok());
}

}  // namespace
}  // namespace tessera
