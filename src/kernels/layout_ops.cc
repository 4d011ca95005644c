// The host halves of Tile, Pad, PadV2, Split, SplitV, StridedSlice, SelectV2
// (through the backend's gather, fill and select), GatherV2, OneHot and
// Cumsum (their own math entries), and Range (computed on the host).
#include <algorithm>

#include "src/framework/allocator.h"
#include "src/framework/dtype_switch.h"
#include "src/framework/shape_math.h"
#include "src/framework/tensor_util.h"
#include "src/kernels/kernel_families.h"
#include "src/kernels/layout.h"
#include "src/runtime/device.h"

namespace tessera {
namespace {

// A host int scalar input (an axis, a depth).
StatusOr<int64_t> ScalarInt(const Tensor& t, const char* what) {
  if (t.num_elements() != 1) {
    return InvalidArgumentError(std::string(what) + " must be a scalar, but got: " + t.shape().DebugString());
  }
  return IntTensorValues(t)[0];
}

class TileOp : public OpKernel {
 public:
  TileOp(const Node& node, GatherMath math) : OpKernel(node), math_(math) {}
  Status Compute(OpKernelContext& ctx) const override {
    const Tensor& x = ctx.input(0);
    const std::vector<int64_t> m = IntTensorValues(ctx.input(1));
    if (ctx.input(1).rank() != 1 || static_cast<int>(m.size()) != x.rank()) {
      return InvalidArgumentError("Expected multiples argument to be a vector of length " + std::to_string(x.rank()) +
                                  " but got length " + std::to_string(m.size()));
    }
    const std::vector<int64_t> strides = RowMajorStrides(x.shape());
    GatherArgs args{x, nullptr, {}, {}, 0};
    std::vector<int64_t> out;
    for (int i = 0; i < x.rank(); ++i) {
      const int64_t mi = m[static_cast<size_t>(i)];
      if (mi < 0) {
        return InvalidArgumentError("Expected multiples[" + std::to_string(i) + "] >= 0, but got " +
                                    std::to_string(mi));
      }
      out.push_back(MultiplyDims(x.dim(i), mi));
      args.dims.insert(args.dims.end(), {mi, x.dim(i)});
      args.src_strides.insert(args.src_strides.end(), {0, strides[static_cast<size_t>(i)]});
    }
    TESSERA_ASSIGN_OR_RETURN(TensorShape shape, TensorShape::Make(out));
    return RunGather(ctx, math_, shape, args);
  }

 private:
  GatherMath math_;
};

// Pad and PadV2: the output filled with the constant, then x gathered into its interior.
class PadOp : public OpKernel {
 public:
  PadOp(const Node& node, GatherMath gather, FillMath fill) : OpKernel(node), gather_(gather), fill_(fill) {}
  Status Compute(OpKernelContext& ctx) const override {
    const Tensor& x = ctx.input(0);
    const Tensor& p = ctx.input(1);
    if (p.rank() != 2 || p.dim(0) != x.rank() || p.dim(1) != 2) {
      return InvalidArgumentError("The first dimension of paddings must be the rank of inputs" +
                                  p.shape().DebugString() + " " + x.shape().DebugString());
    }
    const std::vector<int64_t> pad = IntTensorValues(p);
    std::vector<int64_t> dims;
    for (int i = 0; i < x.rank(); ++i) {
      const int64_t before = pad[static_cast<size_t>(2 * i)], after = pad[static_cast<size_t>(2 * i + 1)];
      if (before < 0 || after < 0) {
        return InvalidArgumentError("Paddings must be non-negative: " + std::to_string(before) + " " +
                                    std::to_string(after));
      }
      dims.push_back(AddDims(AddDims(x.dim(i), before), after));
      if (dims.back() < 0) {
        return InvalidArgumentError("Padded dimension " + std::to_string(i) + " has more than 2**63 - 1 elements");
      }
    }
    TESSERA_ASSIGN_OR_RETURN(TensorShape shape, TensorShape::Make(dims));
    Tensor value;
    TESSERA_RETURN_IF_ERROR(PadValue(ctx, &value));
    GatherArgs args{x, nullptr, x.shape().dims(), RowMajorStrides(x.shape()), 0};
    TESSERA_RETURN_IF_ERROR(ctx.allocate_output(0, shape, &args.out));
    if (args.out->num_elements() == 0) return Status::OK();
    TESSERA_RETURN_IF_ERROR(fill_(ctx, value.raw_data(), args.out));
    if (x.num_elements() == 0) return Status::OK();
    args.dst_strides = RowMajorStrides(shape);
    for (int i = 0; i < x.rank(); ++i) args.dst_base += pad[static_cast<size_t>(2 * i)] * args.dst_strides[i];
    CollapseGather(args);
    return gather_(ctx, args);
  }

