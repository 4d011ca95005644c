// Optimizers and the global step, as TF1's tf.train:
//
//   Variable step = train::GetOrCreateGlobalStep(*g);
//   train::AdamOptimizer opt(0.001);
//   Operation train_op = opt.Minimize(loss, step).value();
//   sess->Run({{x, batch_x}, {y, batch_y}}, {loss}, {train_op});
//
// Minimize = ComputeGradients (AddSymbolicGradients of the loss with respect
// to each variable, under "gradients/") + ApplyGradients (one fused update op
// per variable, "<Name>/update_<var>/Apply<Op>", colocated with its variable,
// then a NoOp "<Name>" grouping them, or with a global step an AssignAdd
// "<Name>" of the step after a NoOp "<Name>/update"). Slot variables
// ("<var>/Momentum", "<var>/Adam", "<var>/Adam_1", "<var>/RMSProp", ...) and
// Adam's "beta1_power"/"beta2_power" are made on first use, colocated with
// their variable, in GraphKeys::kGlobalVariables but not trainable.
//
// An Optimizer is used from one thread; the graph it builds runs anywhere.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "tessera/gradients.h"
#include "tessera/graph.h"
#include "tessera/variable.h"

namespace tessera::train {

// A learning rate (or any hyperparameter): a number, made into a Const under
// the optimizer's name scope when it is applied, or a scalar tensor (a
// placeholder for schedules, a decayed value).
class Hyper {
 public:
  Hyper(double value) : value_(value) {}     // NOLINT: a number is a hyperparameter
  Hyper(Output tensor) : tensor_(tensor) {}  // NOLINT
  bool is_tensor() const { return tensor_.valid(); }
  double value() const { return value_; }
  Output tensor() const { return tensor_; }

 private:
  double value_ = 0;
  Output tensor_;
};

struct GradAndVar {
  Output grad;  // invalid: no gradient flows to var (skipped by ApplyGradients)
  Variable var;
};

// The int64 scalar "global_step" of `g` (GraphKeys::kGlobalStep), made on
// first call with value 0: not trainable, pinned to /device:CPU:0 (a host
// counter, as TF's training loops keep it).
Variable GetOrCreateGlobalStep(Graph& g);
// The global step when there is one.
std::optional<Variable> GetGlobalStep(const Graph& g);

class Optimizer {
 public:
  virtual ~Optimizer() = default;

  // Gradients of `loss` (a float scalar, or summed as TF's tf.gradients)
  // with respect to `var_list` (default: the trainable variables of the
  // loss's graph). InvalidArgument for a loss that is not floating point or
  // an empty variable list.
  StatusOr<std::vector<GradAndVar>> ComputeGradients(Output loss, std::vector<Variable> var_list = {},
                                                     const GradientOptions& options = {});
  // One update per variable with a gradient; see the header comment for
  // names. InvalidArgument when no variable has a gradient ("No gradients
  // provided for any variable ...").
  StatusOr<Operation> ApplyGradients(const std::vector<GradAndVar>& grads_and_vars,
                                     std::optional<Variable> global_step = std::nullopt, Name name = {});
  StatusOr<Operation> Minimize(Output loss, std::optional<Variable> global_step = std::nullopt,
                               std::vector<Variable> var_list = {}, Name name = {});

  // The slot `slot_name` ("m", "v", "momentum", "ms", "mom") of `var`; an
  // invalid Variable when the optimizer has not made it.
  Variable GetSlot(const Variable& var, const std::string& slot_name) const;
  std::vector<std::string> GetSlotNames() const;
  const std::string& name() const { return name_; }

 protected:
  Optimizer(std::string name, bool use_locking) : name_(std::move(name)), use_locking_(use_locking) {}

  // Creates the optimizer's non-slot state (Adam's beta powers), once.
  virtual Status CreateSlots(Graph& g, const std::vector<Variable>& vars) = 0;
  // The scalar tensors for this application, made under "<Name>/".
  virtual void Prepare(Graph& g) = 0;
  // The fused update of one variable (inside its name scope and colocation).
  virtual Output ApplyDense(Graph& g, Output grad, const Variable& var) = 0;
  // The op grouping the updates, named `name` (Adam also updates its powers).
  virtual Operation Finish(Graph& g, const std::vector<Operation>& updates, const std::string& name);

