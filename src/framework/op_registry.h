// OpDef and OpRegistry: what each op type is, and its shape function.
//
// Every op type is registered once (src/ops/*.cc, through RegisterAllOps) with
// its input arity, which inputs take a variable by reference, whether it is
// stateful, and a shape function. The shape function runs when a node is
// added to a graph: it checks input count, dtypes and shapes, fills in
// inferred attributes (such as "T") and sets the output dtypes and shapes.
//
// Thread-safety: the registry is filled once, under std::call_once, and is
// read-only afterwards.
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "tessera/graph.h"
#include "tessera/status.h"
#include "tessera/types.h"

namespace tessera {

class InferenceContext {
 public:
  InferenceContext(const OpDef& def, std::string_view node_name, const std::vector<Output>& inputs, AttrMap* attrs)
      : def_(def), node_name_(node_name), inputs_(inputs), attrs_(attrs) {}

  int num_inputs() const { return static_cast<int>(inputs_.size()); }
  DataType input_type(int i) const { return inputs_[static_cast<size_t>(i)].dtype(); }
  PartialShape input_shape(int i) const { return inputs_[static_cast<size_t>(i)].shape(); }
  // The value of input i when it comes straight from a Const node, else null.
  const Tensor* input_constant(int i) const;
  // The values of an int32/int64 input that is a Const, as int64.
  bool input_constant_ints(int i, std::vector<int64_t>* out) const;
  // Input i must be int32 or int64 (InvalidArgument naming it as `what`,
  // default "Input i"); *known says whether it is a Const, whose values go to *v.
  Status ConstIntsInput(int i, std::vector<int64_t>* v, bool* known, std::string_view what = {}) const;

  template <typename T>
  const T* attr(std::string_view name) const {
    auto it = attrs_->find(name);
    return it == attrs_->end() ? nullptr : std::get_if<T>(&it->second);
  }
  // InvalidArgument when absent or of another type.
  template <typename T>
  Status GetAttr(std::string_view name, T* out) const {
    const T* v = attr<T>(name);
    if (v == nullptr) return Error("missing or mistyped attribute '" + std::string(name) + "'");
    *out = *v;
    return Status::OK();
  }
  void SetAttr(const std::string& name, AttrValue v) { (*attrs_)[name] = std::move(v); }

  void AddOutput(DataType dtype, PartialShape shape) {
    output_types_.push_back(dtype);
    output_shapes_.push_back(std::move(shape));
  }
  const std::vector<DataType>& output_types() const { return output_types_; }
  const std::vector<PartialShape>& output_shapes() const { return output_shapes_; }

  // InvalidArgument "<msg> for 'name' (op: 'Op') with input shapes: [..], [..]."
  Status Error(std::string_view msg) const;

  // Common checks.
  Status ExpectInputType(int i, DataType dt) const;
  // All inputs in [first, last) have the same dtype; returns it in *dt.
  Status ExpectSameTypes(int first, int last, DataType* dt) const;
  Status ExpectTypeIn(DataType dt, std::initializer_list<DataType> allowed, std::string_view what) const;
  Status ExpectRank(int i, int rank) const;
  Status ExpectMinRank(int i, int rank) const;
  // TF's shape merge of inputs [first, last): equal ranks, equal known dims.
  Status MergeInputShapes(int first, int last, PartialShape* out) const;

  const std::string_view node_name() const { return node_name_; }

 private:
  const OpDef& def_;
  std::string_view node_name_;
  const std::vector<Output>& inputs_;
  AttrMap* attrs_;
  std::vector<DataType> output_types_;
  std::vector<PartialShape> output_shapes_;
};

using ShapeFn = std::function<Status(InferenceContext&)>;

// What an op type is. Written as a builder, so each value says what it is:
//
//   OpDef("MatMul").Inputs(2).TypeAttr("T").SetShapeFn(MatMulShape)
//   OpDef("Assign").Inputs(2).RefInput(0).Stateful().TypeAttr("T").SetShapeFn(...)
struct OpDef {
  OpDef() = default;
  explicit OpDef(std::string op_name) : name(std::move(op_name)) {}

  // Exactly n inputs, or between min and max (max -1: any number).
  OpDef& Inputs(int n) { return Inputs(n, n); }
  OpDef& Inputs(int min, int max) {
    min_inputs = min;
    max_inputs = max;
    return *this;
  }
  // Input i takes a variable by reference (Assign's "ref").
  OpDef& RefInput(int i) {
    ref_inputs.push_back(i);
    return *this;
  }
  // Has state or side effects: never deduplicated, its kernel kept per session.
  OpDef& Stateful() {
    stateful = true;
    return *this;
  }
  // Holds a variable (VariableV2): stateful, read by its consumers when they
  // run, colocated with every op that takes it by reference.
  OpDef& Variable() {
    is_variable = true;
    return Stateful();
  }
  // An attribute the kernel registry selects kernels by (e.g. "T"); the shape
  // function sets it.
  OpDef& TypeAttr(std::string attr) {
    type_attrs.push_back(std::move(attr));
    return *this;
  }
  OpDef& SetShapeFn(ShapeFn fn) {
    shape_fn = std::move(fn);
    return *this;
  }

  bool is_ref_input(int i) const {
    for (int r : ref_inputs) {
      if (r == i) return true;
    }
    return false;
  }

  std::string name;
  int min_inputs = 0;
  int max_inputs = 0;
  std::vector<int> ref_inputs;
  bool stateful = false;
  bool is_variable = false;
  std::vector<std::string> type_attrs;
  ShapeFn shape_fn;
};

class OpRegistry {
 public:
  // The registry with every op of tessera registered.
  static const OpRegistry& Global();

  void Register(OpDef def);
  // Null when unknown.
  const OpDef* Lookup(std::string_view op) const;
  std::vector<std::string> ListOps() const;

 private:
  std::map<std::string, std::unique_ptr<OpDef>, std::less<>> ops_;
};

// Broadcasts two shapes with numpy rules; InvalidArgument (from ctx) when incompatible.
Status BroadcastShapes(const InferenceContext& ctx, const PartialShape& a, const PartialShape& b, PartialShape* out);

// Per-family registration, called once by OpRegistry::Global().
void RegisterArrayOps(OpRegistry& r);
void RegisterLayoutOps(OpRegistry& r);
void RegisterMathOps(OpRegistry& r);
void RegisterNnOps(OpRegistry& r);
void RegisterStateOps(OpRegistry& r);
void RegisterTrainingOps(OpRegistry& r);
void RegisterConvOps(OpRegistry& r);
void RegisterRandomOps(OpRegistry& r);
void RegisterIoOps(OpRegistry& r);  // src/persistence/io_ops.cc

}  // namespace tessera
