// Variable: state that lives in a Session and survives between Runs.
//
//   Variable v(*g, ops::Const(*g, 42.0f), "foo");  // nodes foo, foo/Assign, foo/read
//   sess->Run({}, {}, {v.initializer()});
//   Output v13 = v.Assign(ops::Const(*g, 13.0f));
//
// As in TF 1.x, the graph only describes the variable; its value lives in each
// Session, so two sessions on one graph are independent. Reading before the
// initializer ran fails with FailedPrecondition
// "Attempting to use uninitialized value foo".
//
// Reads are live, as with TF 1.x's ref variables. A consumer of the
// variable's value (value(), ReadValue(), or an Identity of either on the
// same device) reads the variable when that consumer runs, so it sees every
// assignment that ran before it in the step:
//
//   Output add = v.AssignAdd(five);
//   { auto deps = g->ControlDependencies({Operation(add)});
//     out = ops::Identity(*g, v); }           // v = 6: out is 11, as in TF
//   sess->Run({}, {add, v.value()});          // 11, 11: a fetched read is
//                                             // the value at the end of the step
//
// Without an ordering (a data or control edge) a read and an assignment in
// one step race, as they do in TF. Assignments never write into a tensor
// already handed out (copy-on-write): a value read or fetched earlier keeps
// its contents. A read copied to another device is taken when the copy runs.
//
// Thread-safety: as Graph for construction. Concurrent Assigns from several
// Runs are serialised per variable.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "tessera/graph.h"
#include "tessera/ops.h"

namespace tessera {

// TF's Variable(..., trainable=, collections=).
struct VariableOptions {
  // Also listed in GraphKeys::kTrainableVariables (what optimizers train).
  bool trainable = true;
  // The collections the variable joins (TF: GLOBAL_VARIABLES by default;
  // {GraphKeys::kLocalVariables} makes a local variable).
  std::vector<std::string> collections = {std::string(GraphKeys::kGlobalVariables)};
};

class Variable {
 public:
  Variable() = default;
  // Creates the variable with the dtype and shape of `initial_value`.
  // On failure the Variable is invalid and g.status() holds the error.
  Variable(Graph& g, Output initial_value, Name name = "Variable", const VariableOptions& options = {});
  // The Variable whose VariableV2 operation is `variable_op` (as collections
  // list them); invalid when the op is not a tessera::Variable's.
  explicit Variable(const Operation& variable_op);

  bool valid() const { return ref_.valid(); }
  const std::string& name() const { return ref_.node()->name(); }
  DataType dtype() const { return ref_.dtype(); }
  // The VariableV2 node's output: what Assign* take.
  Output ref() const { return ref_; }
  // "name/read": the value as an ordinary tensor.
  Output value() const { return value_; }
  operator Output() const { return value_; }  // NOLINT: a variable reads as its value
  // "name/Assign" of the initial value.
  Operation initializer() const { return initializer_; }
  // The tensor the initializer assigns.
  Output initial_value() const { return initial_value_; }
  // Assigns `value` in `session` without adding nodes (TF's Variable.load):
  // runs the initializer with `value` fed for the initial value. The value's
  // dtype and shape must match the variable's.
  Status Load(const Tensor& value, Session& session) const;

  // A new read node made under the scopes in force (TF's read_value()), e.g.
  // to order a read after ops through a ControlDependencies scope.
  Output ReadValue(Name name = "read") const;
  // TF's initialized_value(): the variable's value when it is initialized,
  // else its initial value, so that another variable can be initialized from
  // this one whatever order the initializers run in:
  //   Variable w2(*g, ops::Mul(*g, w.InitializedValue(), two), "w2");
  // One node, InitializedValue (TF builds a cond); its initial-value input is
  // computed either way, so it needs the feeds the initial value needs.
  Output InitializedValue() const;
  // A bool scalar: has the variable a value in the session that runs it (TF's
  // is_variable_initialized(v)); node "IsVariableInitialized" beside the variable.
  Output IsInitialized(Name name = "IsVariableInitialized") const;

  Output Assign(Output value, Name name = {}) const;
  Output AssignAdd(Output delta, Name name = {}) const;
  Output AssignSub(Output delta, Name name = {}) const;

 private:
  Graph* graph_ = nullptr;
  Output ref_;
  Output value_;
  Operation initializer_;
  Output initial_value_;
};

// The Variables of a collection (GraphKeys::kGlobalVariables, ...), in the
// order they joined it; operations in it that are not variables are skipped.
std::vector<Variable> GetVariables(const Graph& g, std::string_view collection);
// TF's global_variables(), local_variables() and trainable_variables().
std::vector<Variable> GlobalVariables(const Graph& g);
std::vector<Variable> LocalVariables(const Graph& g);
std::vector<Variable> TrainableVariables(const Graph& g);

// A NoOp named "init" that runs the initializer of every variable in
// GraphKeys::kGlobalVariables (TF's global_variables_initializer).
Operation GlobalVariablesInitializer(Graph& g, Name name = "init");
// The same over GraphKeys::kLocalVariables (TF's local_variables_initializer).
Operation LocalVariablesInitializer(Graph& g, Name name = "init_1");
// A NoOp that runs the initializers of `vars` (TF's variables_initializer).
Operation VariablesInitializer(Graph& g, const std::vector<Variable>& vars, Name name = "init");

// TF's report_uninitialized_variables(var_list): which variables have no value
// yet in a session, by name, in `vars`' order (by default the global and then
// the local variables, in creation order).
//
//   UninitializedVariables report = ReportUninitializedVariables(*g);
//   std::vector<std::string> names = report.Run(*sess).value();  // {"w", "b"}
//
// The graph holds TF's nodes under "report_uninitialized_variables/": an
// IsVariableInitialized per variable, their stack and its LogicalNot. tessera
// has no string tensors, so the node yields that bool mask (true: not
// initialized) and Run() turns it into the names (TF's boolean_mask).
class UninitializedVariables {
 public:
  UninitializedVariables() = default;
  UninitializedVariables(Output mask, std::vector<std::string> names) : mask_(mask), names_(std::move(names)) {}
  // The bool vector, one element per variable (invalid when there are none).
  Output mask() const { return mask_; }
  const std::vector<std::string>& variable_names() const { return names_; }
  // The names of the variables not initialized in `session`.
  StatusOr<std::vector<std::string>> Run(Session& session) const;
  // The same from an already fetched mask.
  StatusOr<std::vector<std::string>> Names(const Tensor& mask) const;

 private:
  Output mask_;
  std::vector<std::string> names_;
};
UninitializedVariables ReportUninitializedVariables(Graph& g, Name name = "report_uninitialized_variables");
UninitializedVariables ReportUninitializedVariables(Graph& g, const std::vector<Variable>& vars,
                                                    Name name = "report_uninitialized_variables");

}  // namespace tessera
