// The host halves of the reductions (Sum, Mean, Max, Min, Prod, All, Any over
// any axes, with keep_dims), ArgMax and ArgMin. The axes are read from host memory.
#include "src/framework/tensor_util.h"
#include "src/kernels/kernel_families.h"

namespace tessera {
namespace {

// Reads an axes tensor (int32/int64, scalar or vector) into a mask over x's dimensions.
Status ReadAxes(const Tensor& t, int rank, std::vector<bool>* reduce) {
  reduce->assign(static_cast<size_t>(rank), false);
  for (int64_t a : IntTensorValues(t)) {
    if (a < -rank || a >= rank) {
      return InvalidArgumentError("Invalid reduction dimension (" + std::to_string(a) + " for input with " +
                                  std::to_string(rank) + " dimension(s)");
    }
    const auto i = static_cast<size_t>(a < 0 ? a + rank : a);
    if ((*reduce)[i]) {
      return InvalidArgumentError("Invalid reduction arguments: Axes contains duplicate dimension: " +
                                  std::to_string(i));
    }
    (*reduce)[i] = true;
  }
  return Status::OK();
}

class ReductionOp : public OpKernel {
 public:
  ReductionOp(const Node& node, ReduceOp op, ReduceMath math)
      : OpKernel(node), op_(op), math_(math), keep_dims_(*node.attr<bool>("keep_dims")) {}

  Status Compute(OpKernelContext& ctx) const override {
    const Tensor& x = ctx.input(0);
    std::vector<bool> reduce;
    TESSERA_RETURN_IF_ERROR(ReadAxes(ctx.input(1), x.rank(), &reduce));
    TensorShape out_shape;
    for (int i = 0; i < x.rank(); ++i) {
      if (!reduce[static_cast<size_t>(i)]) {
        out_shape.AddDim(x.dim(i));
      } else if (keep_dims_) {
        out_shape.AddDim(1);
      }
    }
    Tensor* out;
    TESSERA_RETURN_IF_ERROR(ctx.allocate_output(0, out_shape, &out));
    if (out->num_elements() == 0) return Status::OK();
    return math_(ctx, ReduceArgs{op_, x, out, reduce, x.num_elements() / out->num_elements()});
  }

 private:
  ReduceOp op_;
  ReduceMath math_;
  bool keep_dims_;
};

class ArgMinMaxOp : public OpKernel {
 public:
  ArgMinMaxOp(const Node& node, ArgMinMaxMath math, bool arg_min) : OpKernel(node), math_(math), arg_min_(arg_min) {}
  Status Compute(OpKernelContext& ctx) const override {
    const Tensor& x = ctx.input(0);
    TESSERA_ASSIGN_OR_RETURN(AxisSplit g, ArgMaxGeometry(x.shape(), ctx.input(1)));
    Tensor* out;
    TESSERA_RETURN_IF_ERROR(ctx.allocate_output(0, g.out, &out));
    if (out->num_elements() == 0) return Status::OK();
    return math_(ctx, x, g, arg_min_, out);
  }

 private:
  ArgMinMaxMath math_;
  bool arg_min_;
};

}  // namespace

Status RegisterReductionKernels(KernelRegistry& r, const BackendKernels& b) {
  const DeviceType dev = b.device_type;
  TESSERA_RETURN_IF_ERROR(RegisterEachKind<ReduceOp>(r, b.reduce, [&](ReduceOp op, const MathEntry<ReduceMath>& e) {
    return TypedKernelDef(ReduceOpName(op), dev, e.types)
        .TypeConstraint("Tidx", IndexTypes())
        .HostMemory(1)
        .Factory(MakeKernelFactory<ReductionOp>(op, e.math));
  }));
  if (b.arg_min_max.math == nullptr) return Status::OK();
  for (bool arg_min : {false, true}) {
    TESSERA_RETURN_IF_ERROR(r.Register(KernelDef(arg_min ? "ArgMin" : "ArgMax", dev)
                                           .TypeConstraint("T", b.arg_min_max.types)
                                           .TypeConstraint("output_type", b.arg_min_max_output_types)
                                           .HostMemory(1)
                                           .Factory(MakeKernelFactory<ArgMinMaxOp>(b.arg_min_max.math, arg_min))));
  }
  return Status::OK();
}

}  // namespace tessera
