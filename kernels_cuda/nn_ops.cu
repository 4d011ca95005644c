// BiasAdd and Softmax CUDA kernels (one thread per row for Softmax).
#include "kernels_cuda/cuda_common.cuh"

namespace tessera::cuda {
namespace {

template <typename T>
__global__ void BiasAddKernel(const T* a, const T* bias, T* out, int64_t n, int64_t channels) {
  TESSERA_GRID_STRIDE(i, n) { out[i] = a[i] + bias[i % channels]; }
}

template <typename T>
__global__ void SoftmaxKernel(const T* x, T* out, int64_t rows, int64_t cols) {
  TESSERA_GRID_STRIDE(r, rows) {
    const T* row = x + r * cols;
    T* o = out + r * cols;
    T mx = row[0];
    for (int64_t i = 1; i < cols; ++i) mx = row[i] > mx ? row[i] : mx;
    T sum = 0;
    for (int64_t i = 0; i < cols; ++i) {
      o[i] = exp(row[i] - mx);
      sum += o[i];
    }
    for (int64_t i = 0; i < cols; ++i) o[i] /= sum;
  }
}

}  // namespace

cudaError_t LaunchBiasAdd(ElemType t, const void* a, const void* bias, void* out, int64_t n, int64_t channels,
                          cudaStream_t s) {
  LaunchConfig c = GetLaunchConfig(n);
  if (c.blocks == 0) return cudaSuccess;
  cudaError_t e = DispatchFloatLike(t, [&](auto zero) {
    using T = decltype(zero);
    BiasAddKernel<T><<<c.blocks, c.threads, 0, s>>>(static_cast<const T*>(a), static_cast<const T*>(bias),
                                                    static_cast<T*>(out), n, channels);
  });
  return e == cudaSuccess ? LastLaunchError() : e;
}

cudaError_t LaunchSoftmax(ElemType t, const void* x, void* out, int64_t rows, int64_t cols, cudaStream_t s) {
  LaunchConfig c = GetLaunchConfig(rows, 128);
  if (c.blocks == 0 || cols == 0) return cudaSuccess;
  if (t == ElemType::kFloat) {
    SoftmaxKernel<float>
        <<<c.blocks, c.threads, 0, s>>>(static_cast<const float*>(x), static_cast<float*>(out), rows, cols);
  } else if (t == ElemType::kDouble) {
    SoftmaxKernel<double>
        <<<c.blocks, c.threads, 0, s>>>(static_cast<const double*>(x), static_cast<double*>(out), rows, cols);
  } else {
    return cudaErrorInvalidValue;
  }
  return LastLaunchError();
}

}  // namespace tessera::cuda
