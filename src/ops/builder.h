// Helpers shared by the op builders in src/ops/.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "tessera/graph.h"
#include "tessera/ops.h"

namespace tessera::ops_internal {

// Adds a node and returns its first output (invalid on failure; the error is
// recorded in the graph).
inline Output Build(Graph& g, std::string op, std::string_view name, std::vector<Output> inputs, AttrMap attrs = {}) {
  Operation o = g.AddNodeOrRecord(NodeSpec{std::move(op), std::string(name), std::move(inputs), std::move(attrs), {}});
  return o.valid() ? o.output(0) : Output();
}

// The same, with a name already reserved by Graph::UniqueScopedName.
inline Output BuildFinal(Graph& g, std::string op, const std::string& final_name, std::vector<Output> inputs,
                         AttrMap attrs = {}) {
  NodeSpec spec{std::move(op), final_name, std::move(inputs), std::move(attrs), {}};
  spec.name_is_final = true;
  Operation o = g.AddNodeOrRecord(std::move(spec));
  return o.valid() ? o.output(0) : Output();
}

// Every output of `o` (none when it is invalid): ops with several outputs.
inline std::vector<Output> AllOutputs(const Operation& o) {
  std::vector<Output> outs;
  for (int i = 0; o.valid() && i < o.node()->num_outputs(); ++i) outs.push_back(o.output(i));
  return outs;
}

// A Const named "<owner>/<arg>" holding `value`, for an op's tensor arguments
// (TF makes e.g. "Sum/reduction_indices").
inline Output HelperConst(Graph& g, const std::string& owner, std::string_view arg, const Tensor& value) {
  return BuildFinal(g, "Const", g.UniqueName(owner + "/" + std::string(arg)), {}, AttrMap{{"value", value.Clone()}});
}

template <typename T>
Tensor VectorTensor(const std::vector<T>& v) {
  return Tensor::FromVector<T>(v, TensorShape{static_cast<int64_t>(v.size())}).value();
}

// A vector of dims, begins or sizes as TF's tf.constant makes it from Python
// ints: int32 when every value fits, else int64 (never narrowed).
inline Tensor IndexVectorTensor(const std::vector<int64_t>& v) {
  for (int64_t x : v) {
    if (x < INT32_MIN || x > INT32_MAX) return VectorTensor<int64_t>(v);
  }
  return VectorTensor<int32_t>(std::vector<int32_t>(v.begin(), v.end()));
}

inline std::string OpName(std::string_view name, std::string_view op) { return std::string(name.empty() ? op : name); }

}  // namespace tessera::ops_internal
