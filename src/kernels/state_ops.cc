// The host halves of Assign, AssignAdd, AssignSub, IsVariableInitialized and
// InitializedValue.
//
// The value lives in the session's ResourceMgr. Each of them replaces the
// value with a new buffer under the variable's mutex (copy-on-write), so a
// tensor read earlier in a run is never changed underneath its readers.
#include <algorithm>

#include "src/kernels/kernel_families.h"
#include "src/runtime/device.h"
#include "src/runtime/resource_mgr.h"

namespace tessera {
namespace {

class AssignOpKernel : public OpKernel {
 public:
  AssignOpKernel(const KernelConstruction& c, AssignOp op, AssignMath math)
      : OpKernel(c.node),
        op_(op),
        math_(math),
        var_node_(*c.node.inputs()[0].node()),
        var_(c.resources->LookupOrCreate(var_node_.name())) {
    if (const bool* v = c.node.attr<bool>("validate_shape")) validate_shape_ = *v;
  }

  Status Compute(OpKernelContext& ctx) const override {
    const Tensor& value = ctx.input(1);
    std::lock_guard<std::mutex> l(var_->mu);
    TESSERA_RETURN_IF_ERROR(op_ == AssignOp::kAssign ? CheckAssign(value) : CheckUpdate(value));
    TESSERA_ASSIGN_OR_RETURN(Tensor next, AllocateTensor(ctx.device()->allocator(), value.dtype(), value.shape()));
    if (value.num_elements() > 0) TESSERA_RETURN_IF_ERROR(math_(ctx, op_, var_->value, value, &next));
    var_->value = next;
    ctx.set_output(0, next);
    return Status::OK();
  }
  bool IsExpensive() const override { return false; }

 private:
  // Assign: with validate_shape, the value must match the current value and
  // the variable's declared shape.
  Status CheckAssign(const Tensor& value) const {
    if (!validate_shape_) return Status::OK();
    if (var_->value.valid() && !(var_->value.shape() == value.shape())) {
      return InvalidArgumentError("Assign requires shapes of both tensors to match. lhs shape= " +
                                  var_->value.shape().DebugString() + " rhs shape= " + value.shape().DebugString());
    }
    const PartialShape* declared = var_node_.attr<PartialShape>("shape");
    if (declared != nullptr && !declared->IsCompatibleWith(value.shape())) {
      return InvalidArgumentError("Assign requires shapes of both tensors to match. lhs shape= " +
                                  declared->DebugString() + " rhs shape= " + value.shape().DebugString());
    }
    return Status::OK();
  }
  // AssignAdd/AssignSub: the variable must hold a value of the same shape.
  Status CheckUpdate(const Tensor& value) const {
    if (!var_->value.valid())
      return FailedPreconditionError("Attempting to use uninitialized value " + var_node_.name());
    if (!(var_->value.shape() == value.shape())) {
      return InvalidArgumentError("Cannot update variable with shape " + var_->value.shape().DebugString() +
                                  " using a Tensor with shape " + value.shape().DebugString() +
                                  ", shapes must be equal.");
    }
    return Status::OK();
  }

  AssignOp op_;
  AssignMath math_;
  const Node& var_node_;
  std::shared_ptr<Var> var_;
  bool validate_shape_ = true;
};

// IsVariableInitialized: a bool scalar, written by the backend's fill.
class IsVariableInitializedOp : public OpKernel {
 public:
  IsVariableInitializedOp(const KernelConstruction& c, FillMath fill)
      : OpKernel(c.node), fill_(fill), var_(c.resources->LookupOrCreate(c.node.inputs()[0].node()->name())) {}
  Status Compute(OpKernelContext& ctx) const override {
    bool initialized;
    {
      std::lock_guard<std::mutex> l(var_->mu);
      initialized = var_->value.valid();
    }
    Tensor* out;
    TESSERA_RETURN_IF_ERROR(ctx.allocate_output(0, TensorShape{}, &out));
    return fill_(ctx, &initialized, out);
  }
  bool IsExpensive() const override { return false; }

 private:
  FillMath fill_;
  std::shared_ptr<Var> var_;
};

// InitializedValue: the variable's value when it has one, else input 1 (its
// initial value). tessera's stand-in for TF's
// cond(is_variable_initialized(v), v.read_value, v.initial_value).
class InitializedValueOp : public OpKernel {
 public:
  explicit InitializedValueOp(const KernelConstruction& c)
      : OpKernel(c.node), var_(c.resources->LookupOrCreate(c.node.inputs()[0].node()->name())) {}
  Status Compute(OpKernelContext& ctx) const override {
    Tensor value;
    {
      std::lock_guard<std::mutex> l(var_->mu);
      value = var_->value;
    }
    ctx.set_output(0, value.valid() ? value : ctx.input(1));
    return Status::OK();
  }
  bool IsExpensive() const override { return false; }

 private:
  std::shared_ptr<Var> var_;
};

}  // namespace

Status RegisterStateKernels(KernelRegistry& r, const BackendKernels& b) {
  TESSERA_RETURN_IF_ERROR(RegisterEachKind<AssignOp>(r, b.assign, [&](AssignOp op, const MathEntry<AssignMath>& e) {
    return KernelDef(AssignOpName(op), b.device_type)
        .TypeConstraint("T", e.types)
        .Factory(MakeKernelFactory<AssignOpKernel>(op, e.math));
  }));
  const bool fills_bool = std::find(b.fill.types.begin(), b.fill.types.end(), DataType::kBool) != b.fill.types.end();
  if (b.fill.math != nullptr && fills_bool) {
    TESSERA_RETURN_IF_ERROR(r.Register(KernelDef("IsVariableInitialized", b.device_type)
                                           .TypeConstraint("dtype", b.variable_types)
                                           .Factory(MakeKernelFactory<IsVariableInitializedOp>(b.fill.math))));
  }
  return r.Register(KernelDef("InitializedValue", b.device_type)
                        .TypeConstraint("T", b.variable_types)
                        .Factory(MakeKernelFactory<InitializedValueOp>()));
}

}  // namespace tessera
