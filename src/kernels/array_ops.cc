// The host halves of the layout kernels: Transpose, Slice, ConcatV2, Pack,
// Unpack, Fill, ZerosLike, OnesLike, Select. They move bytes, so one kernel serves every dtype.
#include "src/framework/dtype_switch.h"
#include "src/framework/tensor_util.h"
#include "src/kernels/kernel_families.h"
#include "src/kernels/layout.h"

namespace tessera {

std::vector<int64_t> RowMajorStrides(const TensorShape& shape) {
  if (shape.num_elements() == 0) return std::vector<int64_t>(static_cast<size_t>(shape.rank()), 0);
  std::vector<int64_t> s(static_cast<size_t>(shape.rank()), 1);
  for (int i = shape.rank() - 2; i >= 0; --i)
    s[static_cast<size_t>(i)] = s[static_cast<size_t>(i) + 1] * shape.dim(i + 1);
  return s;
}

void CollapseGather(GatherArgs& a) {
  const bool boxed = !a.dst_strides.empty();
  std::vector<int64_t> dims, src, dst;
  for (size_t d = 0; d < a.dims.size(); ++d) {
    if (a.dims[d] == 1) continue;
    if (!dims.empty() && src.back() == a.src_strides[d] * a.dims[d] &&
        (!boxed || dst.back() == a.dst_strides[d] * a.dims[d])) {
      dims.back() *= a.dims[d];
      src.back() = a.src_strides[d];
      if (boxed) dst.back() = a.dst_strides[d];
      continue;
    }
    dims.push_back(a.dims[d]);
    src.push_back(a.src_strides[d]);
    if (boxed) dst.push_back(a.dst_strides[d]);
  }
  if (dims.empty()) {
    dims = {1};
    src = {0};
    if (boxed) dst = {0};
  }
  a.dims = std::move(dims);
  a.src_strides = std::move(src);
  a.dst_strides = std::move(dst);
}

Status RunGather(OpKernelContext& ctx, GatherMath math, const TensorShape& out_shape, GatherArgs& args, int output) {
  TESSERA_RETURN_IF_ERROR(ctx.allocate_output(output, out_shape, &args.out));
  if (args.out->num_elements() == 0) return Status::OK();
  CollapseGather(args);
  return math(ctx, args);
}

StatusOr<int> NormalizeAxis(int64_t axis, int rank) {
  if (axis < -rank || axis >= rank) {
    return InvalidArgumentError("axis = " + std::to_string(axis) + " not in [" + std::to_string(-rank) + ", " +
                                std::to_string(rank) + ")");
  }
  return static_cast<int>(axis < 0 ? axis + rank : axis);
}

namespace {

// Allocates ConcatV2's output along the scalar `axis` and runs the concat unless it is empty.
Status RunConcat(OpKernelContext& ctx, ConcatMath math, const std::vector<const Tensor*>& values, const Tensor& axis) {
  TESSERA_ASSIGN_OR_RETURN(ConcatGeometry g, ConcatGeometryOf(values, axis));
  Tensor* out;
  TESSERA_RETURN_IF_ERROR(ctx.allocate_output(0, g.out, &out));
  if (out->num_elements() == 0) return Status::OK();
  return math(ctx, values, g, out);
}

class TransposeOp : public OpKernel {
 public:
  TransposeOp(const Node& node, GatherMath math) : OpKernel(node), math_(math) {}
  Status Compute(OpKernelContext& ctx) const override {
    const Tensor& x = ctx.input(0);
    const std::vector<int64_t> perm = IntTensorValues(ctx.input(1));
    const int rank = x.rank();
    if (static_cast<int>(perm.size()) != rank) {
      return InvalidArgumentError("transpose expects a vector of size " + std::to_string(rank) +
                                  ". But input(1) is a vector of size " + std::to_string(perm.size()));
    }
    const std::vector<int64_t> in_strides = RowMajorStrides(x.shape());
    std::vector<bool> seen(static_cast<size_t>(rank), false);
    GatherArgs args{x, nullptr, {}, {}, 0};
    TensorShape out_shape;
    for (int64_t p : perm) {
      if (p < 0 || p >= rank || seen[static_cast<size_t>(p)]) {
        return InvalidArgumentError("Invalid permutation " + TensorShape(perm).DebugString() +
                                    " for a tensor of rank " + std::to_string(rank) + " (each of 0.." +
                                    std::to_string(rank - 1) + " must appear once)");
      }
      seen[static_cast<size_t>(p)] = true;
      out_shape.AddDim(x.dim(static_cast<int>(p)));
      args.dims.push_back(x.dim(static_cast<int>(p)));
      args.src_strides.push_back(in_strides[static_cast<size_t>(p)]);
    }
    return RunGather(ctx, math_, out_shape, args);
  }

