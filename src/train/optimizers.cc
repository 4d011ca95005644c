// GradientDescent, Momentum, Adam and RMSProp: their slots, their scalar
// tensors and their fused update ops, named as TF1 names them.
#include <algorithm>

#include "tessera/ops.h"
#include "tessera/train.h"

namespace tessera::train {

GradientDescentOptimizer::GradientDescentOptimizer(Hyper learning_rate, bool use_locking, std::string name)
    : Optimizer(std::move(name), use_locking), lr_(learning_rate) {}

void GradientDescentOptimizer::Prepare(Graph& g) { lr_t_ = HyperTensor(g, lr_, "learning_rate"); }

Output GradientDescentOptimizer::ApplyDense(Graph& g, Output grad, const Variable& var) {
  return ops::ApplyGradientDescent(g, var.ref(), CastTo(g, lr_t_, var.dtype()), grad, use_locking_);
}

MomentumOptimizer::MomentumOptimizer(Hyper learning_rate, Hyper momentum, bool use_locking, std::string name,
                                     bool use_nesterov)
    : Optimizer(std::move(name), use_locking), lr_(learning_rate), momentum_(momentum), nesterov_(use_nesterov) {}

Status MomentumOptimizer::CreateSlots(Graph& g, const std::vector<Variable>& vars) {
  for (const Variable& v : vars) ZerosSlot(g, v, "momentum", name_);
  return g.status();
}

void MomentumOptimizer::Prepare(Graph& g) {
  lr_t_ = HyperTensor(g, lr_, "learning_rate");
  momentum_t_ = HyperTensor(g, momentum_, "momentum");
}

Output MomentumOptimizer::ApplyDense(Graph& g, Output grad, const Variable& var) {
  const DataType dt = var.dtype();
  return ops::ApplyMomentum(g, var.ref(), GetSlot(var, "momentum").ref(), CastTo(g, lr_t_, dt), grad,
                            CastTo(g, momentum_t_, dt), use_locking_, nesterov_);
}

AdamOptimizer::AdamOptimizer(Hyper learning_rate, Hyper beta1, Hyper beta2, Hyper epsilon, bool use_locking,
                             std::string name)
    : Optimizer(std::move(name), use_locking), lr_(learning_rate), beta1_(beta1), beta2_(beta2), epsilon_(epsilon) {}

// The beta powers live with the first variable by name (TF's choice), start
// at beta1 and beta2, and are float like TF's.
Status AdamOptimizer::CreateSlots(Graph& g, const std::vector<Variable>& vars) {
  if (!beta1_power_.valid()) {
    const Variable& first = *std::min_element(vars.begin(), vars.end(),
                                              [](const Variable& a, const Variable& b) { return a.name() < b.name(); });
    auto coloc = g.ColocateWith(Operation(first.ref()));
    VariableOptions options;
    options.trainable = false;
    auto initial = [&](const Hyper& h, const char* name) {
      return h.is_tensor() ? CastTo(g, h.tensor(), DataType::kFloat)
                           : ops::Const(g, Tensor::Scalar<float>(static_cast<float>(h.value())), Name(name));
    };
    beta1_power_ = Variable(g, initial(beta1_, "beta1_power/initial_value"), "beta1_power", options);
    beta2_power_ = Variable(g, initial(beta2_, "beta2_power/initial_value"), "beta2_power", options);
  }
  for (const Variable& v : vars) {
    ZerosSlot(g, v, "m", name_);
    ZerosSlot(g, v, "v", name_ + "_1");
  }
  return g.status();
}

void AdamOptimizer::Prepare(Graph& g) {
  lr_t_ = HyperTensor(g, lr_, "learning_rate");
  beta1_t_ = HyperTensor(g, beta1_, "beta1");
  beta2_t_ = HyperTensor(g, beta2_, "beta2");
  epsilon_t_ = HyperTensor(g, epsilon_, "epsilon");
}

Output AdamOptimizer::ApplyDense(Graph& g, Output grad, const Variable& var) {
  const DataType dt = var.dtype();
  return ops::ApplyAdam(g, var.ref(), GetSlot(var, "m").ref(), GetSlot(var, "v").ref(),
                        CastTo(g, beta1_power_.value(), dt), CastTo(g, beta2_power_.value(), dt), CastTo(g, lr_t_, dt),
                        CastTo(g, beta1_t_, dt), CastTo(g, beta2_t_, dt), CastTo(g, epsilon_t_, dt), grad,
                        use_locking_);
}

// After the updates: beta1_power *= beta1 and beta2_power *= beta2, with the powers.
Operation AdamOptimizer::Finish(Graph& g, const std::vector<Operation>& updates, const std::string& name) {
  std::vector<Operation> all = updates;
  {
    auto deps = g.ControlDependencies(updates);
    auto coloc = g.ColocateWith(Operation(beta1_power_.ref()));
    all.push_back(Operation(
        beta1_power_.Assign(ops::Mul(g, beta1_power_.value(), CastTo(g, beta1_t_, DataType::kFloat)), "Assign")));
    all.push_back(Operation(
        beta2_power_.Assign(ops::Mul(g, beta2_power_.value(), CastTo(g, beta2_t_, DataType::kFloat)), "Assign_1")));
  }
  return Optimizer::Finish(g, all, name);
}

RMSPropOptimizer::RMSPropOptimizer(Hyper learning_rate, Hyper decay, Hyper momentum, Hyper epsilon, bool use_locking,
                                   std::string name)
    : Optimizer(std::move(name), use_locking),
      lr_(learning_rate),
      decay_(decay),
      momentum_(momentum),
      epsilon_(epsilon) {}

Status RMSPropOptimizer::CreateSlots(Graph& g, const std::vector<Variable>& vars) {
  for (const Variable& v : vars) {
    ZerosSlot(g, v, "rms", name_, /*init=*/1.0);
    ZerosSlot(g, v, "momentum", name_ + "_1");
  }
  return g.status();
}

void RMSPropOptimizer::Prepare(Graph& g) {
  lr_t_ = HyperTensor(g, lr_, "learning_rate");
  decay_t_ = HyperTensor(g, decay_, "decay");
  momentum_t_ = HyperTensor(g, momentum_, "momentum");
  epsilon_t_ = HyperTensor(g, epsilon_, "epsilon");
}

Output RMSPropOptimizer::ApplyDense(Graph& g, Output grad, const Variable& var) {
  const DataType dt = var.dtype();
  return ops::ApplyRMSProp(g, var.ref(), GetSlot(var, "rms").ref(), GetSlot(var, "momentum").ref(),
                           CastTo(g, lr_t_, dt), CastTo(g, decay_t_, dt), CastTo(g, momentum_t_, dt),
                           CastTo(g, epsilon_t_, dt), grad, use_locking_);
}

}  // namespace tessera::train
