// Gradients of the layout ops (selection, concatenation, stacking, splits,
// tiling, slicing, padding, cumulative sums): dy is routed back to where each
// input element went. Those that need the static layout (sizes along the
// concatenated axis, Tile's multiples, Slice's begin) say so when it is unknown.
#include <numeric>

#include "src/framework/shape_math.h"
#include "src/gradients/registry.h"
#include "tessera/ops.h"

namespace tessera {
namespace {

using grad_internal::In;
using grad_internal::Out;

Status Needs(const Node& op, const std::string& what) {
  return UnimplementedError("The gradient of " + op.op() + " '" + op.name() + "' needs " + what + op.DefinedAt());
}

// The static shape of input i, or an error naming the op.
StatusOr<std::vector<int64_t>> StaticShape(const Node& op, int i) {
  const PartialShape s = In(op, i).shape();
  if (!s.fully_defined()) return Needs(op, "a fully known input shape");
  return s.dims();
}

// Select/SelectV2 (ops::Where with three arguments): dy where cond picked the operand.
Status SelectGrad(Graph& g, const Node& op, const std::vector<Output>& dy, std::vector<Output>* dx) {
  Output zeros = ops::ZerosLike(g, dy[0]);
  const Output& cond = In(op, 0);
  Output gt = op.op() == "Select" ? ops::Select(g, cond, dy[0], zeros) : ops::Where(g, cond, dy[0], zeros);
  Output ge = op.op() == "Select" ? ops::Select(g, cond, zeros, dy[0]) : ops::Where(g, cond, zeros, dy[0]);
  if (op.op() == "SelectV2") {  // broadcasting: each operand's gradient summed back to its shape
    auto reduce = [&g, &dy](const Output& operand, Output grad) {
      std::vector<Output> r = ops::BroadcastGradientArgs(g, ops::Shape(g, operand), ops::Shape(g, dy[0]));
      return r.size() == 2 ? grad_internal::ReduceToShapeOf(g, grad, operand, r[0]) : Output();
    };
    gt = reduce(In(op, 1), gt);
    ge = reduce(In(op, 2), ge);
  }
  *dx = {Output(), gt, ge};
  return Status::OK();
}

// ConcatV2: dy split back at the inputs' sizes along the axis.
Status ConcatGrad(Graph& g, const Node& op, const std::vector<Output>& dy, std::vector<Output>* dx) {
  const int n = op.num_inputs() - 1;
  std::vector<int64_t> axis;
  if (!grad_internal::ConstInts(In(op, n), &axis) || axis.size() != 1) return Needs(op, "a constant axis");
  std::vector<int64_t> sizes;
  for (int i = 0; i < n; ++i) {
    const PartialShape s = In(op, i).shape();
    if (!s.known_rank()) return Needs(op, "the inputs' sizes along the axis");
    const int64_t a = axis[0] < 0 ? axis[0] + s.rank() : axis[0];
    if (a < 0 || a >= s.rank() || s.dim(static_cast<int>(a)) < 0) return Needs(op, "the inputs' sizes along the axis");
    sizes.push_back(s.dim(static_cast<int>(a)));
  }
  *dx = ops::SplitV(g, dy[0], sizes, axis[0]);
  dx->push_back(Output());
  return Status::OK();
}

// Pack: dy unstacked into the N inputs (N from the forward op: dy's static
// shape may not know it).
Status PackGrad(Graph& g, const Node& op, const std::vector<Output>& dy, std::vector<Output>* dx) {
  const int64_t* axis = op.attr<int64_t>("axis");
  const AttrMap attrs{{"num", static_cast<int64_t>(op.num_inputs())}, {"axis", axis != nullptr ? *axis : int64_t{0}}};
  Operation u = g.AddNodeOrRecord(NodeSpec{"Unpack", "unstack", {dy[0]}, attrs, {}});
  dx->assign(static_cast<size_t>(op.num_inputs()), Output());
  for (int i = 0; u.valid() && i < op.num_inputs(); ++i) (*dx)[static_cast<size_t>(i)] = u.output(i);
  return Status::OK();
}

Status UnpackGrad(Graph& g, const Node& op, const std::vector<Output>& dy, std::vector<Output>* dx) {
  const int64_t* axis = op.attr<int64_t>("axis");
  *dx = {ops::Stack(g, dy, axis != nullptr ? *axis : 0)};
  return Status::OK();
}

// Split (split_dim, value) and SplitV (value, sizes, axis): the pieces concatenated.
Status SplitGrad(Graph& g, const Node& op, const std::vector<Output>& dy, std::vector<Output>* dx) {
  const bool v = op.op() == "SplitV";
  std::vector<int64_t> axis;
  if (!grad_internal::ConstInts(In(op, v ? 2 : 0), &axis) || axis.size() != 1) return Needs(op, "a constant axis");
  Output whole = ops::Concat(g, dy, static_cast<int32_t>(axis[0]));
  *dx = v ? std::vector<Output>{whole, Output(), Output()} : std::vector<Output>{Output(), whole};
  return Status::OK();
}

// Tile: dy viewed as [m0, d0, m1, d1, ...] and summed over the multiples.
Status TileGrad(Graph& g, const Node& op, const std::vector<Output>& dy, std::vector<Output>* dx) {
  TESSERA_ASSIGN_OR_RETURN(std::vector<int64_t> dims, StaticShape(op, 0));
  std::vector<int64_t> multiples;
  if (!grad_internal::ConstInts(In(op, 1), &multiples) || multiples.size() != dims.size()) {
    return Needs(op, "constant multiples");
  }
  std::vector<int64_t> split;
  std::vector<int32_t> axes;
  for (size_t i = 0; i < dims.size(); ++i) {
    axes.push_back(static_cast<int32_t>(split.size()));
    split.push_back(multiples[i]);
    split.push_back(dims[i]);
  }
  *dx = {ops::Reshape(g, ops::Sum(g, ops::Reshape(g, dy[0], split), axes), dims), Output()};
  return Status::OK();
}

// Slice: dy padded back to the input's shape.
Status SliceGrad(Graph& g, const Node& op, const std::vector<Output>& dy, std::vector<Output>* dx) {
  TESSERA_ASSIGN_OR_RETURN(std::vector<int64_t> dims, StaticShape(op, 0));
  std::vector<int64_t> begin;
  if (!grad_internal::ConstInts(In(op, 1), &begin) || begin.size() != dims.size()) return Needs(op, "a constant begin");
  const PartialShape out = Output(const_cast<Node*>(&op), 0).shape();
  if (!out.fully_defined() || out.rank() != static_cast<int>(dims.size()))
    return Needs(op, "a fully known output shape");
  std::vector<std::pair<int64_t, int64_t>> pads;
  for (size_t i = 0; i < dims.size(); ++i)
    pads.emplace_back(begin[i], dims[i] - begin[i] - out.dim(static_cast<int>(i)));
  *dx = {ops::Pad(g, dy[0], pads), Output(), Output()};
  return Status::OK();
}

// Pad/PadV2: the part of dy where the input went.
Status PadGrad(Graph& g, const Node& op, const std::vector<Output>& dy, std::vector<Output>* dx) {
  TESSERA_ASSIGN_OR_RETURN(std::vector<int64_t> dims, StaticShape(op, 0));
  std::vector<int64_t> pads;
  if (!grad_internal::ConstInts(In(op, 1), &pads) || pads.size() != 2 * dims.size()) {
    return Needs(op, "constant paddings");
  }
  std::vector<int64_t> begin;
  for (size_t i = 0; i < dims.size(); ++i) begin.push_back(pads[2 * i]);
  dx->assign(static_cast<size_t>(op.num_inputs()), Output());
  (*dx)[0] = ops::Slice(g, dy[0], begin, dims);
  if (op.op() == "PadV2") {  // the constant value filled every padded element: all of dy but the input's part
    std::vector<int32_t> all(dims.size());
    std::iota(all.begin(), all.end(), 0);
    (*dx)[2] = ops::Sub(g, ops::Sum(g, dy[0], all), ops::Sum(g, (*dx)[0], all));
  }
  return Status::OK();
}

// Cumsum: the cumulative sum of dy in the other direction.
Status CumsumGrad(Graph& g, const Node& op, const std::vector<Output>& dy, std::vector<Output>* dx) {
  std::vector<int64_t> axis;
  if (!grad_internal::ConstInts(In(op, 1), &axis) || axis.size() != 1) return Needs(op, "a constant axis");
  const bool* exclusive = op.attr<bool>("exclusive");
  const bool* reverse = op.attr<bool>("reverse");
  *dx = {ops::Cumsum(g, dy[0], static_cast<int32_t>(axis[0]), exclusive != nullptr && *exclusive,
                     !(reverse != nullptr && *reverse)),
         Output()};
  return Status::OK();
}

// Cumprod (TF's formula): the cumulative sum of cumprod(x) * dy in the other
// direction, divided by x (0 where x is 0, TF's DivNoNan).
Status CumprodGrad(Graph& g, const Node& op, const std::vector<Output>& dy, std::vector<Output>* dx) {
  std::vector<int64_t> axis;
  if (!grad_internal::ConstInts(In(op, 1), &axis) || axis.size() != 1) return Needs(op, "a constant axis");
  const bool* exclusive_attr = op.attr<bool>("exclusive");
  const bool* reverse_attr = op.attr<bool>("reverse");
  const bool exclusive = exclusive_attr != nullptr && *exclusive_attr;
  const bool reverse = reverse_attr != nullptr && *reverse_attr;
  const Output& x = In(op, 0);
  const auto a = static_cast<int32_t>(axis[0]);
  Output prod = ops::Cumprod(g, x, a, exclusive, reverse);
  Output out = ops::Cumsum(g, ops::Mul(g, prod, dy[0]), a, exclusive, !reverse);
  Output zero = ops::Equal(g, x, ops::ZerosLike(g, x));
  Output quotient = ops::Div(g, out, ops::Where(g, zero, ops::OnesLike(g, x), x));
  *dx = {ops::Where(g, zero, ops::ZerosLike(g, x), quotient), Output()};
  return Status::OK();
}

// StridedSlice: dy written back where the slice came from (StridedSliceGrad).
Status StridedSliceGrad(Graph& g, const Node& op, const std::vector<Output>& dy, std::vector<Output>* dx) {
  const Output& begin = In(op, 1);
  *dx = {ops::StridedSliceGrad(g, ops::Shape(g, In(op, 0), begin.dtype()), begin, In(op, 2), In(op, 3), dy[0],
                               StridedSliceMasksOf(op)),
         Output(), Output(), Output()};
  return Status::OK();
}

// StridedSliceGrad: the same slice of its gradient.
Status StridedSliceGradGrad(Graph& g, const Node& op, const std::vector<Output>& dy, std::vector<Output>* dx) {
  Operation s = g.AddNodeOrRecord(
      NodeSpec{"StridedSlice", "StridedSlice", {dy[0], In(op, 1), In(op, 2), In(op, 3)}, op.attrs(), {}});
  *dx = {Output(), Output(), Output(), Output(), s.valid() ? s.output(0) : Output()};
  return Status::OK();
}

// GatherV2: dy's rows summed back into params' rows they were gathered from,
// by UnsortedSegmentSum (TF's IndexedSlices, made dense), with the gathered
// axis moved to the front for it and back after.
Status GatherGrad(Graph& g, const Node& op, const std::vector<Output>& dy, std::vector<Output>* dx) {
  const Output& params = In(op, 0);
  std::vector<int64_t> a;
  if (!grad_internal::ConstInts(In(op, 2), &a) || a.size() != 1) return Needs(op, "a constant axis");
  if (!params.shape().known_rank()) return Needs(op, "params of known rank");
  const int rank = params.shape().rank();
  const int axis = static_cast<int>(a[0] < 0 ? a[0] + rank : a[0]);
  Output shape = ops::Shape(g, params);
  std::vector<Output> dims;  // dy as [params' dims before axis, indices' count, params' dims after]
  if (axis > 0) dims.push_back(ops::Slice(g, shape, {0}, {axis}));
  dims.push_back(ops::Reshape(g, ops::Size(g, In(op, 1)), {1}));
  if (axis + 1 < rank) dims.push_back(ops::Slice(g, shape, {axis + 1}, {rank - axis - 1}));
  Output values = ops::Reshape(g, dy[0], dims.size() == 1 ? dims[0] : ops::Concat(g, dims, 0));
  std::vector<int32_t> to_front = {axis}, back;
  for (int i = 0; i < rank; ++i) {
    if (i != axis) to_front.push_back(i);
    back.push_back(i < axis ? i + 1 : (i == axis ? 0 : i));
  }
  if (axis > 0) values = ops::Transpose(g, values, to_front);
  Output rows = ops::Reshape(g, ops::Slice(g, shape, {axis}, {1}), std::vector<int64_t>{});
  Output summed = ops::UnsortedSegmentSum(g, values, ops::Reshape(g, In(op, 1), {-1}), rows);
  *dx = {axis > 0 ? ops::Transpose(g, summed, back) : summed, Output(), Output()};
  return Status::OK();
}

// UnsortedSegmentSum: each data row gets its segment's dy; rows of negative
// ids (dropped by the sum) get zeros (TF's _GatherDropNegatives).
Status UnsortedSegmentSumGrad(Graph& g, const Node& op, const std::vector<Output>& dy, std::vector<Output>* dx) {
  const Output& ids = In(op, 1);
  const PartialShape data_shape = In(op, 0).shape(), ids_shape = ids.shape();
  if (!data_shape.known_rank() || !ids_shape.known_rank()) return Needs(op, "data and segment_ids of known rank");
  Output zeros = ops::ZerosLike(g, ids);
  Output gathered = ops::Gather(g, dy[0], ops::Maximum(g, ids, zeros), 0);
  Output kept = ops::GreaterEqual(g, ids, zeros);
  const int64_t inner_rank = data_shape.rank() - ids_shape.rank();
  if (inner_rank > 0) {  // kept as [ids' dims, 1, ...] to broadcast over the rows
    const Tensor ones =
        Tensor::FromVector(std::vector<int32_t>(static_cast<size_t>(inner_rank), 1), TensorShape{inner_rank}).value();
    kept = ops::Reshape(g, kept, ops::Concat(g, {ops::Shape(g, ids), ops::Const(g, ones)}, 0));
  }
  *dx = {ops::Where(g, kept, gathered, ops::ZerosLike(g, gathered)), Output(), Output()};
  return Status::OK();
}

// Fill: the value was copied everywhere, so its gradient is the sum of dy.
Status FillGrad(Graph& g, const Node&, const std::vector<Output>& dy, std::vector<Output>* dx) {
  *dx = {Output(), ops::Sum(g, ops::Reshape(g, dy[0], {-1}), {0})};
  return Status::OK();
}

// Print passes its first input through.
Status PrintGrad(Graph&, const Node& op, const std::vector<Output>& dy, std::vector<Output>* dx) {
  dx->assign(static_cast<size_t>(op.num_inputs()), Output());
  (*dx)[0] = dy[0];
  return Status::OK();
}

}  // namespace

void RegisterLayoutGradients(GradientRegistry& r) {
  for (const char* op : {"Select", "SelectV2"}) r.Register(op, SelectGrad);
  r.Register("ConcatV2", ConcatGrad);
  r.Register("Pack", PackGrad);
  r.Register("Unpack", UnpackGrad);
  for (const char* op : {"Split", "SplitV"}) r.Register(op, SplitGrad);
  r.Register("Tile", TileGrad);
  r.Register("Slice", SliceGrad);
  for (const char* op : {"Pad", "PadV2"}) r.Register(op, PadGrad);
  r.Register("Cumsum", CumsumGrad);
  r.Register("Cumprod", CumprodGrad);
  r.Register("GatherV2", GatherGrad);
  r.Register("StridedSlice", StridedSliceGrad);
  r.Register("StridedSliceGrad", StridedSliceGradGrad);
  r.Register("UnsortedSegmentSum", UnsortedSegmentSumGrad);
  r.Register("Fill", FillGrad);
  r.Register("Print", PrintGrad);
}

}  // namespace tessera
