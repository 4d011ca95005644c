// GatherV2, UnsortedSegmentSum, OneHot, Cumsum and Cumprod on the GPU. The index arithmetic is the
// host-callable code of src/kernels/launch_config.h, tested on the CPU.
#include "kernels_cuda/cuda_common.cuh"
#include "src/framework/cwise_functors.h"

namespace tessera::cuda {
namespace {

template <typename W>
__global__ void GatherRowsKernel(const W* params, const int64_t* indices, W* out, int64_t total, int64_t n, int64_t k,
                                 int64_t inner) {
  TESSERA_GRID_STRIDE(i, total) {
    const int64_t src = GatherRowsSource(i, indices, n, k, inner);
    out[i] = src < 0 ? W(0) : params[src];
  }
}

template <typename W>
__global__ void OneHotKernel(const int64_t* indices, W* out, int64_t total, int64_t depth, int64_t inner, W on, W off) {
  TESSERA_GRID_STRIDE(i, total) { out[i] = OneHotIsOn(i, indices, depth, inner) ? on : off; }
}

__device__ inline void AtomicAdd(float* p, float v) { atomicAdd(p, v); }
__device__ inline void AtomicAdd(double* p, double v) { atomicAdd(p, v); }
__device__ inline void AtomicAdd(int64_t* p, int64_t v) {  // two's complement: wraps as the CPU's sums do
  atomicAdd(reinterpret_cast<unsigned long long*>(p), static_cast<unsigned long long>(v));
}

template <typename T>
__global__ void SegmentSumKernel(const T* data, const int64_t* ids, T* out, int64_t total, int64_t n, int64_t inner) {
  TESSERA_GRID_STRIDE(i, total) {
    const int64_t to = SegmentSumTarget(i, ids, n, inner);
    if (to >= 0) AtomicAdd(out + to, data[i]);
  }
}

template <typename T>
__global__ void CumsumKernel(const T* x, T* out, int64_t columns, int64_t len, int64_t inner, bool product,
                             bool exclusive, bool reverse) {
  TESSERA_GRID_STRIDE(c, columns) {
    const int64_t o = c / inner, in = c % inner;
    T acc = product ? T(1) : T(0);
    for (int64_t j = 0; j < len; ++j) {
      const int64_t at = (o * len + (reverse ? len - 1 - j : j)) * inner + in;
      if (exclusive) out[at] = acc;
      acc = product ? functor::Mul()(acc, x[at]) : functor::Add()(acc, x[at]);  // integers wrap, as on the CPU
      if (!exclusive) out[at] = acc;
    }
  }
}

// Runs f(W{}) with W the unsigned type of `elem_bytes` bytes.
template <typename F>
cudaError_t DispatchBytes(int elem_bytes, F&& f) {
  switch (elem_bytes) {
    case 1:
      f(uint8_t{});
      return cudaSuccess;
    case 4:
      f(uint32_t{});
      return cudaSuccess;
    case 8:
      f(uint64_t{});
      return cudaSuccess;
    default:
      return cudaErrorInvalidValue;
  }
}

}  // namespace

cudaError_t LaunchGatherRows(const void* params, const int64_t* indices, void* out, int64_t outer, int64_t n, int64_t k,
                             int64_t inner, int elem_bytes, cudaStream_t s) {
  const int64_t total = outer * k * inner;
  LaunchConfig c = GetLaunchConfig(total);
  if (c.blocks == 0) return cudaSuccess;
  cudaError_t e = DispatchBytes(elem_bytes, [&](auto w) {
    using W = decltype(w);
    GatherRowsKernel<W><<<c.blocks, c.threads, 0, s>>>(static_cast<const W*>(params), indices, static_cast<W*>(out),
                                                       total, n, k, inner);
  });
  return e != cudaSuccess ? e : LastLaunchError();
}

cudaError_t LaunchOneHot(const int64_t* indices, void* out, int64_t outer, int64_t depth, int64_t inner, int elem_bytes,
                         uint64_t on, uint64_t off, cudaStream_t s) {
  const int64_t total = outer * depth * inner;
  LaunchConfig c = GetLaunchConfig(total);
  if (c.blocks == 0) return cudaSuccess;
  cudaError_t e = DispatchBytes(elem_bytes, [&](auto w) {
    using W = decltype(w);
    OneHotKernel<W><<<c.blocks, c.threads, 0, s>>>(indices, static_cast<W*>(out), total, depth, inner,
                                                   static_cast<W>(on), static_cast<W>(off));
  });
  return e != cudaSuccess ? e : LastLaunchError();
}

cudaError_t LaunchSegmentSum(ElemType t, const void* data, const int64_t* ids, void* out, int64_t total, int64_t n,
                             int64_t inner, cudaStream_t s) {
  size_t elem_bytes = 0;
  cudaError_t e = DispatchFloatLike(t, [&](auto v) { elem_bytes = sizeof(v); });
  if (e == cudaSuccess) e = cudaMemsetAsync(out, 0, static_cast<size_t>(n * inner) * elem_bytes, s);
  if (e != cudaSuccess) return e;
  LaunchConfig c = GetLaunchConfig(total);
  if (c.blocks == 0) return cudaSuccess;
  e = DispatchFloatLike(t, [&](auto v) {
    using T = decltype(v);
    SegmentSumKernel<T>
        <<<c.blocks, c.threads, 0, s>>>(static_cast<const T*>(data), ids, static_cast<T*>(out), total, n, inner);
  });
  return e != cudaSuccess ? e : LastLaunchError();
}

cudaError_t LaunchCumsum(ElemType t, const void* x, void* out, int64_t outer, int64_t len, int64_t inner, bool product,
                         bool exclusive, bool reverse, cudaStream_t s) {
  const int64_t columns = outer * inner;
  LaunchConfig c = GetLaunchConfig(columns);
  if (c.blocks == 0) return cudaSuccess;
  cudaError_t e = DispatchFloatLike(t, [&](auto v) {
    using T = decltype(v);
    CumsumKernel<T><<<c.blocks, c.threads, 0, s>>>(static_cast<const T*>(x), static_cast<T*>(out), columns, len, inner,
                                                   product, exclusive, reverse);
  });
  return e != cudaSuccess ? e : LastLaunchError();
}

}  // namespace tessera::cuda
