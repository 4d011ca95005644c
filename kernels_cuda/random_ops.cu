// RandomUniform / RandomStandardNormal / TruncatedNormal on the GPU: the same
// Philox layout as the CPU kernel (src/kernels/philox.h), one thread per value.
#include "kernels_cuda/cuda_common.cuh"
#include "src/kernels/philox.h"

namespace tessera::cuda {
namespace {

template <typename T>
__global__ void RandomKernel(random::Distribution dist, random::PhiloxStart start, T* out, int64_t n) {
  TESSERA_GRID_STRIDE(i, n) { out[i] = random::ValueAt<T>(dist, start, i); }
}

}  // namespace

cudaError_t LaunchRandom(int dist, ElemType t, uint64_t key, uint64_t counter_lo, uint64_t counter_hi, void* out,
                         int64_t n, cudaStream_t s) {
  LaunchConfig c = GetLaunchConfig(n);
  if (c.blocks == 0) return cudaSuccess;
  const auto d = static_cast<random::Distribution>(dist);
  const random::PhiloxStart start{key, counter_lo, counter_hi};
  if (t == ElemType::kFloat) {
    RandomKernel<float><<<c.blocks, c.threads, 0, s>>>(d, start, static_cast<float*>(out), n);
  } else if (t == ElemType::kDouble) {
    RandomKernel<double><<<c.blocks, c.threads, 0, s>>>(d, start, static_cast<double*>(out), n);
  } else {
    return cudaErrorInvalidValue;
  }
  return LastLaunchError();
}

}  // namespace tessera::cuda
