// Reduction math on the CPU: Sum, Mean, Max, Min, Prod (numbers), All, Any
// (bools) over a mask of dimensions, and ArgMax/ArgMin.
#include <limits>

#include "kernels_cpu/cpu_math.h"
#include "src/framework/cwise_functors.h"

namespace tessera {
namespace {

template <typename T>
T InitialValue(ReduceOp r) {
  using L = std::numeric_limits<T>;
  if constexpr (std::is_same_v<T, bool>) {
    return r == ReduceOp::kAll;  // All, Any
  } else {
    switch (r) {
      case ReduceOp::kProd:
        return T(1);
      case ReduceOp::kMax:
        return L::has_infinity ? -L::infinity() : L::lowest();
      case ReduceOp::kMin:
        return L::has_infinity ? L::infinity() : L::max();
      default:
        return T(0);
    }
  }
}

template <typename T>
inline T Combine(ReduceOp r, T acc, T v) {
  if constexpr (std::is_same_v<T, bool>) {
    return r == ReduceOp::kAll ? (acc && v) : (acc || v);  // All, Any
  } else {
    switch (r) {
      case ReduceOp::kProd:
        return functor::Mul()(acc, v);  // integers wrap, as in TF
      case ReduceOp::kMax:
        return v > acc || v != v ? v : acc;
      case ReduceOp::kMin:
        return v < acc || v != v ? v : acc;
      default:
        return functor::Add()(acc, v);
    }
  }
}

// x's dimensions collapsed into alternating kept/reduced groups (size-1 dims dropped).
struct Groups {
  std::vector<int64_t> dims;
  std::vector<bool> reduced;
};
Groups Collapse(const TensorShape& shape, const std::vector<bool>& reduce) {
  Groups g;
  for (int i = 0; i < shape.rank(); ++i) {
    if (shape.dim(i) == 1) continue;
    const bool r = reduce[static_cast<size_t>(i)];
    if (!g.dims.empty() && g.reduced.back() == r) {
      g.dims.back() *= shape.dim(i);
    } else {
      g.dims.push_back(shape.dim(i));
      g.reduced.push_back(r);
    }
  }
  return g;
}

// Any grouping: walk the input with a multi-index, accumulating into the output.
template <typename T>
void ReduceGeneral(ReduceOp r, const Groups& grp, const T* xp, int64_t n, T* op, int64_t out_n) {
  const size_t g = grp.dims.size();
  std::vector<int64_t> ostride(g, 0);
  int64_t s = 1;
  for (int i = static_cast<int>(g) - 1; i >= 0; --i) {
    if (!grp.reduced[static_cast<size_t>(i)]) {
      ostride[static_cast<size_t>(i)] = s;
      s *= grp.dims[static_cast<size_t>(i)];
    }
  }
  for (int64_t i = 0; i < out_n; ++i) op[i] = InitialValue<T>(r);
  std::vector<int64_t> idx(g, 0);
  int64_t o = 0;
  for (int64_t i = 0; i < n; ++i) {
    op[o] = Combine(r, op[o], xp[i]);
    for (int d = static_cast<int>(g) - 1; d >= 0; --d) {
      const size_t du = static_cast<size_t>(d);
      o += ostride[du];
      if (++idx[du] < grp.dims[du]) break;
      o -= ostride[du] * grp.dims[du];
      idx[du] = 0;
    }
  }
}

template <typename T>
void ReduceTyped(OpKernelContext& ctx, const ReduceArgs& a) {
  const ReduceOp r = a.op;
  T* op = a.out->flat<T>().data();
  const T* xp = a.x.flat<T>().data();
  const int64_t n = a.x.num_elements(), out_n = a.out->num_elements();
  const Groups grp = Collapse(a.x.shape(), a.reduce);
  const T init = InitialValue<T>(r);
  if (grp.dims.empty() || (grp.dims.size() == 1 && !grp.reduced[0])) {
    for (int64_t i = 0; i < out_n; ++i) op[i] = xp[i];  // nothing reduced (or all dims of size 1)
  } else if (grp.dims.size() == 1) {
    T acc = init;
    for (int64_t i = 0; i < n; ++i) acc = Combine(r, acc, xp[i]);
    op[0] = acc;
  } else if (grp.dims.size() == 2 && !grp.reduced[0]) {  // [kept, reduced]: rows
    const int64_t inner = grp.dims[1];
    ParallelFor(ctx, grp.dims[0], static_cast<double>(inner), [&](int64_t b, int64_t e) {
      for (int64_t row = b; row < e; ++row) {
        T acc = init;
        for (int64_t i = 0; i < inner; ++i) acc = Combine(r, acc, xp[row * inner + i]);
        op[row] = acc;
      }
    });
  } else if (grp.dims.size() == 2) {  // [reduced, kept]: columns
    const int64_t cols = grp.dims[1];
    for (int64_t c = 0; c < cols; ++c) op[c] = init;
    for (int64_t row = 0; row < grp.dims[0]; ++row) {
      for (int64_t c = 0; c < cols; ++c) op[c] = Combine(r, op[c], xp[row * cols + c]);
    }
  } else {
    ReduceGeneral(r, grp, xp, n, op, out_n);
  }
  if (r != ReduceOp::kMean) return;
  if constexpr (!std::is_same_v<T, bool>) {
    for (int64_t i = 0; i < out_n; ++i) {
      if constexpr (std::is_integral_v<T>) {
        op[i] = a.count == 0 ? T(0) : static_cast<T>(op[i] / static_cast<T>(a.count));
      } else {
        op[i] = op[i] / static_cast<T>(a.count);
      }
    }
  }
}

Status Reduce(OpKernelContext& ctx, const ReduceArgs& a) {
  return SwitchAllTypes(a.x.dtype(), [&]<typename T>() { ReduceTyped<T>(ctx, a); });
}

template <typename T, typename Index>
void ArgMinMaxTyped(const Tensor& x, const AxisSplit& g, bool arg_min, Tensor* out) {
  const T* xp = x.flat<T>().data();
  Index* op = out->flat<Index>().data();
  for (int64_t o = 0; o < g.outer; ++o) {
    for (int64_t i = 0; i < g.inner; ++i) {
      int64_t best = 0;
      T bv = xp[o * g.len * g.inner + i];
      for (int64_t k = 1; k < g.len; ++k) {
        const T v = xp[(o * g.len + k) * g.inner + i];
        if (arg_min ? v < bv : v > bv) {
          bv = v;
          best = k;
        }
      }
      op[o * g.inner + i] = static_cast<Index>(best);
    }
  }
}

Status ArgMinMax(OpKernelContext&, const Tensor& x, const AxisSplit& g, bool arg_min, Tensor* out) {
  return SwitchNumericTypes(x.dtype(), [&]<typename T>() {
    if (out->dtype() == DataType::kInt32) {
      ArgMinMaxTyped<T, int32_t>(x, g, arg_min, out);
    } else {
      ArgMinMaxTyped<T, int64_t>(x, g, arg_min, out);
    }
  });
}

}  // namespace

void cpu::AddReductionMath(BackendKernels& b) {
  for (auto& e : b.reduce) e = {Reduce, NumericTypes()};
  b.reduce[static_cast<size_t>(ReduceOp::kAll)] = {Reduce, BoolTypes()};
  b.reduce[static_cast<size_t>(ReduceOp::kAny)] = {Reduce, BoolTypes()};
  b.arg_min_max = {ArgMinMax, NumericTypes()};
  b.arg_min_max_output_types = IndexTypes();
}

}  // namespace tessera
