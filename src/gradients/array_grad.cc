// Gradients of the array ops that move data without arithmetic: the
// gradient goes back to the input's layout.
#include "src/gradients/registry.h"
#include "tessera/ops.h"

namespace tessera {
namespace {

using grad_internal::In;
using grad_internal::Out;

Status IdentityGrad(Graph&, const Node&, const std::vector<Output>& dy, std::vector<Output>* dx) {
  *dx = {dy[0]};
  return Status::OK();
}

// Reshape, ExpandDims, Squeeze: dy in x's shape; the shape or axis input gets none.
Status ReshapeGrad(Graph& g, const Node& op, const std::vector<Output>& dy, std::vector<Output>* dx) {
  dx->assign(static_cast<size_t>(op.num_inputs()), Output());
  (*dx)[0] = ops::Reshape(g, dy[0], ops::Shape(g, In(op, 0)));
  return Status::OK();
}

// Transpose by perm: dy transposed by perm's inverse.
Status TransposeGrad(Graph& g, const Node& op, const std::vector<Output>& dy, std::vector<Output>* dx) {
  std::vector<int64_t> perm;
  if (!grad_internal::ConstInts(In(op, 1), &perm)) {
    return UnimplementedError("The gradient of Transpose '" + op.name() + "' needs a constant perm");
  }
  const auto n = static_cast<int64_t>(perm.size());
  std::vector<int32_t> inverse(perm.size(), -1);
  for (size_t i = 0; i < perm.size(); ++i) {
    const int64_t p = perm[i] < 0 ? perm[i] + n : perm[i];  // as the shape function reads it
    if (p < 0 || p >= n || inverse[static_cast<size_t>(p)] >= 0) {
      return InvalidArgumentError("The gradient of Transpose '" + op.name() + "' got an invalid perm");
    }
    inverse[static_cast<size_t>(p)] = static_cast<int32_t>(i);
  }
  *dx = {ops::Transpose(g, dy[0], inverse), Output()};
  return Status::OK();
}

}  // namespace

void RegisterArrayGradients(GradientRegistry& r) {
  r.Register("Identity", IdentityGrad);
  for (const char* op : {"Reshape", "ExpandDims", "Squeeze"}) r.Register(op, ReshapeGrad);
  r.Register("Transpose", TransposeGrad);
  for (const char* op : {"StopGradient", "Shape", "Size", "Rank", "ZerosLike", "OnesLike", "BroadcastGradientArgs",
                         "IsVariableInitialized", "OneHot", "Range", "Where"}) {
    r.NotDifferentiable(op);
  }
}

}  // namespace tessera
