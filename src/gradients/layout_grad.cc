// Gradients of the layout ops (selection, concatenation, stacking, splits,
// tiling, slicing, padding, cumulative sums): dy is routed back to where each
// input element went. Those that need the static layout (sizes along the
// concatenated axis, Tile's multiples, Slice's begin) say so when it is unknown.
#include <numeric>

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
  r.Register("Fill", FillGrad);
  r.Register("Print", PrintGrad);
}

}  // namespace tessera
