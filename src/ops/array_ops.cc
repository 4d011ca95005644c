// Array ops: sources, plumbing, shapes and layout.
#include "src/framework/dtype_switch.h"
#include "src/framework/op_registry.h"
#include "src/ops/builder.h"

namespace tessera {
namespace {

using ops_internal::Build;
using ops_internal::BuildFinal;
using ops_internal::HelperConst;
using ops_internal::IndexVectorTensor;
using ops_internal::OpName;
using ops_internal::VectorTensor;

Status ConstShape(InferenceContext& c) {
  const Tensor* v = c.attr<Tensor>("value");
  if (v == nullptr || !v->valid()) return c.Error("Const needs a valid 'value' tensor");
  if (!v->on_host()) return c.Error("Const 'value' must be a host tensor");
  c.SetAttr("dtype", v->dtype());
  c.AddOutput(v->dtype(), v->shape());
  return Status::OK();
}

Status PlaceholderShape(InferenceContext& c) {
  DataType dt = DataType::kInvalid;
  TESSERA_RETURN_IF_ERROR(c.GetAttr("dtype", &dt));
  if (dt == DataType::kInvalid) return c.Error("Placeholder needs a dtype");
  const PartialShape* s = c.attr<PartialShape>("shape");
  c.AddOutput(dt, s ? *s : PartialShape());
  return Status::OK();
}

Status PassThroughShape(InferenceContext& c) {
  c.SetAttr("T", c.input_type(0));
  c.AddOutput(c.input_type(0), c.input_shape(0));
  return Status::OK();
}

Status NoOutputs(InferenceContext&) { return Status::OK(); }

Status ReshapeShape(InferenceContext& c) {
  c.SetAttr("T", c.input_type(0));
  TESSERA_RETURN_IF_ERROR(c.ExpectRank(1, 1));
  std::vector<int64_t> dims;
  bool known;
  TESSERA_RETURN_IF_ERROR(c.ConstIntsInput(1, &dims, &known));
  c.SetAttr("Tshape", c.input_type(1));
  if (!known) {
    PartialShape s = c.input_shape(1);
    if (s.fully_defined() && s.dim(0) > kMaxRank) {
      return c.Error("The shape input has " + std::to_string(s.dim(0)) + " elements: a tensor has at most " +
                     std::to_string(kMaxRank) + " dimensions");
    }
    c.AddOutput(c.input_type(0),
                s.fully_defined() ? PartialShape::UnknownDims(static_cast<int>(s.dim(0))) : PartialShape());
    return Status::OK();
  }
  int infer = -1;
  int64_t known_product = 1;
  for (size_t i = 0; i < dims.size(); ++i) {
    if (dims[i] == -1) {
      if (infer >= 0)
        return c.Error("Cannot infer multiple unknown dimensions in shape " + TensorShape(dims).DebugString());
      infer = static_cast<int>(i);
    } else if (dims[i] < 0) {
      return c.Error("Size " + std::to_string(i) + " must be non-negative, not " + std::to_string(dims[i]));
    } else {
      known_product = MultiplyDims(known_product, dims[i]);
      if (known_product < 0) return c.Error("Shape " + TensorShape(dims).DebugString() + " has too many elements");
    }
  }
  PartialShape in = c.input_shape(0);
  if (in.fully_defined()) {
    const int64_t n = in.ToTensorShape().num_elements();
    if (infer >= 0) {
      if (known_product == 0 ? n != 0 : n % known_product != 0) {
        return c.Error("Cannot reshape a tensor with " + std::to_string(n) + " elements to shape " +
                       TensorShape(dims).DebugString());
      }
      dims[static_cast<size_t>(infer)] = known_product == 0 ? 0 : n / known_product;
    } else if (known_product != n) {
      return c.Error("Cannot reshape a tensor with " + std::to_string(n) + " elements to shape " +
                     TensorShape(dims).DebugString() + " (" + std::to_string(known_product) + " elements)");
    }
  }
  c.AddOutput(c.input_type(0), PartialShape(dims));
  return Status::OK();
}

Status TransposeShape(InferenceContext& c) {
  c.SetAttr("T", c.input_type(0));
  std::vector<int64_t> perm;
  bool known;
  TESSERA_RETURN_IF_ERROR(c.ConstIntsInput(1, &perm, &known));
  c.SetAttr("Tperm", c.input_type(1));
  PartialShape in = c.input_shape(0);
  if (!known || !in.known_rank()) {
    c.AddOutput(c.input_type(0), known ? PartialShape::UnknownDims(static_cast<int>(perm.size())) : PartialShape());
    return Status::OK();
  }
  if (static_cast<int>(perm.size()) != in.rank()) {
    return c.Error("Dimension must be " + std::to_string(in.rank()) + " but is " + std::to_string(perm.size()) +
                   " (the permutation must list every dimension)");
  }
  std::vector<bool> seen(perm.size(), false);
  std::vector<int64_t> out;
  for (int64_t p : perm) {
    if (p < 0 || p >= in.rank() || seen[static_cast<size_t>(p)]) {
      return c.Error("Invalid permutation " + TensorShape(perm).DebugString() + " for a tensor of rank " +
                     std::to_string(in.rank()));
    }
    seen[static_cast<size_t>(p)] = true;
    out.push_back(in.dim(static_cast<int>(p)));
  }
  c.AddOutput(c.input_type(0), PartialShape(out));
  return Status::OK();
}

Status ShapeShape(InferenceContext& c) {
  c.SetAttr("T", c.input_type(0));
  DataType out = DataType::kInt32;
  if (const DataType* o = c.attr<DataType>("out_type")) out = *o;
  TESSERA_RETURN_IF_ERROR(c.ExpectTypeIn(out, {DataType::kInt32, DataType::kInt64}, "out_type"));
  c.SetAttr("out_type", out);
  PartialShape in = c.input_shape(0);
  c.AddOutput(out, in.known_rank() ? PartialShape{in.rank()} : PartialShape{-1});
  return Status::OK();
}

// BroadcastGradientArgs: two shape vectors in; per operand, the axes its
// gradient is summed over to undo the broadcast (vectors of unknown length).
Status BroadcastGradientArgsShape(InferenceContext& c) {
  DataType dt = DataType::kInvalid;
  TESSERA_RETURN_IF_ERROR(c.ExpectSameTypes(0, 2, &dt));
  TESSERA_RETURN_IF_ERROR(c.ExpectTypeIn(dt, {DataType::kInt32, DataType::kInt64}, "T"));
  TESSERA_RETURN_IF_ERROR(c.ExpectRank(0, 1));
  TESSERA_RETURN_IF_ERROR(c.ExpectRank(1, 1));
  c.SetAttr("T", dt);
  c.AddOutput(dt, PartialShape{-1});
  c.AddOutput(dt, PartialShape{-1});
  return Status::OK();
}

Status FillShape(InferenceContext& c) {
  TESSERA_RETURN_IF_ERROR(c.ExpectRank(0, 1));
  TESSERA_RETURN_IF_ERROR(c.ExpectRank(1, 0));
  c.SetAttr("T", c.input_type(1));
  std::vector<int64_t> dims;
  bool known;
  TESSERA_RETURN_IF_ERROR(c.ConstIntsInput(0, &dims, &known));
  c.SetAttr("index_type", c.input_type(0));
  if (known) {
    for (int64_t d : dims) {
      if (d < 0) return c.Error("Fill dimensions must be >= 0, got " + TensorShape(dims).DebugString());
    }
    c.AddOutput(c.input_type(1), PartialShape(dims));
  } else {
    c.AddOutput(c.input_type(1), PartialShape());
  }
  return Status::OK();
}

Status ConcatShape(InferenceContext& c) {
  const int n = c.num_inputs() - 1;
  if (n < 1) return c.Error("ConcatV2 needs at least one value and an axis");
  c.SetAttr("N", static_cast<int64_t>(n));
  DataType dt = DataType::kInvalid;
  TESSERA_RETURN_IF_ERROR(c.ExpectSameTypes(0, n, &dt));
  c.SetAttr("T", dt);
  TESSERA_RETURN_IF_ERROR(c.ExpectRank(n, 0));
  std::vector<int64_t> axis_v;
  bool known;
  TESSERA_RETURN_IF_ERROR(c.ConstIntsInput(n, &axis_v, &known));
  c.SetAttr("Tidx", c.input_type(n));
  int rank = -1;
  for (int i = 0; i < n; ++i) {
    PartialShape s = c.input_shape(i);
    if (!s.known_rank()) continue;
    if (rank >= 0 && s.rank() != rank) {
      return c.Error("Ranks of all input tensors should match: shape[0] has rank " + std::to_string(rank) +
                     " but shape[" + std::to_string(i) + "] has rank " + std::to_string(s.rank()));
    }
    rank = s.rank();
  }
  if (rank == 0) return c.Error("Can't concatenate scalars (use Pack instead)");
  if (!known || rank < 0) {
    c.AddOutput(dt, rank >= 0 ? PartialShape::UnknownDims(rank) : PartialShape());
    return Status::OK();
  }
  int64_t axis = axis_v[0];
  if (axis < -rank || axis >= rank) {
    return c.Error("ConcatOp : Expected concatenating dimensions in the range [" + std::to_string(-rank) + ", " +
                   std::to_string(rank) + "), but got " + std::to_string(axis));
  }
  if (axis < 0) axis += rank;
  std::vector<int64_t> out(static_cast<size_t>(rank), -1);
  int64_t total = 0;
  bool total_known = true;
  for (int i = 0; i < n; ++i) {
    PartialShape s = c.input_shape(i);
    if (!s.known_rank()) {
      total_known = false;
      continue;
    }
    for (int d = 0; d < rank; ++d) {
      if (d == axis) continue;
      int64_t v = s.dim(d);
      if (v < 0) continue;
      if (out[static_cast<size_t>(d)] >= 0 && out[static_cast<size_t>(d)] != v) {
        return c.Error("Dimension " + std::to_string(d) + " in both shapes must be equal, but are " +
                       std::to_string(out[static_cast<size_t>(d)]) + " and " + std::to_string(v));
      }
      out[static_cast<size_t>(d)] = v;
    }
    if (s.dim(static_cast<int>(axis)) < 0) {
      total_known = false;
    } else if (__builtin_add_overflow(total, s.dim(static_cast<int>(axis)), &total)) {
      return c.Error("The concatenated dimension " + std::to_string(axis) + " would have more than 2**63 - 1 entries");
    }
  }
  out[static_cast<size_t>(axis)] = total_known ? total : -1;
  c.AddOutput(dt, PartialShape(out));
  return Status::OK();
}

Status SliceShape(InferenceContext& c) {
  c.SetAttr("T", c.input_type(0));
  TESSERA_RETURN_IF_ERROR(c.ExpectRank(1, 1));
  TESSERA_RETURN_IF_ERROR(c.ExpectRank(2, 1));
  std::vector<int64_t> begin, size;
  bool kb, ks;
  TESSERA_RETURN_IF_ERROR(c.ConstIntsInput(1, &begin, &kb));
  TESSERA_RETURN_IF_ERROR(c.ConstIntsInput(2, &size, &ks));
  if (c.input_type(1) != c.input_type(2)) return c.Error("begin and size must have the same dtype");
  c.SetAttr("Index", c.input_type(1));
  PartialShape in = c.input_shape(0);
  if (!in.known_rank() || !kb || !ks) {
    c.AddOutput(c.input_type(0), in.known_rank() ? PartialShape::UnknownDims(in.rank()) : PartialShape());
    return Status::OK();
  }
  if (static_cast<int>(begin.size()) != in.rank() || static_cast<int>(size.size()) != in.rank()) {
    return c.Error("Expected begin and size arguments to be 1-D tensors of size " + std::to_string(in.rank()) +
                   ", but got shapes [" + std::to_string(begin.size()) + "] and [" + std::to_string(size.size()) +
                   "] instead");
  }
  std::vector<int64_t> out;
  for (int i = 0; i < in.rank(); ++i) {
    int64_t b = begin[static_cast<size_t>(i)], s = size[static_cast<size_t>(i)], d = in.dim(i);
    if (b < 0 || (d >= 0 && b > d)) {
      return c.Error("Expected begin[" + std::to_string(i) + "] in [0, " + std::to_string(d) + "], but got " +
                     std::to_string(b));
    }
    if (s == -1) {
      out.push_back(d < 0 ? -1 : d - b);
    } else if (s < 0 || (d >= 0 && s > d - b)) {
      return c.Error("Expected size[" + std::to_string(i) + "] in [0, " + std::to_string(d < 0 ? -1 : d - b) +
                     "], but got " + std::to_string(s));
    } else {
      out.push_back(s);
    }
  }
  c.AddOutput(c.input_type(0), PartialShape(out));
  return Status::OK();
}

Status PrintShape(InferenceContext& c) { return PassThroughShape(c); }

Status ExpandDimsShape(InferenceContext& c) {
  c.SetAttr("T", c.input_type(0));
  std::vector<int64_t> dim;
  bool known;
  TESSERA_RETURN_IF_ERROR(c.ConstIntsInput(1, &dim, &known));
  c.SetAttr("Tdim", c.input_type(1));
  PartialShape in = c.input_shape(0);
  if (known && dim.size() != 1) return c.Error("'dim' input must be a tensor with a single value");
  if (!known || !in.known_rank()) {
    c.AddOutput(c.input_type(0), in.known_rank() ? PartialShape::UnknownDims(in.rank() + 1) : PartialShape());
    return Status::OK();
  }
  int64_t d = dim[0];
  if (d < -1 - in.rank() || d > in.rank()) {
    return c.Error("Tried to expand dim index " + std::to_string(d) + " for tensor with " + std::to_string(in.rank()) +
                   " dimensions.");
  }
  if (d < 0) d += in.rank() + 1;
  std::vector<int64_t> dims = in.dims();
  dims.insert(dims.begin() + d, 1);
  c.AddOutput(c.input_type(0), PartialShape(dims));
  return Status::OK();
}

Status SqueezeShape(InferenceContext& c) {
  c.SetAttr("T", c.input_type(0));
  std::vector<int64_t> sq;
  if (const auto* v = c.attr<std::vector<int64_t>>("squeeze_dims")) sq = *v;
  c.SetAttr("squeeze_dims", sq);
  PartialShape in = c.input_shape(0);
  if (!in.known_rank()) {
    c.AddOutput(c.input_type(0), PartialShape());
    return Status::OK();
  }
  const int rank = in.rank();
  std::vector<bool> listed(static_cast<size_t>(rank), false);
  for (int64_t d : sq) {
    if (d < -rank || d >= rank) {
      return c.Error("Tried to squeeze dim index " + std::to_string(d) + " for tensor with " + std::to_string(rank) +
                     " dimensions.");
    }
    const int i = static_cast<int>(d < 0 ? d + rank : d);
    if (in.dim(i) >= 0 && in.dim(i) != 1) {
      return c.Error("Can not squeeze dim[" + std::to_string(i) + "], expected a dimension of 1, got " +
                     std::to_string(in.dim(i)));
    }
    listed[static_cast<size_t>(i)] = true;
  }
  std::vector<int64_t> out;
  for (int i = 0; i < rank; ++i) {
    const int64_t d = in.dim(i);
    if (sq.empty() ? d == 1 : listed[static_cast<size_t>(i)]) continue;
    if (sq.empty() && d < 0) {  // might be 1: the rank is unknown
      c.AddOutput(c.input_type(0), PartialShape());
      return Status::OK();
    }
    out.push_back(d);
  }
  c.AddOutput(c.input_type(0), PartialShape(out));
  return Status::OK();
}

// Size (out_type int32 or int64) and Rank (int32): scalars.
Status SizeShape(InferenceContext& c) {
  c.SetAttr("T", c.input_type(0));
  DataType out = DataType::kInt32;
  if (const DataType* o = c.attr<DataType>("out_type")) out = *o;
  TESSERA_RETURN_IF_ERROR(c.ExpectTypeIn(out, {DataType::kInt32, DataType::kInt64}, "out_type"));
  c.SetAttr("out_type", out);
  c.AddOutput(out, PartialShape(std::vector<int64_t>{}));
  return Status::OK();
}

Status RankShape(InferenceContext& c) {
  c.SetAttr("T", c.input_type(0));
  c.AddOutput(DataType::kInt32, PartialShape(std::vector<int64_t>{}));
  return Status::OK();
}

// Pack: N values of one shape stacked along a new dimension `axis`.
Status PackShape(InferenceContext& c) {
  const int n = c.num_inputs();
  if (n < 1) return c.Error("Pack needs at least one value");
  c.SetAttr("N", static_cast<int64_t>(n));
  DataType dt = DataType::kInvalid;
  TESSERA_RETURN_IF_ERROR(c.ExpectSameTypes(0, n, &dt));
  c.SetAttr("T", dt);
  int64_t axis = 0;
  if (const int64_t* a = c.attr<int64_t>("axis")) axis = *a;
  c.SetAttr("axis", axis);
  PartialShape merged;
  for (int i = 0; i < n; ++i) {
    PartialShape s = c.input_shape(i);
    if (!s.known_rank()) continue;
    if (!merged.known_rank()) {
      merged = s;
      continue;
    }
    bool same = s.rank() == merged.rank();
    for (int d = 0; same && d < s.rank(); ++d) {
      if (s.dim(d) >= 0 && merged.dim(d) >= 0 && s.dim(d) != merged.dim(d)) same = false;
    }
    if (!same) {
      return c.Error("Shapes of all inputs must match: values[0].shape = " + c.input_shape(0).DebugString() +
                     " != values[" + std::to_string(i) + "].shape = " + s.DebugString());
    }
  }
  if (!merged.known_rank()) {
    c.AddOutput(dt, PartialShape());
    return Status::OK();
  }
  const int rank = merged.rank() + 1;
  if (axis < -rank || axis >= rank) {
    return c.Error("Invalid axis: " + std::to_string(axis) + "; must be in [" + std::to_string(-rank) + "," +
                   std::to_string(rank) + ")");
  }
  if (axis < 0) axis += rank;
  std::vector<int64_t> dims = merged.dims();
  dims.insert(dims.begin() + axis, n);
  c.AddOutput(dt, PartialShape(dims));
  return Status::OK();
}

// Unpack: `num` outputs, value's slices along `axis`.
Status UnpackShape(InferenceContext& c) {
  c.SetAttr("T", c.input_type(0));
  int64_t axis = 0, num = -1;
  if (const int64_t* a = c.attr<int64_t>("axis")) axis = *a;
  if (const int64_t* m = c.attr<int64_t>("num")) num = *m;
  c.SetAttr("axis", axis);
  PartialShape in = c.input_shape(0);
  if (!in.known_rank()) return c.Error("Unpack needs the rank of its input, which is unknown");
  const int rank = in.rank();
  if (axis < -rank || axis >= rank) {
    return c.Error("axis = " + std::to_string(axis) + " not in [" + std::to_string(-rank) + ", " +
                   std::to_string(rank) + ")");
  }
  if (axis < 0) axis += rank;
  const int64_t len = in.dim(static_cast<int>(axis));
  if (num < 0) num = len;
  if (num < 0) return c.Error("Cannot infer num from shape " + in.DebugString());
  if (len >= 0 && len != num) {
    return c.Error("Input shape axis " + std::to_string(axis) + " must equal " + std::to_string(num) + ", got " +
                   std::to_string(len));
  }
  c.SetAttr("num", num);
  std::vector<int64_t> dims = in.dims();
  dims.erase(dims.begin() + axis);
  for (int64_t i = 0; i < num; ++i) c.AddOutput(c.input_type(0), PartialShape(dims));
  return Status::OK();
}

// A Fill of `value` converted to `dtype` (tf.zeros, tf.ones).
Output FillWith(Graph& g, const std::vector<int64_t>& dims, DataType dtype, int value, std::string_view name) {
  Tensor scalar;
  Status s = SwitchAllTypes(dtype, [&]<typename T>() { scalar = Tensor::Scalar<T>(static_cast<T>(value)); });
  if (!s.ok()) {
    g.RecordError(InvalidArgumentError(std::string(name) + ": dtype " + std::string(DataTypeString(dtype)) +
                                       " is not supported"));
    return Output();
  }
  return ops::Fill(g, dims, scalar, name);
}

}  // namespace

void RegisterArrayOps(OpRegistry& r) {
  r.Register(OpDef("Const").TypeAttr("dtype").SetShapeFn(ConstShape));
  r.Register(OpDef("Placeholder").TypeAttr("dtype").SetShapeFn(PlaceholderShape));
  r.Register(OpDef("Identity").Inputs(1).TypeAttr("T").SetShapeFn(PassThroughShape));
  r.Register(OpDef("NoOp").SetShapeFn(NoOutputs));
  r.Register(OpDef("Reshape").Inputs(2).TypeAttr("T").SetShapeFn(ReshapeShape));
  r.Register(OpDef("Transpose").Inputs(2).TypeAttr("T").SetShapeFn(TransposeShape));
  r.Register(OpDef("Shape").Inputs(1).TypeAttr("T").SetShapeFn(ShapeShape));
  r.Register(OpDef("BroadcastGradientArgs").Inputs(2).TypeAttr("T").SetShapeFn(BroadcastGradientArgsShape));
  r.Register(OpDef("Fill").Inputs(2).TypeAttr("T").SetShapeFn(FillShape));
  r.Register(OpDef("ZerosLike").Inputs(1).TypeAttr("T").SetShapeFn(PassThroughShape));
  r.Register(OpDef("OnesLike").Inputs(1).TypeAttr("T").SetShapeFn(PassThroughShape));
  r.Register(OpDef("ConcatV2").Inputs(2, -1).TypeAttr("T").SetShapeFn(ConcatShape));
  r.Register(OpDef("Slice").Inputs(3).TypeAttr("T").SetShapeFn(SliceShape));
  r.Register(OpDef("Print").Inputs(1).Stateful().TypeAttr("T").SetShapeFn(PrintShape));
  r.Register(OpDef("StopGradient").Inputs(1).TypeAttr("T").SetShapeFn(PassThroughShape));
  r.Register(OpDef("ExpandDims").Inputs(2).TypeAttr("T").SetShapeFn(ExpandDimsShape));
  r.Register(OpDef("Squeeze").Inputs(1).TypeAttr("T").SetShapeFn(SqueezeShape));
  r.Register(OpDef("Size").Inputs(1).TypeAttr("T").SetShapeFn(SizeShape));
  r.Register(OpDef("Rank").Inputs(1).TypeAttr("T").SetShapeFn(RankShape));
  r.Register(OpDef("Pack").Inputs(1, -1).TypeAttr("T").SetShapeFn(PackShape));
  r.Register(OpDef("Unpack").Inputs(1).TypeAttr("T").SetShapeFn(UnpackShape));
}

namespace ops {

Output Const(Graph& g, const Tensor& value, Name name) {
  return Build(g, "Const", OpName(name, "Const"), {}, AttrMap{{"value", value.Clone()}});
}

Output Placeholder(Graph& g, DataType dtype, const PartialShape& shape, Name name) {
  return Build(g, "Placeholder", OpName(name, "Placeholder"), {}, AttrMap{{"dtype", dtype}, {"shape", shape}});
}

Output Identity(Graph& g, Output x, Name name) { return Build(g, "Identity", OpName(name, "Identity"), {x}); }

Operation NoOp(Graph& g, Name name) { return g.AddNodeOrRecord(NodeSpec{"NoOp", OpName(name, "NoOp"), {}, {}, {}}); }

Operation Group(Graph& g, const std::vector<Operation>& deps, Name name) {
  return g.AddNodeOrRecord(NodeSpec{"NoOp", OpName(name, "group_deps"), {}, {}, deps});
}

Output Print(Graph& g, Output x, std::string_view message, int summarize, Name name) {
  return Build(g, "Print", OpName(name, "Print"), {x},
               AttrMap{{"message", std::string(message)}, {"summarize", static_cast<int64_t>(summarize)}});
}

Output Reshape(Graph& g, Output x, Output shape, Name name) {
  return Build(g, "Reshape", OpName(name, "Reshape"), {x, shape});
}

Output Reshape(Graph& g, Output x, const std::vector<int64_t>& shape, Name name) {
  std::string n = g.UniqueScopedName(OpName(name, "Reshape"));
  Output s = HelperConst(g, n, "shape", IndexVectorTensor(shape));
  return BuildFinal(g, "Reshape", n, {x, s});
}

Output Transpose(Graph& g, Output x, const std::vector<int32_t>& perm_in, Name name) {
  std::vector<int32_t> perm = perm_in;
  if (perm.empty()) {  // default: reverse the dimensions, as in TF
    PartialShape s = x.shape();
    for (int i = s.rank() - 1; i >= 0; --i) perm.push_back(i);
  }
  std::string n = g.UniqueScopedName(OpName(name, "transpose"));
  Output p = HelperConst(g, n, "perm", VectorTensor<int32_t>(perm));
  return BuildFinal(g, "Transpose", n, {x, p});
}

std::vector<Output> BroadcastGradientArgs(Graph& g, Output s0, Output s1, Name name) {
  return ops_internal::AllOutputs(
      Operation(Build(g, "BroadcastGradientArgs", OpName(name, "BroadcastGradientArgs"), {s0, s1})));
}

Output Shape(Graph& g, Output x, DataType out_type, Name name) {
  return Build(g, "Shape", OpName(name, "Shape"), {x}, AttrMap{{"out_type", out_type}});
}

Output Fill(Graph& g, Output dims, Output value, Name name) {
  return Build(g, "Fill", OpName(name, "Fill"), {dims, value});
}

Output Fill(Graph& g, const std::vector<int64_t>& dims, const Tensor& scalar_value, Name name) {
  std::string n = g.UniqueScopedName(OpName(name, "Fill"));
  Output d = HelperConst(g, n, "dims", IndexVectorTensor(dims));
  Output v = HelperConst(g, n, "value", scalar_value);
  return BuildFinal(g, "Fill", n, {d, v});
}

Output ZerosLike(Graph& g, Output x, Name name) { return Build(g, "ZerosLike", OpName(name, "zeros_like"), {x}); }
Output OnesLike(Graph& g, Output x, Name name) { return Build(g, "OnesLike", OpName(name, "ones_like"), {x}); }

Output Concat(Graph& g, const std::vector<Output>& values, int32_t axis, Name name) {
  std::string n = g.UniqueScopedName(OpName(name, "concat"));
  Output a = HelperConst(g, n, "axis", Tensor::Scalar<int32_t>(axis));
  std::vector<Output> inputs = values;
  inputs.push_back(a);
  return BuildFinal(g, "ConcatV2", n, inputs);
}

Output Slice(Graph& g, Output x, const std::vector<int64_t>& begin, const std::vector<int64_t>& size, Name name) {
  std::string n = g.UniqueScopedName(OpName(name, "Slice"));
  // begin and size share one dtype (int64 when either needs it).
  Tensor bt = IndexVectorTensor(begin), st = IndexVectorTensor(size);
  if (bt.dtype() != st.dtype()) {
    bt = VectorTensor<int64_t>(begin);
    st = VectorTensor<int64_t>(size);
  }
  Output b = HelperConst(g, n, "begin", bt);
  Output s = HelperConst(g, n, "size", st);
  return BuildFinal(g, "Slice", n, {x, b, s});
}

Output ExpandDims(Graph& g, Output x, int32_t axis, Name name) {
  std::string n = g.UniqueScopedName(OpName(name, "ExpandDims"));
  Output d = HelperConst(g, n, "dim", Tensor::Scalar<int32_t>(axis));
  return BuildFinal(g, "ExpandDims", n, {x, d});
}

Output Squeeze(Graph& g, Output x, const std::vector<int64_t>& axes, Name name) {
  return Build(g, "Squeeze", OpName(name, "Squeeze"), {x}, AttrMap{{"squeeze_dims", axes}});
}

Output Size(Graph& g, Output x, DataType out_type, Name name) {
  return Build(g, "Size", OpName(name, "Size"), {x}, AttrMap{{"out_type", out_type}});
}

Output Rank(Graph& g, Output x, Name name) { return Build(g, "Rank", OpName(name, "Rank"), {x}); }

Output StopGradient(Graph& g, Output x, Name name) {
  return Build(g, "StopGradient", OpName(name, "StopGradient"), {x});
}

Output Stack(Graph& g, const std::vector<Output>& values, int64_t axis, Name name) {
  return Build(g, "Pack", OpName(name, "stack"), values, AttrMap{{"axis", axis}});
}

std::vector<Output> Unstack(Graph& g, Output x, int64_t axis, Name name) {
  return ops_internal::AllOutputs(
      g.AddNodeOrRecord(NodeSpec{"Unpack", OpName(name, "unstack"), {x}, AttrMap{{"axis", axis}}, {}}));
}

Output Zeros(Graph& g, const std::vector<int64_t>& dims, DataType dtype, Name name) {
  return FillWith(g, dims, dtype, 0, OpName(name, "zeros"));
}

Output Ones(Graph& g, const std::vector<int64_t>& dims, DataType dtype, Name name) {
  return FillWith(g, dims, dtype, 1, OpName(name, "ones"));
}

}  // namespace ops
}  // namespace tessera
