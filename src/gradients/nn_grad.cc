// Gradients of the neural-network ops.
#include "src/gradients/registry.h"
#include "tessera/ops.h"

namespace tessera {
namespace {

using grad_internal::In;
using grad_internal::Out;

// Relu: TF's ReluGrad(dy, y) (y > 0 exactly where the features are).
Status ReluGrad(Graph& g, const Node& op, const std::vector<Output>& dy, std::vector<Output>* dx) {
  *dx = {ops::ReluGrad(g, dy[0], Out(op))};
  return Status::OK();
}

// ReluGrad(dy, x): the first input gets ReluGrad(ddx, x); the features none
// that flows (the step function), zeros as TF.
Status ReluGradGrad(Graph& g, const Node& op, const std::vector<Output>& dy, std::vector<Output>* dx) {
  *dx = {ops::ReluGrad(g, dy[0], In(op, 1)), ops::ZerosLike(g, In(op, 1))};
  return Status::OK();
}

// The data_format of a BiasAdd, conv or pool node (NHWC when absent).
ops::DataFormat FormatOf(const Node& op) {
  const auto* f = op.attr<std::string>("data_format");
  return f != nullptr && *f == "NCHW" ? ops::DataFormat::kNCHW : ops::DataFormat::kNHWC;
}

// BiasAdd: the value gets dy; the bias, BiasAddGrad(dy) in the same data_format.
Status BiasAddGrad(Graph& g, const Node& op, const std::vector<Output>& dy, std::vector<Output>* dx) {
  *dx = {dy[0], ops::BiasAddGrad(g, dy[0], FormatOf(op))};
  return Status::OK();
}

// True when `o` is known to be zero: a ZerosLike (what AddSymbolicGradients
// passes for an output no y depends on), as TF's IsZero.
bool IsZeros(const Output& o) { return o.valid() && o.node()->op() == "ZerosLike"; }

// The cross-entropies: dlogits = dloss[:, None] * backprop. A gradient that
// reaches the backprop output too (second order) adds
// (g - sum(g * softmax, -1)) * softmax, TF's formula.
Status XentLogitsGrad(Graph& g, const Node& op, const std::vector<Output>& dy, Output* dlogits) {
  const Output backprop(const_cast<Node*>(&op), 1);
  *dlogits = ops::Mul(g, ops::ExpandDims(g, dy[0], -1), backprop);
  if (IsZeros(dy[1])) return Status::OK();
  const Output softmax = ops::Softmax(g, In(op, 0));
  const Output dot = ops::Sum(g, ops::Mul(g, dy[1], softmax), {1}, /*keep_dims=*/true);
  *dlogits = ops::Add(g, *dlogits, ops::Mul(g, ops::Sub(g, dy[1], dot), softmax));
  return Status::OK();
}

// Dense labels get dloss[:, None] * -log_softmax(logits), as TF.
Status SoftmaxXentGrad(Graph& g, const Node& op, const std::vector<Output>& dy, std::vector<Output>* dx) {
  Output dlogits;
  TESSERA_RETURN_IF_ERROR(XentLogitsGrad(g, op, dy, &dlogits));
  const Output dlabels = ops::Mul(g, ops::ExpandDims(g, dy[0], -1), ops::Neg(g, ops::LogSoftmax(g, In(op, 0))));
  *dx = {dlogits, dlabels};
  return Status::OK();
}

// Sparse labels are indices: no gradient.
Status SparseSoftmaxXentGrad(Graph& g, const Node& op, const std::vector<Output>& dy, std::vector<Output>* dx) {
  Output dlogits;
  TESSERA_RETURN_IF_ERROR(XentLogitsGrad(g, op, dy, &dlogits));
  *dx = {dlogits, Output()};
  return Status::OK();
}

// LogSoftmax y: dx = dy - exp(y) * sum(dy, last axis).
Status LogSoftmaxGrad(Graph& g, const Node& op, const std::vector<Output>& dy, std::vector<Output>* dx) {
  const Output y = Out(op);
  const PartialShape s = y.shape();
  if (!s.known_rank()) return UnimplementedError("The gradient of LogSoftmax '" + op.name() + "' needs a known rank");
  Output sum = ops::Sum(g, dy[0], {static_cast<int32_t>(s.rank() - 1)}, /*keep_dims=*/true);
  *dx = {ops::Sub(g, dy[0], ops::Mul(g, ops::Exp(g, y), sum))};
  return Status::OK();
}

// L2Loss: x * dy.
Status L2LossGrad(Graph& g, const Node& op, const std::vector<Output>& dy, std::vector<Output>* dx) {
  *dx = {ops::Mul(g, In(op, 0), dy[0])};
  return Status::OK();
}

// Softmax y: dx = (dy - sum(dy * y, last axis)) * y.
Status SoftmaxGrad(Graph& g, const Node& op, const std::vector<Output>& dy, std::vector<Output>* dx) {
  const Output y = Out(op);
  const PartialShape s = y.shape();
  if (!s.known_rank()) return UnimplementedError("The gradient of Softmax '" + op.name() + "' needs a known rank");
  Output dot = ops::Sum(g, ops::Mul(g, dy[0], y), {static_cast<int32_t>(s.rank() - 1)}, /*keep_dims=*/true);
  *dx = {ops::Mul(g, ops::Sub(g, dy[0], dot), y)};
  return Status::OK();
}

// The window attributes of a forward conv/pool node.
std::vector<int64_t> ListAttr(const Node& op, const char* name, std::vector<int64_t> fallback = {}) {
  const auto* v = op.attr<std::vector<int64_t>>(name);
  return v != nullptr ? *v : fallback;
}
std::string Padding(const Node& op) {
  const auto* p = op.attr<std::string>("padding");
  return p != nullptr ? *p : "";
}

// Conv2D: the input's gradient by Conv2DBackpropInput, the filter's by
// Conv2DBackpropFilter, each given the other's shape at run time.
Status Conv2DGrad(Graph& g, const Node& op, const std::vector<Output>& dy, std::vector<Output>* dx) {
  const std::vector<int64_t> strides = ListAttr(op, "strides"), dilations = ListAttr(op, "dilations", {1, 1, 1, 1});
  const Output input = In(op, 0), filter = In(op, 1);
  const ops::DataFormat format = FormatOf(op);
  *dx = {ops::Conv2DBackpropInput(g, ops::Shape(g, input), filter, dy[0], strides, Padding(op), dilations, format),
         ops::Conv2DBackpropFilter(g, input, ops::Shape(g, filter), dy[0], strides, Padding(op), dilations, format)};
  return Status::OK();
}

Status MaxPoolGrad(Graph& g, const Node& op, const std::vector<Output>& dy, std::vector<Output>* dx) {
  *dx = {ops::MaxPoolGrad(g, In(op, 0), Out(op), dy[0], ListAttr(op, "ksize"), ListAttr(op, "strides"), Padding(op),
                          FormatOf(op))};
  return Status::OK();
}

Status AvgPoolGrad(Graph& g, const Node& op, const std::vector<Output>& dy, std::vector<Output>* dx) {
  *dx = {ops::AvgPoolGrad(g, ops::Shape(g, In(op, 0)), dy[0], ListAttr(op, "ksize"), ListAttr(op, "strides"),
                          Padding(op), FormatOf(op))};
  return Status::OK();
}

}  // namespace

void RegisterNnGradients(GradientRegistry& r) {
  r.Register("Conv2D", Conv2DGrad);
  r.Register("MaxPool", MaxPoolGrad);
  r.Register("AvgPool", AvgPoolGrad);
  r.Register("Relu", ReluGrad);
  r.Register("BiasAdd", BiasAddGrad);
  r.Register("Softmax", SoftmaxGrad);
  r.Register("LogSoftmax", LogSoftmaxGrad);
  r.Register("ReluGrad", ReluGradGrad);
  r.Register("SoftmaxCrossEntropyWithLogits", SoftmaxXentGrad);
  r.Register("SparseSoftmaxCrossEntropyWithLogits", SparseSoftmaxXentGrad);
  r.Register("L2Loss", L2LossGrad);
}

}  // namespace tessera
