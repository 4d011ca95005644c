// AddSymbolicGradients (tessera/gradients.h): TF's tf.gradients over the
// graph's nodes, which are in topological order by id.
//   1. Between: the nodes both reachable from an x and feeding a y.
//   2. Seed each y with its grad_y (default: ones of its shape).
//   3. Walk the between nodes from the last to the first: sum each output's
//      incoming gradients (AddN), call the op's gradient function under
//      "gradients/<node>_grad", and hand each input its gradient.
//   4. Each x's summed gradient, or None / zeros when unconnected.
#include "tessera/gradients.h"

#include <map>
#include <utility>

#include "src/gradients/registry.h"
#include "tessera/ops.h"

namespace tessera {
namespace {

using Key = std::pair<int, int>;  // (node id, output index)

Status CheckTensors(const Graph& g, const std::vector<Output>& ts, const char* what) {
  for (size_t i = 0; i < ts.size(); ++i) {
    if (!ts[i].valid()) return InvalidArgumentError(std::string(what) + "[" + std::to_string(i) + "] is invalid");
    if (ts[i].node()->graph() != &g) {
      return InvalidArgumentError(std::string(what) + "[" + std::to_string(i) + "] (" + ts[i].name() +
                                  ") belongs to a different Graph");
    }
  }
  return Status::OK();
}

class GradientBuilder {
 public:
  GradientBuilder(Graph& g, const GradientOptions& o) : g_(g), options_(o), nodes_(g.nodes()) {}

  StatusOr<std::vector<Output>> Run(const std::vector<Output>& ys, const std::vector<Output>& xs,
                                    const std::vector<Output>& grad_ys) {
    MarkBetween(ys, xs);
    auto scope = g_.NameScope("gradients");
    for (size_t i = 0; i < ys.size(); ++i) {
      const Output& y = ys[i];
      Add(y, i < grad_ys.size() ? grad_ys[i] : ops::OnesLike(g_, y, "grad_ys_" + std::to_string(i)));
    }
    for (size_t id = nodes_.size(); id-- > 0;) {
      if (between_[id]) TESSERA_RETURN_IF_ERROR(Backprop(*nodes_[id]));
    }
    std::vector<Output> out;
    for (const Output& x : xs) {
      Output d = Summed(x);
      if (!d.valid() && options_.unconnected_gradients == UnconnectedGradients::kZero) d = ops::ZerosLike(g_, x);
      out.push_back(d);
    }
    return out;
  }

 private:
  void MarkBetween(const std::vector<Output>& ys, const std::vector<Output>& xs) {
    std::vector<bool> reached(nodes_.size(), false);
    for (const Output& x : xs) reached[static_cast<size_t>(x.node()->id())] = true;
    for (size_t id = 0; id < nodes_.size(); ++id) {
      for (const Output& in : nodes_[id]->inputs())
        reached[id] = reached[id] || reached[static_cast<size_t>(in.node()->id())];
    }
    between_.assign(nodes_.size(), false);
    std::vector<const Node*> stack;
    for (const Output& y : ys) stack.push_back(y.node());
    while (!stack.empty()) {
      const Node* n = stack.back();
      stack.pop_back();
      const auto id = static_cast<size_t>(n->id());
      if (!reached[id] || between_[id]) continue;
      between_[id] = true;
      for (const Output& in : n->inputs()) stack.push_back(in.node());
    }
  }

  void Add(const Output& t, Output grad) {
    if (grad.valid() && DataTypeIsFloating(t.dtype())) pending_[{t.node()->id(), t.index()}].push_back(grad);
  }

  // The sum of the gradients reaching `t` (AddN of several), once.
  Output Summed(const Output& t) {
    const Key key{t.node()->id(), t.index()};
    if (auto it = summed_.find(key); it != summed_.end()) return it->second;
    auto it = pending_.find(key);
    Output sum;
    if (it != pending_.end()) sum = it->second.size() == 1 ? it->second[0] : ops::AddN(g_, it->second);
    summed_[key] = sum;
    return sum;
  }

