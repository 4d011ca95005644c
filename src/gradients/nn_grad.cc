// Gradients of the neural-network ops.
#include "src/gradients/registry.h"
#include "tessera/ops.h"

namespace tessera {
namespace {

using grad_internal::In;
using grad_internal::Out;

// dy where the output is positive, else 0 (TF's ReluGrad, written with Where
// until the fused ReluGrad op exists).
Status ReluGrad(Graph& g, const Node& op, const std::vector<Output>& dy, std::vector<Output>* dx) {
  const Output y = Out(op);
  *dx = {ops::Where(g, ops::Greater(g, y, ops::ZerosLike(g, y)), dy[0], ops::ZerosLike(g, dy[0]))};
  return Status::OK();
}

// BiasAdd: the value gets dy; the bias, dy summed over every axis but the last.
Status BiasAddGrad(Graph& g, const Node& op, const std::vector<Output>& dy, std::vector<Output>* dx) {
  const PartialShape s = In(op, 0).shape();
  if (!s.known_rank())
    return UnimplementedError("The gradient of BiasAdd '" + op.name() + "' needs a value of known rank");
  std::vector<int32_t> axes;
  for (int i = 0; i + 1 < s.rank(); ++i) axes.push_back(i);
  *dx = {dy[0], ops::Sum(g, dy[0], axes)};
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

}  // namespace

void RegisterNnGradients(GradientRegistry& r) {
  r.Register("Relu", ReluGrad);
  r.Register("BiasAdd", BiasAddGrad);
  r.Register("Softmax", SoftmaxGrad);
}

}  // namespace tessera
