// Unary elementwise math on the CPU: Neg, Square, Sqrt, Exp, Log, Log1p, Abs, Tanh,
// Sigmoid, Relu, Sign, Floor, Ceil, Round, Rsqrt, Reciprocal, LogicalNot, and Cast.
#include "kernels_cpu/cpu_math.h"
#include "src/framework/cwise_functors.h"

namespace tessera {
namespace {

template <typename In, typename Out, typename F>
void Map(OpKernelContext& ctx, const Tensor& x, Tensor* out, double cost) {
  const In* xp = x.flat<In>().data();
  Out* op = out->flat<Out>().data();
  F f;
  ParallelFor(ctx, x.num_elements(), cost, [&](int64_t b, int64_t e) {
    for (int64_t i = b; i < e; ++i) op[i] = f(xp[i]);
  });
}

// kCost ~ cycles per element, for the parallel split.
template <typename F, int kCost, bool kFloatOnly>
Status Unary(OpKernelContext& ctx, UnaryOp, const Tensor& x, Tensor* out) {
  auto run = [&]<typename T>() { Map<T, T, F>(ctx, x, out, kCost); };
  if constexpr (kFloatOnly) {
    return SwitchFloatTypes(x.dtype(), run);
  } else {
    return SwitchNumericTypes(x.dtype(), run);
  }
}

Status LogicalNot(OpKernelContext& ctx, UnaryOp, const Tensor& x, Tensor* out) {
  Map<bool, bool, functor::LogicalNot>(ctx, x, out, 1);
  return Status::OK();
}

Status Cast(OpKernelContext& ctx, const Tensor& x, Tensor* out) {
  Status inner;
  Status outer = SwitchAllTypes(x.dtype(), [&]<typename Src>() {
    inner = SwitchAllTypes(out->dtype(), [&]<typename Dst>() { Map<Src, Dst, functor::Cast<Dst>>(ctx, x, out, 1); });
  });
  return outer.ok() ? inner : outer;
}

}  // namespace

void cpu::AddCwiseUnaryMath(BackendKernels& b) {
  auto set = [&](UnaryOp op, UnaryMath math, const std::vector<DataType>& types) {
    b.unary[static_cast<size_t>(op)] = {math, types};
  };
  set(UnaryOp::kNeg, Unary<functor::Neg, 1, false>, NumericTypes());
  set(UnaryOp::kSquare, Unary<functor::Square, 1, false>, NumericTypes());
  set(UnaryOp::kAbs, Unary<functor::Abs, 1, false>, NumericTypes());
  set(UnaryOp::kRelu, Unary<functor::Relu, 1, false>, NumericTypes());
  set(UnaryOp::kSqrt, Unary<functor::Sqrt, 8, true>, FloatTypes());
  set(UnaryOp::kExp, Unary<functor::Exp, 20, true>, FloatTypes());
  set(UnaryOp::kLog, Unary<functor::Log, 20, true>, FloatTypes());
  set(UnaryOp::kLog1p, Unary<functor::Log1p, 20, true>, FloatTypes());
  set(UnaryOp::kTanh, Unary<functor::Tanh, 30, true>, FloatTypes());
  set(UnaryOp::kSigmoid, Unary<functor::Sigmoid, 30, true>, FloatTypes());
  set(UnaryOp::kSign, Unary<functor::Sign, 1, false>, NumericTypes());
  set(UnaryOp::kFloor, Unary<functor::Floor, 2, true>, FloatTypes());
  set(UnaryOp::kCeil, Unary<functor::Ceil, 2, true>, FloatTypes());
  set(UnaryOp::kRound, Unary<functor::Round, 2, true>, FloatTypes());
  set(UnaryOp::kRsqrt, Unary<functor::Rsqrt, 10, true>, FloatTypes());
  set(UnaryOp::kReciprocal, Unary<functor::Reciprocal, 4, true>, FloatTypes());
  set(UnaryOp::kLogicalNot, LogicalNot, BoolTypes());
  b.cast = {Cast, AllTypes()};
}

}  // namespace tessera
