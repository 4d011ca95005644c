#include "src/gradients/registry.h"

#include "src/framework/tensor_util.h"
#include "tessera/ops.h"

namespace tessera {

const GradientRegistry& GradientRegistry::Global() {
  static const GradientRegistry* r = [] {
    auto* reg = new GradientRegistry();
    RegisterMathGradients(*reg);
    RegisterArrayGradients(*reg);
    RegisterNnGradients(*reg);
    RegisterLayoutGradients(*reg);
    return reg;
  }();
  return *r;
}

bool GradientRegistry::Find(const std::string& op, GradFunc* f) const {
  auto it = funcs_.find(op);
  if (it == funcs_.end()) return false;
  *f = it->second;
  return true;
}

namespace grad_internal {

bool ConstInts(const Output& o, std::vector<int64_t>* v) {
  if (!o.valid() || o.node()->op() != "Const") return false;
  const Tensor* t = o.node()->attr<Tensor>("value");
  if (t == nullptr || (t->dtype() != DataType::kInt32 && t->dtype() != DataType::kInt64)) return false;
  *v = IntTensorValues(*t);
  return true;
}

Output ReduceToShapeOf(Graph& g, Output dx, Output x, Output reduce_axes) {
  return ops::Reshape(g, ops::SumAlong(g, dx, reduce_axes), ops::Shape(g, x));
}

void BroadcastBinary(Graph& g, const Node& op, Output gx, Output gy, std::vector<Output>* dxs) {
  const Output& x = op.inputs()[0];
  const Output& y = op.inputs()[1];
  const PartialShape sx = x.shape(), sy = y.shape();
  if (sx.fully_defined() && sx == sy) {
    *dxs = {gx, gy};
    return;
  }
  std::vector<Output> r = ops::BroadcastGradientArgs(g, ops::Shape(g, x), ops::Shape(g, y));
  if (r.size() != 2) {
    *dxs = {Output(), Output()};
    return;
  }
  *dxs = {gx.valid() ? ReduceToShapeOf(g, gx, x, r[0]) : Output(),
          gy.valid() ? ReduceToShapeOf(g, gy, y, r[1]) : Output()};
}

}  // namespace grad_internal

}  // namespace tessera