  // A slot of `var`, zeros (or `init` everywhere) of its shape, named
  // "<var>/<op_name>", colocated with var; made once.
  Variable ZerosSlot(Graph& g, const Variable& var, const std::string& slot_name, const std::string& op_name,
                     double init = 0.0);
  // `h` as a tensor of `dtype` named "<Name>/<what>" (a Const, or the given
  // tensor cast when its dtype differs).
  Output HyperTensor(Graph& g, const Hyper& h, const std::string& what, DataType dtype = DataType::kFloat);
  // `t` in `dtype` (t itself when it already is).
  static Output CastTo(Graph& g, Output t, DataType dtype);

  std::string name_;
  bool use_locking_ = false;
  // slot name -> variable name -> slot variable
  std::map<std::string, std::map<std::string, Variable>> slots_;
};

// var -= learning_rate * grad.
class GradientDescentOptimizer : public Optimizer {
 public:
  explicit GradientDescentOptimizer(Hyper learning_rate, bool use_locking = false,
                                    std::string name = "GradientDescent");

 private:
  Status CreateSlots(Graph&, const std::vector<Variable>&) override { return Status::OK(); }
  void Prepare(Graph& g) override;
  Output ApplyDense(Graph& g, Output grad, const Variable& var) override;
  Hyper lr_;
  Output lr_t_;
};

// accum = accum * momentum + grad; var -= lr * accum (Nesterov: var -= lr *
// (grad + momentum * accum)). Slot "momentum".
class MomentumOptimizer : public Optimizer {
 public:
  MomentumOptimizer(Hyper learning_rate, Hyper momentum, bool use_locking = false, std::string name = "Momentum",
                    bool use_nesterov = false);

 private:
  Status CreateSlots(Graph& g, const std::vector<Variable>& vars) override;
  void Prepare(Graph& g) override;
  Output ApplyDense(Graph& g, Output grad, const Variable& var) override;
  Hyper lr_, momentum_;
  bool nesterov_;
  Output lr_t_, momentum_t_;
};

// Adam (Kingma & Ba), TF's form with beta powers in variables. Slots "m"
// ("<var>/Adam") and "v" ("<var>/Adam_1").
class AdamOptimizer : public Optimizer {
 public:
  explicit AdamOptimizer(Hyper learning_rate = 0.001, Hyper beta1 = 0.9, Hyper beta2 = 0.999, Hyper epsilon = 1e-8,
                         bool use_locking = false, std::string name = "Adam");

 private:
  Status CreateSlots(Graph& g, const std::vector<Variable>& vars) override;
  void Prepare(Graph& g) override;
  Output ApplyDense(Graph& g, Output grad, const Variable& var) override;
  Operation Finish(Graph& g, const std::vector<Operation>& updates, const std::string& name) override;
  Hyper lr_, beta1_, beta2_, epsilon_;
  Output lr_t_, beta1_t_, beta2_t_, epsilon_t_;
  Variable beta1_power_, beta2_power_;
};

// ms += (grad^2 - ms) * (1 - decay); mom = mom * momentum + lr * grad /
// sqrt(ms + epsilon); var -= mom. Slots "rms" ("<var>/RMSProp", starting at
// ones, as TF) and "momentum" ("<var>/RMSProp_1").
class RMSPropOptimizer : public Optimizer {
 public:
  explicit RMSPropOptimizer(Hyper learning_rate, Hyper decay = 0.9, Hyper momentum = 0.0, Hyper epsilon = 1e-10,
                            bool use_locking = false, std::string name = "RMSProp");

 private:
  Status CreateSlots(Graph& g, const std::vector<Variable>& vars) override;
  void Prepare(Graph& g) override;
  Output ApplyDense(Graph& g, Output grad, const Variable& var) override;
  Hyper lr_, decay_, momentum_, epsilon_;
  Output lr_t_, decay_t_, momentum_t_, epsilon_t_;
};

}  // namespace tessera::train
