#include "src/framework/op_registry.h"

#include <mutex>

#include "src/framework/tensor_util.h"

namespace tessera {

const Tensor* InferenceContext::input_constant(int i) const {
  const Node* n = inputs_[static_cast<size_t>(i)].node();
  if (n == nullptr || n->op() != "Const") return nullptr;
  return n->attr<Tensor>("value");
}

bool InferenceContext::input_constant_ints(int i, std::vector<int64_t>* out) const {
  const Tensor* t = input_constant(i);
  if (t == nullptr) return false;
  if (t->dtype() != DataType::kInt32 && t->dtype() != DataType::kInt64) return false;
  *out = IntTensorValues(*t);
  return true;
}

Status InferenceContext::ConstIntsInput(int i, std::vector<int64_t>* v, bool* known, std::string_view what) const {
  TESSERA_RETURN_IF_ERROR(ExpectTypeIn(input_type(i), {DataType::kInt32, DataType::kInt64},
                                       what.empty() ? "Input " + std::to_string(i) : std::string(what)));
  *known = input_constant_ints(i, v);
  return Status::OK();
}

Status InferenceContext::Error(std::string_view msg) const {
  std::string shapes;
  for (int i = 0; i < num_inputs(); ++i) {
    if (i) shapes += ", ";
    shapes += input_shape(i).DebugString();
  }
  std::string s = std::string(msg) + " for '" + std::string(node_name_) + "' (op: '" + def_.name + "')";
  if (num_inputs() > 0) s += " with input shapes: " + shapes;
  return InvalidArgumentError(s + ".");
}

Status InferenceContext::ExpectInputType(int i, DataType dt) const {
  if (input_type(i) != dt) {
    return Error("Input " + std::to_string(i) + " has type " + std::string(DataTypeString(input_type(i))) + " but " +
                 std::string(DataTypeString(dt)) + " is required");
  }
  return Status::OK();
}

Status InferenceContext::ExpectSameTypes(int first, int last, DataType* dt) const {
  *dt = input_type(first);
  for (int i = first + 1; i < last; ++i) {
    if (input_type(i) != *dt) {
      return Error("Input " + std::to_string(i) + " has type " + std::string(DataTypeString(input_type(i))) +
                   " that does not match type " + std::string(DataTypeString(*dt)) + " of input " +
                   std::to_string(first));
    }
  }
  return Status::OK();
}

Status InferenceContext::ExpectTypeIn(DataType dt, std::initializer_list<DataType> allowed,
                                      std::string_view what) const {
  for (DataType a : allowed)
    if (a == dt) return Status::OK();
  std::string list;
  for (DataType a : allowed) {
    if (!list.empty()) list += ", ";
    list += DataTypeString(a);
  }
  return Error(std::string(what) + " has type " + std::string(DataTypeString(dt)) + ", which is not one of [" + list +
               "]");
}

Status InferenceContext::ExpectRank(int i, int rank) const {
  PartialShape s = input_shape(i);
  if (s.known_rank() && s.rank() != rank) {
    return Error("Shape must be rank " + std::to_string(rank) + " but is rank " + std::to_string(s.rank()) +
                 " (input " + std::to_string(i) + ")");
  }
  return Status::OK();
}

Status InferenceContext::ExpectMinRank(int i, int rank) const {
  PartialShape s = input_shape(i);
  if (s.known_rank() && s.rank() < rank) {
    return Error("Shape must be at least rank " + std::to_string(rank) + " but is rank " + std::to_string(s.rank()) +
                 " (input " + std::to_string(i) + ")");
  }
  return Status::OK();
}

Status InferenceContext::MergeInputShapes(int first, int last, PartialShape* out) const {
  PartialShape merged = input_shape(first);
  for (int i = first + 1; i < last; ++i) {
    const PartialShape s = input_shape(i);
    if (!s.known_rank()) continue;
    if (!merged.known_rank()) {
      merged = s;
      continue;
    }
    const std::string from = "\n\tFrom merging shape " + std::to_string(first) + " with other shapes.";
    if (s.rank() != merged.rank()) {
      return Error("Shapes must be equal rank, but are " + std::to_string(merged.rank()) + " and " +
                   std::to_string(s.rank()) + from);
    }
    std::vector<int64_t> dims = merged.dims();
    for (int d = 0; d < s.rank(); ++d) {
      if (dims[d] >= 0 && s.dim(d) >= 0 && dims[d] != s.dim(d)) {
        return Error("Dimension " + std::to_string(d) + " in both shapes must be equal, but are " +
                     std::to_string(dims[d]) + " and " + std::to_string(s.dim(d)) + ". Shapes are " +
                     merged.DebugString() + " and " + s.DebugString() + "." + from);
      }
      if (dims[d] < 0) dims[d] = s.dim(d);
    }
    merged = PartialShape(dims);
  }
  *out = std::move(merged);
  return Status::OK();
}

Status BroadcastShapes(const InferenceContext& ctx, const PartialShape& a, const PartialShape& b, PartialShape* out) {
  if (!a.known_rank() || !b.known_rank()) {
    *out = PartialShape::UnknownRank();
    return Status::OK();
  }
  const int rank = std::max(a.rank(), b.rank());
  std::vector<int64_t> dims(static_cast<size_t>(rank));
  for (int i = 0; i < rank; ++i) {
    const int ia = a.rank() - rank + i, ib = b.rank() - rank + i;
    const int64_t da = ia >= 0 ? a.dim(ia) : 1, db = ib >= 0 ? b.dim(ib) : 1;
    int64_t d;
    if (da == 1)
      d = db;
    else if (db == 1)
      d = da;
    else if (da < 0)
      d = db;
    else if (db < 0)
      d = da;
    else if (da == db)
      d = da;
    else {
      return ctx.Error("Dimensions must be equal, but are " + std::to_string(da) + " and " + std::to_string(db));
    }
    dims[static_cast<size_t>(i)] = d;
  }
  *out = PartialShape(std::move(dims));
  return Status::OK();
}

const OpRegistry& OpRegistry::Global() {
  static OpRegistry* registry = [] {
    auto* r = new OpRegistry();
    RegisterArrayOps(*r);
    RegisterLayoutOps(*r);
    RegisterMathOps(*r);
    RegisterNnOps(*r);
    RegisterStateOps(*r);
    RegisterIoOps(*r);
    RegisterTrainingOps(*r);
    RegisterConvOps(*r);
    RegisterRandomOps(*r);
    return r;
  }();
  return *registry;
}

void OpRegistry::Register(OpDef def) {
  std::string name = def.name;
  ops_[name] = std::make_unique<OpDef>(std::move(def));
}

const OpDef* OpRegistry::Lookup(std::string_view op) const {
  auto it = ops_.find(op);
  return it == ops_.end() ? nullptr : it->second.get();
}

std::vector<std::string> OpRegistry::ListOps() const {
  std::vector<std::string> out;
  for (const auto& [k, v] : ops_) out.push_back(k);
  return out;
}

}  // namespace tessera