 private:
  // PadV2's constant_values (host memory), or Pad's zero.
  Status PadValue(OpKernelContext& ctx, Tensor* value) const {
    if (ctx.num_inputs() == 3) {
      const Tensor& v = ctx.input(2);
      if (v.rank() != 0) {
        return InvalidArgumentError("constant_values must be a scalar. Found: " + v.shape().DebugString());
      }
      *value = v;
      return Status::OK();
    }
    return SwitchAllTypes(ctx.input(0).dtype(), [&]<typename T>() { *value = Tensor::Scalar<T>(T(0)); });
  }

  GatherMath gather_;
  FillMath fill_;
};

// Split (split_dim, value) and SplitV (value, size_splits, split_dim): one
// gather per output, each from its offset along the axis.
class SplitOp : public OpKernel {
 public:
  SplitOp(const Node& node, GatherMath math, bool v) : OpKernel(node), math_(math), v_(v) {}
  Status Compute(OpKernelContext& ctx) const override {
    const Tensor& x = ctx.input(v_ ? 0 : 1);
    TESSERA_ASSIGN_OR_RETURN(int64_t a, ScalarInt(ctx.input(v_ ? 2 : 0), "split_dim"));
    if (a < -x.rank() || a >= x.rank()) {
      return InvalidArgumentError("-" + std::to_string(x.rank()) + " <= split_dim < " + std::to_string(x.rank()) +
                                  " but got " + std::to_string(a));
    }
    const int axis = static_cast<int>(a < 0 ? a + x.rank() : a);
    TESSERA_ASSIGN_OR_RETURN(std::vector<int64_t> sizes, Sizes(ctx, x.dim(axis), axis));
    std::vector<int64_t> dims = x.shape().dims();
    const std::vector<int64_t> strides = RowMajorStrides(x.shape());
    int64_t offset = 0;
    for (int i = 0; i < ctx.num_outputs(); ++i) {
      dims[static_cast<size_t>(axis)] = sizes[static_cast<size_t>(i)];
      GatherArgs args{x, nullptr, dims, strides, offset * strides[static_cast<size_t>(axis)]};
      TESSERA_RETURN_IF_ERROR(RunGather(ctx, math_, TensorShape(dims), args, i));
      offset += sizes[static_cast<size_t>(i)];
    }
    return Status::OK();
  }

 private:
  // The size of each output along the axis (of length d).
  StatusOr<std::vector<int64_t>> Sizes(OpKernelContext& ctx, int64_t d, int axis) const {
    const int64_t n = ctx.num_outputs();
    if (!v_) {
      if (d % n != 0) {
        return InvalidArgumentError(
            "Number of ways to split should evenly divide the split dimension, but got split_dim " +
            std::to_string(axis) + " (size = " + std::to_string(d) + ") and num_split " + std::to_string(n));
      }
      return std::vector<int64_t>(static_cast<size_t>(n), d / n);
    }
    std::vector<int64_t> sizes = IntTensorValues(ctx.input(1));
    int infer = -1;
    int64_t sum = 0;
    bool bad = static_cast<int64_t>(sizes.size()) != n;
    for (size_t i = 0; i < sizes.size() && !bad; ++i) {
      if (sizes[i] == -1 && infer < 0) {
        infer = static_cast<int>(i);
      } else if (sizes[i] < 0) {
        bad = true;
      } else {
        sum = AddDims(sum, sizes[i]);
        bad |= sum < 0;
      }
    }
    if (!bad && infer >= 0 && sum <= d) sizes[static_cast<size_t>(infer)] = d - sum;
    if (bad || (infer < 0 ? sum != d : sum > d)) {
      return InvalidArgumentError("can't split axis of size " + std::to_string(d) + " into pieces of size " +
                                  IntListString(IntTensorValues(ctx.input(1))));
    }
    return sizes;
  }

