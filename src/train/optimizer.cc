// The Optimizer base (ComputeGradients, ApplyGradients, Minimize, slots)
// and the global step, as TF1's optimizer.py and training_util.py build them.
#include <algorithm>

#include "tessera/ops.h"
#include "tessera/train.h"

namespace tessera::train {
namespace {

bool IsFloat(DataType dt) { return dt == DataType::kFloat || dt == DataType::kDouble; }

// A node named exactly `name` (already reserved, e.g. by the name scope of
// the same name, as TF names an optimizer's final op after its scope).
Operation FinalNode(Graph& g, std::string op, const std::string& name, std::vector<Output> inputs,
                    std::vector<Operation> control, AttrMap attrs = {}) {
  NodeSpec spec{std::move(op), name, std::move(inputs), std::move(attrs), std::move(control)};
  spec.name_is_final = true;
  return g.AddNodeOrRecord(std::move(spec));
}

std::string VarNames(const std::vector<Variable>& vars) {
  std::string s;
  for (const Variable& v : vars) s += (s.empty() ? "" : ", ") + std::string("'") + v.name() + "'";
  return "[" + s + "]";
}

}  // namespace

Variable GetOrCreateGlobalStep(Graph& g) {
  if (std::optional<Variable> step = GetGlobalStep(g)) return *step;
  auto device = g.Device("/device:CPU:0");
  Output zero = ops::Const(g, Tensor::Scalar<int64_t>(0), "global_step/Initializer/zeros");
  VariableOptions options;
  options.trainable = false;
  options.collections = {std::string(GraphKeys::kGlobalVariables), std::string(GraphKeys::kGlobalStep)};
  return Variable(g, zero, "global_step", options);
}

std::optional<Variable> GetGlobalStep(const Graph& g) {
  const std::vector<Operation> steps = g.GetCollection(GraphKeys::kGlobalStep);
  if (steps.empty()) return std::nullopt;
  Variable v(steps.front());
  if (!v.valid()) return std::nullopt;
  return v;
}

StatusOr<std::vector<GradAndVar>> Optimizer::ComputeGradients(Output loss, std::vector<Variable> var_list,
                                                              const GradientOptions& options) {
  if (!loss.valid()) return InvalidArgumentError("Optimizer '" + name_ + "': the loss is not a valid tensor");
  if (!IsFloat(loss.dtype())) {
    return InvalidArgumentError("Invalid type " + std::string(DataTypeString(loss.dtype())) + " for " + loss.name() +
                                ", expected: [float, double].");
  }
  Graph& g = *loss.node()->graph();
  if (var_list.empty()) var_list = TrainableVariables(g);
  if (var_list.empty()) return InvalidArgumentError("No variables to optimize.");
  std::vector<Output> xs;
  for (const Variable& v : var_list) {
    if (!v.valid()) return InvalidArgumentError("Optimizer '" + name_ + "': var_list holds an invalid Variable");
    xs.push_back(v.ref());
  }
  TESSERA_ASSIGN_OR_RETURN(std::vector<Output> grads, AddSymbolicGradients(g, {loss}, xs, {}, options));
  std::vector<GradAndVar> out;
  for (size_t i = 0; i < xs.size(); ++i) out.push_back({grads[i], var_list[i]});
  return out;
}

StatusOr<Operation> Optimizer::ApplyGradients(const std::vector<GradAndVar>& grads_and_vars,
                                              std::optional<Variable> global_step, Name name) {
  std::vector<Variable> vars, all;
  std::vector<Output> grads;
  for (const GradAndVar& gv : grads_and_vars) {
    if (!gv.var.valid()) return InvalidArgumentError("Optimizer '" + name_ + "': an invalid Variable");
    all.push_back(gv.var);
    if (!gv.grad.valid()) continue;
    if (!IsFloat(gv.var.dtype())) {
      return InvalidArgumentError("Optimizer '" + name_ + "' cannot train variable '" + gv.var.name() + "' of type " +
                                  std::string(DataTypeString(gv.var.dtype())) + ", expected: [float, double].");
    }
    vars.push_back(gv.var);
    grads.push_back(gv.grad);
  }
  if (vars.empty()) {
    return InvalidArgumentError(
        "No gradients provided for any variable, check your graph for ops that do not "
        "support gradients, between variables " +
        VarNames(all) + " and the loss.");
  }
  Graph& g = *vars.front().ref().node()->graph();
  TESSERA_RETURN_IF_ERROR(CreateSlots(g, vars));
  Operation result;
  {
    auto scope = g.NameScope(name.empty() ? std::string_view(name_) : std::string_view(name));
    Prepare(g);
    // Every update waits for every gradient: reads of a variable are live, so
    // a gradient op that reads w (MatMul's dx = dy w^T) must run before w's
    // update, or it would see the new value and training would depend on
    // thread timing. (TF1's ref variables race here; its resource variables
    // and Keras optimizers order it the same way.)
    std::vector<Operation> grad_ops;
    for (const Output& gr : grads) grad_ops.push_back(Operation(gr));
    auto after_grads = g.ControlDependencies(grad_ops);
    std::vector<Operation> updates;
    for (size_t i = 0; i < vars.size(); ++i) {
      auto update_scope = g.NameScope("update_" + vars[i].name());
      auto coloc = g.ColocateWith(Operation(vars[i].ref()));
      updates.push_back(Operation(ApplyDense(g, grads[i], vars[i])));
    }
    // The final op takes the scope's own name ("Adam"), as in TF.
    const std::string final_name = g.CurrentNameScope();
    if (!global_step) {
      result = Finish(g, updates, final_name);
    } else {
      Operation grouped = Finish(g, updates, g.UniqueName(final_name + "/update"));
      auto coloc = g.ColocateWith(Operation(global_step->ref()));
      Output one = ops::Const(g, Tensor::Scalar<int64_t>(1), "value");
      result = FinalNode(g, "AssignAdd", final_name, {global_step->ref(), one}, {grouped});
    }
  }
  TESSERA_RETURN_IF_ERROR(g.status());
  return result;
}

StatusOr<Operation> Optimizer::Minimize(Output loss, std::optional<Variable> global_step,
                                        std::vector<Variable> var_list, Name name) {
  TESSERA_ASSIGN_OR_RETURN(std::vector<GradAndVar> gv, ComputeGradients(loss, std::move(var_list)));
  return ApplyGradients(gv, global_step, name);
}

Operation Optimizer::Finish(Graph& g, const std::vector<Operation>& updates, const std::string& name) {
  return FinalNode(g, "NoOp", name, {}, updates);
}

Variable Optimizer::GetSlot(const Variable& var, const std::string& slot_name) const {
  auto it = slots_.find(slot_name);
  if (it == slots_.end() || !var.valid()) return Variable();
  auto v = it->second.find(var.name());
  return v == it->second.end() ? Variable() : v->second;
}

std::vector<std::string> Optimizer::GetSlotNames() const {
  std::vector<std::string> names;
  for (const auto& [slot, vars] : slots_) names.push_back(slot);
  return names;
}

Variable Optimizer::ZerosSlot(Graph& g, const Variable& var, const std::string& slot_name, const std::string& op_name,
                              double init) {
  Variable& slot = slots_[slot_name][var.name()];
  if (slot.valid()) return slot;
  auto coloc = g.ColocateWith(Operation(var.ref()));
  const std::string base = var.name() + "/" + op_name;
  const PartialShape shape = var.ref().shape();
  Output value;
  if (shape.fully_defined()) {
    const std::vector<int64_t> dims = shape.dims();
    value = init == 0.0 ? ops::Zeros(g, dims, var.dtype(), Name(base + "/Initializer/zeros"))
                        : ops::Ones(g, dims, var.dtype(), Name(base + "/Initializer/ones"));
  } else {
    value = ops::ZerosLike(g, var.InitializedValue());
    if (init != 0.0) value = ops::OnesLike(g, value);
  }
  VariableOptions options;
  options.trainable = false;
  slot = Variable(g, value, Name(base), options);
  return slot;
}

Output Optimizer::HyperTensor(Graph& g, const Hyper& h, const std::string& what, DataType dtype) {
  if (h.is_tensor()) return CastTo(g, h.tensor(), dtype);
  Tensor value = dtype == DataType::kDouble ? Tensor::Scalar<double>(h.value())
                                            : Tensor::Scalar<float>(static_cast<float>(h.value()));
  return ops::Const(g, value, Name(what));
}

Output Optimizer::CastTo(Graph& g, Output t, DataType dtype) {
  return t.valid() && t.dtype() != dtype ? ops::Cast(g, t, dtype) : t;
}

}  // namespace tessera::train
