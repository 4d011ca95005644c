// BiasAdd, Softmax/LogSoftmax, the softmax cross-entropies and L2Loss on the CPU.
#include <algorithm>
#include <cmath>
#include <vector>

#include "kernels_cpu/cpu_math.h"
#include "src/kernels/row_math.h"

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

// Softmax or LogSoftmax per row (src/kernels/row_math.h).
Status Softmax(OpKernelContext& ctx, const Tensor& x, bool log, Tensor* out) {
  const int64_t c = x.dim(x.rank() - 1);
  return SwitchFloatTypes(x.dtype(), [&]<typename T>() {
    const T* xp = x.flat<T>().data();
    T* op = out->flat<T>().data();
    ParallelFor(ctx, x.num_elements() / c, 30.0 * static_cast<double>(c), [&](int64_t r0, int64_t r1) {
      for (int64_t r = r0; r < r1; ++r) rowmath::SoftmaxRow(xp + r * c, op + r * c, c, log);
    });
  });
}

template <typename T, typename L>
void XentRows(OpKernelContext& ctx, const XentArgs& a) {
  const int64_t rows = a.logits.dim(0), c = a.logits.dim(1);
  const T* lp = a.logits.flat<T>().data();
  const T* dense = a.sparse ? nullptr : a.labels.flat<T>().data();
  const L* sparse = a.sparse ? a.labels.flat<L>().data() : nullptr;
  T* loss = a.loss->flat<T>().data();
  T* bp = a.backprop->flat<T>().data();
  ParallelFor(ctx, rows, 40.0 * static_cast<double>(c), [&](int64_t r0, int64_t r1) {
    for (int64_t r = r0; r < r1; ++r) {
      rowmath::XentRow(lp + r * c, dense ? dense + r * c : nullptr, sparse ? static_cast<int64_t>(sparse[r]) : 0, c,
                       loss + r, bp + r * c);
    }
  });
}

Status Xent(OpKernelContext& ctx, const XentArgs& a) {
  return SwitchFloatTypes(a.logits.dtype(), [&]<typename T>() {
    if (a.sparse && a.labels.dtype() == DataType::kInt64) {
      XentRows<T, int64_t>(ctx, a);
    } else {
      XentRows<T, int32_t>(ctx, a);
    }
  });
}

// sum(x^2) / 2, accumulated in double per shard, shards added in order.
Status L2Loss(OpKernelContext& ctx, const Tensor& x, Tensor* out) {
  return SwitchFloatTypes(x.dtype(), [&]<typename T>() {
    const T* xp = x.flat<T>().data();
    const int64_t n = x.num_elements();
    constexpr int64_t kShard = 1 << 14;
    std::vector<double> partial(static_cast<size_t>((n + kShard - 1) / kShard));
    ParallelFor(ctx, static_cast<int64_t>(partial.size()), 2.0 * kShard, [&](int64_t s0, int64_t s1) {
      for (int64_t s = s0; s < s1; ++s) {
        double acc = 0;
        for (int64_t i = s * kShard; i < std::min(n, (s + 1) * kShard); ++i) acc += double(xp[i]) * double(xp[i]);
        partial[static_cast<size_t>(s)] = acc;
      }
    });
    double total = 0;
    for (double p : partial) total += p;
    out->flat<T>()[0] = static_cast<T>(total / 2);
  });
}

}  // namespace

void cpu::AddNnMath(BackendKernels& b) {
  b.bias_add = {BiasAdd, NumericTypes()};
  b.softmax = {Softmax, FloatTypes()};
  b.xent = {Xent, FloatTypes()};
  b.xent_label_types = IndexTypes();
  b.l2_loss = {L2Loss, FloatTypes()};
}

}  // namespace tessera
