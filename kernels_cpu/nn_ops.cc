// BiasAdd and Softmax on the CPU.
#include <cmath>

#include "kernels_cpu/cpu_kernel_util.h"
#include "src/kernels/op_geometry.h"

namespace tessera {
namespace {

template <typename T>
class BiasAddKernel : public OpKernel {
 public:
  using OpKernel::OpKernel;
  Status Compute(OpKernelContext& ctx) const override {
    const Tensor& v = ctx.input(0);
    const Tensor& b = ctx.input(1);
    TF_RETURN_IF_ERROR(CheckBiasAdd(v.shape(), b.shape()));
    const int64_t c = v.dim(v.rank() - 1);
    Tensor* out;
    TF_RETURN_IF_ERROR(ctx.allocate_output(0, v.shape(), &out));
    if (v.num_elements() == 0) return Status::OK();
    const T* vp = v.flat<T>().data();
    const T* bp = b.flat<T>().data();
    T* op = out->flat<T>().data();
    ParallelFor(ctx, v.num_elements() / c, 1.0 * static_cast<double>(c), [&](int64_t r0, int64_t r1) {
      for (int64_t r = r0; r < r1; ++r) {
        for (int64_t i = 0; i < c; ++i) op[r * c + i] = vp[r * c + i] + bp[i];
      }
    });
    return Status::OK();
  }
};

template <typename T>
class SoftmaxKernel : public OpKernel {
 public:
  using OpKernel::OpKernel;
  Status Compute(OpKernelContext& ctx) const override {
    const Tensor& x = ctx.input(0);
    if (x.rank() < 1) return InvalidArgumentError("logits must have >= 1 dimension, got " + x.shape().DebugString());
    Tensor* out;
    TF_RETURN_IF_ERROR(ctx.allocate_output(0, x.shape(), &out));
    if (x.num_elements() == 0) return Status::OK();
    const int64_t c = x.dim(x.rank() - 1);
    const T* xp = x.flat<T>().data();
    T* op = out->flat<T>().data();
    // Stable softmax per row: exp(x - max) / sum.
    ParallelFor(ctx, x.num_elements() / c, 30.0 * static_cast<double>(c), [&](int64_t r0, int64_t r1) {
      for (int64_t r = r0; r < r1; ++r) {
        const T* row = xp + r * c;
        T* orow = op + r * c;
        T mx = row[0];
        for (int64_t i = 1; i < c; ++i) mx = std::max(mx, row[i]);
        T sum = 0;
        for (int64_t i = 0; i < c; ++i) {
          orow[i] = std::exp(row[i] - mx);
          sum += orow[i];
        }
        for (int64_t i = 0; i < c; ++i) orow[i] /= sum;
      }
    });
    return Status::OK();
  }
};

}  // namespace

void RegisterCpuNnKernels(KernelRegistry& r) {
  r.Register({"BiasAdd", "CPU", {{"T", NumericTypes()}}, TypedFactory<BiasAddKernel>("T", NumericSwitch())});
  r.Register({"Softmax", "CPU", {{"T", FloatTypes()}}, TypedFactory<SoftmaxKernel>("T", FloatSwitch())});
}

}  // namespace tessera
