// The window geometry of Conv2D and the pools (NHWC or NCHW), TF's rules and
// messages, shared by the shape functions (dims may be -1, unknown) and the
// kernels (every dim known).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "tessera/status.h"

namespace tessera {

// One spatial dimension: TF's GetWindowedOutputSize. VALID: out = (in -
// effective + stride) / stride; SAME: out = ceil(in / stride), padding
// max((out - 1) * stride + effective - in, 0) split with the extra one after.
// effective = (window - 1) * dilation + 1. Unknown in (-1) gives out -1.
struct Windowed {
  int64_t out = -1, pad_before = 0, pad_after = 0;
};
StatusOr<Windowed> WindowedOutput(int64_t in, int64_t window, int64_t dilation, int64_t stride, bool same);

// Conv2D over input [batch, rows, cols, in_depth] and filter [rows, cols,
// in_depth, out_depth]; the pools take the window from ksize, depth kept.
struct WindowShape {
  int64_t batch = -1, in_rows = -1, in_cols = -1, in_depth = -1;
  int64_t window_rows = 0, window_cols = 0, out_depth = -1;
  int64_t stride_rows = 1, stride_cols = 1, dilation_rows = 1, dilation_cols = 1;
  int64_t out_rows = -1, out_cols = -1, pad_top = 0, pad_left = 0, pad_bottom = 0, pad_right = 0;
  bool channels_first = false;  // data_format "NCHW": [batch, depth, rows, cols]
  std::vector<int64_t> output_dims() const {
    if (channels_first) return {batch, out_depth, out_rows, out_cols};
    return {batch, out_rows, out_cols, out_depth};
  }
  bool known() const { return batch >= 0 && out_rows >= 0 && out_cols >= 0 && out_depth >= 0 && in_depth >= 0; }
};

// `input` and `filter` of rank 4 (dims -1 where unknown); strides,
// dilations and ksize of 4 entries in data_format's order ("NHWC" or
// "NCHW"; the filter is [rows, cols, in_depth, out_depth] in both), padding
// "SAME" or "VALID".
StatusOr<WindowShape> Conv2DShapeOf(const std::vector<int64_t>& input, const std::vector<int64_t>& filter,
                                    const std::vector<int64_t>& strides, const std::vector<int64_t>& dilations,
                                    const std::string& padding, const std::string& data_format);
StatusOr<WindowShape> PoolShapeOf(const std::vector<int64_t>& input, const std::vector<int64_t>& ksize,
                                  const std::vector<int64_t>& strides, const std::string& padding,
                                  const std::string& data_format);

}  // namespace tessera
