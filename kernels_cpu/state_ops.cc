// Variable kernels on the CPU: VariableV2, Assign, AssignAdd, AssignSub.
//
// The value lives in the session's ResourceMgr. Assign* replace the value
// with a new buffer under the variable's mutex (copy-on-write), so a tensor
// read earlier in a run is never changed underneath its readers.
#include "kernels_cpu/cpu_kernel_util.h"
#include <cstring>

#include "src/runtime/device.h"
#include "src/runtime/resource_mgr.h"

namespace tessera {
namespace {

class VariableKernel : public OpKernel {
 public:
  VariableKernel(const Node& node, std::shared_ptr<Var> var) : OpKernel(node), var_(std::move(var)) {}
  Status Compute(OpKernelContext& ctx) const override {
    std::lock_guard<std::mutex> l(var_->mu);
    // Uninitialised: no value; a consumer that reads it reports the error.
    if (var_->value.valid()) ctx.set_output(0, var_->value);
    return Status::OK();
  }
  bool IsExpensive() const override { return false; }

 private:
  std::shared_ptr<Var> var_;
};

enum class AssignMode { kAssign, kAdd, kSub };

template <typename T>
void Accumulate(const Tensor& old_value, const Tensor& delta, AssignMode mode, Tensor* out) {
  const T* a = old_value.flat<T>().data();
  const T* d = delta.flat<T>().data();
  T* o = out->flat<T>().data();
  for (int64_t i = 0; i < out->num_elements(); ++i) o[i] = mode == AssignMode::kAdd ? a[i] + d[i] : a[i] - d[i];
}

class AssignKernel : public OpKernel {
 public:
  AssignKernel(const Node& node, std::shared_ptr<Var> var, AssignMode mode)
      : OpKernel(node), var_(std::move(var)), mode_(mode), var_name_(node.inputs()[0].node()->name()) {
    if (const bool* v = node.attr<bool>("validate_shape")) validate_shape_ = *v;
  }

  Status Compute(OpKernelContext& ctx) const override {
    const Tensor& value = ctx.input(1);
    std::lock_guard<std::mutex> l(var_->mu);
    if (mode_ == AssignMode::kAssign) {
      if (validate_shape_ && var_->value.valid() && !(var_->value.shape() == value.shape())) {
        return InvalidArgumentError("Assign requires shapes of both tensors to match. lhs shape= " +
                                    var_->value.shape().DebugString() + " rhs shape= " + value.shape().DebugString());
      }
      const PartialShape* declared = ctx.node().inputs()[0].node()->attr<PartialShape>("shape");
      if (validate_shape_ && declared != nullptr && !declared->IsCompatibleWith(value.shape())) {
        return InvalidArgumentError("Assign requires shapes of both tensors to match. lhs shape= " +
                                    declared->DebugString() + " rhs shape= " + value.shape().DebugString());
      }
      TF_ASSIGN_OR_RETURN(Tensor copy, AllocateTensor(ctx.device()->allocator(), value.dtype(), value.shape()));
      if (value.bytes() > 0) std::memcpy(copy.raw_data(), value.raw_data(), value.bytes());
      var_->value = copy;
    } else {
      if (!var_->value.valid()) {
        return FailedPreconditionError("Attempting to use uninitialized value " + var_name_);
      }
      if (!(var_->value.shape() == value.shape())) {
        return InvalidArgumentError("Cannot update variable with shape " + var_->value.shape().DebugString() +
                                    " using a Tensor with shape " + value.shape().DebugString() +
                                    ", shapes must be equal.");
      }
      TF_ASSIGN_OR_RETURN(Tensor next, AllocateTensor(ctx.device()->allocator(), value.dtype(), value.shape()));
      TF_RETURN_IF_ERROR(SwitchNumericTypes(value.dtype(), [&]<typename T>() {
        Accumulate<T>(var_->value, value, mode_, &next);
      }));
      var_->value = next;
    }
    ctx.set_output(0, var_->value);
    return Status::OK();
  }
  bool IsExpensive() const override { return false; }

 private:
  std::shared_ptr<Var> var_;
  AssignMode mode_;
  std::string var_name_;
  bool validate_shape_ = true;
};

KernelFactory AssignFactory(AssignMode mode) {
  return [mode](const KernelConstruction& c) -> StatusOr<std::unique_ptr<OpKernel>> {
    const Node* var = c.node.inputs()[0].node();
    return std::unique_ptr<OpKernel>(std::make_unique<AssignKernel>(c.node, c.resources->LookupOrCreate(var->name()), mode));
  };
}

}  // namespace

void RegisterVariableKernel(KernelRegistry& r, const char* device_type, const std::vector<DataType>& types) {
  r.Register({"VariableV2", device_type, {{"dtype", types}},
              [](const KernelConstruction& c) -> StatusOr<std::unique_ptr<OpKernel>> {
                return std::unique_ptr<OpKernel>(
                    std::make_unique<VariableKernel>(c.node, c.resources->LookupOrCreate(c.node.name())));
              }});
}

void RegisterCpuStateKernels(KernelRegistry& r) {
  RegisterVariableKernel(r, "CPU", AllTypes());
  r.Register({"Assign", "CPU", {{"T", AllTypes()}}, AssignFactory(AssignMode::kAssign)});
  r.Register({"AssignAdd", "CPU", {{"T", NumericTypes()}}, AssignFactory(AssignMode::kAdd)});
  r.Register({"AssignSub", "CPU", {{"T", NumericTypes()}}, AssignFactory(AssignMode::kSub)});
}

}  // namespace tessera
