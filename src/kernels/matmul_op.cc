// The host half of MatMul (transpose_a, transpose_b).
#include "src/kernels/kernel_families.h"

namespace tessera {
namespace {

class MatMulOp : public OpKernel {
 public:
  MatMulOp(const Node& node, MatMulMath math)
      : OpKernel(node),
        math_(math),
        transpose_a_(*node.attr<bool>("transpose_a")),
        transpose_b_(*node.attr<bool>("transpose_b")) {}

  Status Compute(OpKernelContext& ctx) const override {
    const Tensor& a = ctx.input(0);
    const Tensor& b = ctx.input(1);
    TESSERA_ASSIGN_OR_RETURN(MatMulDims d, MatMulGeometry(a.shape(), b.shape(), transpose_a_, transpose_b_));
    Tensor* out;
    TESSERA_RETURN_IF_ERROR(ctx.allocate_output(0, TensorShape{d.m, d.n}, &out));
    if (d.m == 0 || d.n == 0) return Status::OK();
    return math_(ctx, a, b, transpose_a_, transpose_b_, d, out);
  }

 private:
  MatMulMath math_;
  bool transpose_a_, transpose_b_;
};

}  // namespace

Status RegisterMatMulKernels(KernelRegistry& r, const BackendKernels& b) {
  if (b.matmul.math == nullptr) return Status::OK();
  return r.Register(KernelDef("MatMul", b.device_type)
                        .TypeConstraint("T", b.matmul.types)
                        .Factory(MakeKernelFactory<MatMulOp>(b.matmul.math)));
}

}  // namespace tessera
