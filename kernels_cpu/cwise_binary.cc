// Binary elementwise math on the CPU (every BinaryOp: arithmetic, comparisons,
// FloorDiv/FloorMod, LogicalAnd/Or), over a 1-D walk or a collapsed broadcast.
#include "kernels_cpu/cpu_math.h"
#include "src/framework/cwise_functors.h"

namespace tessera {
namespace {

// Integer Div and Pow read the divisors and exponents first (the host half
// has already allocated; nothing is written before these checks).
template <typename T, typename F>
Status CheckIntegerOperands(const Tensor& y) {
  constexpr bool kDivides =
      std::is_same_v<F, functor::Div> || std::is_same_v<F, functor::FloorDiv> || std::is_same_v<F, functor::FloorMod>;
  if constexpr (kDivides && std::is_integral_v<T>) {
    for (T v : y.flat<T>()) {
      if (v == 0) return InvalidArgumentError("Integer division by zero");
    }
  }
  if constexpr (std::is_same_v<F, functor::Pow> && std::is_integral_v<T>) {
    for (T v : y.flat<T>()) {
      if (v < 0) return InvalidArgumentError("Integers to negative integer powers are not allowed");
    }
  }
  return Status::OK();
}

template <typename T, typename Out, typename F>
Status Compute(OpKernelContext& ctx, const BinaryArgs& a) {
  TESSERA_RETURN_IF_ERROR((CheckIntegerOperands<T, F>(a.y)));
  const T* xp = a.x.flat<T>().data();
  const T* yp = a.y.flat<T>().data();
  Out* op = a.out->flat<Out>().data();
  const int64_t n = a.out->num_elements();
  F f;
  if (a.general == nullptr) {
    const int64_t sx = a.x_stride, sy = a.y_stride;
    auto loop = [&](int64_t b, int64_t e) {
      if (sx == 1 && sy == 1) {
        for (int64_t i = b; i < e; ++i) op[i] = f(xp[i], yp[i]);
      } else if (sx == 1) {
        const T yv = yp[0];
        for (int64_t i = b; i < e; ++i) op[i] = f(xp[i], yv);
      } else if (sy == 1) {
        const T xv = xp[0];
        for (int64_t i = b; i < e; ++i) op[i] = f(xv, yp[i]);
      } else {
        for (int64_t i = b; i < e; ++i) op[i] = f(xp[0], yp[0]);
      }
    };
    if (n < 16384) {
      loop(0, n);  // small: no parallel-for machinery
    } else {
      ParallelFor(ctx, n, 2.0, loop);
    }
    return Status::OK();
  }
  // General case: rows of the innermost collapsed dim.
  const BroadcastGeometry& g = *a.general;
  const int64_t inner = g.dims.back();
  const int64_t isx = g.x_strides.back(), isy = g.y_strides.back();
  ParallelFor(ctx, n / inner, 2.0 * static_cast<double>(inner), [&](int64_t b, int64_t e) {
    for (int64_t r = b; r < e; ++r) {
      int64_t xo, yo;
      BroadcastOffsets(g, r * inner, &xo, &yo);
      Out* o = op + r * inner;
      for (int64_t i = 0; i < inner; ++i) o[i] = f(xp[xo + i * isx], yp[yo + i * isy]);
    }
  });
  return Status::OK();
}

// Which dtypes an op's kernel takes.
enum class Kinds { kNumeric, kAll, kBool, kFloat };

// One function per op; the dtype is switched on here. Comparisons and the
// logical ops write bool; Equal and NotEqual also compare bools.
template <typename F, bool kBoolOut = false, Kinds kKinds = Kinds::kNumeric>
Status Binary(OpKernelContext& ctx, const BinaryArgs& a) {
  if constexpr (kKinds == Kinds::kBool) {
    if (a.x.dtype() != DataType::kBool) return InvalidArgumentError("expected bool inputs");
    return Compute<bool, bool, F>(ctx, a);
  } else {
    Status s;
    auto run = [&]<typename T>() { s = Compute<T, std::conditional_t<kBoolOut, bool, T>, F>(ctx, a); };
    Status sw;
    if constexpr (kKinds == Kinds::kAll) {
      sw = SwitchAllTypes(a.x.dtype(), run);
    } else if constexpr (kKinds == Kinds::kFloat) {
      sw = SwitchFloatTypes(a.x.dtype(), run);
    } else {
      sw = SwitchNumericTypes(a.x.dtype(), run);
    }
    return sw.ok() ? s : sw;
  }
}

}  // namespace

void cpu::AddCwiseBinaryMath(BackendKernels& b) {
  auto set = [&](BinaryOp op, BinaryMath math, const std::vector<DataType>& types) {
    b.binary[static_cast<size_t>(op)] = {math, types};
  };
  set(BinaryOp::kAdd, Binary<functor::Add>, NumericTypes());
  set(BinaryOp::kSub, Binary<functor::Sub>, NumericTypes());
  set(BinaryOp::kMul, Binary<functor::Mul>, NumericTypes());
  set(BinaryOp::kDiv, Binary<functor::Div>, NumericTypes());
  set(BinaryOp::kMaximum, Binary<functor::Maximum>, NumericTypes());
  set(BinaryOp::kMinimum, Binary<functor::Minimum>, NumericTypes());
  set(BinaryOp::kPow, Binary<functor::Pow>, NumericTypes());
  set(BinaryOp::kEqual, Binary<functor::Equal, true, Kinds::kAll>, AllTypes());
  set(BinaryOp::kNotEqual, Binary<functor::NotEqual, true, Kinds::kAll>, AllTypes());
  set(BinaryOp::kLess, Binary<functor::Less, true>, NumericTypes());
  set(BinaryOp::kGreater, Binary<functor::Greater, true>, NumericTypes());
  set(BinaryOp::kGreaterEqual, Binary<functor::GreaterEqual, true>, NumericTypes());
  set(BinaryOp::kLessEqual, Binary<functor::LessEqual, true>, NumericTypes());
  set(BinaryOp::kFloorDiv, Binary<functor::FloorDiv>, NumericTypes());
  set(BinaryOp::kFloorMod, Binary<functor::FloorMod>, NumericTypes());
  set(BinaryOp::kLogicalAnd, Binary<functor::LogicalAnd, true, Kinds::kBool>, BoolTypes());
  set(BinaryOp::kLogicalOr, Binary<functor::LogicalOr, true, Kinds::kBool>, BoolTypes());
  set(BinaryOp::kReluGrad, Binary<functor::ReluGrad, false, Kinds::kFloat>, FloatTypes());
  set(BinaryOp::kTanhGrad, Binary<functor::TanhGrad, false, Kinds::kFloat>, FloatTypes());
  set(BinaryOp::kSigmoidGrad, Binary<functor::SigmoidGrad, false, Kinds::kFloat>, FloatTypes());
}

}  // namespace tessera