 private:
  GatherMath math_;
};

class SliceOp : public OpKernel {
 public:
  SliceOp(const Node& node, GatherMath math) : OpKernel(node), math_(math) {}
  Status Compute(OpKernelContext& ctx) const override {
    const Tensor& x = ctx.input(0);
    TESSERA_ASSIGN_OR_RETURN(SliceGeometry g, SliceGeometryOf(x.shape(), ctx.input(1), ctx.input(2)));
    GatherArgs args{x, nullptr, g.size, RowMajorStrides(x.shape()), 0};
    for (size_t i = 0; i < g.begin.size(); ++i) args.base += g.begin[i] * args.src_strides[i];
    return RunGather(ctx, math_, g.out, args);
  }

 private:
  GatherMath math_;
};

class ConcatOp : public OpKernel {
 public:
  ConcatOp(const Node& node, ConcatMath math) : OpKernel(node), math_(math) {}
  Status Compute(OpKernelContext& ctx) const override {
    const int n = ctx.num_inputs() - 1;
    std::vector<const Tensor*> values;
    for (int i = 0; i < n; ++i) values.push_back(&ctx.input(i));
    return RunConcat(ctx, math_, values, ctx.input(n));
  }

 private:
  ConcatMath math_;
};

// Pack: the values, each viewed with a dimension of 1 at `axis`, concatenated along it.
class PackOp : public OpKernel {
 public:
  PackOp(const Node& node, ConcatMath math) : OpKernel(node), math_(math), axis_(*node.attr<int64_t>("axis")) {}
  Status Compute(OpKernelContext& ctx) const override {
    const TensorShape& first = ctx.input(0).shape();
    TESSERA_ASSIGN_OR_RETURN(const int axis, NormalizeAxis(axis_, first.rank() + 1));
    std::vector<int64_t> dims = first.dims();
    dims.insert(dims.begin() + axis, 1);
    std::vector<Tensor> views;
    for (int i = 0; i < ctx.num_inputs(); ++i) {
      const Tensor& v = ctx.input(i);
      if (v.shape() != first) {
        return InvalidArgumentError("Shapes of all inputs must match: values[0].shape = " + first.DebugString() +
                                    " != values[" + std::to_string(i) + "].shape = " + v.shape().DebugString());
      }
      TESSERA_ASSIGN_OR_RETURN(Tensor view, v.Reshaped(TensorShape(dims)));
      views.push_back(std::move(view));
    }
    std::vector<const Tensor*> values;
    for (const Tensor& v : views) values.push_back(&v);
    return RunConcat(ctx, math_, values, Tensor::Scalar<int64_t>(axis));
  }

 private:
  ConcatMath math_;
  int64_t axis_;
};

// Unpack: output i is the slice i of the input along `axis`.
class UnpackOp : public OpKernel {
 public:
  UnpackOp(const Node& node, GatherMath math) : OpKernel(node), math_(math), axis_(*node.attr<int64_t>("axis")) {}
  Status Compute(OpKernelContext& ctx) const override {
    const Tensor& x = ctx.input(0);
    TESSERA_ASSIGN_OR_RETURN(const int axis, NormalizeAxis(axis_, x.rank()));
    if (x.dim(axis) != ctx.num_outputs()) {
      return InvalidArgumentError("Input shape axis " + std::to_string(axis) + " must equal " +
                                  std::to_string(ctx.num_outputs()) + ", got shape " + x.shape().DebugString());
    }
    std::vector<int64_t> dims = x.shape().dims(), strides = RowMajorStrides(x.shape());
    const int64_t step = strides[static_cast<size_t>(axis)];
    dims.erase(dims.begin() + axis);
    strides.erase(strides.begin() + axis);
    for (int i = 0; i < ctx.num_outputs(); ++i) {
      GatherArgs args{x, nullptr, dims, strides, i * step};
      TESSERA_RETURN_IF_ERROR(RunGather(ctx, math_, TensorShape(dims), args, i));
    }
    return Status::OK();
  }

 private:
  GatherMath math_;
  int64_t axis_;
};

class FillOp : public OpKernel {
 public:
  FillOp(const Node& node, FillMath math) : OpKernel(node), math_(math) {}
  Status Compute(OpKernelContext& ctx) const override {
    const Tensor& dims = ctx.input(0);
    const Tensor& value = ctx.input(1);  // host memory
    if (dims.rank() != 1) return InvalidArgumentError("dims must be a vector, got " + dims.shape().DebugString());
    if (value.rank() != 0) return InvalidArgumentError("value must be a scalar, got " + value.shape().DebugString());
    TESSERA_ASSIGN_OR_RETURN(TensorShape shape, TensorShape::Make(IntTensorValues(dims)));
    Tensor* out;
    TESSERA_RETURN_IF_ERROR(ctx.allocate_output(0, shape, &out));
    if (out->num_elements() == 0) return Status::OK();
    return math_(ctx, value.raw_data(), out);
  }

