// Launch configuration for element-wise CUDA kernels (grid-stride loops),
// as a plain function so it is tested on the CPU.
#pragma once

#include <algorithm>
#include <cstdint>

namespace tessera {

struct LaunchConfig {
  int blocks = 0;
  int threads = 0;
};

// Enough blocks of `threads` to cover n elements once, capped at `max_blocks`
// (the kernels loop over the rest). n <= 0 gives an empty launch.
inline LaunchConfig GetLaunchConfig(int64_t n, int threads = 256, int max_blocks = 4096) {
  if (n <= 0) return {};
  const int64_t needed = (n + threads - 1) / threads;
  return LaunchConfig{static_cast<int>(std::min<int64_t>(needed, max_blocks)), threads};
}

// Up to 8 dimensions of an index space with per-dimension strides into one or
// two operands; what the broadcasting, transpose, slice and reduction kernels take.
struct StridedDims {
  static constexpr int kMaxRank = 8;
  int rank = 0;
  int64_t dims[kMaxRank] = {};
  int64_t a_strides[kMaxRank] = {};
  int64_t b_strides[kMaxRank] = {};
};

// Offsets of linear index i (row-major over dims) in operands a and b.
#if defined(__CUDACC__)
__host__ __device__
#endif
    inline void
    StridedOffsets(const StridedDims& d, int64_t i, int64_t* a, int64_t* b) {
  int64_t oa = 0, ob = 0;
  for (int k = d.rank - 1; k >= 0; --k) {
    const int64_t idx = i % d.dims[k];
    i /= d.dims[k];
    oa += idx * d.a_strides[k];
    ob += idx * d.b_strides[k];
  }
  *a = oa;
  *b = ob;
}

// GatherV2's source element for output element i (the output viewed as
// [outer, k, inner], params as [outer, n, inner]), or -1 where the index is
// outside [0, n) (the GPU writes a zero there, as TF's GPU kernel does).
#if defined(__CUDACC__)
__host__ __device__
#endif
    inline int64_t
    GatherRowsSource(int64_t i, const int64_t* indices, int64_t n, int64_t k, int64_t inner) {
  const int64_t in = i % inner, row = i / inner;
  const int64_t kk = row % k, o = row / k;
  const int64_t idx = indices[kk];
  return idx < 0 || idx >= n ? -1 : (o * n + idx) * inner + in;
}

// UnsortedSegmentSum: the output element that data element i (data viewed as
// [k, inner]) adds to, or -1 where its segment id is outside [0, n): negative
// ids are dropped on every device, as TF drops them; the CPU fails on ids >= n
// before adding, a GPU drops them, as TF's GPU kernel does.
#if defined(__CUDACC__)
__host__ __device__
#endif
    inline int64_t
    SegmentSumTarget(int64_t i, const int64_t* ids, int64_t n, int64_t inner) {
  const int64_t id = ids[i / inner];
  return id < 0 || id >= n ? -1 : id * inner + i % inner;
}

// OneHot: whether output element i (viewed as [outer, depth, inner]) is on.
#if defined(__CUDACC__)
__host__ __device__
#endif
    inline bool
    OneHotIsOn(int64_t i, const int64_t* indices, int64_t depth, int64_t inner) {
  const int64_t in = i % inner, row = i / inner;
  const int64_t d = row % depth, o = row / depth;
  return indices[o * inner + in] == d;
}

}  // namespace tessera