  Status Backprop(const Node& node) {
    // Nothing upstream needs a gradient from here (an x itself, TF's stop ops).
    bool feeds_between = false;
    for (const Output& in : node.inputs()) feeds_between |= between_[static_cast<size_t>(in.node()->id())];
    if (!feeds_between) return Status::OK();
    std::vector<Output> dys;
    bool any = false;
    for (int i = 0; i < node.num_outputs(); ++i) {
      dys.push_back(Summed(Output(const_cast<Node*>(&node), i)));
      any |= dys.back().valid();
    }
    if (!any) return Status::OK();
    GradFunc f = nullptr;
    if (!GradientRegistry::Global().Find(node.op(), &f)) {
      return NotFoundError("No gradient defined for operation '" + node.name() + "' (op type: " + node.op() + ")" +
                           node.DefinedAt());
    }
    if (f == nullptr) return Status::OK();  // not differentiable: the gradient stops here
    auto scope = g_.NameScope(node.name() + "_grad");
    std::optional<Graph::ScopeGuard> colocate;
    if (options_.colocate_gradients_with_ops) colocate.emplace(g_.ColocateWith(Operation(const_cast<Node*>(&node))));
    for (int i = 0; i < node.num_outputs(); ++i) {
      Output out(const_cast<Node*>(&node), i);
      if (!dys[static_cast<size_t>(i)].valid() && DataTypeIsFloating(out.dtype()))
        dys[static_cast<size_t>(i)] = ops::ZerosLike(g_, out);
    }
    std::vector<Output> dxs;
    TESSERA_RETURN_IF_ERROR(f(g_, node, dys, &dxs));
    if (dxs.size() != static_cast<size_t>(node.num_inputs())) {
      return InternalError("The gradient of " + node.op() + " returned " + std::to_string(dxs.size()) +
                           " gradients for " + std::to_string(node.num_inputs()) + " inputs");
    }
    for (int k = 0; k < node.num_inputs(); ++k) Add(node.inputs()[static_cast<size_t>(k)], dxs[static_cast<size_t>(k)]);
    return Status::OK();
  }

  Graph& g_;
  const GradientOptions& options_;
  const std::vector<Node*> nodes_;
  std::vector<bool> between_;
  std::map<Key, std::vector<Output>> pending_;
  std::map<Key, Output> summed_;
};

}  // namespace

StatusOr<std::vector<Output>> AddSymbolicGradients(Graph& g, const std::vector<Output>& ys,
                                                   const std::vector<Output>& xs, const std::vector<Output>& grad_ys,
                                                   const GradientOptions& options) {
  TESSERA_RETURN_IF_ERROR(CheckTensors(g, ys, "ys"));
  TESSERA_RETURN_IF_ERROR(CheckTensors(g, xs, "xs"));
  TESSERA_RETURN_IF_ERROR(CheckTensors(g, grad_ys, "grad_ys"));
  if (!grad_ys.empty() && grad_ys.size() != ys.size()) {
    return InvalidArgumentError("grad_ys has " + std::to_string(grad_ys.size()) + " tensors for " +
                                std::to_string(ys.size()) + " ys (give one per y, or none)");
  }
  for (size_t i = 0; i < grad_ys.size(); ++i) {
    if (grad_ys[i].dtype() != ys[i].dtype()) {
      return InvalidArgumentError("Gradient type " + std::string(DataTypeString(grad_ys[i].dtype())) +
                                  " generated for real or integer tensor " + ys[i].name() + " with type " +
                                  std::string(DataTypeString(ys[i].dtype())) + " must be the same type");
    }
  }
  const bool had_error = g.has_error();
  TESSERA_ASSIGN_OR_RETURN(std::vector<Output> out, GradientBuilder(g, options).Run(ys, xs, grad_ys));
  if (!had_error && g.has_error()) return g.status();  // a gradient op could not be built
  return out;
}

}  // namespace tessera