  GatherMath math_;
  bool v_;
};

// StridedSlice's and StridedSliceGrad's begin, end and strides (inputs 1-3) are vectors.
Status CheckSliceSpec(const OpKernelContext& ctx) {
  for (int i = 1; i <= 3; ++i) {
    if (ctx.input(i).rank() != 1) {
      return InvalidArgumentError("Expected begin, end, and strides to be 1D equal size tensors, but got shapes " +
                                  ctx.input(1).shape().DebugString() + ", " + ctx.input(2).shape().DebugString() +
                                  ", and " + ctx.input(3).shape().DebugString() + " instead.");
    }
  }
  return Status::OK();
}

class StridedSliceOp : public OpKernel {
 public:
  StridedSliceOp(const Node& node, GatherMath math) : OpKernel(node), math_(math), m_(StridedSliceMasksOf(node)) {}
  Status Compute(OpKernelContext& ctx) const override {
    const Tensor& x = ctx.input(0);
    TESSERA_RETURN_IF_ERROR(CheckSliceSpec(ctx));
    TESSERA_ASSIGN_OR_RETURN(StridedSliceGeometry g,
                             ComputeStridedSlice(x.shape().dims(), IntTensorValues(ctx.input(1)),
                                                 IntTensorValues(ctx.input(2)), IntTensorValues(ctx.input(3)), m_));
    const std::vector<int64_t> strides = RowMajorStrides(x.shape());
    GatherArgs args{x, nullptr, g.length, {}, 0};
    for (size_t i = 0; i < g.length.size(); ++i) {
      args.src_strides.push_back(strides[i] * g.stride[i]);
      args.base += g.begin[i] * strides[i];
    }
    return RunGather(ctx, math_, TensorShape(g.out_dims), args);
  }

 private:
  GatherMath math_;
  StridedSliceMasks m_;
};

// StridedSliceGrad: zeros of `shape`, then dy written into the slice's
// places (a gather into a box with the slice's strides, as Pad writes its input).
class StridedSliceGradOp : public OpKernel {
 public:
  StridedSliceGradOp(const Node& node, GatherMath gather, FillMath fill)
      : OpKernel(node), gather_(gather), fill_(fill), m_(StridedSliceMasksOf(node)) {}
  Status Compute(OpKernelContext& ctx) const override {
    const Tensor& shape_arg = ctx.input(0);
    const Tensor& dy = ctx.input(4);
    if (shape_arg.rank() != 1) {
      return InvalidArgumentError("shape must be 1-D, got shape.shape = " + shape_arg.shape().DebugString());
    }
    TESSERA_RETURN_IF_ERROR(CheckSliceSpec(ctx));
    TESSERA_ASSIGN_OR_RETURN(TensorShape shape, TensorShape::Make(IntTensorValues(shape_arg)));
    TESSERA_ASSIGN_OR_RETURN(StridedSliceGeometry g,
                             ComputeStridedSlice(shape.dims(), IntTensorValues(ctx.input(1)),
                                                 IntTensorValues(ctx.input(2)), IntTensorValues(ctx.input(3)), m_));
    if (dy.shape().dims() != g.out_dims) {
      return InvalidArgumentError("shape of dy was " + dy.shape().DebugString() + " instead of " +
                                  TensorShape(g.out_dims).DebugString());
    }
    GatherArgs args{dy, nullptr, g.length, RowMajorStrides(TensorShape(g.length)), 0};
    TESSERA_RETURN_IF_ERROR(ctx.allocate_output(0, shape, &args.out));
    if (args.out->num_elements() == 0) return Status::OK();
    const uint64_t zero = 0;
    TESSERA_RETURN_IF_ERROR(fill_(ctx, &zero, args.out));
    if (dy.num_elements() == 0) return Status::OK();
    const std::vector<int64_t> strides = RowMajorStrides(shape);
    for (size_t i = 0; i < g.length.size(); ++i) {
      args.dst_strides.push_back(strides[i] * g.stride[i]);
      args.dst_base += g.begin[i] * strides[i];
    }
    CollapseGather(args);
    return gather_(ctx, args);
  }

