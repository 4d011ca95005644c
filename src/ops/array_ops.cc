// Array ops: sources, plumbing, shapes and layout.
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

// Reads an int vector input that must be a constant for shape inference; when
// it is not, *known is false.
Status ConstIntsInput(InferenceContext& c, int i, std::vector<int64_t>* v, bool* known) {
  TESSERA_RETURN_IF_ERROR(
      c.ExpectTypeIn(c.input_type(i), {DataType::kInt32, DataType::kInt64}, "Input " + std::to_string(i)));
  *known = c.input_constant_ints(i, v);
  return Status::OK();
}

Status ReshapeShape(InferenceContext& c) {
  c.SetAttr("T", c.input_type(0));
  TESSERA_RETURN_IF_ERROR(c.ExpectRank(1, 1));
  std::vector<int64_t> dims;
  bool known;
  TESSERA_RETURN_IF_ERROR(ConstIntsInput(c, 1, &dims, &known));
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
  TESSERA_RETURN_IF_ERROR(ConstIntsInput(c, 1, &perm, &known));
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

Status FillShape(InferenceContext& c) {
  TESSERA_RETURN_IF_ERROR(c.ExpectRank(0, 1));
  TESSERA_RETURN_IF_ERROR(c.ExpectRank(1, 0));
  c.SetAttr("T", c.input_type(1));
  std::vector<int64_t> dims;
  bool known;
  TESSERA_RETURN_IF_ERROR(ConstIntsInput(c, 0, &dims, &known));
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
  TESSERA_RETURN_IF_ERROR(ConstIntsInput(c, n, &axis_v, &known));
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
  TESSERA_RETURN_IF_ERROR(ConstIntsInput(c, 1, &begin, &kb));
  TESSERA_RETURN_IF_ERROR(ConstIntsInput(c, 2, &size, &ks));
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

}  // namespace

void RegisterArrayOps(OpRegistry& r) {
  r.Register(OpDef("Const").TypeAttr("dtype").SetShapeFn(ConstShape));
  r.Register(OpDef("Placeholder").TypeAttr("dtype").SetShapeFn(PlaceholderShape));
  r.Register(OpDef("Identity").Inputs(1).TypeAttr("T").SetShapeFn(PassThroughShape));
  r.Register(OpDef("NoOp").SetShapeFn(NoOutputs));
  r.Register(OpDef("Reshape").Inputs(2).TypeAttr("T").SetShapeFn(ReshapeShape));
  r.Register(OpDef("Transpose").Inputs(2).TypeAttr("T").SetShapeFn(TransposeShape));
  r.Register(OpDef("Shape").Inputs(1).TypeAttr("T").SetShapeFn(ShapeShape));
  r.Register(OpDef("Fill").Inputs(2).TypeAttr("T").SetShapeFn(FillShape));
  r.Register(OpDef("ZerosLike").Inputs(1).TypeAttr("T").SetShapeFn(PassThroughShape));
  r.Register(OpDef("OnesLike").Inputs(1).TypeAttr("T").SetShapeFn(PassThroughShape));
  r.Register(OpDef("ConcatV2").Inputs(2, -1).TypeAttr("T").SetShapeFn(ConcatShape));
  r.Register(OpDef("Slice").Inputs(3).TypeAttr("T").SetShapeFn(SliceShape));
  r.Register(OpDef("Print").Inputs(1).Stateful().TypeAttr("T").SetShapeFn(PrintShape));
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

}  // namespace ops
}  // namespace tessera
