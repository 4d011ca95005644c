// MatMul math on the CPU: Eigen's tensor contraction on the intra-op ThreadPoolDevice.
#define EIGEN_USE_THREADS
#include <unsupported/Eigen/CXX11/Tensor>

#include "kernels_cpu/cpu_math.h"

namespace tessera {
namespace {

template <typename T>
void Contract(OpKernelContext& ctx, const Tensor& a, const Tensor& b, bool ta, bool tb, const MatMulDims& d,
              Tensor* out) {
  using Matrix = Eigen::TensorMap<Eigen::Tensor<T, 2, Eigen::RowMajor>, Eigen::Aligned>;
  using ConstMatrix = Eigen::TensorMap<Eigen::Tensor<const T, 2, Eigen::RowMajor>, Eigen::Aligned>;
  Matrix c(out->flat<T>().data(), d.m, d.n);
  if (d.k == 0) {
    c.setZero();
    return;
  }
  ConstMatrix am(a.flat<T>().data(), a.dim(0), a.dim(1));
  ConstMatrix bm(b.flat<T>().data(), b.dim(0), b.dim(1));
  Eigen::array<Eigen::IndexPair<Eigen::Index>, 1> dims = {Eigen::IndexPair<Eigen::Index>(ta ? 0 : 1, tb ? 1 : 0)};
  if (CpuContext* cpu = ctx.cpu()) {
    c.device(cpu->eigen_device()) = am.contract(bm, dims);
  } else {
    c = am.contract(bm, dims);
  }
}

Status MatMul(OpKernelContext& ctx, const Tensor& a, const Tensor& b, bool ta, bool tb, const MatMulDims& d,
              Tensor* out) {
  return SwitchNumericTypes(a.dtype(), [&]<typename T>() { Contract<T>(ctx, a, b, ta, tb, d, out); });
}

}  // namespace

void cpu::AddMatMulMath(BackendKernels& b) { b.matmul = {MatMul, NumericTypes()}; }

}  // namespace tessera
