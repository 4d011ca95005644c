// Small helpers over Tensor shared by shape functions and kernels.
#pragma once

#include <cstdint>
#include <vector>

#include "tessera/tensor.h"

namespace tessera {

// The elements of an int32 or int64 tensor as int64 (empty for other dtypes).
inline std::vector<int64_t> IntTensorValues(const Tensor& t) {
  std::vector<int64_t> v;
  if (t.dtype() == DataType::kInt32) {
    for (int32_t x : t.flat<int32_t>()) v.push_back(x);
  } else if (t.dtype() == DataType::kInt64) {
    for (int64_t x : t.flat<int64_t>()) v.push_back(x);
  }
  return v;
}

}  // namespace tessera
