// Math ops: elementwise, comparison, selection, MatMul, reductions, ArgMax.
#include "src/framework/op_registry.h"
#include "src/ops/builder.h"

namespace tessera {
namespace {

using ops_internal::Build;
using ops_internal::BuildFinal;
using ops_internal::HelperConst;
using ops_internal::OpName;
using ops_internal::VectorTensor;

constexpr DataType F32 = DataType::kFloat, F64 = DataType::kDouble, I32 = DataType::kInt32, I64 = DataType::kInt64,
                   BOOL = DataType::kBool;

ShapeFn BinaryShape(std::initializer_list<DataType> allowed, bool bool_output) {
  std::vector<DataType> types(allowed);
  return [types, bool_output](InferenceContext& c) -> Status {
    DataType dt = DataType::kInvalid;
    TESSERA_RETURN_IF_ERROR(c.ExpectSameTypes(0, 2, &dt));
    bool ok = false;
    for (DataType a : types) ok |= a == dt;
    if (!ok) {
      std::string list;
      for (DataType a : types) list += (list.empty() ? "" : ", ") + std::string(DataTypeString(a));
      return c.Error("Value for attr 'T' of " + std::string(DataTypeString(dt)) +
                     " is not in the list of allowed values: " + list);
    }
    c.SetAttr("T", dt);
    PartialShape out;
    TESSERA_RETURN_IF_ERROR(BroadcastShapes(c, c.input_shape(0), c.input_shape(1), &out));
    c.AddOutput(bool_output ? BOOL : dt, out);
    return Status::OK();
  };
}

ShapeFn UnaryShape(std::initializer_list<DataType> allowed) {
  std::vector<DataType> types(allowed);
  return [types](InferenceContext& c) -> Status {
    DataType dt = c.input_type(0);
    bool ok = false;
    for (DataType a : types) ok |= a == dt;
    if (!ok) {
      std::string list;
      for (DataType a : types) list += (list.empty() ? "" : ", ") + std::string(DataTypeString(a));
      return c.Error("Value for attr 'T' of " + std::string(DataTypeString(dt)) +
                     " is not in the list of allowed values: " + list);
    }
    c.SetAttr("T", dt);
    c.AddOutput(dt, c.input_shape(0));
    return Status::OK();
  };
}

// LogicalAnd, LogicalOr (broadcasting) and LogicalNot: bool in, bool out, no "T".
Status LogicalShape(InferenceContext& c) {
  for (int i = 0; i < c.num_inputs(); ++i) TESSERA_RETURN_IF_ERROR(c.ExpectInputType(i, BOOL));
  PartialShape out = c.input_shape(0);
  if (c.num_inputs() == 2) TESSERA_RETURN_IF_ERROR(BroadcastShapes(c, c.input_shape(0), c.input_shape(1), &out));
  c.AddOutput(BOOL, out);
  return Status::OK();
}

Status CastShape(InferenceContext& c) {
  DataType dst = DataType::kInvalid;
  TESSERA_RETURN_IF_ERROR(c.GetAttr("DstT", &dst));
  TESSERA_RETURN_IF_ERROR(c.ExpectTypeIn(dst, {F32, F64, I32, I64, BOOL}, "DstT"));
  TESSERA_RETURN_IF_ERROR(c.ExpectTypeIn(c.input_type(0), {F32, F64, I32, I64, BOOL}, "Input 0"));
  c.SetAttr("SrcT", c.input_type(0));
  c.AddOutput(dst, c.input_shape(0));
  return Status::OK();
}

Status SelectShape(InferenceContext& c) {
  TESSERA_RETURN_IF_ERROR(c.ExpectInputType(0, BOOL));
  DataType dt = DataType::kInvalid;
  TESSERA_RETURN_IF_ERROR(c.ExpectSameTypes(1, 3, &dt));
  c.SetAttr("T", dt);
  PartialShape cond = c.input_shape(0), t = c.input_shape(1), e = c.input_shape(2);
  if (t.known_rank() && e.known_rank()) {
    bool same = t.rank() == e.rank();
    for (int i = 0; same && i < t.rank(); ++i) {
      if (t.dim(i) >= 0 && e.dim(i) >= 0 && t.dim(i) != e.dim(i)) same = false;
    }
    if (!same)
      return c.Error("'then' and 'else' must have the same size, but received: " + t.DebugString() + " vs. " +
                     e.DebugString());
  }
  if (cond.known_rank() && t.known_rank() && cond.rank() != 0) {
    bool ok;
    if (cond.rank() == t.rank()) {
      ok = true;
      for (int i = 0; i < t.rank(); ++i) {
        if (cond.dim(i) >= 0 && t.dim(i) >= 0 && cond.dim(i) != t.dim(i)) ok = false;
      }
    } else {
      ok = cond.rank() == 1 && t.rank() >= 1 && (cond.dim(0) < 0 || t.dim(0) < 0 || cond.dim(0) == t.dim(0));
    }
    if (!ok) {
      return c.Error(
          "'cond' must be a scalar, have the shape of 'then', or be a vector over its first dimension; got " +
          cond.DebugString() + " for 'then' of shape " + t.DebugString());
    }
  }
  c.AddOutput(dt, t.known_rank() ? t : e);
  return Status::OK();
}

Status MatMulShape(InferenceContext& c) {
  DataType dt = DataType::kInvalid;
  TESSERA_RETURN_IF_ERROR(c.ExpectSameTypes(0, 2, &dt));
  TESSERA_RETURN_IF_ERROR(c.ExpectTypeIn(dt, {F32, F64, I32, I64}, "Input 0"));
  c.SetAttr("T", dt);
  TESSERA_RETURN_IF_ERROR(c.ExpectRank(0, 2));
  TESSERA_RETURN_IF_ERROR(c.ExpectRank(1, 2));
  bool ta = false, tb = false;
  if (const bool* v = c.attr<bool>("transpose_a")) ta = *v;
  if (const bool* v = c.attr<bool>("transpose_b")) tb = *v;
  c.SetAttr("transpose_a", ta);
  c.SetAttr("transpose_b", tb);
  PartialShape a = c.input_shape(0), b = c.input_shape(1);
  int64_t m = -1, ka = -1, kb = -1, n = -1;
  if (a.known_rank()) {
    m = a.dim(ta ? 1 : 0);
    ka = a.dim(ta ? 0 : 1);
  }
  if (b.known_rank()) {
    kb = b.dim(tb ? 1 : 0);
    n = b.dim(tb ? 0 : 1);
  }
  if (ka >= 0 && kb >= 0 && ka != kb) {
    return c.Error("Dimensions must be equal, but are " + std::to_string(ka) + " and " + std::to_string(kb));
  }
  c.AddOutput(dt, PartialShape{m, n});
  return Status::OK();
}

// Output shape of a reduction of `in` over constant `axes`.
Status ReducedShape(InferenceContext& c, const PartialShape& in, std::vector<int64_t> axes, bool keep_dims,
                    PartialShape* out) {
  if (!in.known_rank()) {
    *out = PartialShape();
    return Status::OK();
  }
  const int rank = in.rank();
  std::vector<bool> reduce(static_cast<size_t>(rank), false);
  for (int64_t a : axes) {
    if (a < -rank || a >= rank) {
      return c.Error("Invalid reduction dimension " + std::to_string(a) + " for input with " + std::to_string(rank) +
                     " dimensions");
    }
    const auto i = static_cast<size_t>(a < 0 ? a + rank : a);
    if (reduce[i])
      return c.Error("Invalid reduction arguments: Axes contains duplicate dimension: " + std::to_string(i));
    reduce[i] = true;
  }
  std::vector<int64_t> dims;
  for (int i = 0; i < rank; ++i) {
    if (!reduce[static_cast<size_t>(i)])
      dims.push_back(in.dim(i));
    else if (keep_dims)
      dims.push_back(1);
  }
  *out = PartialShape(dims);
  return Status::OK();
}

// All and Any take bool and have no "T" (has_t false).
ShapeFn ReductionShape(std::initializer_list<DataType> allowed, bool has_t = true) {
  std::vector<DataType> types(allowed);
  return [types, has_t](InferenceContext& c) -> Status {
    DataType dt = c.input_type(0);
    bool ok = false;
    for (DataType a : types) ok |= a == dt;
    if (!ok) return c.Error("Reduction does not support dtype " + std::string(DataTypeString(dt)));
    if (has_t) c.SetAttr("T", dt);
    TESSERA_RETURN_IF_ERROR(c.ExpectTypeIn(c.input_type(1), {I32, I64}, "reduction_indices"));
    c.SetAttr("Tidx", c.input_type(1));
    TESSERA_RETURN_IF_ERROR(c.ExpectMinRank(1, 0));
    bool keep = false;
    if (const bool* k = c.attr<bool>("keep_dims")) keep = *k;
    c.SetAttr("keep_dims", keep);
    std::vector<int64_t> axes;
    PartialShape out;
    if (c.input_constant_ints(1, &axes)) {
      TESSERA_RETURN_IF_ERROR(ReducedShape(c, c.input_shape(0), axes, keep, &out));
    } else if (keep && c.input_shape(0).known_rank()) {
      out = PartialShape::UnknownDims(c.input_shape(0).rank());
    }
    c.AddOutput(dt, out);
    return Status::OK();
  };
}

Status ArgMaxShape(InferenceContext& c) {
  TESSERA_RETURN_IF_ERROR(c.ExpectTypeIn(c.input_type(0), {F32, F64, I32, I64}, "Input 0"));
  c.SetAttr("T", c.input_type(0));
  TESSERA_RETURN_IF_ERROR(c.ExpectTypeIn(c.input_type(1), {I32, I64}, "dimension"));
  TESSERA_RETURN_IF_ERROR(c.ExpectRank(1, 0));
  c.SetAttr("Tidx", c.input_type(1));
  DataType out = I64;
  if (const DataType* o = c.attr<DataType>("output_type")) out = *o;
  TESSERA_RETURN_IF_ERROR(c.ExpectTypeIn(out, {I32, I64}, "output_type"));
  c.SetAttr("output_type", out);
  PartialShape in = c.input_shape(0);
  std::vector<int64_t> axis;
  if (in.known_rank() && in.rank() == 0) return c.Error("ArgMax and ArgMin need an input of rank >= 1");
  if (!in.known_rank() || !c.input_constant_ints(1, &axis)) {
    c.AddOutput(out, in.known_rank() ? PartialShape::UnknownDims(in.rank() - 1) : PartialShape());
    return Status::OK();
  }
  PartialShape r;
  TESSERA_RETURN_IF_ERROR(ReducedShape(c, in, axis, false, &r));
  c.AddOutput(out, r);
  return Status::OK();
}

Output Reduction(Graph& g, const char* op, Output x, Output axes, bool keep_dims, std::string_view name) {
  return Build(g, op, OpName(name, op), {x, axes}, AttrMap{{"keep_dims", keep_dims}});
}

Output Reduction(Graph& g, const char* op, Output x, const std::vector<int32_t>& axes_in, bool keep_dims,
                 std::string_view name) {
  std::vector<int32_t> axes = axes_in;
  if (axes.empty()) {  // all dimensions
    PartialShape s = x.shape();
    if (!s.known_rank()) {
      g.RecordError(InvalidArgumentError(std::string(op) + " over all axes of " + x.name() +
                                         " needs its rank, which is unknown at graph construction; pass the axes"));
      return Output();
    }
    for (int i = 0; i < s.rank(); ++i) axes.push_back(i);
  }
  std::string n = g.UniqueScopedName(OpName(name, op));
  Output a = HelperConst(g, n, "reduction_indices", VectorTensor<int32_t>(axes));
  return BuildFinal(g, op, n, {x, a}, AttrMap{{"keep_dims", keep_dims}});
}

Output ArgMinMax(Graph& g, const char* op, Output x, int32_t axis, DataType output_type, std::string_view name) {
  std::string n = g.UniqueScopedName(OpName(name, op));
  Output d = HelperConst(g, n, "dimension", Tensor::Scalar<int32_t>(axis));
  return BuildFinal(g, op, n, {x, d}, AttrMap{{"output_type", output_type}});
}

// AddN: N tensors of one dtype and one shape, summed.
Status AddNShape(InferenceContext& c) {
  const int n = c.num_inputs();
  if (n < 1) return c.Error("AddN needs at least one input");
  c.SetAttr("N", static_cast<int64_t>(n));
  DataType dt = DataType::kInvalid;
  if (Status s = c.ExpectSameTypes(0, n, &dt); !s.ok()) {
    std::string types;
    for (int i = 0; i < n; ++i) types += (i ? ", " : "") + std::string(DataTypeString(c.input_type(i)));
    return c.Error("Tensors in list passed to 'inputs' of 'AddN' Op have types [" + types + "] that don't all match.");
  }
  TESSERA_RETURN_IF_ERROR(c.ExpectTypeIn(dt, {F32, F64, I32, I64}, "T"));
  c.SetAttr("T", dt);
  PartialShape merged;
  TESSERA_RETURN_IF_ERROR(c.MergeInputShapes(0, n, &merged));
  c.AddOutput(dt, merged);
  return Status::OK();
}

}  // namespace

void RegisterMathOps(OpRegistry& r) {
  r.Register(OpDef("AddN").Inputs(1, -1).TypeAttr("T").SetShapeFn(AddNShape));
  // AddV2 is what TF 2.x writes for tf.add and +; Add stays for graphs that name it.
  for (const char* op :
       {"Add", "AddV2", "Sub", "Mul", "Div", "RealDiv", "Maximum", "Minimum", "Pow", "FloorDiv", "FloorMod"}) {
    r.Register(OpDef(op).Inputs(2).TypeAttr("T").SetShapeFn(BinaryShape({F32, F64, I32, I64}, false)));
  }
  for (const char* op : {"Equal", "NotEqual"}) {
    r.Register(OpDef(op).Inputs(2).TypeAttr("T").SetShapeFn(BinaryShape({F32, F64, I32, I64, BOOL}, true)));
  }
  for (const char* op : {"LogicalAnd", "LogicalOr"}) {
    r.Register(OpDef(op).Inputs(2).SetShapeFn(LogicalShape));
  }
  r.Register(OpDef("LogicalNot").Inputs(1).SetShapeFn(LogicalShape));
  for (const char* op : {"Less", "Greater", "LessEqual", "GreaterEqual"}) {
    r.Register(OpDef(op).Inputs(2).TypeAttr("T").SetShapeFn(BinaryShape({F32, F64, I32, I64}, true)));
  }
  for (const char* op : {"Neg", "Square", "Abs", "Sign"}) {
    r.Register(OpDef(op).Inputs(1).TypeAttr("T").SetShapeFn(UnaryShape({F32, F64, I32, I64})));
  }
  for (const char* op :
       {"Sqrt", "Exp", "Log", "Log1p", "Tanh", "Sigmoid", "Floor", "Ceil", "Round", "Rsqrt", "Reciprocal"}) {
    r.Register(OpDef(op).Inputs(1).TypeAttr("T").SetShapeFn(UnaryShape({F32, F64})));
  }
  r.Register(OpDef("Cast").Inputs(1).TypeAttr("SrcT").TypeAttr("DstT").SetShapeFn(CastShape));
  r.Register(OpDef("Select").Inputs(3).TypeAttr("T").SetShapeFn(SelectShape));
  r.Register(OpDef("MatMul").Inputs(2).TypeAttr("T").SetShapeFn(MatMulShape));
  for (const char* op : {"Sum", "Mean", "Max", "Min", "Prod"}) {
    r.Register(OpDef(op).Inputs(2).TypeAttr("T").SetShapeFn(ReductionShape({F32, F64, I32, I64})));
  }
  for (const char* op : {"All", "Any"}) {
    r.Register(OpDef(op).Inputs(2).SetShapeFn(ReductionShape({BOOL}, false)));
  }
  for (const char* op : {"ArgMax", "ArgMin"}) {
    r.Register(OpDef(op).Inputs(2).TypeAttr("T").SetShapeFn(ArgMaxShape));
  }
}

namespace ops {

Output Add(Graph& g, Output x, Output y, Name name) { return Build(g, "AddV2", OpName(name, "Add"), {x, y}); }
Output Sub(Graph& g, Output x, Output y, Name name) { return Build(g, "Sub", OpName(name, "Sub"), {x, y}); }
Output Mul(Graph& g, Output x, Output y, Name name) { return Build(g, "Mul", OpName(name, "Mul"), {x, y}); }
Output Div(Graph& g, Output x, Output y, Name name) { return Build(g, "Div", OpName(name, "Div"), {x, y}); }
Output RealDiv(Graph& g, Output x, Output y, Name name) { return Build(g, "RealDiv", OpName(name, "RealDiv"), {x, y}); }
Output Maximum(Graph& g, Output x, Output y, Name name) { return Build(g, "Maximum", OpName(name, "Maximum"), {x, y}); }
Output Minimum(Graph& g, Output x, Output y, Name name) { return Build(g, "Minimum", OpName(name, "Minimum"), {x, y}); }
Output Pow(Graph& g, Output x, Output y, Name name) { return Build(g, "Pow", OpName(name, "Pow"), {x, y}); }
Output Equal(Graph& g, Output x, Output y, Name name) { return Build(g, "Equal", OpName(name, "Equal"), {x, y}); }
Output Less(Graph& g, Output x, Output y, Name name) { return Build(g, "Less", OpName(name, "Less"), {x, y}); }
Output Greater(Graph& g, Output x, Output y, Name name) { return Build(g, "Greater", OpName(name, "Greater"), {x, y}); }
Output NotEqual(Graph& g, Output x, Output y, Name name) {
  return Build(g, "NotEqual", OpName(name, "NotEqual"), {x, y});
}
Output GreaterEqual(Graph& g, Output x, Output y, Name name) {
  return Build(g, "GreaterEqual", OpName(name, "GreaterEqual"), {x, y});
}
Output LessEqual(Graph& g, Output x, Output y, Name name) {
  return Build(g, "LessEqual", OpName(name, "LessEqual"), {x, y});
}
Output FloorDiv(Graph& g, Output x, Output y, Name name) {
  return Build(g, "FloorDiv", OpName(name, "FloorDiv"), {x, y});
}
Output FloorMod(Graph& g, Output x, Output y, Name name) {
  return Build(g, "FloorMod", OpName(name, "FloorMod"), {x, y});
}
Output LogicalAnd(Graph& g, Output x, Output y, Name name) {
  return Build(g, "LogicalAnd", OpName(name, "LogicalAnd"), {x, y});
}
Output LogicalOr(Graph& g, Output x, Output y, Name name) {
  return Build(g, "LogicalOr", OpName(name, "LogicalOr"), {x, y});
}
Output LogicalNot(Graph& g, Output x, Name name) { return Build(g, "LogicalNot", OpName(name, "LogicalNot"), {x}); }
Output Neg(Graph& g, Output x, Name name) { return Build(g, "Neg", OpName(name, "Neg"), {x}); }
Output Square(Graph& g, Output x, Name name) { return Build(g, "Square", OpName(name, "Square"), {x}); }
Output Sqrt(Graph& g, Output x, Name name) { return Build(g, "Sqrt", OpName(name, "Sqrt"), {x}); }
Output Exp(Graph& g, Output x, Name name) { return Build(g, "Exp", OpName(name, "Exp"), {x}); }
Output Log(Graph& g, Output x, Name name) { return Build(g, "Log", OpName(name, "Log"), {x}); }
Output Log1p(Graph& g, Output x, Name name) { return Build(g, "Log1p", OpName(name, "Log1p"), {x}); }
Output Abs(Graph& g, Output x, Name name) { return Build(g, "Abs", OpName(name, "Abs"), {x}); }
Output Tanh(Graph& g, Output x, Name name) { return Build(g, "Tanh", OpName(name, "Tanh"), {x}); }
Output Sigmoid(Graph& g, Output x, Name name) { return Build(g, "Sigmoid", OpName(name, "Sigmoid"), {x}); }
Output Sign(Graph& g, Output x, Name name) { return Build(g, "Sign", OpName(name, "Sign"), {x}); }
Output Floor(Graph& g, Output x, Name name) { return Build(g, "Floor", OpName(name, "Floor"), {x}); }
Output Ceil(Graph& g, Output x, Name name) { return Build(g, "Ceil", OpName(name, "Ceil"), {x}); }
Output Round(Graph& g, Output x, Name name) { return Build(g, "Round", OpName(name, "Round"), {x}); }
Output Rsqrt(Graph& g, Output x, Name name) { return Build(g, "Rsqrt", OpName(name, "Rsqrt"), {x}); }
Output Reciprocal(Graph& g, Output x, Name name) { return Build(g, "Reciprocal", OpName(name, "Reciprocal"), {x}); }

Output ClipByValue(Graph& g, Output t, Output clip_min, Output clip_max, Name name) {
  std::string n = g.UniqueScopedName(OpName(name, "clip_by_value"));
  Output upper = BuildFinal(g, "Minimum", g.UniqueName(n + "/Minimum"), {t, clip_max});
  return BuildFinal(g, "Maximum", n, {upper, clip_min});
}

Output Cast(Graph& g, Output x, DataType to, Name name) {
  return Build(g, "Cast", OpName(name, "Cast"), {x}, AttrMap{{"DstT", to}});
}

Output Select(Graph& g, Output cond, Output t, Output e, Name name) {
  return Build(g, "Select", OpName(name, "Select"), {cond, t, e});
}

Output AddN(Graph& g, const std::vector<Output>& inputs, Name name) {
  if (inputs.size() == 1) return inputs[0];  // tf.add_n([x]) is x itself
  if (inputs.empty()) {
    g.RecordError(
        InvalidArgumentError("AddN: inputs must be a list of at least one Tensor with the same dtype and shape" +
                             std::string(name.empty() ? "" : " (node '" + std::string(name) + "')")));
    return Output();
  }
  return Build(g, "AddN", OpName(name, "AddN"), inputs);
}

Output MatMul(Graph& g, Output a, Output b, bool transpose_a, bool transpose_b, Name name) {
  return Build(g, "MatMul", OpName(name, "MatMul"), {a, b},
               AttrMap{{"transpose_a", transpose_a}, {"transpose_b", transpose_b}});
}

Output Sum(Graph& g, Output x, const std::vector<int32_t>& axes, bool keep_dims, Name name) {
  return Reduction(g, "Sum", x, axes, keep_dims, name);
}
Output Mean(Graph& g, Output x, const std::vector<int32_t>& axes, bool keep_dims, Name name) {
  return Reduction(g, "Mean", x, axes, keep_dims, name);
}
Output Max(Graph& g, Output x, const std::vector<int32_t>& axes, bool keep_dims, Name name) {
  return Reduction(g, "Max", x, axes, keep_dims, name);
}
Output Min(Graph& g, Output x, const std::vector<int32_t>& axes, bool keep_dims, Name name) {
  return Reduction(g, "Min", x, axes, keep_dims, name);
}
Output Prod(Graph& g, Output x, const std::vector<int32_t>& axes, bool keep_dims, Name name) {
  return Reduction(g, "Prod", x, axes, keep_dims, name);
}
Output All(Graph& g, Output x, const std::vector<int32_t>& axes, bool keep_dims, Name name) {
  return Reduction(g, "All", x, axes, keep_dims, name);
}
Output Any(Graph& g, Output x, const std::vector<int32_t>& axes, bool keep_dims, Name name) {
  return Reduction(g, "Any", x, axes, keep_dims, name);
}
Output SumAlong(Graph& g, Output x, Output axes, bool keep_dims, Name name) {
  return Reduction(g, "Sum", x, axes, keep_dims, name);
}
Output MeanAlong(Graph& g, Output x, Output axes, bool keep_dims, Name name) {
  return Reduction(g, "Mean", x, axes, keep_dims, name);
}

Output ArgMax(Graph& g, Output x, int32_t axis, DataType output_type, Name name) {
  return ArgMinMax(g, "ArgMax", x, axis, output_type, name);
}
Output ArgMin(Graph& g, Output x, int32_t axis, DataType output_type, Name name) {
  return ArgMinMax(g, "ArgMin", x, axis, output_type, name);
}

}  // namespace ops
}  // namespace tessera
