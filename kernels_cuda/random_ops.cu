// RandomUniform / RandomStandardNormal on the GPU: the same Philox mapping as
// the CPU kernel (src/kernels/philox.h), so the same seed gives the same values.
#include "kernels_cuda/cuda_common.cuh"
#include "src/kernels/philox.h"

namespace tessera::cuda {
namespace {

template <typename T>
__global__ void RandomKernel(bool normal, uint64_t key, uint64_t base, T* out, int64_t n) {
  TESSERA_GRID_STRIDE(i, n) {
    out[i] = normal ? random::NormalAt<T>(key, base, i) : random::UniformAt<T>(key, base, i);
  }
}

}  // namespace

cudaError_t LaunchRandom(bool normal, ElemType t, uint64_t key, uint64_t base, void* out, int64_t n, cudaStream_t s) {
  LaunchConfig c = GetLaunchConfig(n);
  if (c.blocks == 0) return cudaSuccess;
  if (t == ElemType::kFloat) {
    RandomKernel<float><<<c.blocks, c.threads, 0, s>>>(normal, key, base, static_cast<float*>(out), n);
  } else if (t == ElemType::kDouble) {
    RandomKernel<double><<<c.blocks, c.threads, 0, s>>>(normal, key, base, static_cast<double*>(out), n);
  } else {
    return cudaErrorInvalidValue;
  }
  return LastLaunchError();
}

}  // namespace tessera::cuda
