// MatMul on the CPU: Eigen's tensor contraction on the intra-op ThreadPoolDevice.
#define EIGEN_USE_THREADS
#include <unsupported/Eigen/CXX11/Tensor>

#include "kernels_cpu/cpu_kernel_util.h"
#include "src/kernels/op_geometry.h"

namespace tessera {
namespace {

template <typename T>
class MatMulKernel : public OpKernel {
 public:
  explicit MatMulKernel(const Node& node) : OpKernel(node) {
    transpose_a_ = *node.attr<bool>("transpose_a");
    transpose_b_ = *node.attr<bool>("transpose_b");
  }

  Status Compute(OpKernelContext& ctx) const override {
    const Tensor& a = ctx.input(0);
    const Tensor& b = ctx.input(1);
    TF_ASSIGN_OR_RETURN(MatMulDims d, MatMulGeometry(a.shape(), b.shape(), transpose_a_, transpose_b_));
    const int64_t m = d.m, n = d.n, k = d.k;
    Tensor* out;
    TF_RETURN_IF_ERROR(ctx.allocate_output(0, TensorShape{m, n}, &out));
    if (m == 0 || n == 0) return Status::OK();
    using Matrix = Eigen::TensorMap<Eigen::Tensor<T, 2, Eigen::RowMajor>, Eigen::Aligned>;
    using ConstMatrix = Eigen::TensorMap<Eigen::Tensor<const T, 2, Eigen::RowMajor>, Eigen::Aligned>;
    Matrix c(out->flat<T>().data(), m, n);
    if (k == 0) {
      c.setZero();
      return Status::OK();
    }
    ConstMatrix am(a.flat<T>().data(), a.dim(0), a.dim(1));
    ConstMatrix bm(b.flat<T>().data(), b.dim(0), b.dim(1));
    Eigen::array<Eigen::IndexPair<Eigen::Index>, 1> dims = {
        Eigen::IndexPair<Eigen::Index>(transpose_a_ ? 0 : 1, transpose_b_ ? 1 : 0)};
    if (CpuContext* cpu = ctx.cpu()) {
      c.device(cpu->eigen_device()) = am.contract(bm, dims);
    } else {
      c = am.contract(bm, dims);
    }
    return Status::OK();
  }

 private:
  bool transpose_a_ = false, transpose_b_ = false;
};

}  // namespace

void RegisterCpuMatMulKernels(KernelRegistry& r) {
  r.Register({"MatMul", "CPU", {{"T", NumericTypes()}}, TypedFactory<MatMulKernel>("T", NumericSwitch())});
}

}  // namespace tessera
