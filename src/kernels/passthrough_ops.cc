// Kernels that never compute, the same on every device: Const, Placeholder,
// Identity, StopGradient, NoOp, Reshape, ExpandDims, Squeeze, VariableV2, and
// Shape, Size, Rank (they read only a shape).
#include "src/framework/tensor_util.h"
#include "src/kernels/backend_kernels.h"
#include "src/kernels/kernel_families.h"
#include "src/runtime/device.h"
#include "src/runtime/resource_mgr.h"

namespace tessera {
namespace {

// The value is placed in the device's memory once, when the kernel is created.
class ConstOp : public OpKernel {
 public:
  ConstOp(const Node& node, Tensor value) : OpKernel(node), value_(std::move(value)) {}
  static StatusOr<std::unique_ptr<OpKernel>> Create(const KernelConstruction& c) {
    const Tensor& host = *c.node.attr<Tensor>("value");
    if (InHostMemory(c.device->allocator()->on_host(), host.dtype())) {
      return std::unique_ptr<OpKernel>(std::make_unique<ConstOp>(c.node, host));
    }
    TESSERA_ASSIGN_OR_RETURN(Tensor on_device, c.device->CopyFrom(host, nullptr, CompletedEvent()));
    return std::unique_ptr<OpKernel>(std::make_unique<ConstOp>(c.node, std::move(on_device)));
  }
  Status Compute(OpKernelContext& ctx) const override {
    ctx.set_output(0, value_);
    return Status::OK();
  }
  bool IsExpensive() const override { return false; }

 private:
  Tensor value_;
};

class PlaceholderOp : public OpKernel {
 public:
  using OpKernel::OpKernel;
  Status Compute(OpKernelContext&) const override {
    const PartialShape* s = node().attr<PartialShape>("shape");
    std::string msg = "You must feed a value for placeholder tensor '" + node().name() + "' with dtype " +
                      std::string(DataTypeString(node().output_type(0)));
    if (s != nullptr && s->known_rank()) msg += " and shape " + s->DebugString();
    return InvalidArgumentError(msg);
  }
  bool IsExpensive() const override { return false; }
};

class IdentityOp : public OpKernel {
 public:
  using OpKernel::OpKernel;
  Status Compute(OpKernelContext& ctx) const override {
    ctx.set_output(0, ctx.input(0));
    return Status::OK();
  }
  bool IsExpensive() const override { return false; }
};

class NoOpOp : public OpKernel {
 public:
  using OpKernel::OpKernel;
  Status Compute(OpKernelContext&) const override { return Status::OK(); }
  bool IsExpensive() const override { return false; }
};

// The shape input, with one -1 resolved against x's element count.
StatusOr<TensorShape> ReshapeTarget(const Tensor& x, const Tensor& s) {
  if (s.rank() != 1) return InvalidArgumentError("shape must be a vector, got " + s.shape().DebugString());
  std::vector<int64_t> dims = IntTensorValues(s);
  int infer = -1;
  int64_t product = 1;
  for (size_t i = 0; i < dims.size(); ++i) {
    if (dims[i] == -1) {
      if (infer >= 0) {
        return InvalidArgumentError("Only one input size may be -1, not both " + std::to_string(infer) + " and " +
                                    std::to_string(i));
      }
      infer = static_cast<int>(i);
    } else if (dims[i] < 0) {
      return InvalidArgumentError("Size " + std::to_string(i) + " must be non-negative, not " +
                                  std::to_string(dims[i]));
    } else {
      product = MultiplyDims(product, dims[i]);
      if (product < 0) {
        return InvalidArgumentError("The requested shape " + TensorShape(dims).DebugString() +
                                    " has more than 2**63 - 1 elements");
      }
    }
  }
  if (infer >= 0) {
    if (product == 0 || x.num_elements() % product != 0) {
      return InvalidArgumentError("Input to reshape is a tensor with " + std::to_string(x.num_elements()) +
                                  " values, but the requested shape requires a multiple of " + std::to_string(product));
    }
    dims[static_cast<size_t>(infer)] = x.num_elements() / product;
  } else if (product != x.num_elements()) {
    return InvalidArgumentError("Input to reshape is a tensor with " + std::to_string(x.num_elements()) +
                                " values, but the requested shape has " + std::to_string(product));
  }
  return TensorShape(dims);
}

class ReshapeOp : public OpKernel {
 public:
  using OpKernel::OpKernel;
  Status Compute(OpKernelContext& ctx) const override {
    TESSERA_ASSIGN_OR_RETURN(TensorShape shape, ReshapeTarget(ctx.input(0), ctx.input(1)));
    TESSERA_ASSIGN_OR_RETURN(Tensor r, ctx.input(0).Reshaped(shape));
    ctx.set_output(0, r);
    return Status::OK();
  }
  bool IsExpensive() const override { return false; }
};

// Hands out the stored value wherever it lives. Uninitialised: no value; a
// consumer that reads it reports the error.
class VariableOp : public OpKernel {
 public:
  explicit VariableOp(const KernelConstruction& c)
      : OpKernel(c.node), var_(c.resources->LookupOrCreate(c.node.name())) {}
  Status Compute(OpKernelContext& ctx) const override {
    std::lock_guard<std::mutex> l(var_->mu);
    if (var_->value.valid()) ctx.set_output(0, var_->value);
    return Status::OK();
  }
  bool IsExpensive() const override { return false; }

