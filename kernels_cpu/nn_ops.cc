// BiasAdd and Softmax math on the CPU.
#include <algorithm>
#include <cmath>

#include "kernels_cpu/cpu_math.h"

namespace tessera {
namespace {

Status BiasAdd(OpKernelContext& ctx, const Tensor& v, const Tensor& b, Tensor* out) {
  const int64_t c = v.dim(v.rank() - 1);
  return SwitchNumericTypes(v.dtype(), [&]<typename T>() {
    const T* vp = v.flat<T>().data();
    const T* bp = b.flat<T>().data();
    T* op = out->flat<T>().data();
    ParallelFor(ctx, v.num_elements() / c, static_cast<double>(c), [&](int64_t r0, int64_t r1) {
      for (int64_t r = r0; r < r1; ++r) {
        for (int64_t i = 0; i < c; ++i) op[r * c + i] = vp[r * c + i] + bp[i];
      }
    });
  });
}

// Stable softmax per row: exp(x - max) / sum.
Status Softmax(OpKernelContext& ctx, const Tensor& x, Tensor* out) {
  const int64_t c = x.dim(x.rank() - 1);
  return SwitchFloatTypes(x.dtype(), [&]<typename T>() {
    const T* xp = x.flat<T>().data();
    T* op = out->flat<T>().data();
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
  });
}

}  // namespace

void cpu::AddNnMath(BackendKernels& b) {
  b.bias_add = {BiasAdd, NumericTypes()};
  b.softmax = {Softmax, FloatTypes()};
}

}  // namespace tessera
