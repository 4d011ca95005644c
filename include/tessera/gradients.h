// Symbolic gradients (TF's tf.gradients): nodes that compute the derivative
// of the sum of `ys` with respect to each of `xs`.
//
//   Output loss = ops::Sum(g, ops::Square(g, ops::Sub(g, y, labels)));
//   StatusOr<std::vector<Output>> d = AddSymbolicGradients(g, {loss}, {w, b});
//   // (*d)[0] has w's shape: d loss / d w
//
// Each op's gradient is a function registered for its op type; the gradient
// nodes go under the name scope "gradients" ("gradients/mlp/MatMul_grad/...").
// Gradients reaching one tensor from several consumers are summed with AddN.
// Only floating-point tensors carry gradients; StopGradient and ops without
// a derivative (Shape, ArgMax, comparisons...) stop them.
//
// Thread-safety: as Graph (one builder thread at a time).
#pragma once

#include <vector>

#include "tessera/graph.h"
#include "tessera/status.h"

namespace tessera {

// What a gradient is for an x that the ys do not depend on (TF's
// unconnected_gradients): an invalid Output (TF's None), or zeros of x's shape.
enum class UnconnectedGradients { kNone, kZero };

struct GradientOptions {
  UnconnectedGradients unconnected_gradients = UnconnectedGradients::kNone;
  // Each gradient node is colocated with the forward op it differentiates
  // (TF's colocate_gradients_with_ops): on its device, with the same reasons.
  bool colocate_gradients_with_ops = false;
};

// d(sum of ys)/d(each x). `grad_ys` (one per y, or empty) weights each y's
// gradient; by default ones of y's shape. Errors: InvalidArgument for invalid
// or foreign tensors and mismatched grad_ys, LookupError-like NotFound "No
// gradient defined for operation ..." when the path crosses an op without a
// registered gradient.
StatusOr<std::vector<Output>> AddSymbolicGradients(Graph& g, const std::vector<Output>& ys,
                                                   const std::vector<Output>& xs,
                                                   const std::vector<Output>& grad_ys = {},
                                                   const GradientOptions& options = {});

}  // namespace tessera
