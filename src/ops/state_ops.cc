// Variables: VariableV2, Assign, AssignAdd, AssignSub, and the Variable class.
#include "src/framework/op_registry.h"
#include "src/ops/builder.h"
#include "tessera/session.h"
#include "tessera/variable.h"

namespace tessera {
namespace {

using ops_internal::Build;
using ops_internal::BuildFinal;
using ops_internal::OpName;

Status VariableShape(InferenceContext& c) {
  DataType dt = DataType::kInvalid;
  TESSERA_RETURN_IF_ERROR(c.GetAttr("dtype", &dt));
  TESSERA_RETURN_IF_ERROR(c.ExpectTypeIn(
      dt, {DataType::kFloat, DataType::kDouble, DataType::kInt32, DataType::kInt64, DataType::kBool}, "dtype"));
  const PartialShape* s = c.attr<PartialShape>("shape");
  c.AddOutput(dt, s ? *s : PartialShape());
  return Status::OK();
}

ShapeFn AssignShape(bool arithmetic) {
  return [arithmetic](InferenceContext& c) -> Status {
    DataType dt = DataType::kInvalid;
    TESSERA_RETURN_IF_ERROR(c.ExpectSameTypes(0, 2, &dt));
    if (arithmetic) {
      TESSERA_RETURN_IF_ERROR(
          c.ExpectTypeIn(dt, {DataType::kFloat, DataType::kDouble, DataType::kInt32, DataType::kInt64}, "ref"));
    }
    c.SetAttr("T", dt);
    bool validate = true;
    if (const bool* v = c.attr<bool>("validate_shape")) validate = *v;
    c.SetAttr("validate_shape", validate);
    PartialShape ref = c.input_shape(0), val = c.input_shape(1);
    if ((validate || arithmetic) && ref.fully_defined() && val.fully_defined() && !(ref == val)) {
      return c.Error("Shapes must be equal: the variable has shape " + ref.DebugString() + " but the value has shape " +
                     val.DebugString());
    }
    c.AddOutput(dt, validate || arithmetic ? ref : val);
    return Status::OK();
  };
}

Status IsVariableInitializedShape(InferenceContext& c) {
  c.SetAttr("dtype", c.input_type(0));
  c.AddOutput(DataType::kBool, PartialShape(std::vector<int64_t>{}));
  return Status::OK();
}

// InitializedValue(ref, initial_value): the variable's value, else the initial value.
Status InitializedValueShape(InferenceContext& c) {
  DataType dt = DataType::kInvalid;
  TESSERA_RETURN_IF_ERROR(c.ExpectSameTypes(0, 2, &dt));
  c.SetAttr("T", dt);
  c.AddOutput(dt, c.input_shape(0));
  return Status::OK();
}

}  // namespace

void RegisterStateOps(OpRegistry& r) {
  r.Register(
      OpDef("IsVariableInitialized").Inputs(1).RefInput(0).TypeAttr("dtype").SetShapeFn(IsVariableInitializedShape));
  r.Register(OpDef("InitializedValue").Inputs(2).RefInput(0).TypeAttr("T").SetShapeFn(InitializedValueShape));
  r.Register(OpDef("VariableV2").Variable().TypeAttr("dtype").SetShapeFn(VariableShape));
  r.Register(OpDef("Assign").Inputs(2).RefInput(0).Stateful().TypeAttr("T").SetShapeFn(AssignShape(false)));
  r.Register(OpDef("AssignAdd").Inputs(2).RefInput(0).Stateful().TypeAttr("T").SetShapeFn(AssignShape(true)));
  r.Register(OpDef("AssignSub").Inputs(2).RefInput(0).Stateful().TypeAttr("T").SetShapeFn(AssignShape(true)));
}

namespace ops {
Output Assign(Graph& g, Output ref, Output value, Name name) {
  return Build(g, "Assign", OpName(name, "Assign"), {ref, value});
}
Output AssignAdd(Graph& g, Output ref, Output value, Name name) {
  return Build(g, "AssignAdd", OpName(name, "AssignAdd"), {ref, value});
}
Output AssignSub(Graph& g, Output ref, Output value, Name name) {
  return Build(g, "AssignSub", OpName(name, "AssignSub"), {ref, value});
}
Output IsVariableInitialized(Graph& g, Output ref, Name name) {
  return Build(g, "IsVariableInitialized", OpName(name, "IsVariableInitialized"), {ref});
}
}  // namespace ops

Variable::Variable(Graph& g, Output initial_value, Name name, const VariableOptions& options) : graph_(&g) {
  if (!initial_value.valid()) {
    g.RecordError(InvalidArgumentError("Variable '" + std::string(name) + "': the initial value is invalid"));
    return;
  }
  std::string n = g.UniqueScopedName(name.empty() ? "Variable" : name);
  PartialShape shape = initial_value.shape();
  if (!shape.fully_defined()) {
    g.RecordError(InvalidArgumentError("Variable '" + n + "': the initial value " + initial_value.name() +
                                       " must have a fully defined shape, got " + shape.DebugString()));
    return;
  }
  Output ref = BuildFinal(g, "VariableV2", n, {}, AttrMap{{"dtype", initial_value.dtype()}, {"shape", shape}});
  if (!ref.valid()) return;
  Output assign;
  Output read;
  {
    // The initializer and the read op live with the variable, whatever the
    // device scope (TF colocates them).
    auto coloc = g.ColocateWith(Operation(ref));
    assign = BuildFinal(g, "Assign", g.UniqueName(n + "/Assign"), {ref, initial_value});
    read = BuildFinal(g, "Identity", g.UniqueName(n + "/read"), {ref});
  }
  if (!assign.valid() || !read.valid()) return;
  ref_ = ref;
  value_ = read;
  initializer_ = Operation(assign);
  initial_value_ = initial_value;
  g.AddVariableNodes({ref_, value_, initializer_, initial_value_});
  for (const std::string& key : options.collections) g.AddToCollection(key, Operation(ref_));
  if (options.trainable) g.AddToCollection(GraphKeys::kTrainableVariables, Operation(ref_));
}

Variable::Variable(const Operation& variable_op) {
  if (!variable_op.valid()) return;
  Graph* g = variable_op.node()->graph();
  const Graph::VariableNodes* n = g->FindVariableNodes(variable_op.node());
  if (n == nullptr) return;
  graph_ = g;
  ref_ = n->ref;
  value_ = n->value;
  initializer_ = n->initializer;
  initial_value_ = n->initial_value;
}

Output Variable::InitializedValue() const {
  if (!valid()) return Output();
  auto coloc = graph_->ColocateWith(Operation(ref_));
  return BuildFinal(*graph_, "InitializedValue", graph_->UniqueName(name() + "/initialized_value"),
                    {ref_, initial_value_});
}

Output Variable::IsInitialized(Name name) const {
  if (!valid()) return Output();
  return ops::IsVariableInitialized(*graph_, ref_, name);
}

std::vector<Variable> GetVariables(const Graph& g, std::string_view collection) {
  std::vector<Variable> vars;
  for (const Operation& op : g.GetCollection(collection)) {
    Variable v(op);
    if (v.valid()) vars.push_back(v);
  }
  return vars;
}
std::vector<Variable> GlobalVariables(const Graph& g) { return GetVariables(g, GraphKeys::kGlobalVariables); }
std::vector<Variable> LocalVariables(const Graph& g) { return GetVariables(g, GraphKeys::kLocalVariables); }
std::vector<Variable> TrainableVariables(const Graph& g) { return GetVariables(g, GraphKeys::kTrainableVariables); }

Output Variable::ReadValue(Name name) const {
  if (!valid()) return Output();
  auto coloc = graph_->ColocateWith(Operation(ref_));
  return ops::Identity(*graph_, ref_, name);
}

Output Variable::Assign(Output value, Name name) const {
  if (!valid()) return Output();
  return ops::Assign(*graph_, ref_, value, name);
}
Output Variable::AssignAdd(Output delta, Name name) const {
  if (!valid()) return Output();
  return ops::AssignAdd(*graph_, ref_, delta, name);
}
Output Variable::AssignSub(Output delta, Name name) const {
  if (!valid()) return Output();
  return ops::AssignSub(*graph_, ref_, delta, name);
}

Operation GlobalVariablesInitializer(Graph& g, Name name) { return VariablesInitializer(g, GlobalVariables(g), name); }

Operation LocalVariablesInitializer(Graph& g, Name name) { return VariablesInitializer(g, LocalVariables(g), name); }

Operation VariablesInitializer(Graph& g, const std::vector<Variable>& vars, Name name) {
  std::vector<Operation> inits;
  for (size_t i = 0; i < vars.size(); ++i) {
    if (!vars[i].valid()) {
      g.RecordError(InvalidArgumentError("VariablesInitializer: variable " + std::to_string(i) + " is invalid"));
      return Operation();
    }
    inits.push_back(vars[i].initializer());
  }
  return ops::Group(g, inits, name);
}

Status Variable::Load(const Tensor& value, Session& session) const {
  if (!valid()) return InvalidArgumentError("Variable::Load: the variable is invalid");
  if (value.dtype() != dtype()) {
    return InvalidArgumentError("Variable::Load: variable " + name() + " has dtype " +
                                std::string(DataTypeString(dtype())) + ", the value " +
                                std::string(DataTypeString(value.dtype())));
  }
  if (!ref_.shape().IsCompatibleWith(value.shape())) {
    return InvalidArgumentError("Variable::Load: variable " + name() + " has shape " + ref_.shape().DebugString() +
                                ", the value " + value.shape().DebugString());
  }
  return session.Run({{initial_value_, value}}, {}, {initializer_}).status();
}

}  // namespace tessera