 private:
  GatherMath gather_;
  FillMath fill_;
  StridedSliceMasks m_;
};

class GatherV2Op : public OpKernel {
 public:
  GatherV2Op(const Node& node, GatherRowsMath math) : OpKernel(node), math_(math) {}
  Status Compute(OpKernelContext& ctx) const override {
    const Tensor& params = ctx.input(0);
    const Tensor& indices = ctx.input(1);
    TESSERA_ASSIGN_OR_RETURN(int64_t a, ScalarInt(ctx.input(2), "axis"));
    const int rank = params.rank();
    if (rank < 1) return InvalidArgumentError("params must be at least 1 dimensional");
    if (a < -rank || a >= rank) {
      return InvalidArgumentError("Expected axis in the range [" + std::to_string(-rank) + ", " + std::to_string(rank) +
                                  "), but got " + std::to_string(a));
    }
    const int axis = static_cast<int>(a < 0 ? a + rank : a);
    GatherRowsArgs args{params, indices, nullptr, 1, params.dim(axis), 1};
    std::vector<int64_t> out;
    // Products saturate to -1 on overflow: only for an empty output, which returns before using them.
    for (int i = 0; i < axis; ++i) {
      args.outer = MultiplyDims(args.outer, params.dim(i));
      out.push_back(params.dim(i));
    }
    const std::vector<int64_t> index_dims = indices.shape().dims();
    out.insert(out.end(), index_dims.begin(), index_dims.end());
    for (int i = axis + 1; i < rank; ++i) {
      args.inner = MultiplyDims(args.inner, params.dim(i));
      out.push_back(params.dim(i));
    }
    TESSERA_ASSIGN_OR_RETURN(TensorShape shape, TensorShape::Make(out));
    TESSERA_RETURN_IF_ERROR(ctx.allocate_output(0, shape, &args.out));
    if (args.out->num_elements() == 0) return Status::OK();
    return math_(ctx, args);
  }

 private:
  GatherRowsMath math_;
};

class UnsortedSegmentSumOp : public OpKernel {
 public:
  UnsortedSegmentSumOp(const Node& node, SegmentSumMath math) : OpKernel(node), math_(math) {}
  Status Compute(OpKernelContext& ctx) const override {
    const Tensor& data = ctx.input(0);
    const Tensor& ids = ctx.input(1);
    const Tensor& n = ctx.input(2);
    if (n.rank() != 0) {
      return InvalidArgumentError("num_segments should be a scalar, not shape " + n.shape().DebugString());
    }
    const int64_t segments = IntTensorValues(n)[0];
    if (segments < 0) {
      return InvalidArgumentError("Input num_segments == " + std::to_string(segments) + " must not be negative.");
    }
    bool prefix = ids.rank() <= data.rank();
    for (int i = 0; prefix && i < ids.rank(); ++i) prefix = ids.dim(i) == data.dim(i);
    if (!prefix) {
      return InvalidArgumentError("data.shape = " + data.shape().DebugString() +
                                  " does not start with segment_ids.shape = " + ids.shape().DebugString());
    }
    std::vector<int64_t> out = {segments};
    int64_t inner = 1;
    for (int i = ids.rank(); i < data.rank(); ++i) {
      out.push_back(data.dim(i));
      inner = MultiplyDims(inner, data.dim(i));  // -1 on overflow: only for an empty output
    }
    TESSERA_ASSIGN_OR_RETURN(TensorShape shape, TensorShape::Make(out));
    SegmentSumArgs args{data, ids, nullptr, segments, inner};
    TESSERA_RETURN_IF_ERROR(ctx.allocate_output(0, shape, &args.out));
    if (args.out->num_elements() == 0) return Status::OK();
    return math_(ctx, args);
  }

 private:
  SegmentSumMath math_;
};

class OneHotOp : public OpKernel {
 public:
  OneHotOp(const Node& node, OneHotMath math) : OpKernel(node), math_(math), axis_(*node.attr<int64_t>("axis")) {}
  Status Compute(OpKernelContext& ctx) const override {
    const Tensor& indices = ctx.input(0);
    TESSERA_ASSIGN_OR_RETURN(int64_t depth, ScalarInt(ctx.input(1), "depth"));
    if (depth < 0) return InvalidArgumentError("depth must be non-negative, got: " + std::to_string(depth));
    for (int i : {2, 3}) {
      if (ctx.input(i).rank() != 0) {
        return InvalidArgumentError(std::string(i == 2 ? "on_value" : "off_value") +
                                    " must be a scalar, but got: " + ctx.input(i).shape().DebugString());
      }
    }
    const int rank = indices.rank();
    if (axis_ < -1 || axis_ > rank) {
      return InvalidArgumentError("Expected axis to be -1 or between [0, " + std::to_string(rank + 1) +
                                  ").  But received: " + std::to_string(axis_));
    }
    const int axis = static_cast<int>(axis_ < 0 ? rank : axis_);
    OneHotArgs args{indices, nullptr, 1, depth, 1, ctx.input(2).raw_data(), ctx.input(3).raw_data()};
    std::vector<int64_t> out = indices.shape().dims();
    for (int i = 0; i < rank; ++i) {
      int64_t& p = i < axis ? args.outer : args.inner;
      p = MultiplyDims(p, indices.dim(i));  // -1 on overflow: only for an empty output
    }
    out.insert(out.begin() + axis, depth);
    TESSERA_ASSIGN_OR_RETURN(TensorShape shape, TensorShape::Make(out));
    TESSERA_RETURN_IF_ERROR(ctx.allocate_output(0, shape, &args.out));
    if (args.out->num_elements() == 0) return Status::OK();
    return math_(ctx, args);
  }

