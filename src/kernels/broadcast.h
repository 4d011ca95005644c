// Broadcasting geometry shared by CPU and CUDA elementwise kernels: the output
// shape of two inputs under numpy rules, and per-dimension strides of each
// input over the output (0 where the input is broadcast).
#pragma once

#include <cstdint>
#include <vector>

#include "tessera/status.h"
#include "tessera/types.h"

namespace tessera {

struct BroadcastGeometry {
  TensorShape out_shape;
  // Collapsed: adjacent dims with the same broadcast pattern are merged.
  std::vector<int64_t> dims;
  std::vector<int64_t> x_strides, y_strides;
};

// InvalidArgument "Incompatible shapes: [2] vs. [3]" when they do not broadcast.
StatusOr<BroadcastGeometry> ComputeBroadcast(const TensorShape& x, const TensorShape& y);

// Offsets of output element `i` in x and y (host-callable reference; the
// kernels walk rows instead of calling this per element).
void BroadcastOffsets(const BroadcastGeometry& g, int64_t i, int64_t* xo, int64_t* yo);

}  // namespace tessera