namespace tessera {

UninitializedVariables ReportUninitializedVariables(Graph& g, Name name) {
  std::vector<Variable> vars = GlobalVariables(g);
  for (const Variable& v : LocalVariables(g)) vars.push_back(v);
  return ReportUninitializedVariables(g, vars, name);
}

UninitializedVariables ReportUninitializedVariables(Graph& g, const std::vector<Variable>& vars, Name name) {
  std::vector<std::string> names;
  for (size_t i = 0; i < vars.size(); ++i) {
    if (!vars[i].valid()) {
      g.RecordError(
          InvalidArgumentError("ReportUninitializedVariables: variable " + std::to_string(i) + " is invalid"));
      return UninitializedVariables();
    }
    names.push_back(vars[i].name());
  }
  if (vars.empty()) return UninitializedVariables(Output(), {});
  auto scope = g.NameScope(name);
  std::vector<Output> initialized;
  for (const Variable& v : vars) initialized.push_back(v.IsInitialized());
  Output mask = ops::LogicalNot(g, ops::Stack(g, initialized));
  return UninitializedVariables(mask, std::move(names));
}

StatusOr<std::vector<std::string>> UninitializedVariables::Run(Session& session) const {
  if (names_.empty()) return std::vector<std::string>();
  if (!mask_.valid()) return InvalidArgumentError("ReportUninitializedVariables: the report failed to build");
  TESSERA_ASSIGN_OR_RETURN(std::vector<Tensor> out, session.Run({}, {mask_}));
  return Names(out[0]);
}

StatusOr<std::vector<std::string>> UninitializedVariables::Names(const Tensor& mask) const {
  if (mask.dtype() != DataType::kBool || mask.rank() != 1 ||
      mask.num_elements() != static_cast<int64_t>(names_.size()) || !mask.on_host()) {
    return InvalidArgumentError("UninitializedVariables::Names: expected a host bool vector of " +
                                std::to_string(names_.size()) + " elements, got " +
                                std::string(DataTypeString(mask.dtype())) + mask.shape().DebugString());
  }
  std::vector<std::string> out;
  for (size_t i = 0; i < names_.size(); ++i) {
    if (mask.flat<bool>()[i]) out.push_back(names_[i]);
  }
  return out;
}

}  // namespace tessera
