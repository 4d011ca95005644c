// The host halves of the optimizers' fused updates: ApplyGradientDescent,
// ApplyMomentum, ApplyAdam and ApplyRMSProp.
//
// The variable and its slots come in by reference (TF's Ref inputs) and live
// in the session's ResourceMgr. Under their mutexes (taken in one global
// order) the kernel checks TF's conditions and updates each value in place
// when nothing but the variable (and this kernel's own ref inputs) holds its
// buffer; otherwise it updates a copy and installs it (copy-on-write, as
// Assign), so a tensor a reader still holds never changes underneath it.
#include <algorithm>

#include "src/kernels/kernel_families.h"
#include "src/runtime/device.h"
#include "src/runtime/resource_mgr.h"

namespace tessera {
namespace {

struct ApplySpec {
  const char* op;
  int slots;                        // ref inputs after the variable
  std::vector<const char*> inputs;  // every input's TF name, for messages
};

const ApplySpec& Spec(ApplyOp op) {
  static const ApplySpec kSpecs[] = {
      {"ApplyGradientDescent", 0, {"var", "alpha", "delta"}},
      {"ApplyMomentum", 1, {"var", "accum", "lr", "grad", "momentum"}},
      {"ApplyAdam", 2, {"var", "m", "v", "beta1_power", "beta2_power", "lr", "beta1", "beta2", "epsilon", "grad"}},
      {"ApplyRMSProp", 2, {"var", "ms", "mom", "lr", "rho", "momentum", "epsilon", "grad"}},
  };
  static_assert(std::size(kSpecs) == kNumApplyOps);
  return kSpecs[static_cast<int>(op)];
}

// The input holding the gradient: last for every op but Momentum (whose
// momentum comes after it, as in TF).
int GradInput(ApplyOp op) {
  const ApplySpec& s = Spec(op);
  return op == ApplyOp::kMomentum ? 3 : static_cast<int>(s.inputs.size()) - 1;
}

class ApplyKernel : public OpKernel {
 public:
  ApplyKernel(const KernelConstruction& c, ApplyOp op, ApplyMath math, AssignMath copy)
      : OpKernel(c.node), op_(op), math_(math), copy_(copy) {
    const ApplySpec& s = Spec(op);
    for (int i = 0; i <= s.slots; ++i) {
      const Node& v = *c.node.inputs()[static_cast<size_t>(i)].node();
      var_names_.push_back(v.name());
      vars_.push_back(c.resources->LookupOrCreate(v.name()));
    }
    if (const bool* n = c.node.attr<bool>("use_nesterov")) nesterov_ = *n;
  }

  Status Compute(OpKernelContext& ctx) const override {
    ApplyArgs args{op_};
    args.nesterov = nesterov_;
    args.grad = &ctx.input(GradInput(op_));
    TESSERA_RETURN_IF_ERROR(CheckScalars(ctx, &args));
    // One global order (by address) for the mutexes of several variables.
    std::vector<Var*> order;
    for (const auto& v : vars_) order.push_back(v.get());
    std::sort(order.begin(), order.end());
    order.erase(std::unique(order.begin(), order.end()), order.end());
    std::vector<std::unique_lock<std::mutex>> locks;
    for (Var* v : order) locks.emplace_back(v->mu);
    std::array<Tensor, 3> next;
    TESSERA_RETURN_IF_ERROR(CheckValues(*args.grad));
    for (size_t i = 0; i < vars_.size(); ++i) {
      TESSERA_ASSIGN_OR_RETURN(next[i], Private(ctx, static_cast<int>(i)));
      args.vars[i] = &next[i];
    }
    if (args.grad->num_elements() > 0) TESSERA_RETURN_IF_ERROR(math_(ctx, args));
    for (size_t i = 0; i < vars_.size(); ++i) vars_[i]->value = next[i];
    ctx.set_output(0, next[0]);
    return Status::OK();
  }
  bool IsExpensive() const override { return false; }