 private:
  std::shared_ptr<Var> var_;
};

// ExpandDims: x with a dimension of 1 inserted at `dim` (host memory).
class ExpandDimsOp : public OpKernel {
 public:
  using OpKernel::OpKernel;
  Status Compute(OpKernelContext& ctx) const override {
    const Tensor& x = ctx.input(0);
    const std::vector<int64_t> d = IntTensorValues(ctx.input(1));
    if (d.size() != 1) {
      return InvalidArgumentError("'dim' must be a tensor with a single value, got shape " +
                                  ctx.input(1).shape().DebugString());
    }
    int64_t dim = d[0];
    if (dim < -1 - x.rank() || dim > x.rank()) {
      return InvalidArgumentError("Tried to expand dim index " + std::to_string(dim) + " for tensor with " +
                                  std::to_string(x.rank()) + " dimensions.");
    }
    if (dim < 0) dim += x.rank() + 1;
    std::vector<int64_t> dims = x.shape().dims();
    dims.insert(dims.begin() + dim, 1);
    TESSERA_ASSIGN_OR_RETURN(Tensor r, x.Reshaped(TensorShape(dims)));
    ctx.set_output(0, r);
    return Status::OK();
  }
  bool IsExpensive() const override { return false; }
};

// Squeeze: x without the dimensions of size 1 listed in squeeze_dims (all of them when empty).
class SqueezeOp : public OpKernel {
 public:
  explicit SqueezeOp(const Node& node) : OpKernel(node) {
    if (const auto* v = node.attr<std::vector<int64_t>>("squeeze_dims")) dims_ = *v;
  }
  Status Compute(OpKernelContext& ctx) const override {
    const Tensor& x = ctx.input(0);
    const int rank = x.rank();
    std::vector<bool> drop(static_cast<size_t>(rank), dims_.empty());
    for (int64_t d : dims_) {
      if (d < -rank || d >= rank) {
        return InvalidArgumentError("Tried to squeeze dim index " + std::to_string(d) + " for tensor with " +
                                    std::to_string(rank) + " dimensions.");
      }
      const int i = static_cast<int>(d < 0 ? d + rank : d);
      if (x.dim(i) != 1) {
        return InvalidArgumentError("Can not squeeze dim[" + std::to_string(i) + "], expected a dimension of 1, got " +
                                    std::to_string(x.dim(i)));
      }
      drop[static_cast<size_t>(i)] = true;
    }
    TensorShape out;
    for (int i = 0; i < rank; ++i) {
      if (!(drop[static_cast<size_t>(i)] && x.dim(i) == 1)) out.AddDim(x.dim(i));
    }
    TESSERA_ASSIGN_OR_RETURN(Tensor r, x.Reshaped(out));
    ctx.set_output(0, r);
    return Status::OK();
  }
  bool IsExpensive() const override { return false; }

 private:
  std::vector<int64_t> dims_;
};

// Writes `v` into the int32 or int64 element i of a host tensor.
void SetIndex(Tensor* out, size_t i, int64_t v) {
  if (out->dtype() == DataType::kInt32) {
    out->flat<int32_t>()[i] = static_cast<int32_t>(v);
  } else {
    out->flat<int64_t>()[i] = v;
  }
}

// Size and Rank: scalars read off the input's shape.
class SizeOrRankOp : public OpKernel {
 public:
  SizeOrRankOp(const Node& node, bool size) : OpKernel(node), size_(size) {}
  Status Compute(OpKernelContext& ctx) const override {
    const Tensor& x = ctx.input(0);
    Tensor* out;
    TESSERA_RETURN_IF_ERROR(ctx.allocate_output(0, TensorShape{}, &out));
    const int64_t v = size_ ? x.num_elements() : x.rank();
    if (out->dtype() == DataType::kInt32 && v > INT32_MAX) {
      return InvalidArgumentError("Number of elements (" + std::to_string(v) +
                                  ") does not fit in int32; use out_type int64");
    }
    SetIndex(out, 0, v);
    return Status::OK();
  }
  bool IsExpensive() const override { return false; }

