// Reductions on the CPU: Sum, Mean, Max, Min over any axes (keep_dims), and ArgMax.
#include <limits>

#include "kernels_cpu/cpu_kernel_util.h"
#include "src/framework/tensor_util.h"
#include "src/kernels/op_geometry.h"

namespace tessera {
namespace {

enum class Reducer { kSum, kMean, kMax, kMin };

template <typename T>
T Identity(Reducer r) {
  switch (r) {
    case Reducer::kMax: return std::numeric_limits<T>::has_infinity ? -std::numeric_limits<T>::infinity()
                                                                     : std::numeric_limits<T>::lowest();
    case Reducer::kMin: return std::numeric_limits<T>::has_infinity ? std::numeric_limits<T>::infinity()
                                                                    : std::numeric_limits<T>::max();
    default: return T(0);
  }
}

template <typename T>
inline T Combine(Reducer r, T acc, T v) {
  switch (r) {
    case Reducer::kMax: return v > acc || v != v ? v : acc;
    case Reducer::kMin: return v < acc || v != v ? v : acc;
    default: return acc + v;
  }
}

// Reads an axes tensor (int32/int64, scalar or vector) into normalised axes.
Status ReadAxes(const Tensor& t, int rank, std::vector<bool>* reduce) {
  const std::vector<int64_t> axes = IntTensorValues(t);
  reduce->assign(static_cast<size_t>(rank), false);
  for (int64_t a : axes) {
    if (a < -rank || a >= rank) {
      return InvalidArgumentError("Invalid reduction dimension (" + std::to_string(a) + " for input with " +
                                  std::to_string(rank) + " dimension(s)");
    }
    (*reduce)[static_cast<size_t>(a < 0 ? a + rank : a)] = true;
  }
  return Status::OK();
}

template <typename T>
class ReductionKernel : public OpKernel {
 public:
  ReductionKernel(const Node& node, Reducer r) : OpKernel(node), reducer_(r), keep_dims_(*node.attr<bool>("keep_dims")) {}

  Status Compute(OpKernelContext& ctx) const override {
    const Tensor& x = ctx.input(0);
    std::vector<bool> reduce;
    TF_RETURN_IF_ERROR(ReadAxes(ctx.input(1), x.rank(), &reduce));
    TensorShape out_shape;
    for (int i = 0; i < x.rank(); ++i) {
      if (!reduce[static_cast<size_t>(i)]) out_shape.AddDim(x.dim(i));
      else if (keep_dims_) out_shape.AddDim(1);
    }
    Tensor* out;
    TF_RETURN_IF_ERROR(ctx.allocate_output(0, out_shape, &out));
    const int64_t out_n = out->num_elements();
    if (out_n == 0) return Status::OK();
    T* op = out->flat<T>().data();
    const T* xp = x.flat<T>().data();
    const int64_t n = x.num_elements();
    const int64_t count = out_n == 0 ? 0 : n / out_n;  // elements per output
    // Collapse into alternating kept/reduced groups.
    std::vector<int64_t> gdims;
    std::vector<bool> greduce;
    for (int i = 0; i < x.rank(); ++i) {
      if (x.dim(i) == 1) continue;
      if (!gdims.empty() && greduce.back() == reduce[static_cast<size_t>(i)]) {
        gdims.back() *= x.dim(i);
      } else {
        gdims.push_back(x.dim(i));
        greduce.push_back(reduce[static_cast<size_t>(i)]);
      }
    }
    const T init = Identity<T>(reducer_);
    if (gdims.empty() || (gdims.size() == 1 && !greduce[0])) {
      for (int64_t i = 0; i < out_n; ++i) op[i] = xp[i];  // nothing reduced (or all dims of size 1)
    } else if (gdims.size() == 1) {
      T acc = init;
      for (int64_t i = 0; i < n; ++i) acc = Combine(reducer_, acc, xp[i]);
      op[0] = acc;
    } else if (gdims.size() == 2 && !greduce[0]) {  // [kept, reduced]: rows
      const int64_t inner = gdims[1];
      ParallelFor(ctx, gdims[0], static_cast<double>(inner), [&](int64_t b, int64_t e) {
        for (int64_t r = b; r < e; ++r) {
          T acc = init;
          for (int64_t i = 0; i < inner; ++i) acc = Combine(reducer_, acc, xp[r * inner + i]);
          op[r] = acc;
        }
      });
    } else if (gdims.size() == 2) {  // [reduced, kept]: columns
      const int64_t cols = gdims[1];
      for (int64_t c = 0; c < cols; ++c) op[c] = init;
      for (int64_t r = 0; r < gdims[0]; ++r) {
        for (int64_t c = 0; c < cols; ++c) op[c] = Combine(reducer_, op[c], xp[r * cols + c]);
      }
    } else {
      // General: walk the input with a multi-index and accumulate into the output.
      const size_t g = gdims.size();
      std::vector<int64_t> ostride(g, 0);
      int64_t s = 1;
      for (int i = static_cast<int>(g) - 1; i >= 0; --i) {
        if (!greduce[static_cast<size_t>(i)]) {
          ostride[static_cast<size_t>(i)] = s;
          s *= gdims[static_cast<size_t>(i)];
        }
      }
      for (int64_t i = 0; i < out_n; ++i) op[i] = init;
      std::vector<int64_t> idx(g, 0);
      int64_t o = 0;
      for (int64_t i = 0; i < n; ++i) {
        op[o] = Combine(reducer_, op[o], xp[i]);
        for (int d = static_cast<int>(g) - 1; d >= 0; --d) {
          const size_t du = static_cast<size_t>(d);
          o += ostride[du];
          if (++idx[du] < gdims[du]) break;
          o -= ostride[du] * gdims[du];
          idx[du] = 0;
        }
      }
    }
    if (reducer_ == Reducer::kMean) {
      for (int64_t i = 0; i < out_n; ++i) {
        if constexpr (std::is_integral_v<T>) {
          op[i] = count == 0 ? T(0) : static_cast<T>(op[i] / static_cast<T>(count));
        } else {
          op[i] = op[i] / static_cast<T>(count);
        }
      }
    }
    return Status::OK();
  }