 private:
  // Variable i's value when only the variable and this kernel's ref inputs
  // hold its buffer (no reader can see an in-place update), else a copy.
  StatusOr<Tensor> Private(OpKernelContext& ctx, int i) const {
    const Tensor& cur = vars_[static_cast<size_t>(i)]->value;
    const std::shared_ptr<Buffer>& b = cur.buffer();
    long holders = 1;
    for (size_t k = 0; k < vars_.size(); ++k) holders += ctx.input(static_cast<int>(k)).buffer() == b ? 1 : 0;
    if (b != nullptr && b.use_count() == holders && b->allocator() == ctx.device()->allocator()) return cur;
    TESSERA_ASSIGN_OR_RETURN(Tensor copy, AllocateTensor(ctx.device()->allocator(), cur.dtype(), cur.shape()));
    if (cur.num_elements() > 0) TESSERA_RETURN_IF_ERROR(copy_(ctx, AssignOp::kAssign, Tensor(), cur, &copy));
    return copy;
  }

  Status CheckScalars(const OpKernelContext& ctx, ApplyArgs* args) const {
    const ApplySpec& s = Spec(op_);
    for (int i = s.slots + 1; i < static_cast<int>(s.inputs.size()); ++i) {
      if (i == GradInput(op_)) continue;
      const Tensor& t = ctx.input(i);
      if (t.rank() != 0) {
        return InvalidArgumentError(std::string(s.inputs[static_cast<size_t>(i)]) +
                                    " is not a scalar: " + t.shape().DebugString());
      }
      args->scalars.push_back(&t);
    }
    return Status::OK();
  }
  // Under the locks: every variable initialized and of the gradient's shape.
  Status CheckValues(const Tensor& grad) const {
    const ApplySpec& s = Spec(op_);
    for (size_t i = 0; i < vars_.size(); ++i) {
      if (!vars_[i]->value.valid())
        return FailedPreconditionError("Attempting to use uninitialized value " + var_names_[i]);
    }
    const Tensor& var = vars_[0]->value;
    for (size_t i = 1; i < vars_.size(); ++i) {
      for (size_t j = 0; j < i; ++j) {
        if (vars_[i] == vars_[j]) {
          return InvalidArgumentError(std::string(s.inputs[j]) + " and " + s.inputs[i] +
                                      " must be different variables, both are " + var_names_[i]);
        }
      }

      if (vars_[i]->value.shape() != var.shape()) {
        return InvalidArgumentError("var and " + std::string(s.inputs[i]) + " do not have the same shape" +
                                    var.shape().DebugString() + " " + vars_[i]->value.shape().DebugString());
      }
    }
    if (grad.shape() != var.shape()) {
      return InvalidArgumentError("var and " + std::string(op_ == ApplyOp::kGradientDescent ? "delta" : "grad") +
                                  " do not have the same shape" + var.shape().DebugString() + " " +
                                  grad.shape().DebugString());
    }
    return Status::OK();
  }

  ApplyOp op_;
  ApplyMath math_;
  AssignMath copy_;
  std::vector<std::string> var_names_;
  std::vector<std::shared_ptr<Var>> vars_;
  bool nesterov_ = false;
};

}  // namespace

Status RegisterTrainingKernels(KernelRegistry& r, const BackendKernels& b) {
  const AssignMath copy = b.assign[static_cast<size_t>(AssignOp::kAssign)].math;
  if (b.apply.math == nullptr || copy == nullptr) return Status::OK();
  for (int i = 0; i < kNumApplyOps; ++i) {
    const ApplyOp op = static_cast<ApplyOp>(i);
    TESSERA_RETURN_IF_ERROR(r.Register(KernelDef(Spec(op).op, b.device_type)
                                           .TypeConstraint("T", b.apply.types)
                                           .Factory(MakeKernelFactory<ApplyKernel>(op, b.apply.math, copy))));
  }
  return Status::OK();
}

}  // namespace tessera
