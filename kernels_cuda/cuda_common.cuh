// Shared device-side helpers for the .cu files.
#pragma once

#include <cuda_runtime.h>

#include "kernels_cuda/launchers.h"

namespace tessera::cuda {

#define TESSERA_GRID_STRIDE(i, n)                                                        \
  for (int64_t i = blockIdx.x * static_cast<int64_t>(blockDim.x) + threadIdx.x; i < (n); \
       i += static_cast<int64_t>(blockDim.x) * gridDim.x)

template <typename F>
cudaError_t DispatchFloatLike(ElemType t, F&& f) {
  switch (t) {
    case ElemType::kFloat:
      f(float{});
      return cudaSuccess;
    case ElemType::kDouble:
      f(double{});
      return cudaSuccess;
    case ElemType::kInt64:
      f(int64_t{});
      return cudaSuccess;
    default:
      return cudaErrorInvalidValue;
  }
}

inline cudaError_t LastLaunchError() { return cudaGetLastError(); }

}  // namespace tessera::cuda
