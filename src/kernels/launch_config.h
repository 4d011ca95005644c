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

}  // namespace tessera