 private:
  OneHotMath math_;
  int64_t axis_;
};

// Range: computed on the host, as TF does: element i is start + i * delta in
// the dtype (this file is built with -ffp-contract=off, so no FMA changes it).
class RangeOp : public OpKernel {
 public:
  using OpKernel::OpKernel;
  Status Compute(OpKernelContext& ctx) const override {
    const Tensor &start = ctx.input(0), &limit = ctx.input(1), &delta = ctx.input(2);
    TESSERA_ASSIGN_OR_RETURN(int64_t n, RangeSizeOf(start, limit, delta));
    Tensor* out;
    TESSERA_RETURN_IF_ERROR(ctx.allocate_output(0, TensorShape{n}, &out));
    return SwitchNumericTypes(start.dtype(), [&]<typename T>() {
      const T first = start.scalar<T>().value(), step = delta.scalar<T>().value();
      T* e = out->flat<T>().data();
      for (int64_t i = 0; i < n; ++i) e[i] = first + static_cast<T>(i) * step;
    });
  }
  bool IsExpensive() const override { return false; }
};

// Where(condition): computed on the host (the output's size depends on the values).
class WhereOp : public OpKernel {
 public:
  using OpKernel::OpKernel;
  Status Compute(OpKernelContext& ctx) const override {
    const Tensor& c = ctx.input(0);
    std::vector<int64_t> hits;
    TESSERA_RETURN_IF_ERROR(SwitchAllTypes(c.dtype(), [&]<typename T>() {
      const T* v = c.flat<T>().data();
      for (int64_t i = 0; i < c.num_elements(); ++i) {
        if (v[i] != T(0)) hits.push_back(i);
      }
    }));
    const int rank = c.rank();
    Tensor* out;
    TESSERA_RETURN_IF_ERROR(ctx.allocate_output(0, TensorShape{static_cast<int64_t>(hits.size()), rank}, &out));
    int64_t* o = out->flat<int64_t>().data();
    for (int64_t h : hits) {
      for (int d = rank - 1; d >= 0; --d) {
        o[d] = h % c.dim(d);
        h /= c.dim(d);
      }
      o += rank;
    }
    return Status::OK();
  }
};

class CumsumOp : public OpKernel {
 public:
  CumsumOp(const Node& node, CumsumMath math)
      : OpKernel(node),
        math_(math),
        how_{node.op() == "Cumprod", *node.attr<bool>("exclusive"), *node.attr<bool>("reverse")} {}
  Status Compute(OpKernelContext& ctx) const override {
    const Tensor& x = ctx.input(0);
    TESSERA_ASSIGN_OR_RETURN(int64_t a, ScalarInt(ctx.input(1), "axis"));
    if (x.rank() == 0) return InvalidArgumentError(node().op() + " needs an input of rank >= 1, got a scalar");
    TESSERA_ASSIGN_OR_RETURN(const int axis, NormalizeAxis(a, x.rank()));
    AxisSplit s{x.shape(), axis, 1, x.dim(axis), 1};
    for (int i = 0; i < x.rank(); ++i) {
      if (i != axis) {
        int64_t& p = i < axis ? s.outer : s.inner;
        p = MultiplyDims(p, x.dim(i));  // -1 on overflow: only for an empty input
      }
    }
    Tensor* out;
    TESSERA_RETURN_IF_ERROR(ctx.allocate_output(0, x.shape(), &out));
    if (out->num_elements() == 0) return Status::OK();
    return math_(ctx, x, s, how_, out);
  }

