// Unary elementwise CUDA kernels, Cast and Select.
#include "kernels_cuda/cuda_common.cuh"
#include "src/framework/cwise_functors.h"

namespace tessera::cuda {
namespace {

template <typename In, typename Out, typename F>
__global__ void UnaryKernel(const In* x, Out* out, int64_t n) {
  F f;
  TESSERA_GRID_STRIDE(i, n) { out[i] = f(x[i]); }
}

template <typename In, typename Out, typename F>
cudaError_t Launch(const void* x, void* out, int64_t n, cudaStream_t s) {
  LaunchConfig c = GetLaunchConfig(n);
  if (c.blocks == 0) return cudaSuccess;
  UnaryKernel<In, Out, F><<<c.blocks, c.threads, 0, s>>>(static_cast<const In*>(x), static_cast<Out*>(out), n);
  return LastLaunchError();
}

template <typename T>
cudaError_t ForType(UnaryKind op, const void* x, void* out, int64_t n, cudaStream_t s) {
  switch (op) {
    case UnaryKind::kNeg:
      return Launch<T, T, functor::Neg>(x, out, n, s);
    case UnaryKind::kSquare:
      return Launch<T, T, functor::Square>(x, out, n, s);
    case UnaryKind::kAbs:
      return Launch<T, T, functor::Abs>(x, out, n, s);
    case UnaryKind::kRelu:
      return Launch<T, T, functor::Relu>(x, out, n, s);
    case UnaryKind::kSign:
      return Launch<T, T, functor::Sign>(x, out, n, s);
    default:
      break;
  }
  if constexpr (std::is_floating_point_v<T>) {
    switch (op) {
      case UnaryKind::kSqrt:
        return Launch<T, T, functor::Sqrt>(x, out, n, s);
      case UnaryKind::kExp:
        return Launch<T, T, functor::Exp>(x, out, n, s);
      case UnaryKind::kLog:
        return Launch<T, T, functor::Log>(x, out, n, s);
      case UnaryKind::kLog1p:
        return Launch<T, T, functor::Log1p>(x, out, n, s);
      case UnaryKind::kTanh:
        return Launch<T, T, functor::Tanh>(x, out, n, s);
      case UnaryKind::kSigmoid:
        return Launch<T, T, functor::Sigmoid>(x, out, n, s);
      case UnaryKind::kFloor:
        return Launch<T, T, functor::Floor>(x, out, n, s);
      case UnaryKind::kCeil:
        return Launch<T, T, functor::Ceil>(x, out, n, s);
      case UnaryKind::kRound:
        return Launch<T, T, functor::Round>(x, out, n, s);
      case UnaryKind::kRsqrt:
        return Launch<T, T, functor::Rsqrt>(x, out, n, s);
      case UnaryKind::kReciprocal:
        return Launch<T, T, functor::Reciprocal>(x, out, n, s);
      default:
        break;
    }
  }
  return cudaErrorInvalidValue;
}

template <typename From>
cudaError_t CastFrom(ElemType to, const void* x, void* out, int64_t n, cudaStream_t s) {
  switch (to) {
    case ElemType::kFloat:
      return Launch<From, float, functor::Cast<float>>(x, out, n, s);
    case ElemType::kDouble:
      return Launch<From, double, functor::Cast<double>>(x, out, n, s);
    case ElemType::kInt64:
      return Launch<From, int64_t, functor::Cast<int64_t>>(x, out, n, s);
    case ElemType::kBool:
      return Launch<From, bool, functor::Cast<bool>>(x, out, n, s);
    case ElemType::kInt32:
      return Launch<From, int32_t, functor::Cast<int32_t>>(x, out, n, s);
  }
  return cudaErrorInvalidValue;
}

__global__ void SelectKernel(const bool* cond, int64_t inner, const char* t, const char* e, char* out, int64_t n,
                             int elem_bytes) {
  TESSERA_GRID_STRIDE(i, n) {
    const bool take = cond[inner == 0 ? 0 : i / inner];
    const char* src = (take ? t : e) + i * elem_bytes;
    for (int b = 0; b < elem_bytes; ++b) out[i * elem_bytes + b] = src[b];
  }
}

}  // namespace

cudaError_t LaunchUnary(UnaryKind op, ElemType t, const void* x, void* out, int64_t n, cudaStream_t s) {
  switch (t) {
    case ElemType::kFloat:
      return ForType<float>(op, x, out, n, s);
    case ElemType::kDouble:
      return ForType<double>(op, x, out, n, s);
    case ElemType::kInt64:
      return ForType<int64_t>(op, x, out, n, s);
    case ElemType::kBool:
      if (op == UnaryKind::kLogicalNot) return Launch<bool, bool, functor::LogicalNot>(x, out, n, s);
      return cudaErrorInvalidValue;
    default:
      return cudaErrorInvalidValue;
  }
}

cudaError_t LaunchCast(ElemType from, ElemType to, const void* x, void* out, int64_t n, cudaStream_t s) {
  switch (from) {
    case ElemType::kFloat:
      return CastFrom<float>(to, x, out, n, s);
    case ElemType::kDouble:
      return CastFrom<double>(to, x, out, n, s);
    case ElemType::kInt64:
      return CastFrom<int64_t>(to, x, out, n, s);
    case ElemType::kBool:
      return CastFrom<bool>(to, x, out, n, s);
    case ElemType::kInt32:
      return CastFrom<int32_t>(to, x, out, n, s);
  }
  return cudaErrorInvalidValue;
}

cudaError_t LaunchSelect(const bool* cond, int64_t inner, const void* t, const void* e, void* out, int64_t n,
                         int elem_bytes, cudaStream_t s) {
  LaunchConfig c = GetLaunchConfig(n);
  if (c.blocks == 0) return cudaSuccess;
  SelectKernel<<<c.blocks, c.threads, 0, s>>>(cond, inner, static_cast<const char*>(t), static_cast<const char*>(e),
                                              static_cast<char*>(out), n, elem_bytes);
  return LastLaunchError();
}

}  // namespace tessera::cuda
