// The host halves of BiasAdd and Softmax.
#include "src/kernels/kernel_families.h"

namespace tessera {
namespace {

class BiasAddOp : public OpKernel {
 public:
  BiasAddOp(const Node& node, BiasAddMath math) : OpKernel(node), math_(math) {}
  Status Compute(OpKernelContext& ctx) const override {
    const Tensor& v = ctx.input(0);
    const Tensor& b = ctx.input(1);
    TESSERA_RETURN_IF_ERROR(CheckBiasAdd(v.shape(), b.shape()));
    Tensor* out;
    TESSERA_RETURN_IF_ERROR(ctx.allocate_output(0, v.shape(), &out));
    if (v.num_elements() == 0) return Status::OK();
    return math_(ctx, v, b, out);
  }

 private:
  BiasAddMath math_;
};

class SoftmaxOp : public OpKernel {
 public:
  SoftmaxOp(const Node& node, SoftmaxMath math) : OpKernel(node), math_(math) {}
  Status Compute(OpKernelContext& ctx) const override {
    const Tensor& x = ctx.input(0);
    if (x.rank() < 1) return InvalidArgumentError("logits must have >= 1 dimension, got " + x.shape().DebugString());
    Tensor* out;
    TESSERA_RETURN_IF_ERROR(ctx.allocate_output(0, x.shape(), &out));
    if (x.num_elements() == 0) return Status::OK();
    return math_(ctx, x, out);
  }

 private:
  SoftmaxMath math_;
};

}  // namespace

Status RegisterNnKernels(KernelRegistry& r, const BackendKernels& b) {
  const DeviceType dev = b.device_type;
  if (b.bias_add.math != nullptr) {
    TESSERA_RETURN_IF_ERROR(r.Register(KernelDef("BiasAdd", dev)
                                           .TypeConstraint("T", b.bias_add.types)
                                           .Factory(MakeKernelFactory<BiasAddOp>(b.bias_add.math))));
  }
  if (b.softmax.math != nullptr) {
    TESSERA_RETURN_IF_ERROR(r.Register(KernelDef("Softmax", dev)
                                           .TypeConstraint("T", b.softmax.types)
                                           .Factory(MakeKernelFactory<SoftmaxOp>(b.softmax.math))));
  }
  return Status::OK();
}

}  // namespace tessera
