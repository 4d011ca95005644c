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

#include <string_view>
#include <vector>

#include "tessera/graph.h"
#include "tessera/ops.h"

namespace tessera {

class Variable {
 public:
  Variable() = default;
  // Creates the variable with the dtype and shape of `initial_value`.
  // On failure the Variable is invalid and g.status() holds the error.
  Variable(Graph& g, Output initial_value, std::string_view name = "Variable");

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
  Output ReadValue(std::string_view name = "read") const;

  Output Assign(Output value, std::string_view name = {}) const;
  Output AssignAdd(Output delta, std::string_view name = {}) const;
  Output AssignSub(Output delta, std::string_view name = {}) const;

 private:
  Graph* graph_ = nullptr;
  Output ref_;
  Output value_;
  Operation initializer_;
  Output initial_value_;
};

// A NoOp named "init" that runs every variable initializer of the graph.
Operation GlobalVariablesInitializer(Graph& g, std::string_view name = "init");
// A NoOp that runs the initializers of `vars` (TF's variables_initializer).
Operation VariablesInitializer(Graph& g, const std::vector<Variable>& vars, std::string_view name = "init");

}  // namespace tessera
