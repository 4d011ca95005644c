// Unary elementwise kernels: Neg, Square, Sqrt, Exp, Log, Abs, Tanh, Sigmoid,
// Relu, and Cast.
#include "kernels_cpu/cpu_kernel_util.h"
#include "src/framework/cwise_functors.h"

namespace tessera {
namespace {

template <typename In, typename Out, typename F>
Status ComputeUnary(OpKernelContext& ctx, double cost) {
  const Tensor& x = ctx.input(0);
  const In* xp = x.flat<In>().data();
  Tensor* out = nullptr;
  if constexpr (std::is_same_v<In, Out>) out = ctx.forward_input_to_output(0, 0, x.shape());
  if (out == nullptr) TF_RETURN_IF_ERROR(ctx.allocate_output(0, x.shape(), &out));
  const int64_t n = x.num_elements();
  if (n == 0) return Status::OK();
  Out* op = out->flat<Out>().data();
  F f;
  ParallelFor(ctx, n, cost, [&](int64_t b, int64_t e) {
    for (int64_t i = b; i < e; ++i) op[i] = f(xp[i]);
  });
  return Status::OK();
}

template <typename F, int kCost>
struct Unary {
  template <typename T>
  class Kernel : public OpKernel {
   public:
    using OpKernel::OpKernel;
    Status Compute(OpKernelContext& ctx) const override { return ComputeUnary<T, T, F>(ctx, kCost); }
    bool IsExpensive() const override { return false; }
  };
};

template <typename Src>
class CastKernel : public OpKernel {
 public:
  CastKernel(const Node& node, DataType dst) : OpKernel(node), dst_(dst) {}
  Status Compute(OpKernelContext& ctx) const override {
    Status s;
    Status sw = SwitchAllTypes(dst_, [&]<typename Dst>() { s = ComputeUnary<Src, Dst, functor::Cast<Dst>>(ctx, 1); });
    return sw.ok() ? s : sw;
  }
  bool IsExpensive() const override { return false; }

 private:
  DataType dst_;
};

StatusOr<std::unique_ptr<OpKernel>> MakeCast(const KernelConstruction& c) {
  const DataType* src = c.node.attr<DataType>("SrcT");
  const DataType* dst = c.node.attr<DataType>("DstT");
  if (src == nullptr || dst == nullptr) return InternalError("Cast node " + c.node.name() + " lacks SrcT/DstT");
  std::unique_ptr<OpKernel> k;
  TF_RETURN_IF_ERROR(SwitchAllTypes(*src, [&]<typename S>() { k = std::make_unique<CastKernel<S>>(c.node, *dst); }));
  return k;
}

template <typename F, int kCost = 1>
void Reg(KernelRegistry& r, const char* op, bool float_only) {
  r.Register({op, "CPU", {{"T", float_only ? FloatTypes() : NumericTypes()}},
              float_only ? TypedFactory<Unary<F, kCost>::template Kernel>("T", FloatSwitch())
                         : TypedFactory<Unary<F, kCost>::template Kernel>("T", NumericSwitch())});
}

}  // namespace

void RegisterCpuCwiseUnaryKernels(KernelRegistry& r) {
  Reg<functor::Neg>(r, "Neg", false);
  Reg<functor::Square>(r, "Square", false);
  Reg<functor::Abs>(r, "Abs", false);
  Reg<functor::Relu>(r, "Relu", false);
  Reg<functor::Sqrt, 8>(r, "Sqrt", true);
  Reg<functor::Exp, 20>(r, "Exp", true);
  Reg<functor::Log, 20>(r, "Log", true);
  Reg<functor::Tanh, 30>(r, "Tanh", true);
  Reg<functor::Sigmoid, 30>(r, "Sigmoid", true);
  r.Register({"Cast", "CPU", {{"SrcT", AllTypes()}, {"DstT", AllTypes()}}, MakeCast});
}

}  // namespace tessera
