// Helpers of the layout kernels' host halves (src/kernels/array_ops.cc and
// layout_ops.cc): strides, the gather runner, axis checks.
#pragma once

#include <cstdint>
#include <vector>

#include "src/kernels/backend_kernels.h"

namespace tessera {

// Row-major strides of `shape`. An empty tensor has nothing to walk: its
// strides are 0 (its other dims may be huge, their products overflow).
std::vector<int64_t> RowMajorStrides(const TensorShape& shape);

// Allocates output `output` with `out_shape` and runs the gather unless it is
// empty, with its dims collapsed (dims of 1 dropped, neighbours that walk
// memory as one merged). A scalar is a one-element walk.
Status RunGather(OpKernelContext& ctx, GatherMath math, const TensorShape& out_shape, GatherArgs& args, int output = 0);
// Drops dims of 1 and merges neighbours that walk the input (and, when
// set, the output) as one; at least one dim remains.
void CollapseGather(GatherArgs& args);

// `axis` in [-rank, rank) made non-negative.
StatusOr<int> NormalizeAxis(int64_t axis, int rank);

}  // namespace tessera