 private:
  CumsumMath math_;
  CumulativeArgs how_;
};

// SelectV2: the operands not already of the output's shape are broadcast to
// it by a gather (stride 0 along broadcast dims), then an element-wise select.
class SelectV2Op : public OpKernel {
 public:
  SelectV2Op(const Node& node, GatherMath gather, SelectMath select)
      : OpKernel(node), gather_(gather), select_(select) {}
  Status Compute(OpKernelContext& ctx) const override {
    TESSERA_ASSIGN_OR_RETURN(TensorShape shape, OutputShape(ctx));
    Tensor* out;
    TESSERA_RETURN_IF_ERROR(ctx.allocate_output(0, shape, &out));
    if (out->num_elements() == 0) return Status::OK();
    Tensor full[3];
    for (int i = 0; i < 3; ++i) TESSERA_RETURN_IF_ERROR(Broadcast(ctx, ctx.input(i), shape, &full[i]));
    return select_(ctx, full[0], 1, full[1], full[2], out);
  }

 private:
  static StatusOr<TensorShape> OutputShape(OpKernelContext& ctx) {
    int rank = 0;
    for (int i = 0; i < 3; ++i) rank = std::max(rank, ctx.input(i).rank());
    std::vector<int64_t> out(static_cast<size_t>(rank), 1);
    for (int i = 0; i < 3; ++i) {
      const Tensor& t = ctx.input(i);
      for (int d = 0; d < t.rank(); ++d) {
        int64_t& o = out[static_cast<size_t>(rank - t.rank() + d)];
        if (t.dim(d) == 1 || t.dim(d) == o) continue;
        if (o != 1) {
          return InvalidArgumentError("condition " + ctx.input(0).shape().DebugString() + ", then " +
                                      ctx.input(1).shape().DebugString() + ", and else " +
                                      ctx.input(2).shape().DebugString() + " must be broadcastable");
        }
        o = t.dim(d);
      }
    }
    return TensorShape(out);
  }
  // `t` itself when it has `shape`, else a new tensor of `shape` gathered from it.
  Status Broadcast(OpKernelContext& ctx, const Tensor& t, const TensorShape& shape, Tensor* full) const {
    if (t.shape() == shape) {
      *full = t;
      return Status::OK();
    }
    TESSERA_ASSIGN_OR_RETURN(*full, AllocateTensor(ctx.device()->allocator(), t.dtype(), shape));
    const std::vector<int64_t> strides = RowMajorStrides(t.shape());
    GatherArgs args{t, full, shape.dims(), std::vector<int64_t>(static_cast<size_t>(shape.rank()), 0), 0};
    const int lead = shape.rank() - t.rank();
    for (int d = 0; d < t.rank(); ++d) {
      if (t.dim(d) != 1) args.src_strides[static_cast<size_t>(lead + d)] = strides[static_cast<size_t>(d)];
    }
    CollapseGather(args);
    return gather_(ctx, args);
  }

