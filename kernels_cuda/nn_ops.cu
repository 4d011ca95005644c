// BiasAdd, Softmax/LogSoftmax, cross-entropy and L2Loss CUDA kernels (one
// thread per row for the softmax family, whose row math is
// src/kernels/row_math.h, shared with the CPU).
#include "kernels_cuda/cuda_common.cuh"
#include "src/kernels/row_math.h"

namespace tessera::cuda {
namespace {

constexpr int kL2Threads = 512;

template <typename T>
__global__ void BiasAddKernel(const T* a, const T* bias, T* out, int64_t n, int64_t channels) {
  TESSERA_GRID_STRIDE(i, n) { out[i] = a[i] + bias[i % channels]; }
}

template <typename T>
__global__ void SoftmaxKernel(const T* x, T* out, int64_t rows, int64_t cols, bool log) {
  TESSERA_GRID_STRIDE(r, rows) { rowmath::SoftmaxRow(x + r * cols, out + r * cols, cols, log); }
}

template <typename T, typename L>
__global__ void XentKernel(const T* logits, const T* dense, const L* sparse, T* loss, T* backprop, int64_t rows,
                           int64_t cols) {
  TESSERA_GRID_STRIDE(r, rows) {
    rowmath::XentRow(logits + r * cols, dense ? dense + r * cols : nullptr,
                     sparse ? static_cast<int64_t>(sparse[r]) : 0, cols, loss + r, backprop + r * cols);
  }
}

// One block: each thread sums its stride in double, then a tree in shared memory.
template <typename T>
__global__ void L2LossKernel(const T* x, T* out, int64_t n) {
  __shared__ double partial[kL2Threads];
  double acc = 0;
  for (int64_t i = threadIdx.x; i < n; i += blockDim.x) acc += double(x[i]) * double(x[i]);
  partial[threadIdx.x] = acc;
  __syncthreads();
  for (int w = blockDim.x / 2; w > 0; w /= 2) {
    if (threadIdx.x < w) partial[threadIdx.x] += partial[threadIdx.x + w];
    __syncthreads();
  }
  if (threadIdx.x == 0) *out = static_cast<T>(partial[0] / 2);
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

template <typename F>
cudaError_t DispatchFloat(ElemType t, F&& f) {
  if (t == ElemType::kFloat) {
    f(float{});
  } else if (t == ElemType::kDouble) {
    f(double{});
  } else {
    return cudaErrorInvalidValue;
  }
  return LastLaunchError();
}

cudaError_t LaunchSoftmax(ElemType t, const void* x, void* out, int64_t rows, int64_t cols, bool log, cudaStream_t s) {
  LaunchConfig c = GetLaunchConfig(rows, 128);
  if (c.blocks == 0 || cols == 0) return cudaSuccess;
  return DispatchFloat(t, [&](auto zero) {
    using T = decltype(zero);
    SoftmaxKernel<T><<<c.blocks, c.threads, 0, s>>>(static_cast<const T*>(x), static_cast<T*>(out), rows, cols, log);
  });
}

cudaError_t LaunchXent(ElemType t, const void* logits, const void* dense, const void* sparse, ElemType label_type,
                       void* loss, void* backprop, int64_t rows, int64_t cols, cudaStream_t s) {
  LaunchConfig c = GetLaunchConfig(rows, 128);
  if (c.blocks == 0 || cols == 0) return cudaSuccess;
  return DispatchFloat(t, [&](auto zero) {
    using T = decltype(zero);
    auto go = [&](auto label) {
      using L = decltype(label);
      XentKernel<T, L><<<c.blocks, c.threads, 0, s>>>(static_cast<const T*>(logits), static_cast<const T*>(dense),
                                                      static_cast<const L*>(sparse), static_cast<T*>(loss),
                                                      static_cast<T*>(backprop), rows, cols);
    };
    if (label_type == ElemType::kInt64) {
      go(int64_t{});
    } else {
      go(int32_t{});
    }
  });
}

cudaError_t LaunchL2Loss(ElemType t, const void* x, void* out, int64_t n, cudaStream_t s) {
  return DispatchFloat(t, [&](auto zero) {
    using T = decltype(zero);
    L2LossKernel<T><<<1, kL2Threads, 0, s>>>(static_cast<const T*>(x), static_cast<T*>(out), n);
  });
}

}  // namespace tessera::cuda
