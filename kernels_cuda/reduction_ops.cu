// Reductions (one thread per output element), ArgMax and ArgMin on the GPU.
#include "kernels_cuda/cuda_common.cuh"
#include "src/framework/cwise_functors.h"

namespace tessera::cuda {
namespace {

template <typename T>
__device__ T Identity(ReduceKind op) {
  if constexpr (std::is_same_v<T, bool>) {
    return op == ReduceKind::kAll;
  } else {
    if (op == ReduceKind::kProd) return T(1);
    if (op == ReduceKind::kMax) return sizeof(T) == 8 && T(0.5) == 0 ? T(-9223372036854775807LL - 1) : T(-INFINITY);
    if (op == ReduceKind::kMin) return sizeof(T) == 8 && T(0.5) == 0 ? T(9223372036854775807LL) : T(INFINITY);
    return T(0);
  }
}

template <typename T>
__device__ T Combine(ReduceKind op, T acc, T v) {
  if constexpr (std::is_same_v<T, bool>) {
    return op == ReduceKind::kAll ? (acc && v) : (acc || v);
  } else {
    if (op == ReduceKind::kMax) return (v > acc || v != v) ? v : acc;
    if (op == ReduceKind::kMin) return (v < acc || v != v) ? v : acc;
    if (op == ReduceKind::kProd) return functor::Mul()(acc, v);
    return functor::Add()(acc, v);  // integers wrap, as on the CPU
  }
}

template <typename T>
__global__ void ReduceKernel(ReduceKind op, const T* x, T* out, int64_t out_n, StridedDims kept, StridedDims reduced,
                             int64_t count) {
  TESSERA_GRID_STRIDE(o, out_n) {
    int64_t base, unused;
    StridedOffsets(kept, o, &base, &unused);
    T acc = Identity<T>(op);
    for (int64_t r = 0; r < count; ++r) {
      int64_t off;
      StridedOffsets(reduced, r, &off, &unused);
      acc = Combine(op, acc, x[base + off]);
    }
    if constexpr (!std::is_same_v<T, bool>) {
      if (op == ReduceKind::kMean) acc = count == 0 ? acc : acc / T(count);
    }
    out[o] = acc;
  }
}

template <typename T>
__global__ void ArgMinMaxKernel(const T* x, int64_t* out, int64_t outer, int64_t len, int64_t inner, bool arg_min) {
  TESSERA_GRID_STRIDE(i, outer * inner) {
    const int64_t o = i / inner, k0 = i % inner;
    int64_t best = 0;
    T bv = x[o * len * inner + k0];
    for (int64_t k = 1; k < len; ++k) {
      const T v = x[(o * len + k) * inner + k0];
      if (arg_min ? v < bv : v > bv) {
        bv = v;
        best = k;
      }
    }
    out[i] = best;
  }
}

}  // namespace

cudaError_t LaunchReduce(ReduceKind op, ElemType t, const void* x, void* out, int64_t out_n, const StridedDims& kept,
                         const StridedDims& reduced, int64_t count, cudaStream_t s) {
  LaunchConfig c = GetLaunchConfig(out_n);
  if (c.blocks == 0) return cudaSuccess;
  auto launch = [&](auto zero) {
    using T = decltype(zero);
    ReduceKernel<T><<<c.blocks, c.threads, 0, s>>>(op, static_cast<const T*>(x), static_cast<T*>(out), out_n, kept,
                                                   reduced, count);
  };
  cudaError_t e = cudaSuccess;
  if (t == ElemType::kBool) {
    launch(bool{});  // All, Any
  } else {
    e = DispatchFloatLike(t, launch);
  }
  return e == cudaSuccess ? LastLaunchError() : e;
}

cudaError_t LaunchArgMinMax(ElemType t, const void* x, int64_t* out, int64_t outer, int64_t len, int64_t inner,
                            bool arg_min, cudaStream_t s) {
  LaunchConfig c = GetLaunchConfig(outer * inner);
  if (c.blocks == 0) return cudaSuccess;
  cudaError_t e = DispatchFloatLike(t, [&](auto zero) {
    using T = decltype(zero);
    ArgMinMaxKernel<T><<<c.blocks, c.threads, 0, s>>>(static_cast<const T*>(x), out, outer, len, inner, arg_min);
  });
  return e == cudaSuccess ? LastLaunchError() : e;
}

}  // namespace tessera::cuda
