// Binary elementwise CUDA kernels with broadcasting; the math is the shared
// functors of src/framework/cwise_functors.h.
#include "kernels_cuda/cuda_common.cuh"
#include "src/framework/cwise_functors.h"

namespace tessera::cuda {
namespace {

template <typename T, typename Out, typename F>
__global__ void BinaryKernel(const T* x, const T* y, Out* out, int64_t n, StridedDims dims) {
  F f;
  TESSERA_GRID_STRIDE(i, n) {
    int64_t a, b;
    StridedOffsets(dims, i, &a, &b);
    out[i] = f(x[a], y[b]);
  }
}

template <typename T, typename Out, typename F>
cudaError_t Launch(const void* x, const void* y, void* out, int64_t n, const StridedDims& dims, cudaStream_t s) {
  LaunchConfig c = GetLaunchConfig(n);
  if (c.blocks == 0) return cudaSuccess;
  BinaryKernel<T, Out, F><<<c.blocks, c.threads, 0, s>>>(static_cast<const T*>(x), static_cast<const T*>(y),
                                                         static_cast<Out*>(out), n, dims);
  return LastLaunchError();
}

template <typename T>
cudaError_t ForType(BinaryKind op, const void* x, const void* y, void* out, int64_t n, const StridedDims& d,
                    cudaStream_t s) {
  switch (op) {
    case BinaryKind::kAdd:
      return Launch<T, T, functor::Add>(x, y, out, n, d, s);
    case BinaryKind::kSub:
      return Launch<T, T, functor::Sub>(x, y, out, n, d, s);
    case BinaryKind::kMul:
      return Launch<T, T, functor::Mul>(x, y, out, n, d, s);
    case BinaryKind::kDiv:
      return Launch<T, T, functor::Div>(x, y, out, n, d, s);
    case BinaryKind::kMaximum:
      return Launch<T, T, functor::Maximum>(x, y, out, n, d, s);
    case BinaryKind::kMinimum:
      return Launch<T, T, functor::Minimum>(x, y, out, n, d, s);
    case BinaryKind::kPow:
      return Launch<T, T, functor::Pow>(x, y, out, n, d, s);
    case BinaryKind::kEqual:
      return Launch<T, bool, functor::Equal>(x, y, out, n, d, s);
    case BinaryKind::kLess:
      return Launch<T, bool, functor::Less>(x, y, out, n, d, s);
    case BinaryKind::kGreater:
      return Launch<T, bool, functor::Greater>(x, y, out, n, d, s);
    case BinaryKind::kNotEqual:
      return Launch<T, bool, functor::NotEqual>(x, y, out, n, d, s);
    case BinaryKind::kGreaterEqual:
      return Launch<T, bool, functor::GreaterEqual>(x, y, out, n, d, s);
    case BinaryKind::kLessEqual:
      return Launch<T, bool, functor::LessEqual>(x, y, out, n, d, s);
    case BinaryKind::kFloorDiv:
      return Launch<T, T, functor::FloorDiv>(x, y, out, n, d, s);
    case BinaryKind::kFloorMod:
      return Launch<T, T, functor::FloorMod>(x, y, out, n, d, s);
    case BinaryKind::kReluGrad:
      if constexpr (std::is_floating_point_v<T>) return Launch<T, T, functor::ReluGrad>(x, y, out, n, d, s);
      break;
    case BinaryKind::kTanhGrad:
      if constexpr (std::is_floating_point_v<T>) return Launch<T, T, functor::TanhGrad>(x, y, out, n, d, s);
      break;
    case BinaryKind::kSigmoidGrad:
      if constexpr (std::is_floating_point_v<T>) return Launch<T, T, functor::SigmoidGrad>(x, y, out, n, d, s);
      break;
    default:  // LogicalAnd, LogicalOr: bool only
      break;
  }
  return cudaErrorInvalidValue;
}

}  // namespace

cudaError_t LaunchBinary(BinaryKind op, ElemType t, const void* x, const void* y, void* out, int64_t n,
                         const StridedDims& dims, cudaStream_t s) {
  switch (t) {
    case ElemType::kFloat:
      return ForType<float>(op, x, y, out, n, dims, s);
    case ElemType::kDouble:
      return ForType<double>(op, x, y, out, n, dims, s);
    case ElemType::kInt64:
      return ForType<int64_t>(op, x, y, out, n, dims, s);
    case ElemType::kBool:
      switch (op) {
        case BinaryKind::kEqual:
          return Launch<bool, bool, functor::Equal>(x, y, out, n, dims, s);
        case BinaryKind::kNotEqual:
          return Launch<bool, bool, functor::NotEqual>(x, y, out, n, dims, s);
        case BinaryKind::kLogicalAnd:
          return Launch<bool, bool, functor::LogicalAnd>(x, y, out, n, dims, s);
        case BinaryKind::kLogicalOr:
          return Launch<bool, bool, functor::LogicalOr>(x, y, out, n, dims, s);
        default:
          return cudaErrorInvalidValue;
      }
    default:
      return cudaErrorInvalidValue;
  }
}

}  // namespace tessera::cuda
