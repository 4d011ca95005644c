// Validation and output geometry of ops, shared by the CPU and CUDA kernels:
// each backend checks its inputs with the same code and the same messages,
// then computes in its own way.
#pragma once

#include <cstdint>
#include <vector>

#include "tessera/status.h"
#include "tessera/tensor.h"
#include "tessera/types.h"

namespace tessera {

struct MatMulDims {
  int64_t m = 0, n = 0, k = 0;
};
StatusOr<MatMulDims> MatMulGeometry(const TensorShape& a, const TensorShape& b, bool transpose_a, bool transpose_b);

// TF1 Select: elements of 'then' per condition value; 0 for a scalar condition.
StatusOr<int64_t> SelectGeometry(const TensorShape& cond, const TensorShape& then_shape, const TensorShape& else_shape);

// BiasAdd's checks (TF's words); the bias's axis of `value`: the last, or 1
// for data_format "NCHW" at rank >= 3 (TF's kernel takes the last at rank 2).
StatusOr<int> BiasAddChannelAxis(const TensorShape& value, const TensorShape& bias, bool channels_first);

// The input viewed as [outer, len, inner] around one axis, and the output shape without it.
struct AxisSplit {
  TensorShape out;
  int axis = 0;
  int64_t outer = 1, len = 0, inner = 1;
};
StatusOr<AxisSplit> ArgMaxGeometry(const TensorShape& x, const Tensor& dimension);

// ConcatV2 over `values` along the scalar `axis`: output shape and [outer, inner] around the axis.
struct ConcatGeometry {
  TensorShape out;
  int axis = 0;
  int64_t outer = 1, inner = 1;
};
StatusOr<ConcatGeometry> ConcatGeometryOf(const std::vector<const Tensor*>& values, const Tensor& axis);

// Slice: the output shape, and begin and size with -1 sizes resolved.
struct SliceGeometry {
  TensorShape out;
  std::vector<int64_t> begin, size;
};
StatusOr<SliceGeometry> SliceGeometryOf(const TensorShape& x, const Tensor& begin, const Tensor& size);

}  // namespace tessera
