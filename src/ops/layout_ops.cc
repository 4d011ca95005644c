// Layout ops a ported TF1 program needs: Tile, Pad, PadV2, Split, SplitV,
// StridedSlice, GatherV2, OneHot, Range, Cumsum, SelectV2. Shape functions
// check what a constant input already decides, with the kernels' messages.
#include "src/framework/dtype_switch.h"
#include "src/framework/op_registry.h"
#include "src/framework/shape_math.h"
#include "src/ops/builder.h"

namespace tessera {
namespace {

using ops_internal::Build;
using ops_internal::BuildFinal;
using ops_internal::HelperConst;
using ops_internal::IndexVectorTensor;
using ops_internal::OpName;

const std::initializer_list<DataType> kIndexTypes = {DataType::kInt32, DataType::kInt64};

Status TileShape(InferenceContext& c) {
  c.SetAttr("T", c.input_type(0));
  c.SetAttr("Tmultiples", c.input_type(1));
  TESSERA_RETURN_IF_ERROR(c.ExpectRank(1, 1));
  std::vector<int64_t> m;
  bool known;
  TESSERA_RETURN_IF_ERROR(c.ConstIntsInput(1, &m, &known, "multiples"));
  PartialShape in = c.input_shape(0);
  if (!in.known_rank()) {
    c.AddOutput(c.input_type(0), known ? PartialShape::UnknownDims(static_cast<int>(m.size())) : PartialShape());
    return Status::OK();
  }
  if (!known) {
    c.AddOutput(c.input_type(0), PartialShape::UnknownDims(in.rank()));
    return Status::OK();
  }
  if (static_cast<int>(m.size()) != in.rank()) {
    return c.Error("Expected multiples argument to be a vector of length " + std::to_string(in.rank()) +
                   " but got length " + std::to_string(m.size()));
  }
  std::vector<int64_t> out;
  for (size_t i = 0; i < m.size(); ++i) {
    if (m[i] < 0) return c.Error("Expected multiples[" + std::to_string(i) + "] >= 0, but got " + std::to_string(m[i]));
    const int64_t d = in.dim(static_cast<int>(i));
    out.push_back(d < 0 ? -1 : MultiplyDims(d, m[i]));
    if (d >= 0 && out.back() < 0) return c.Error("Tile's output has more than 2**63 - 1 elements");
  }
  c.AddOutput(c.input_type(0), PartialShape(out));
  return Status::OK();
}

// Pad and PadV2: paddings is a [rank, 2] matrix of (before, after).
Status PadShape(InferenceContext& c) {
  c.SetAttr("T", c.input_type(0));
  c.SetAttr("Tpaddings", c.input_type(1));
  TESSERA_RETURN_IF_ERROR(c.ExpectRank(1, 2));
  if (c.num_inputs() == 3) {
    TESSERA_RETURN_IF_ERROR(c.ExpectRank(2, 0));
    DataType dt;
    TESSERA_RETURN_IF_ERROR(c.ExpectSameTypes(0, 1, &dt));
    if (c.input_type(2) != c.input_type(0)) return c.Error("constant_values must have the dtype of the input");
  }
  std::vector<int64_t> p;
  bool known;
  TESSERA_RETURN_IF_ERROR(c.ConstIntsInput(1, &p, &known, "paddings"));
  PartialShape in = c.input_shape(0), ps = c.input_shape(1);
  if (ps.known_rank() && ps.dim(1) >= 0 && ps.dim(1) != 2) return c.Error("paddings must have 2 columns");
  if (!in.known_rank() || !known) {
    const int64_t rows = ps.known_rank() ? ps.dim(0) : -1;
    c.AddOutput(c.input_type(0), in.known_rank() ? PartialShape::UnknownDims(in.rank())
                                 : rows >= 0     ? PartialShape::UnknownDims(static_cast<int>(rows))
                                                 : PartialShape());
    return Status::OK();
  }
  if (static_cast<int64_t>(p.size()) != 2 * static_cast<int64_t>(in.rank())) {
    return c.Error("The first dimension of paddings must be the rank of inputs " + ps.DebugString() + " " +
                   in.DebugString());
  }
  std::vector<int64_t> out;
  for (int i = 0; i < in.rank(); ++i) {
    const int64_t before = p[static_cast<size_t>(2 * i)], after = p[static_cast<size_t>(2 * i + 1)];
    if (before < 0 || after < 0) {
      return c.Error("Paddings must be non-negative: " + std::to_string(before) + " " + std::to_string(after));
    }
    const int64_t d = in.dim(i) < 0 ? -1 : AddDims(AddDims(in.dim(i), before), after);
    if (in.dim(i) >= 0 && d < 0) {
      return c.Error("Padded dimension " + std::to_string(i) + " has more than 2**63 - 1 elements");
    }
    out.push_back(d);
  }
  c.AddOutput(c.input_type(0), PartialShape(out));
  return Status::OK();
}

// The split dimension of `in` for the constant axis, or -1 when unknown.
StatusOr<int> SplitAxis(InferenceContext& c, const PartialShape& in, int axis_input) {
  std::vector<int64_t> a;
  bool known;
  TESSERA_RETURN_IF_ERROR(c.ConstIntsInput(axis_input, &a, &known, "split_dim"));
  if (!known || !in.known_rank()) return -1;
  if (a.size() != 1) return c.Error("split_dim must be a scalar");
  if (a[0] < -in.rank() || a[0] >= in.rank()) {
    return c.Error("-" + std::to_string(in.rank()) + " <= split_dim < " + std::to_string(in.rank()) + " but got " +
                   std::to_string(a[0]));
  }
  return static_cast<int>(a[0] < 0 ? a[0] + in.rank() : a[0]);
}

// Split(split_dim, value): num_split equal parts.
Status SplitShape(InferenceContext& c) {
  c.SetAttr("T", c.input_type(1));
  int64_t n = 0;
  TESSERA_RETURN_IF_ERROR(c.GetAttr("num_split", &n));
  if (n < 1) return c.Error("num_split must be at least 1, got " + std::to_string(n));
  PartialShape in = c.input_shape(1);
  TESSERA_ASSIGN_OR_RETURN(const int axis, SplitAxis(c, in, 0));
  PartialShape part = in.known_rank() ? PartialShape::UnknownDims(in.rank()) : PartialShape();
  if (axis >= 0) {
    std::vector<int64_t> dims = in.dims();
    const int64_t d = dims[static_cast<size_t>(axis)];
    if (d >= 0 && d % n != 0) {
      return c.Error("Number of ways to split should evenly divide the split dimension, but got split_dim " +
                     std::to_string(axis) + " (size = " + std::to_string(d) + ") and num_split " + std::to_string(n));
    }
    dims[static_cast<size_t>(axis)] = d < 0 ? -1 : d / n;
    part = PartialShape(dims);
  }
  for (int64_t i = 0; i < n; ++i) c.AddOutput(c.input_type(1), part);
  return Status::OK();
}

// SplitV(value, size_splits, split_dim): parts of the given sizes, one may be -1.
Status SplitVShape(InferenceContext& c) {
  c.SetAttr("T", c.input_type(0));
  c.SetAttr("Tlen", c.input_type(1));
  TESSERA_RETURN_IF_ERROR(c.ExpectRank(1, 1));
  std::vector<int64_t> sizes;
  bool known;
  TESSERA_RETURN_IF_ERROR(c.ConstIntsInput(1, &sizes, &known, "size_splits"));
  if (!known) return c.Error("size_splits must be a constant (its length is the number of outputs)");
  if (sizes.empty()) return c.Error("size_splits must have at least one element");
  c.SetAttr("num_split", static_cast<int64_t>(sizes.size()));
  PartialShape in = c.input_shape(0);
  TESSERA_ASSIGN_OR_RETURN(const int axis, SplitAxis(c, in, 2));
  const int64_t d = axis >= 0 ? in.dim(axis) : -1;
  int64_t sum = 0, unknown = 0;
  bool bad = false;
  for (int64_t s : sizes) {
    bad |= s < -1;
    if (s == -1) {
      ++unknown;
    } else if (s >= 0) {
      sum = AddDims(sum, s);
      bad |= sum < 0;
    }
  }
  if (bad || unknown > 1 || (d >= 0 && (unknown ? sum > d : sum != d))) {
    return c.Error("can't split axis of size " + std::to_string(d) + " into pieces of size " + IntListString(sizes));
  }
  for (int64_t& s : sizes) {
    if (s == -1 && d >= 0) s = d - sum;
  }
  for (int64_t s : sizes) {
    std::vector<int64_t> dims = in.known_rank() ? in.dims() : std::vector<int64_t>();
    if (axis >= 0) dims[static_cast<size_t>(axis)] = s;
    c.AddOutput(c.input_type(0), in.known_rank() && axis >= 0 ? PartialShape(dims)
                                 : in.known_rank()            ? PartialShape::UnknownDims(in.rank())
                                                              : PartialShape());
  }
  return Status::OK();
}

StridedSliceMasks MasksOf(InferenceContext& c) {
  StridedSliceMasks m;
  for (const StridedSliceMaskAttr& a : kStridedSliceMaskAttrs) {
    if (const int64_t* v = c.attr<int64_t>(a.name)) m.*a.field = *v;
    c.SetAttr(a.name, m.*a.field);
  }
  return m;
}

Status StridedSliceShape(InferenceContext& c) {
  c.SetAttr("T", c.input_type(0));
  const StridedSliceMasks masks = MasksOf(c);
  std::vector<int64_t> spec[3];
  bool known = true;
  for (int i = 1; i <= 3; ++i) {
    TESSERA_RETURN_IF_ERROR(c.ExpectRank(i, 1));
    bool k;
    TESSERA_RETURN_IF_ERROR(c.ConstIntsInput(i, &spec[i - 1], &k, i == 1 ? "begin" : i == 2 ? "end" : "strides"));
    known &= k;
  }
  if (c.input_type(1) != c.input_type(2) || c.input_type(1) != c.input_type(3)) {
    return c.Error("begin, end and strides must have the same dtype");
  }
  c.SetAttr("Index", c.input_type(1));
  PartialShape in = c.input_shape(0);
  if (!known || !in.known_rank()) {
    c.AddOutput(c.input_type(0), PartialShape());
    return Status::OK();
  }
  StatusOr<StridedSliceGeometry> g = ComputeStridedSlice(in.dims(), spec[0], spec[1], spec[2], masks);
  if (!g.ok()) return c.Error(g.status().message());
  c.AddOutput(c.input_type(0), PartialShape(g->out_dims));
  return Status::OK();
}

// GatherV2(params, indices, axis): params' dims around `axis` with indices' dims in its place.
Status GatherV2Shape(InferenceContext& c) {
  c.SetAttr("Tparams", c.input_type(0));
  TESSERA_RETURN_IF_ERROR(c.ExpectTypeIn(c.input_type(1), kIndexTypes, "indices"));
  c.SetAttr("Tindices", c.input_type(1));
  c.SetAttr("Taxis", c.input_type(2));
  int64_t batch_dims = 0;
  if (const int64_t* b = c.attr<int64_t>("batch_dims")) batch_dims = *b;
  if (batch_dims != 0) return c.Error("batch_dims other than 0 is not supported yet");
  c.SetAttr("batch_dims", batch_dims);
  std::vector<int64_t> a;
  bool known;
  TESSERA_RETURN_IF_ERROR(c.ConstIntsInput(2, &a, &known, "axis"));
  PartialShape p = c.input_shape(0), idx = c.input_shape(1);
  if (!known || !p.known_rank() || !idx.known_rank()) {
    c.AddOutput(c.input_type(0), PartialShape());
    return Status::OK();
  }
  if (a.size() != 1) return c.Error("axis must be a scalar");
  if (a[0] < -p.rank() || a[0] >= p.rank()) {
    return c.Error("Expected axis in the range [" + std::to_string(-p.rank()) + ", " + std::to_string(p.rank()) +
                   "), but got " + std::to_string(a[0]));
  }
  const int axis = static_cast<int>(a[0] < 0 ? a[0] + p.rank() : a[0]);
  std::vector<int64_t> out(p.dims().begin(), p.dims().begin() + axis);
  out.insert(out.end(), idx.dims().begin(), idx.dims().end());
  out.insert(out.end(), p.dims().begin() + axis + 1, p.dims().end());
  c.AddOutput(c.input_type(0), PartialShape(out));
  return Status::OK();
}

// StridedSliceGrad(shape, begin, end, strides, dy): the shape `shape` holds
// (the sliced input's), when it is constant.
Status StridedSliceGradShape(InferenceContext& c) {
  c.SetAttr("T", c.input_type(4));
  MasksOf(c);
  for (int i = 0; i <= 3; ++i) {
    TESSERA_RETURN_IF_ERROR(c.ExpectTypeIn(c.input_type(i), kIndexTypes, "Index"));
    TESSERA_RETURN_IF_ERROR(c.ExpectRank(i, 1));
  }
  if (c.input_type(0) != c.input_type(1) || c.input_type(1) != c.input_type(2) || c.input_type(1) != c.input_type(3)) {
    return c.Error("shape, begin, end and strides must have the same dtype");
  }
  c.SetAttr("Index", c.input_type(0));
  std::vector<int64_t> dims;
  bool known;
  TESSERA_RETURN_IF_ERROR(c.ConstIntsInput(0, &dims, &known, "shape"));
  const PartialShape s = c.input_shape(0);
  c.AddOutput(c.input_type(4), known                             ? PartialShape(dims)
                               : s.known_rank() && s.dim(0) >= 0 ? PartialShape::UnknownDims(static_cast<int>(s.dim(0)))
                                                                 : PartialShape());
  return Status::OK();
}

// UnsortedSegmentSum(data, segment_ids, num_segments): [num_segments] and
// data's dims after segment_ids' (which must start data's).
Status UnsortedSegmentSumShape(InferenceContext& c) {
  c.SetAttr("T", c.input_type(0));
  TESSERA_RETURN_IF_ERROR(
      c.ExpectTypeIn(c.input_type(0), {DataType::kFloat, DataType::kDouble, DataType::kInt32, DataType::kInt64}, "T"));
  TESSERA_RETURN_IF_ERROR(c.ExpectTypeIn(c.input_type(1), kIndexTypes, "segment_ids"));
  c.SetAttr("Tindices", c.input_type(1));
  TESSERA_RETURN_IF_ERROR(c.ExpectTypeIn(c.input_type(2), kIndexTypes, "num_segments"));
  c.SetAttr("Tnumsegments", c.input_type(2));
  TESSERA_RETURN_IF_ERROR(c.ExpectRank(2, 0));
  std::vector<int64_t> n;
  bool known;
  TESSERA_RETURN_IF_ERROR(c.ConstIntsInput(2, &n, &known, "num_segments"));
  if (known && n.size() == 1 && n[0] < 0) {
    return c.Error("Input num_segments == " + std::to_string(n[0]) + " must not be negative.");
  }
  PartialShape data = c.input_shape(0), ids = c.input_shape(1);
  if (!data.known_rank() || !ids.known_rank()) {
    c.AddOutput(c.input_type(0), PartialShape());
    return Status::OK();
  }
  if (ids.rank() > data.rank()) {
    return c.Error("Shape must be at least rank " + std::to_string(ids.rank()) + " but is rank " +
                   std::to_string(data.rank()) + " (data)");
  }
  for (int i = 0; i < ids.rank(); ++i) {
    if (ids.dim(i) >= 0 && data.dim(i) >= 0 && ids.dim(i) != data.dim(i)) {
      return c.Error("Dimensions must be equal, but are " + std::to_string(data.dim(i)) + " and " +
                     std::to_string(ids.dim(i)));
    }
  }
  std::vector<int64_t> out = {known && n.size() == 1 ? n[0] : -1};
  out.insert(out.end(), data.dims().begin() + ids.rank(), data.dims().end());
  c.AddOutput(c.input_type(0), PartialShape(out));
  return Status::OK();
}

// OneHot(indices, depth, on_value, off_value): indices' dims with depth inserted at `axis`.
Status OneHotShape(InferenceContext& c) {
  TESSERA_RETURN_IF_ERROR(c.ExpectTypeIn(c.input_type(0), {DataType::kInt32, DataType::kInt64}, "indices (TI)"));
  c.SetAttr("TI", c.input_type(0));
  TESSERA_RETURN_IF_ERROR(c.ExpectInputType(1, DataType::kInt32));
  for (int i = 1; i <= 3; ++i) TESSERA_RETURN_IF_ERROR(c.ExpectRank(i, 0));
  DataType t;
  TESSERA_RETURN_IF_ERROR(c.ExpectSameTypes(2, 4, &t));
  c.SetAttr("T", t);
  int64_t axis = -1;
  if (const int64_t* v = c.attr<int64_t>("axis")) axis = *v;
  c.SetAttr("axis", axis);
  PartialShape idx = c.input_shape(0);
  if (!idx.known_rank()) {
    c.AddOutput(t, PartialShape());
    return Status::OK();
  }
  if (axis < -1 || axis > idx.rank()) {
    return c.Error("Expected axis to be -1 or between [0, " + std::to_string(idx.rank() + 1) +
                   ").  But received: " + std::to_string(axis));
  }
  std::vector<int64_t> depth;
  int64_t d = c.input_constant_ints(1, &depth) && depth.size() == 1 ? depth[0] : -1;
  if (c.input_constant(1) != nullptr && d < 0) return c.Error("depth must be non-negative, got: " + std::to_string(d));
  std::vector<int64_t> out = idx.dims();
  out.insert(axis < 0 ? out.end() : out.begin() + axis, d);
  c.AddOutput(t, PartialShape(out));
  return Status::OK();
}

Status RangeShape(InferenceContext& c) {
  DataType t;
  TESSERA_RETURN_IF_ERROR(c.ExpectSameTypes(0, 3, &t));
  TESSERA_RETURN_IF_ERROR(
      c.ExpectTypeIn(t, {DataType::kFloat, DataType::kDouble, DataType::kInt32, DataType::kInt64}, "Tidx"));
  c.SetAttr("Tidx", t);
  for (int i = 0; i < 3; ++i) TESSERA_RETURN_IF_ERROR(c.ExpectRank(i, 0));
  const Tensor *s = c.input_constant(0), *l = c.input_constant(1), *d = c.input_constant(2);
  int64_t n = -1;
  if (s != nullptr && l != nullptr && d != nullptr) {
    StatusOr<int64_t> r = RangeSizeOf(*s, *l, *d);
    if (!r.ok()) return c.Error(r.status().message());
    n = *r;
  }
  c.AddOutput(t, PartialShape{n});
  return Status::OK();
}

Status CumsumShape(InferenceContext& c) {
  c.SetAttr("T", c.input_type(0));
  TESSERA_RETURN_IF_ERROR(
      c.ExpectTypeIn(c.input_type(0), {DataType::kFloat, DataType::kDouble, DataType::kInt32, DataType::kInt64}, "T"));
  TESSERA_RETURN_IF_ERROR(c.ExpectRank(1, 0));
  TESSERA_RETURN_IF_ERROR(c.ExpectTypeIn(c.input_type(1), kIndexTypes, "axis"));
  c.SetAttr("Tidx", c.input_type(1));
  for (const char* a : {"exclusive", "reverse"}) {
    bool v = false;
    if (const bool* b = c.attr<bool>(a)) v = *b;
    c.SetAttr(a, v);
  }
  c.AddOutput(c.input_type(0), c.input_shape(0));
  return Status::OK();
}

// SelectV2(condition, t, e): the three broadcast together (numpy rules).
Status SelectV2Shape(InferenceContext& c) {
  TESSERA_RETURN_IF_ERROR(c.ExpectInputType(0, DataType::kBool));
  DataType t;
  TESSERA_RETURN_IF_ERROR(c.ExpectSameTypes(1, 3, &t));
  c.SetAttr("T", t);
  PartialShape s[3] = {c.input_shape(0), c.input_shape(1), c.input_shape(2)};
  int rank = 0;
  for (const PartialShape& p : s) {
    if (!p.known_rank()) {
      c.AddOutput(t, PartialShape());
      return Status::OK();
    }
    rank = std::max(rank, p.rank());
  }
  std::vector<int64_t> out(static_cast<size_t>(rank), 1);
  for (const PartialShape& p : s) {
    for (int i = 0; i < p.rank(); ++i) {
      int64_t& o = out[static_cast<size_t>(rank - p.rank() + i)];
      const int64_t d = p.dim(i);
      if (d == 1) continue;
      if (o == 1 || o == d || o < 0) {
        o = (o < 0 && d >= 0) || o == 1 ? d : o;
      } else if (d >= 0) {
        return c.Error("condition " + s[0].DebugString() + ", then " + s[1].DebugString() + ", and else " +
                       s[2].DebugString() + " must be broadcastable");
      }
    }
  }
  c.AddOutput(t, PartialShape(out));
  return Status::OK();
}

// Where(condition): the coordinates of the true (non-zero) elements, [n, rank] int64.
Status WhereShape(InferenceContext& c) {
  c.SetAttr("T", c.input_type(0));
  PartialShape in = c.input_shape(0);
  c.AddOutput(DataType::kInt64, in.known_rank() ? PartialShape{-1, in.rank()} : PartialShape::UnknownDims(2));
  return Status::OK();
}

}  // namespace

void RegisterLayoutOps(OpRegistry& r) {
  r.Register(OpDef("Where").Inputs(1).TypeAttr("T").SetShapeFn(WhereShape));
  r.Register(OpDef("Tile").Inputs(2).TypeAttr("T").SetShapeFn(TileShape));
  r.Register(OpDef("Pad").Inputs(2).TypeAttr("T").SetShapeFn(PadShape));
  r.Register(OpDef("PadV2").Inputs(3).TypeAttr("T").SetShapeFn(PadShape));
  r.Register(OpDef("Split").Inputs(2).TypeAttr("T").SetShapeFn(SplitShape));
  r.Register(OpDef("SplitV").Inputs(3).TypeAttr("T").SetShapeFn(SplitVShape));
  r.Register(OpDef("StridedSlice").Inputs(4).TypeAttr("T").SetShapeFn(StridedSliceShape));
  r.Register(OpDef("StridedSliceGrad").Inputs(5).TypeAttr("T").SetShapeFn(StridedSliceGradShape));
  r.Register(OpDef("UnsortedSegmentSum")
                 .Inputs(3)
                 .TypeAttr("T")
                 .TypeAttr("Tindices")
                 .TypeAttr("Tnumsegments")
                 .SetShapeFn(UnsortedSegmentSumShape));
  r.Register(OpDef("GatherV2").Inputs(3).TypeAttr("Tparams").TypeAttr("Tindices").SetShapeFn(GatherV2Shape));
  r.Register(OpDef("OneHot").Inputs(4).TypeAttr("T").TypeAttr("TI").SetShapeFn(OneHotShape));
  r.Register(OpDef("Range").Inputs(3).TypeAttr("Tidx").SetShapeFn(RangeShape));
  for (const char* op : {"Cumsum", "Cumprod"}) r.Register(OpDef(op).Inputs(2).TypeAttr("T").SetShapeFn(CumsumShape));
  r.Register(OpDef("SelectV2").Inputs(3).TypeAttr("T").SetShapeFn(SelectV2Shape));
}

namespace ops {

Output Tile(Graph& g, Output x, const std::vector<int64_t>& multiples, Name name) {
  std::string n = g.UniqueScopedName(OpName(name, "Tile"));
  return BuildFinal(g, "Tile", n, {x, HelperConst(g, n, "multiples", IndexVectorTensor(multiples))});
}

Output Pad(Graph& g, Output x, const std::vector<std::pair<int64_t, int64_t>>& paddings, const Tensor& constant_value,
           Name name) {
  const bool v2 = constant_value.valid();
  std::string n = g.UniqueScopedName(OpName(name, v2 ? "PadV2" : "Pad"));
  std::vector<int64_t> flat;
  for (const auto& [before, after] : paddings) {
    flat.push_back(before);
    flat.push_back(after);
  }
  Tensor p = IndexVectorTensor(flat);
  p = p.Reshaped(TensorShape{static_cast<int64_t>(paddings.size()), 2}).value();
  std::vector<Output> in = {x, HelperConst(g, n, "paddings", p)};
  if (v2) in.push_back(HelperConst(g, n, "constant_values", constant_value));
  return BuildFinal(g, v2 ? "PadV2" : "Pad", n, in);
}

std::vector<Output> Split(Graph& g, Output x, int64_t num_split, int64_t axis, Name name) {
  std::string n = g.UniqueScopedName(OpName(name, "split"));
  Output dim = HelperConst(g, n, "split_dim", Tensor::Scalar<int32_t>(static_cast<int32_t>(axis)));
  NodeSpec spec{"Split", n, {dim, x}, AttrMap{{"num_split", num_split}}, {}};
  spec.name_is_final = true;
  return ops_internal::AllOutputs(g.AddNodeOrRecord(std::move(spec)));
}

std::vector<Output> SplitV(Graph& g, Output x, const std::vector<int64_t>& sizes, int64_t axis, Name name) {
  std::string n = g.UniqueScopedName(OpName(name, "split"));
  Output s = HelperConst(g, n, "size_splits", IndexVectorTensor(sizes));
  Output dim = HelperConst(g, n, "split_dim", Tensor::Scalar<int32_t>(static_cast<int32_t>(axis)));
  NodeSpec spec{"SplitV", n, {x, s, dim}, {}, {}};
  spec.name_is_final = true;
  return ops_internal::AllOutputs(g.AddNodeOrRecord(std::move(spec)));
}

Output StridedSlice(Graph& g, Output x, const std::vector<int64_t>& begin, const std::vector<int64_t>& end,
                    const std::vector<int64_t>& strides, const StridedSliceMasks& masks, Name name) {
  std::string n = g.UniqueScopedName(OpName(name, "strided_slice"));
  Tensor b = IndexVectorTensor(begin), e = IndexVectorTensor(end), s = IndexVectorTensor(strides);
  if (b.dtype() != e.dtype() || b.dtype() != s.dtype()) {
    b = ops_internal::VectorTensor<int64_t>(begin);
    e = ops_internal::VectorTensor<int64_t>(end);
    s = ops_internal::VectorTensor<int64_t>(strides);
  }
  AttrMap attrs;
  for (const StridedSliceMaskAttr& a : kStridedSliceMaskAttrs) attrs[a.name] = masks.*a.field;
  return BuildFinal(
      g, "StridedSlice", n,
      {x, HelperConst(g, n, "stack", b), HelperConst(g, n, "stack_1", e), HelperConst(g, n, "stack_2", s)}, attrs);
}

Output StridedSliceGrad(Graph& g, Output shape, Output begin, Output end, Output strides, Output dy,
                        const StridedSliceMasks& masks, Name name) {
  AttrMap attrs;
  for (const StridedSliceMaskAttr& a : kStridedSliceMaskAttrs) attrs[a.name] = masks.*a.field;
  return Build(g, "StridedSliceGrad", OpName(name, "StridedSliceGrad"), {shape, begin, end, strides, dy}, attrs);
}

Output Index(Graph& g, Output x, const std::vector<SliceIndex>& spec, Name name) {
  std::vector<int64_t> begin, end, strides;
  StridedSliceMasks m;
  for (size_t i = 0; i < spec.size(); ++i) {
    const SliceIndex& s = spec[i];
    const int64_t bit = int64_t{1} << std::min<size_t>(i, 63);
    begin.push_back(s.begin.value_or(0));
    end.push_back(s.end.value_or(0));
    strides.push_back(s.step);
    switch (s.kind) {
      case SliceIndex::Kind::kIndex:
        end.back() = s.begin.value_or(0) + 1;
        m.shrink_axis_mask |= bit;
        break;
      case SliceIndex::Kind::kRange:
        if (!s.begin) m.begin_mask |= bit;
        if (!s.end) m.end_mask |= bit;
        break;
      case SliceIndex::Kind::kNewAxis:
        m.new_axis_mask |= bit;
        break;
      case SliceIndex::Kind::kEllipsis:
        m.ellipsis_mask |= bit;
        break;
    }
  }
  if (spec.size() > 64) {
    g.RecordError(
        InvalidArgumentError("ops::Index: a slice spec has at most 64 entries, got " + std::to_string(spec.size())));
    return Output();
  }
  return StridedSlice(g, x, begin, end, strides, m, name);
}

Output UnsortedSegmentSum(Graph& g, Output data, Output segment_ids, Output num_segments, Name name) {
  return Build(g, "UnsortedSegmentSum", OpName(name, "UnsortedSegmentSum"), {data, segment_ids, num_segments});
}
Output UnsortedSegmentSum(Graph& g, Output data, Output segment_ids, int64_t num_segments, Name name) {
  std::string n = g.UniqueScopedName(OpName(name, "UnsortedSegmentSum"));
  Output s = HelperConst(g, n, "num_segments", Tensor::Scalar<int32_t>(static_cast<int32_t>(num_segments)));
  return BuildFinal(g, "UnsortedSegmentSum", n, {data, segment_ids, s});
}

Output Gather(Graph& g, Output params, Output indices, int64_t axis, Name name) {
  std::string n = g.UniqueScopedName(OpName(name, "GatherV2"));
  Output a = HelperConst(g, n, "axis", Tensor::Scalar<int32_t>(static_cast<int32_t>(axis)));
  return BuildFinal(g, "GatherV2", n, {params, indices, a}, AttrMap{{"batch_dims", int64_t{0}}});
}

Output OneHot(Graph& g, Output indices, int32_t depth, const Tensor& on_value, const Tensor& off_value, int64_t axis,
              Name name) {
  std::string n = g.UniqueScopedName(OpName(name, "one_hot"));
  Output d = HelperConst(g, n, "depth", Tensor::Scalar<int32_t>(depth));
  Output on = HelperConst(g, n, "on_value", on_value);
  Output off = HelperConst(g, n, "off_value", off_value);
  return BuildFinal(g, "OneHot", n, {indices, d, on, off}, AttrMap{{"axis", axis}});
}

Output Range(Graph& g, Output start, Output limit, Output delta, Name name) {
  return Build(g, "Range", OpName(name, "range"), {start, limit, delta});
}

Output Range(Graph& g, double start, double limit, double delta, DataType dtype, Name name) {
  std::string n = g.UniqueScopedName(OpName(name, "range"));
  Tensor v[3];
  const double in[3] = {start, limit, delta};
  Status s = SwitchNumericTypes(dtype, [&]<typename T>() {
    for (int i = 0; i < 3; ++i) v[i] = Tensor::Scalar<T>(static_cast<T>(in[i]));
  });
  if (!s.ok()) {
    g.RecordError(InvalidArgumentError("ops::Range: dtype " + std::string(DataTypeString(dtype)) +
                                       " is not supported (float, double, int32, int64)"));
    return Output();
  }
  return BuildFinal(
      g, "Range", n,
      {HelperConst(g, n, "start", v[0]), HelperConst(g, n, "limit", v[1]), HelperConst(g, n, "delta", v[2])});
}

namespace {
Output Cumulative(Graph& g, const char* op, Output x, int32_t axis, bool exclusive, bool reverse, Name name) {
  std::string n = g.UniqueScopedName(OpName(name, op));
  Output a = HelperConst(g, n, "axis", Tensor::Scalar<int32_t>(axis));
  return BuildFinal(g, op, n, {x, a}, AttrMap{{"exclusive", exclusive}, {"reverse", reverse}});
}
}  // namespace

Output Cumsum(Graph& g, Output x, int32_t axis, bool exclusive, bool reverse, Name name) {
  return Cumulative(g, "Cumsum", x, axis, exclusive, reverse, name);
}
Output Cumprod(Graph& g, Output x, int32_t axis, bool exclusive, bool reverse, Name name) {
  return Cumulative(g, "Cumprod", x, axis, exclusive, reverse, name);
}

Output Where(Graph& g, Output condition, Name name) { return Build(g, "Where", OpName(name, "Where"), {condition}); }

Output Where(Graph& g, Output condition, Output x, Output y, Name name) {
  return Build(g, "SelectV2", OpName(name, "SelectV2"), {condition, x, y});
}

}  // namespace ops
}  // namespace tessera
