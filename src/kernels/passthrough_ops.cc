// Kernels that never compute, the same on every device: Const, Placeholder,
// Identity, NoOp, Reshape, VariableV2, and Shape (it reads only a shape).
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

class ShapeOp : public OpKernel {
 public:
  using OpKernel::OpKernel;
  Status Compute(OpKernelContext& ctx) const override {
    const Tensor& x = ctx.input(0);
    Tensor* out;
    TESSERA_RETURN_IF_ERROR(ctx.allocate_output(0, TensorShape{x.rank()}, &out));
    for (int i = 0; i < x.rank(); ++i) {
      const size_t iu = static_cast<size_t>(i);
      if (out->dtype() == DataType::kInt32) {
        out->flat<int32_t>()[iu] = static_cast<int32_t>(x.dim(i));
      } else {
        out->flat<int64_t>()[iu] = x.dim(i);
      }
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
  TESSERA_RETURN_IF_ERROR(
      r.Register(KernelDef("Identity", dev).TypeConstraint("T", types).Factory(MakeKernelFactory<IdentityOp>())));
  TESSERA_RETURN_IF_ERROR(r.Register(KernelDef("NoOp", dev).Factory(MakeKernelFactory<NoOpOp>())));
  TESSERA_RETURN_IF_ERROR(r.Register(
      KernelDef("Reshape", dev).TypeConstraint("T", types).HostMemory(1).Factory(MakeKernelFactory<ReshapeOp>())));
  TESSERA_RETURN_IF_ERROR(r.Register(
      KernelDef("VariableV2", dev).TypeConstraint("dtype", b.variable_types).Factory(MakeKernelFactory<VariableOp>())));
  if (b.shape) {
    TESSERA_RETURN_IF_ERROR(
        r.Register(KernelDef("Shape", dev).TypeConstraint("T", types).Factory(MakeKernelFactory<ShapeOp>())));
  }
  return Status::OK();
}

}  // namespace tessera
