// Binary elementwise kernels with numpy broadcasting: Add, Sub, Mul, Div,
// Maximum, Minimum, Pow, Equal, Less, Greater.
#include "kernels_cpu/cpu_kernel_util.h"
#include "src/framework/cwise_functors.h"
#include "src/kernels/broadcast.h"

namespace tessera {
namespace {

// Same shapes, or one side a single element: the loops the hot path needs,
// without computing a broadcast geometry.
enum class Pattern { kSame, kYScalar, kXScalar, kGeneral };

Pattern Classify(const Tensor& x, const Tensor& y) {
  if (x.shape() == y.shape()) return Pattern::kSame;
  if (y.num_elements() == 1 && y.rank() <= x.rank()) return Pattern::kYScalar;
  if (x.num_elements() == 1 && x.rank() <= y.rank()) return Pattern::kXScalar;
  return Pattern::kGeneral;
}

template <typename T, typename Out, typename F>
Status ComputeBinary(OpKernelContext& ctx) {
  const Tensor& x = ctx.input(0);
  const Tensor& y = ctx.input(1);
  const Pattern pattern = Classify(x, y);
  BroadcastGeometry g;  // only for the general pattern
  if (pattern == Pattern::kGeneral) {
    TF_ASSIGN_OR_RETURN(g, ComputeBroadcast(x.shape(), y.shape()));
  }
  if constexpr (std::is_same_v<F, functor::Div> && std::is_integral_v<T>) {
    for (T v : y.flat<T>()) {
      if (v == 0) return InvalidArgumentError("Integer division by zero");
    }
  }
  if constexpr (std::is_same_v<F, functor::Pow> && std::is_integral_v<T>) {
    for (T v : y.flat<T>()) {
      if (v < 0) return InvalidArgumentError("Integers to negative integer powers are not allowed");
    }
  }
  const TensorShape& out_shape =
      pattern == Pattern::kGeneral ? g.out_shape : (pattern == Pattern::kXScalar ? y.shape() : x.shape());
  const T* xp = x.flat<T>().data();  // read before the output may take over an input's buffer
  const T* yp = y.flat<T>().data();
  Tensor* out = nullptr;
  if constexpr (std::is_same_v<Out, T>) {
    if (x.shape() == out_shape) out = ctx.forward_input_to_output(0, 0, out_shape);
    if (out == nullptr && y.shape() == out_shape) out = ctx.forward_input_to_output(1, 0, out_shape);
  }
  if (out == nullptr) TF_RETURN_IF_ERROR(ctx.allocate_output(0, out_shape, &out));
  const int64_t n = out->num_elements();
  if (n == 0) return Status::OK();
  Out* op = out->flat<Out>().data();
  F f;
  if (pattern != Pattern::kGeneral || g.dims.size() == 1) {
    const int64_t sx = pattern == Pattern::kGeneral ? g.x_strides[0] : (pattern == Pattern::kXScalar ? 0 : 1);
    const int64_t sy = pattern == Pattern::kGeneral ? g.y_strides[0] : (pattern == Pattern::kYScalar ? 0 : 1);
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
  const int64_t inner = g.dims.back();
  const int64_t rows = n / inner;
  const int64_t isx = g.x_strides.back(), isy = g.y_strides.back();
  ParallelFor(ctx, rows, 2.0 * static_cast<double>(inner), [&](int64_t b, int64_t e) {
    for (int64_t r = b; r < e; ++r) {
      int64_t xo, yo;
      BroadcastOffsets(g, r * inner, &xo, &yo);
      Out* o = op + r * inner;
      for (int64_t i = 0; i < inner; ++i) o[i] = f(xp[xo + i * isx], yp[yo + i * isy]);
    }
  });
  return Status::OK();
}

template <typename F, bool kBoolOut>
struct Binary {
  template <typename T>
  class Kernel : public OpKernel {
   public:
    using OpKernel::OpKernel;
    Status Compute(OpKernelContext& ctx) const override {
      using Out = std::conditional_t<kBoolOut, bool, T>;
      return ComputeBinary<T, Out, F>(ctx);
    }
    bool IsExpensive() const override { return false; }
  };
};

template <typename F, bool kBoolOut = false>
void Reg(KernelRegistry& r, const char* op, const std::vector<DataType>& types) {
  // Only Equal takes bool inputs; instantiating bool arithmetic would be dead code.
  KernelFactory f;
  if constexpr (std::is_same_v<F, functor::Equal>) {
    f = TypedFactory<Binary<F, kBoolOut>::template Kernel>("T", AllSwitch());
  } else {
    f = TypedFactory<Binary<F, kBoolOut>::template Kernel>("T", NumericSwitch());
  }
  r.Register({op, "CPU", {{"T", types}}, f});
}

}  // namespace

void RegisterCpuCwiseBinaryKernels(KernelRegistry& r) {
  Reg<functor::Add>(r, "Add", NumericTypes());
  Reg<functor::Sub>(r, "Sub", NumericTypes());
  Reg<functor::Mul>(r, "Mul", NumericTypes());
  Reg<functor::Div>(r, "Div", NumericTypes());
  Reg<functor::Maximum>(r, "Maximum", NumericTypes());
  Reg<functor::Minimum>(r, "Minimum", NumericTypes());
  Reg<functor::Pow>(r, "Pow", NumericTypes());
  Reg<functor::Equal, true>(r, "Equal", AllTypes());
  Reg<functor::Less, true>(r, "Less", NumericTypes());
  Reg<functor::Greater, true>(r, "Greater", NumericTypes());
}

}  // namespace tessera
