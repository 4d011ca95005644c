// Geometry shared by shape functions (src/ops) and kernels (src/kernels), so
// both accept and reject the same inputs with the same messages: StridedSlice
// (TF's x[b:e:s, i, tf.newaxis, ...]) and Range.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "tessera/graph.h"
#include "tessera/ops.h"
#include "tessera/status.h"
#include "tessera/tensor.h"

namespace tessera {

using ops::StridedSliceMasks;

// StridedSlice's mask attributes by name: what the builder writes and the
// shape function and the kernel read.
struct StridedSliceMaskAttr {
  const char* name;
  int64_t StridedSliceMasks::*field;
};
inline constexpr StridedSliceMaskAttr kStridedSliceMaskAttrs[] = {
    {"begin_mask", &StridedSliceMasks::begin_mask},
    {"end_mask", &StridedSliceMasks::end_mask},
    {"ellipsis_mask", &StridedSliceMasks::ellipsis_mask},
    {"new_axis_mask", &StridedSliceMasks::new_axis_mask},
    {"shrink_axis_mask", &StridedSliceMasks::shrink_axis_mask},
};
// The masks a StridedSlice or StridedSliceGrad node carries (0 where absent).
StridedSliceMasks StridedSliceMasksOf(const Node& node);

struct StridedSliceGeometry {
  std::vector<int64_t> out_dims;  // the output's shape; -1 where the input's dim is unknown
  // Per input dimension: the first index, the number of elements taken and
  // the step (a shrunk dimension takes 1). Empty unless every dim is known.
  std::vector<int64_t> begin, length, stride;
};

// `in_dims` may hold -1 for unknown dimensions (shape inference): their
// output dims are then -1 and the per-dimension walk is left empty.
StatusOr<StridedSliceGeometry> ComputeStridedSlice(const std::vector<int64_t>& in_dims,
                                                   const std::vector<int64_t>& begin, const std::vector<int64_t>& end,
                                                   const std::vector<int64_t>& strides, const StridedSliceMasks& masks);

// a + b for dims and sizes, or -1 when either is negative or the sum does not fit in int64.
inline int64_t AddDims(int64_t a, int64_t b) {
  int64_t r = 0;
  if (a < 0 || b < 0 || __builtin_add_overflow(a, b, &r)) return -1;
  return r;
}

// "[1,-1,2]": a list of ints as TF's messages print them.
std::string IntListString(const std::vector<int64_t>& v);

// The number of elements of Range(start, limit, delta), three scalars of one
// numeric dtype; InvalidArgument in TF's words for a zero delta or a limit on
// the wrong side.
StatusOr<int64_t> RangeSizeOf(const Tensor& start, const Tensor& limit, const Tensor& delta);

}  // namespace tessera
