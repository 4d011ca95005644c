// Gradients of the math ops: elementwise arithmetic (with broadcasting),
// the unary functions, MatMul, reductions, AddN, Cast.
#include "src/gradients/registry.h"
#include "tessera/ops.h"

namespace tessera {
namespace {

using grad_internal::In;
using grad_internal::Out;

using grad_internal::BroadcastBinary;

// A scalar constant of a floating dtype.
Output Scalar(Graph& g, DataType dt, double v) {
  return dt == DataType::kDouble ? ops::Const(g, Tensor::Scalar<double>(v))
                                 : ops::Const(g, Tensor::Scalar<float>(static_cast<float>(v)));
}

Status AddGrad(Graph& g, const Node& op, const std::vector<Output>& dy, std::vector<Output>* dx) {
  BroadcastBinary(g, op, dy[0], dy[0], dx);
  return Status::OK();
}
Status SubGrad(Graph& g, const Node& op, const std::vector<Output>& dy, std::vector<Output>* dx) {
  BroadcastBinary(g, op, dy[0], ops::Neg(g, dy[0]), dx);
  return Status::OK();
}
Status MulGrad(Graph& g, const Node& op, const std::vector<Output>& dy, std::vector<Output>* dx) {
  BroadcastBinary(g, op, ops::Mul(g, dy[0], In(op, 1)), ops::Mul(g, In(op, 0), dy[0]), dx);
  return Status::OK();
}
// d(x/y): dy/y and -dy*x/y^2.
Status DivGrad(Graph& g, const Node& op, const std::vector<Output>& dy, std::vector<Output>* dx) {
  const Output& x = In(op, 0);
  const Output& y = In(op, 1);
  BroadcastBinary(g, op, ops::Div(g, dy[0], y), ops::Mul(g, dy[0], ops::Div(g, ops::Div(g, ops::Neg(g, x), y), y)), dx);
  return Status::OK();
}

// Unary functions: dx = dy * f'(x), with f' written from x or from y = f(x).
Status NegGrad(Graph& g, const Node&, const std::vector<Output>& dy, std::vector<Output>* dx) {
  *dx = {ops::Neg(g, dy[0])};
  return Status::OK();
}
Status SquareGrad(Graph& g, const Node& op, const std::vector<Output>& dy, std::vector<Output>* dx) {
  *dx = {ops::Mul(g, dy[0], ops::Mul(g, Scalar(g, In(op, 0).dtype(), 2.0), In(op, 0)))};
  return Status::OK();
}
Status SqrtGrad(Graph& g, const Node& op, const std::vector<Output>& dy, std::vector<Output>* dx) {
  *dx = {ops::Div(g, ops::Mul(g, dy[0], Scalar(g, In(op, 0).dtype(), 0.5)), Out(op))};
  return Status::OK();
}
Status RsqrtGrad(Graph& g, const Node& op, const std::vector<Output>& dy, std::vector<Output>* dx) {
  const Output y = Out(op);  // d(x^-1/2) = -y^3 / 2
  *dx = {ops::Mul(g, dy[0], ops::Mul(g, Scalar(g, y.dtype(), -0.5), ops::Mul(g, y, ops::Square(g, y))))};
  return Status::OK();
}
Status ExpGrad(Graph& g, const Node& op, const std::vector<Output>& dy, std::vector<Output>* dx) {
  *dx = {ops::Mul(g, dy[0], Out(op))};
  return Status::OK();
}
Status LogGrad(Graph& g, const Node& op, const std::vector<Output>& dy, std::vector<Output>* dx) {
  *dx = {ops::Mul(g, dy[0], ops::Reciprocal(g, In(op, 0)))};
  return Status::OK();
}
Status Log1pGrad(Graph& g, const Node& op, const std::vector<Output>& dy, std::vector<Output>* dx) {
  const Output& x = In(op, 0);
  *dx = {ops::Mul(g, dy[0], ops::Reciprocal(g, ops::Add(g, Scalar(g, x.dtype(), 1.0), x)))};
  return Status::OK();
}
Status ReciprocalGrad(Graph& g, const Node& op, const std::vector<Output>& dy, std::vector<Output>* dx) {
  *dx = {ops::Mul(g, dy[0], ops::Neg(g, ops::Square(g, Out(op))))};
  return Status::OK();
}
Status AbsGrad(Graph& g, const Node& op, const std::vector<Output>& dy, std::vector<Output>* dx) {
  *dx = {ops::Mul(g, dy[0], ops::Sign(g, In(op, 0)))};
  return Status::OK();
}
Status TanhGrad(Graph& g, const Node& op, const std::vector<Output>& dy, std::vector<Output>* dx) {
  *dx = {ops::TanhGrad(g, Out(op), dy[0])};
  return Status::OK();
}
Status SigmoidGrad(Graph& g, const Node& op, const std::vector<Output>& dy, std::vector<Output>* dx) {
  *dx = {ops::SigmoidGrad(g, Out(op), dy[0])};
  return Status::OK();
}

// TanhGrad(y, dy) = dy (1 - y^2): (-2 g dy y, TanhGrad(y, g)), as TF.
Status TanhGradGrad(Graph& g, const Node& op, const std::vector<Output>& dy, std::vector<Output>* dx) {
  const Output y = In(op, 0), b = In(op, 1);
  *dx = {ops::Mul(g, ops::Mul(g, dy[0], Scalar(g, y.dtype(), -2.0)), ops::Mul(g, b, y)), ops::TanhGrad(g, y, dy[0])};
  return Status::OK();
}
// SigmoidGrad(y, dy) = dy y (1 - y): (g dy - 2 g dy y, SigmoidGrad(y, g)), as TF.
Status SigmoidGradGrad(Graph& g, const Node& op, const std::vector<Output>& dy, std::vector<Output>* dx) {
  const Output y = In(op, 0);
  const Output gb = ops::Mul(g, dy[0], In(op, 1));
  *dx = {ops::Sub(g, gb, ops::Mul(g, ops::Mul(g, Scalar(g, y.dtype(), 2.0), gb), y)), ops::SigmoidGrad(g, y, dy[0])};
  return Status::OK();
}

// C = A B (with transposes): dA and dB from dC, as TF's _MatMulGrad.
Status MatMulGrad(Graph& g, const Node& op, const std::vector<Output>& dy, std::vector<Output>* dx) {
  const bool* ta_attr = op.attr<bool>("transpose_a");
  const bool* tb_attr = op.attr<bool>("transpose_b");
  const bool ta = ta_attr != nullptr && *ta_attr, tb = tb_attr != nullptr && *tb_attr;
  const Output& a = In(op, 0);
  const Output& b = In(op, 1);
  const Output& d = dy[0];
  if (!ta && !tb) {
    *dx = {ops::MatMul(g, d, b, false, true), ops::MatMul(g, a, d, true, false)};
  } else if (!ta && tb) {
    *dx = {ops::MatMul(g, d, b), ops::MatMul(g, d, a, true, false)};
  } else if (ta && !tb) {
    *dx = {ops::MatMul(g, b, d, false, true), ops::MatMul(g, a, d)};
  } else {
    *dx = {ops::MatMul(g, b, d, true, true), ops::MatMul(g, d, a, true, true)};
  }
  return Status::OK();
}

// Sum and Mean: dy spread back over the reduced axes (reshaped to the kept
// dimensions, then broadcast to x's shape); Mean divides by the count.
StatusOr<Output> SpreadOverReduced(Graph& g, const Node& op, const Output& dy) {
  const Output& x = In(op, 0);
  std::vector<int64_t> axes;
  if (!grad_internal::ConstInts(In(op, 1), &axes) || !x.shape().known_rank()) {
    return UnimplementedError("The gradient of " + op.op() + " '" + op.name() +
                              "' needs constant axes and an input of known rank");
  }
  const int64_t rank = x.shape().rank();
  std::vector<int32_t> keep(static_cast<size_t>(rank), 1);  // 1: kept, 0: reduced
  for (int64_t a : axes) {
    const int64_t axis = a < 0 ? a + rank : a;
    if (axis < 0 || axis >= rank) {
      return InvalidArgumentError("The gradient of " + op.op() + " '" + op.name() + "' got axis " + std::to_string(a) +
                                  " for rank " + std::to_string(rank));
    }
    keep[static_cast<size_t>(axis)] = 0;
  }
  const Tensor mask = Tensor::FromVector<int32_t>(keep, TensorShape{rank}).value();
  const Tensor ones = Tensor::FromVector<int32_t>(std::vector<int32_t>(keep.size(), 1), TensorShape{rank}).value();
  // kept = shape(x) * keep + (1 - keep): the reduced axes become 1.
  Output kept = ops::Add(g, ops::Mul(g, ops::Shape(g, x), ops::Const(g, mask)),
                         ops::Sub(g, ops::Const(g, ones), ops::Const(g, mask)));
  return ops::Add(g, ops::ZerosLike(g, x), ops::Reshape(g, dy, kept));
}

Status SumGrad(Graph& g, const Node& op, const std::vector<Output>& dy, std::vector<Output>* dx) {
  TESSERA_ASSIGN_OR_RETURN(Output spread, SpreadOverReduced(g, op, dy[0]));
  *dx = {spread, Output()};
  return Status::OK();
}
Status MeanGrad(Graph& g, const Node& op, const std::vector<Output>& dy, std::vector<Output>* dx) {
  TESSERA_ASSIGN_OR_RETURN(Output spread, SpreadOverReduced(g, op, dy[0]));
  const Output& x = In(op, 0);
  Output count = ops::FloorDiv(g, ops::Size(g, x), ops::Maximum(g, ops::Size(g, Out(op)), ops::Const(g, 1)));
  *dx = {ops::Div(g, spread, ops::Cast(g, count, x.dtype())), Output()};
  return Status::OK();
}

// Prod over axes (TF's formula, right where x holds zeros): the reduced axes
// moved first and flattened to [reduced, other]; each element's gradient is
// the product of the others in its column, an exclusive cumulative product
// from each side, times dy spread over the reduced axes.
Status ProdGrad(Graph& g, const Node& op, const std::vector<Output>& dy, std::vector<Output>* dx) {
  TESSERA_ASSIGN_OR_RETURN(Output spread, SpreadOverReduced(g, op, dy[0]));
  const Output& x = In(op, 0);
  std::vector<int64_t> axes;
  grad_internal::ConstInts(In(op, 1), &axes);  // SpreadOverReduced checked them and the rank
  const int rank = x.shape().rank();
  std::vector<bool> reduced(static_cast<size_t>(rank), false);
  for (int64_t a : axes) reduced[static_cast<size_t>(a < 0 ? a + rank : a)] = true;
  std::vector<int32_t> perm, inverse(static_cast<size_t>(rank)), reduced_axes, other_axes;
  for (int pass = 0; pass < 2; ++pass) {
    for (int i = 0; i < rank; ++i) {
      if (reduced[static_cast<size_t>(i)] != (pass == 0)) continue;
      inverse[static_cast<size_t>(i)] = static_cast<int32_t>(perm.size());
      perm.push_back(i);
      (pass == 0 ? reduced_axes : other_axes).push_back(i);
    }
  }
  Output shape = ops::Shape(g, x);
  auto count = [&g, &shape](const std::vector<int32_t>& along) {
    const auto n = static_cast<int64_t>(along.size());
    Output dims = ops::Gather(g, shape, ops::Const(g, Tensor::FromVector(along, TensorShape{n}).value()));
    return ops::Prod(g, dims, {0});
  };
  Output permuted = ops::Transpose(g, x, perm);
  Output flat = ops::Reshape(g, permuted, ops::Stack(g, {count(reduced_axes), count(other_axes)}));
  Output left = ops::Cumprod(g, flat, 0, /*exclusive=*/true);
  Output right = ops::Cumprod(g, flat, 0, /*exclusive=*/true, /*reverse=*/true);
  Output others = ops::Reshape(g, ops::Mul(g, left, right), ops::Shape(g, permuted));
  *dx = {ops::Mul(g, spread, ops::Transpose(g, others, inverse)), Output()};
  return Status::OK();
}

// Maximum/Minimum: dy goes to the operand that was chosen (x on ties, as TF).
template <bool kMax>
Status MaxMinGrad(Graph& g, const Node& op, const std::vector<Output>& dy, std::vector<Output>* dx) {
  const Output& x = In(op, 0);
  const Output& y = In(op, 1);
  Output x_chosen = kMax ? ops::GreaterEqual(g, x, y) : ops::LessEqual(g, x, y);
  Output zeros = ops::ZerosLike(g, dy[0]);
  BroadcastBinary(g, op, ops::Where(g, x_chosen, dy[0], zeros), ops::Where(g, x_chosen, zeros, dy[0]), dx);
  return Status::OK();
}

// z = x^y: dx = dy * y * x^(y-1); dy = dy * z * log(x) where x > 0, else 0.
Status PowGrad(Graph& g, const Node& op, const std::vector<Output>& dy, std::vector<Output>* dx) {
  const Output& x = In(op, 0);
  const Output& y = In(op, 1);
  const Output z = Out(op);
  Output gx = ops::Mul(g, dy[0], ops::Mul(g, y, ops::Pow(g, x, ops::Sub(g, y, Scalar(g, y.dtype(), 1.0)))));
  Output positive = ops::Greater(g, x, ops::ZerosLike(g, x));
  Output log_x =
      ops::Where(g, positive, ops::Log(g, ops::Where(g, positive, x, ops::OnesLike(g, x))), ops::ZerosLike(g, x));
  BroadcastBinary(g, op, gx, ops::Mul(g, dy[0], ops::Mul(g, z, log_x)), dx);
  return Status::OK();
}

// x mod y = x - floor(x / y) * y: dx = dy, dy = -dy * floor(x / y).
Status FloorModGrad(Graph& g, const Node& op, const std::vector<Output>& dy, std::vector<Output>* dx) {
  BroadcastBinary(g, op, dy[0], ops::Mul(g, ops::Neg(g, dy[0]), ops::FloorDiv(g, In(op, 0), In(op, 1))), dx);
  return Status::OK();
}

// Max/Min over axes: dy shared equally by the elements equal to the result
// (as TF: ties split the gradient).
Status MaxMinReduceGrad(Graph& g, const Node& op, const std::vector<Output>& dy, std::vector<Output>* dx) {
  const Output& x = In(op, 0);
  TESSERA_ASSIGN_OR_RETURN(Output y_spread, SpreadOverReduced(g, op, Out(op)));
  TESSERA_ASSIGN_OR_RETURN(Output dy_spread, SpreadOverReduced(g, op, dy[0]));
  Output chosen = ops::Cast(g, ops::Equal(g, x, y_spread), x.dtype());
  Output count = ops::SumAlong(g, chosen, In(op, 1), /*keep_dims=*/true);
  *dx = {ops::Mul(g, ops::Div(g, chosen, count), dy_spread), Output()};
  return Status::OK();
}

Status AddNGrad(Graph&, const Node& op, const std::vector<Output>& dy, std::vector<Output>* dx) {
  dx->assign(static_cast<size_t>(op.num_inputs()), dy[0]);
  return Status::OK();
}

Status CastGrad(Graph& g, const Node& op, const std::vector<Output>& dy, std::vector<Output>* dx) {
  const DataType src = In(op, 0).dtype();
  *dx = {DataTypeIsFloating(src) ? ops::Cast(g, dy[0], src) : Output()};
  return Status::OK();
}

}  // namespace

void RegisterMathGradients(GradientRegistry& r) {
  for (const char* op : {"Add", "AddV2"}) r.Register(op, AddGrad);
  r.Register("Sub", SubGrad);
  r.Register("Mul", MulGrad);
  r.Register("Div", DivGrad);
  r.Register("RealDiv", DivGrad);
  r.Register("Neg", NegGrad);
  r.Register("Square", SquareGrad);
  r.Register("Sqrt", SqrtGrad);
  r.Register("Rsqrt", RsqrtGrad);
  r.Register("Exp", ExpGrad);
  r.Register("Log", LogGrad);
  r.Register("Log1p", Log1pGrad);
  r.Register("Reciprocal", ReciprocalGrad);
  r.Register("Abs", AbsGrad);
  r.Register("Tanh", TanhGrad);
  r.Register("Sigmoid", SigmoidGrad);
  r.Register("TanhGrad", TanhGradGrad);
  r.Register("SigmoidGrad", SigmoidGradGrad);
  r.Register("MatMul", MatMulGrad);
  r.Register("Sum", SumGrad);
  r.Register("Mean", MeanGrad);
  r.Register("Prod", ProdGrad);
  for (const char* op : {"Max", "Min"}) r.Register(op, MaxMinReduceGrad);
  r.Register("AddN", AddNGrad);
  r.Register("Maximum", MaxMinGrad<true>);
  r.Register("Minimum", MaxMinGrad<false>);
  r.Register("Pow", PowGrad);
  r.Register("FloorMod", FloorModGrad);
  r.Register("Cast", CastGrad);
  for (const char* op : {"Equal",
                         "NotEqual",
                         "Less",
                         "Greater",
                         "LessEqual",
                         "GreaterEqual",
                         "LogicalAnd",
                         "LogicalOr",
                         "LogicalNot",
                         "Floor",
                         "Ceil",
                         "Round",
                         "Sign",
                         "ArgMax",
                         "ArgMin",
                         "FloorDiv",
                         "RandomUniform",
                         "RandomStandardNormal",
                         "TruncatedNormal",
                         "All",
                         "Any",
                         "Assign",
                         "AssignAdd",
                         "AssignSub"}) {
    r.NotDifferentiable(op);
  }
}

}  // namespace tessera
