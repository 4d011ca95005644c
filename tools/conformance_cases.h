// The conformance cases' shared pieces (internal to tools/): deterministic
// inputs and the case families kept in files of their own.
#pragma once

#include <tessera/tessera.h>

#include <cstdint>
#include <vector>

#include "tools/conformance.h"

namespace tessera::conformance::cases {

// Deterministic inputs.
template <typename T>
Tensor Data(const TensorShape& shape, double scale = 1.0, double offset = 0.0) {
  std::vector<T> v(static_cast<size_t>(shape.num_elements()));
  uint32_t x = 12345;
  for (auto& e : v) {
    x = x * 1664525u + 1013904223u;
    const double u = static_cast<double>(x >> 8) / static_cast<double>(1u << 24);  // [0, 1)
    e = static_cast<T>(offset + scale * (u - 0.5) * 2.0);
  }
  return Tensor::FromVector<T>(v, shape).value();
}

template <typename T>
Tensor Positive(const TensorShape& shape) {
  return Data<T>(shape, 1.0, 2.0);  // in (1, 3)
}

// The losses and gradient ops of training, the optimizers' updates, and
// convolution and pooling (tools/conformance_nn.cc).
void AddTraining(std::vector<OpCase>& c);
void AddOptimizers(std::vector<OpCase>& c);
void AddConv(std::vector<OpCase>& c);

}  // namespace tessera::conformance::cases