 private:
  FillMath math_;
};

// ZerosLike and OnesLike.
class ConstantLikeOp : public OpKernel {
 public:
  ConstantLikeOp(const Node& node, FillMath math, bool ones) : OpKernel(node), math_(math), ones_(ones) {}
  Status Compute(OpKernelContext& ctx) const override {
    const Tensor& x = ctx.input(0);
    Tensor* out;
    TESSERA_RETURN_IF_ERROR(ctx.allocate_output(0, x.shape(), &out));
    if (out->num_elements() == 0) return Status::OK();
    Tensor value;
    TESSERA_RETURN_IF_ERROR(
        SwitchAllTypes(x.dtype(), [&]<typename T>() { value = Tensor::Scalar<T>(ones_ ? T(1) : T(0)); }));
    return math_(ctx, value.raw_data(), out);
  }
  bool IsExpensive() const override { return false; }

 private:
  FillMath math_;
  bool ones_;
};

class SelectOp : public OpKernel {
 public:
  SelectOp(const Node& node, SelectMath math) : OpKernel(node), math_(math) {}
  Status Compute(OpKernelContext& ctx) const override {
    const Tensor& c = ctx.input(0);
    const Tensor& t = ctx.input(1);
    const Tensor& e = ctx.input(2);
    TESSERA_ASSIGN_OR_RETURN(int64_t inner, SelectGeometry(c.shape(), t.shape(), e.shape()));
    Tensor* out;
    TESSERA_RETURN_IF_ERROR(ctx.allocate_output(0, t.shape(), &out));
    if (out->num_elements() == 0) return Status::OK();
    return math_(ctx, c, inner, t, e, out);
  }

 private:
  SelectMath math_;
};

}  // namespace

Status RegisterArrayKernels(KernelRegistry& r, const BackendKernels& b) {
  const DeviceType dev = b.device_type;
  if (b.gather.math != nullptr) {
    TESSERA_RETURN_IF_ERROR(r.Register(KernelDef("Transpose", dev)
                                           .TypeConstraint("T", b.gather.types)
                                           .HostMemory(1)
                                           .Factory(MakeKernelFactory<TransposeOp>(b.gather.math))));
    TESSERA_RETURN_IF_ERROR(r.Register(KernelDef("Slice", dev)
                                           .TypeConstraint("T", b.gather.types)
                                           .HostMemory(1)
                                           .HostMemory(2)
                                           .Factory(MakeKernelFactory<SliceOp>(b.gather.math))));
  }
  if (b.concat.math != nullptr) {
    TESSERA_RETURN_IF_ERROR(r.Register(KernelDef("ConcatV2", dev)
                                           .TypeConstraint("T", b.concat.types)
                                           .HostMemory(-1)
                                           .Factory(MakeKernelFactory<ConcatOp>(b.concat.math))));
    TESSERA_RETURN_IF_ERROR(r.Register(
        KernelDef("Pack", dev).TypeConstraint("T", b.concat.types).Factory(MakeKernelFactory<PackOp>(b.concat.math))));
  }
  if (b.gather.math != nullptr) {
    TESSERA_RETURN_IF_ERROR(r.Register(KernelDef("Unpack", dev)
                                           .TypeConstraint("T", b.gather.types)
                                           .Factory(MakeKernelFactory<UnpackOp>(b.gather.math))));
  }
  if (b.fill.math != nullptr) {
    TESSERA_RETURN_IF_ERROR(r.Register(KernelDef("Fill", dev)
                                           .TypeConstraint("T", b.fill.types)
                                           .TypeConstraint("index_type", IndexTypes())
                                           .HostMemory(0)
                                           .HostMemory(1)
                                           .Factory(MakeKernelFactory<FillOp>(b.fill.math))));
    TESSERA_RETURN_IF_ERROR(r.Register(KernelDef("ZerosLike", dev)
                                           .TypeConstraint("T", b.fill.types)
                                           .Factory(MakeKernelFactory<ConstantLikeOp>(b.fill.math, false))));
    TESSERA_RETURN_IF_ERROR(r.Register(KernelDef("OnesLike", dev)
                                           .TypeConstraint("T", b.fill.types)
                                           .Factory(MakeKernelFactory<ConstantLikeOp>(b.fill.math, true))));
  }
  if (b.select.math != nullptr) {
    TESSERA_RETURN_IF_ERROR(r.Register(KernelDef("Select", dev)
                                           .TypeConstraint("T", b.select.types)
                                           .Factory(MakeKernelFactory<SelectOp>(b.select.math))));
  }
  return Status::OK();
}

}  // namespace tessera