 private:
  bool size_;
};

class ShapeOp : public OpKernel {
 public:
  using OpKernel::OpKernel;
  Status Compute(OpKernelContext& ctx) const override {
    const Tensor& x = ctx.input(0);
    Tensor* out;
    TESSERA_RETURN_IF_ERROR(ctx.allocate_output(0, TensorShape{x.rank()}, &out));
    for (int i = 0; i < x.rank(); ++i) SetIndex(out, static_cast<size_t>(i), x.dim(i));
    return Status::OK();
  }
  bool IsExpensive() const override { return false; }
};

// The reduction axes of each operand of a broadcast (TF's BCast, without
// its dimension folding): identical shapes need none; otherwise, over the
// shapes padded with leading 1s, an axis where both are 1 is reduced for
// both, and an axis where one is 1 and the other is not, for the 1.
class BroadcastGradientArgsOp : public OpKernel {
 public:
  using OpKernel::OpKernel;
  Status Compute(OpKernelContext& ctx) const override {
    const std::vector<int64_t> x = IntTensorValues(ctx.input(0));
    const std::vector<int64_t> y = IntTensorValues(ctx.input(1));
    std::vector<int64_t> rx, ry;
    if (x != y) {
      const size_t n = std::max(x.size(), y.size());
      for (size_t i = 0; i < n; ++i) {
        const int64_t xi = i < n - x.size() ? 1 : x[i - (n - x.size())];
        const int64_t yi = i < n - y.size() ? 1 : y[i - (n - y.size())];
        if (xi == yi) {
          if (xi == 1) {
            rx.push_back(static_cast<int64_t>(i));
            ry.push_back(static_cast<int64_t>(i));
          }
        } else if (xi == 1) {
          rx.push_back(static_cast<int64_t>(i));
        } else if (yi == 1) {
          ry.push_back(static_cast<int64_t>(i));
        } else {
          return InvalidArgumentError("Incompatible shapes: " + TensorShape(x).DebugString() + " vs. " +
                                      TensorShape(y).DebugString());
        }
      }
    }
    for (int k = 0; k < 2; ++k) {
      const std::vector<int64_t>& r = k == 0 ? rx : ry;
      Tensor* out;
      TESSERA_RETURN_IF_ERROR(ctx.allocate_output(k, TensorShape{static_cast<int64_t>(r.size())}, &out));
      for (size_t i = 0; i < r.size(); ++i) SetIndex(out, i, r[i]);
    }
    return Status::OK();
  }
  bool IsExpensive() const override { return false; }
};

}  // namespace

Status RegisterPassthroughKernels(KernelRegistry& r, const BackendKernels& b) {
  const DeviceType dev = b.device_type;
  const std::vector<DataType>& types = b.passthrough_types;
  TESSERA_RETURN_IF_ERROR(
      r.Register(KernelDef("Const", dev).TypeConstraint("dtype", types).Factory(MakeKernelFactory<ConstOp>())));
  TESSERA_RETURN_IF_ERROR(r.Register(
      KernelDef("Placeholder", dev).TypeConstraint("dtype", types).Factory(MakeKernelFactory<PlaceholderOp>())));
  for (const char* op : {"Identity", "StopGradient"}) {
    TESSERA_RETURN_IF_ERROR(
        r.Register(KernelDef(op, dev).TypeConstraint("T", types).Factory(MakeKernelFactory<IdentityOp>())));
  }
  TESSERA_RETURN_IF_ERROR(r.Register(KernelDef("PlaceholderWithDefault", dev)
                                         .TypeConstraint("dtype", types)
                                         .Factory(MakeKernelFactory<IdentityOp>())));
  TESSERA_RETURN_IF_ERROR(r.Register(KernelDef("ExpandDims", dev)
                                         .TypeConstraint("T", types)
                                         .HostMemory(1)
                                         .Factory(MakeKernelFactory<ExpandDimsOp>())));
  TESSERA_RETURN_IF_ERROR(
      r.Register(KernelDef("Squeeze", dev).TypeConstraint("T", types).Factory(MakeKernelFactory<SqueezeOp>())));
  TESSERA_RETURN_IF_ERROR(r.Register(KernelDef("NoOp", dev).Factory(MakeKernelFactory<NoOpOp>())));
  TESSERA_RETURN_IF_ERROR(r.Register(
      KernelDef("Reshape", dev).TypeConstraint("T", types).HostMemory(1).Factory(MakeKernelFactory<ReshapeOp>())));
  TESSERA_RETURN_IF_ERROR(r.Register(
      KernelDef("VariableV2", dev).TypeConstraint("dtype", b.variable_types).Factory(MakeKernelFactory<VariableOp>())));
  if (b.shape) {
    TESSERA_RETURN_IF_ERROR(
        r.Register(KernelDef("Shape", dev).TypeConstraint("T", types).Factory(MakeKernelFactory<ShapeOp>())));
    // On the host, from host shapes: int32 on every device (int32 lives on the host), int64 on the CPU.
    std::vector<DataType> index_types = {DataType::kInt32};
    if (dev == DeviceType::kCpu) index_types.push_back(DataType::kInt64);
    TESSERA_RETURN_IF_ERROR(r.Register(KernelDef("BroadcastGradientArgs", dev)
                                           .TypeConstraint("T", index_types)
                                           .Factory(MakeKernelFactory<BroadcastGradientArgsOp>())));
    for (bool size : {true, false}) {
      TESSERA_RETURN_IF_ERROR(r.Register(KernelDef(size ? "Size" : "Rank", dev)
                                             .TypeConstraint("T", types)
                                             .Factory(MakeKernelFactory<SizeOrRankOp>(size))));
    }
  }
  return Status::OK();
}

}  // namespace tessera
