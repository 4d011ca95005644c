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

struct OpDef {
  std::string name;
  int min_inputs = 0;
  int max_inputs = 0;           // -1: any number (variadic)
  std::vector<int> ref_inputs;  // inputs that take a variable by reference
  bool stateful = false;        // has state or side effects: never deduplicated, kernel kept per session
  // The attributes the kernel registry selects kernels by (e.g. {"T"}); the
  // shape function sets them.
  std::vector<std::string> type_attrs;
  ShapeFn shape_fn;

  bool is_ref_input(int i) const {
    for (int r : ref_inputs) if (r == i) return true;
    return false;
  }
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
void RegisterMathOps(OpRegistry& r);
void RegisterNnOps(OpRegistry& r);
void RegisterStateOps(OpRegistry& r);
void RegisterRandomOps(OpRegistry& r);

}  // namespace tessera
