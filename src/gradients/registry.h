// The gradient functions, one per op type, registered like the ops: one file
// per op family (math_grad.cc, array_grad.cc, nn_grad.cc).
//
// A gradient function gets the forward node and the gradient of each of its
// outputs (never invalid: missing ones are zeros), and returns one gradient
// per input (an invalid Output where none flows, e.g. a shape input). It
// builds ordinary ops in the graph; AddSymbolicGradients has opened the name
// scope "gradients/<node>_grad" (and the colocation) around it.
//
// Thread-safety: the registry is filled once, then read.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "tessera/graph.h"
#include "tessera/status.h"

namespace tessera {

using GradFunc = Status (*)(Graph& g, const Node& op, const std::vector<Output>& dys, std::vector<Output>* dxs);

class GradientRegistry {
 public:
  static const GradientRegistry& Global();
  void Register(const std::string& op, GradFunc f) { funcs_[op] = f; }
  // Ops whose output does not depend differentiably on their inputs
  // (Shape, ArgMax, comparisons, StopGradient): gradients stop there.
  void NotDifferentiable(const std::string& op) { funcs_[op] = nullptr; }
  // Found: *f is the function, or null for a non-differentiable op.
  bool Find(const std::string& op, GradFunc* f) const;

 private:
  std::map<std::string, GradFunc> funcs_;
};

void RegisterMathGradients(GradientRegistry& r);
void RegisterArrayGradients(GradientRegistry& r);
void RegisterNnGradients(GradientRegistry& r);
void RegisterLayoutGradients(GradientRegistry& r);

// Helpers for the gradient functions.
namespace grad_internal {
// Input i and output 0 of the forward node.
inline const Output& In(const Node& op, int i) { return op.inputs()[static_cast<size_t>(i)]; }
inline Output Out(const Node& op) { return Output(const_cast<Node*>(&op), 0); }
// The integer values of `o` when it is a Const (axes, permutations).
bool ConstInts(const Output& o, std::vector<int64_t>* v);
// `dx` summed over the axes where x was broadcast against y to make the
// output, reshaped to x's shape (TF's BroadcastGradientArgs + Sum + Reshape).
Output ReduceToShapeOf(Graph& g, Output dx, Output x, Output reduce_axes);
// {gx, gy} for a binary op whose output broadcast x and y: the gradients
// reduced to x's and y's shapes (the reduction is skipped when the static
// shapes are equal and fully known).
void BroadcastBinary(Graph& g, const Node& op, Output gx, Output gy, std::vector<Output>* dxs);
}  // namespace grad_internal

}  // namespace tessera