  GatherMath gather_;
  SelectMath select_;
};

// The ops that move elements by the gather math (with a fill for the boxed ones).
Status RegisterGatherKernels(KernelRegistry& r, const BackendKernels& b) {
  const DeviceType dev = b.device_type;
  auto reg = [&](KernelDef def) { return r.Register(std::move(def)); };
  const auto& t = b.gather.types;
  TESSERA_RETURN_IF_ERROR(reg(
      KernelDef("Tile", dev).TypeConstraint("T", t).HostMemory(1).Factory(MakeKernelFactory<TileOp>(b.gather.math))));
  TESSERA_RETURN_IF_ERROR(reg(KernelDef("Split", dev)
                                  .TypeConstraint("T", t)
                                  .HostMemory(0)
                                  .Factory(MakeKernelFactory<SplitOp>(b.gather.math, false))));
  TESSERA_RETURN_IF_ERROR(reg(KernelDef("SplitV", dev)
                                  .TypeConstraint("T", t)
                                  .HostMemory(1)
                                  .HostMemory(2)
                                  .Factory(MakeKernelFactory<SplitOp>(b.gather.math, true))));
  TESSERA_RETURN_IF_ERROR(reg(KernelDef("StridedSlice", dev)
                                  .TypeConstraint("T", t)
                                  .HostMemory(1)
                                  .HostMemory(2)
                                  .HostMemory(3)
                                  .Factory(MakeKernelFactory<StridedSliceOp>(b.gather.math))));
  if (b.fill.math != nullptr) {
    TESSERA_RETURN_IF_ERROR(reg(KernelDef("StridedSliceGrad", dev)
                                    .TypeConstraint("T", t)
                                    .HostMemory(0)
                                    .HostMemory(1)
                                    .HostMemory(2)
                                    .HostMemory(3)
                                    .Factory(MakeKernelFactory<StridedSliceGradOp>(b.gather.math, b.fill.math))));
    TESSERA_RETURN_IF_ERROR(reg(KernelDef("Pad", dev)
                                    .TypeConstraint("T", t)
                                    .HostMemory(1)
                                    .Factory(MakeKernelFactory<PadOp>(b.gather.math, b.fill.math))));
    TESSERA_RETURN_IF_ERROR(reg(KernelDef("PadV2", dev)
                                    .TypeConstraint("T", t)
                                    .HostMemory(1)
                                    .HostMemory(2)
                                    .Factory(MakeKernelFactory<PadOp>(b.gather.math, b.fill.math))));
  }
  if (b.select.math != nullptr) {
    TESSERA_RETURN_IF_ERROR(reg(KernelDef("SelectV2", dev)
                                    .TypeConstraint("T", b.select.types)
                                    .Factory(MakeKernelFactory<SelectV2Op>(b.gather.math, b.select.math))));
  }
  return Status::OK();
}

}  // namespace

Status RegisterLayoutKernels(KernelRegistry& r, const BackendKernels& b) {
  const DeviceType dev = b.device_type;
  auto reg = [&](KernelDef def) { return r.Register(std::move(def)); };
  if (b.gather.math != nullptr) TESSERA_RETURN_IF_ERROR(RegisterGatherKernels(r, b));
  if (b.gather_rows.math != nullptr) {
    TESSERA_RETURN_IF_ERROR(reg(KernelDef("GatherV2", dev)
                                    .TypeConstraint("Tparams", b.gather_rows.types)
                                    .TypeConstraint("Tindices", b.gather_rows_index_types)
                                    .HostMemory(2)
                                    .Factory(MakeKernelFactory<GatherV2Op>(b.gather_rows.math))));
  }
  if (b.one_hot.math != nullptr) {
    TESSERA_RETURN_IF_ERROR(reg(KernelDef("OneHot", dev)
                                    .TypeConstraint("T", b.one_hot.types)
                                    .TypeConstraint("TI", b.one_hot_index_types)
                                    .HostMemory(1)
                                    .HostMemory(2)
                                    .HostMemory(3)
                                    .Factory(MakeKernelFactory<OneHotOp>(b.one_hot.math))));
  }
  if (b.segment_sum.math != nullptr) {
    TESSERA_RETURN_IF_ERROR(reg(KernelDef("UnsortedSegmentSum", dev)
                                    .TypeConstraint("T", b.segment_sum.types)
                                    .TypeConstraint("Tindices", b.segment_sum_index_types)
                                    .HostMemory(2)
                                    .Factory(MakeKernelFactory<UnsortedSegmentSumOp>(b.segment_sum.math))));
  }
  for (const char* op : {"Cumsum", "Cumprod"}) {
    if (b.cumsum.math == nullptr) break;
    TESSERA_RETURN_IF_ERROR(reg(KernelDef(op, dev)
                                    .TypeConstraint("T", b.cumsum.types)
                                    .HostMemory(1)
                                    .Factory(MakeKernelFactory<CumsumOp>(b.cumsum.math))));
  }
  if (dev == DeviceType::kCpu) {
    TESSERA_RETURN_IF_ERROR(
        reg(KernelDef("Where", dev).TypeConstraint("T", AllTypes()).Factory(MakeKernelFactory<WhereOp>())));
  }
  // Range writes its output on the host: every dtype on the CPU; int32 (whose
  // tensors live in host memory) on other devices.
  const std::vector<DataType> range_types =
      dev == DeviceType::kCpu ? NumericTypes() : std::vector<DataType>{DataType::kInt32};
  return reg(KernelDef("Range", dev)
                 .TypeConstraint("Tidx", range_types)
                 .HostMemory(0)
                 .HostMemory(1)
                 .HostMemory(2)
                 .Factory(MakeKernelFactory<RangeOp>()));
}

}  // namespace tessera