 private:
  Reducer reducer_;
  bool keep_dims_;
};

template <typename T>
class ArgMaxKernel : public OpKernel {
 public:
  explicit ArgMaxKernel(const Node& node) : OpKernel(node), out_type_(*node.attr<DataType>("output_type")) {}
  Status Compute(OpKernelContext& ctx) const override {
    const Tensor& x = ctx.input(0);
    TF_ASSIGN_OR_RETURN(AxisSplit g, ArgMaxGeometry(x.shape(), ctx.input(1)));
    Tensor* out;
    TF_RETURN_IF_ERROR(ctx.allocate_output(0, g.out, &out));
    const int64_t outer = g.outer, inner = g.inner;
    const int64_t len = g.len;
    const T* xp = x.flat<T>().data();
    for (int64_t o = 0; o < outer; ++o) {
      for (int64_t i = 0; i < inner; ++i) {
        int64_t best = 0;
        T bv = xp[o * len * inner + i];
        for (int64_t k = 1; k < len; ++k) {
          T v = xp[(o * len + k) * inner + i];
          if (v > bv) {
            bv = v;
            best = k;
          }
        }
        if (out_type_ == DataType::kInt32) out->flat<int32_t>()[static_cast<size_t>(o * inner + i)] = static_cast<int32_t>(best);
        else out->flat<int64_t>()[static_cast<size_t>(o * inner + i)] = best;
      }
    }
    return Status::OK();
  }

 private:
  DataType out_type_;
};

KernelFactory ReductionFactory(Reducer r) {
  return [r](const KernelConstruction& c) -> StatusOr<std::unique_ptr<OpKernel>> {
    std::unique_ptr<OpKernel> k;
    TF_RETURN_IF_ERROR(SwitchNumericTypes(*c.node.attr<DataType>("T"),
                                          [&]<typename T>() { k = std::make_unique<ReductionKernel<T>>(c.node, r); }));
    return k;
  };
}

}  // namespace

void RegisterCpuReductionKernels(KernelRegistry& r) {
  r.Register({"Sum", "CPU", {{"T", NumericTypes()}}, ReductionFactory(Reducer::kSum)});
  r.Register({"Mean", "CPU", {{"T", NumericTypes()}}, ReductionFactory(Reducer::kMean)});
  r.Register({"Max", "CPU", {{"T", NumericTypes()}}, ReductionFactory(Reducer::kMax)});
  r.Register({"Min", "CPU", {{"T", NumericTypes()}}, ReductionFactory(Reducer::kMin)});
  r.Register({"ArgMax", "CPU", {{"T", NumericTypes()}}, TypedFactory<ArgMaxKernel>("T", NumericSwitch())});
}

}  // namespace tessera
