#include "src/framework/conv_shape.h"

#include <algorithm>

namespace tessera {
namespace {

std::string Dims(const std::vector<int64_t>& v) {
  std::string s;
  for (int64_t d : v) s += (s.empty() ? "" : ", ") + std::to_string(d);
  return "[" + s + "]";
}

// Where each dimension sits in data_format's order.
struct Layout {
  size_t n = 0, h = 1, w = 2, c = 3;
  bool channels_first = false;
};

StatusOr<Layout> LayoutOf(const std::string& data_format) {
  if (data_format == "NHWC") return Layout{};
  if (data_format == "NCHW") return Layout{0, 2, 3, 1, true};
  return InvalidArgumentError("Value for attr 'data_format' of \"" + data_format +
                              "\" is not in the list of allowed values: \"NHWC\", \"NCHW\"");
}

StatusOr<Layout> CheckCommon(const std::vector<int64_t>& input, const std::vector<int64_t>& strides,
                             const std::string& padding, const std::string& data_format) {
  TESSERA_ASSIGN_OR_RETURN(Layout l, LayoutOf(data_format));
  if (input.size() != 4) return InvalidArgumentError("input must be 4-dimensional" + Dims(input));
  if (strides.size() != 4) return InvalidArgumentError("Sliding window strides field must specify 4 dimensions");
  if (strides[l.n] != 1 || strides[l.c] != 1) {
    return InvalidArgumentError(
        "Current implementation does not yet support strides in the batch and depth dimensions.");
  }
  if (strides[l.h] < 1 || strides[l.w] < 1)
    return InvalidArgumentError("strides must be positive, got " + Dims(strides));
  if (padding != "SAME" && padding != "VALID") {
    return InvalidArgumentError("Value for attr 'padding' of \"" + padding +
                                "\" is not in the list of allowed values: \"SAME\", \"VALID\"");
  }
  for (int64_t d : input) {
    if (d < -1) return InvalidArgumentError("input dimensions must be >= 0, got " + Dims(input));
  }
  return l;
}

// The input's dims and the strides into `s`, from data_format's order.
void ReadInput(const Layout& l, const std::vector<int64_t>& input, const std::vector<int64_t>& strides,
               WindowShape* s) {
  s->channels_first = l.channels_first;
  s->batch = input[l.n];
  s->in_rows = input[l.h];
  s->in_cols = input[l.w];
  s->in_depth = input[l.c];
  s->stride_rows = strides[l.h];
  s->stride_cols = strides[l.w];
}

Status Spatial(WindowShape* s, bool same) {
  TESSERA_ASSIGN_OR_RETURN(Windowed r,
                           WindowedOutput(s->in_rows, s->window_rows, s->dilation_rows, s->stride_rows, same));
  TESSERA_ASSIGN_OR_RETURN(Windowed c,
                           WindowedOutput(s->in_cols, s->window_cols, s->dilation_cols, s->stride_cols, same));
  s->out_rows = r.out;
  s->out_cols = c.out;
  s->pad_top = r.pad_before;
  s->pad_bottom = r.pad_after;
  s->pad_left = c.pad_before;
  s->pad_right = c.pad_after;
  return Status::OK();
}

}  // namespace

StatusOr<Windowed> WindowedOutput(int64_t in, int64_t window, int64_t dilation, int64_t stride, bool same) {
  if (window < 1 || dilation < 1 || stride < 1) {
    return InvalidArgumentError("window, dilation and stride must be positive, got " + std::to_string(window) + ", " +
                                std::to_string(dilation) + ", " + std::to_string(stride));
  }
  if (window > (int64_t{1} << 31) || dilation > (int64_t{1} << 31)) {
    return InvalidArgumentError("window or dilation too large: " + std::to_string(window) + ", " +
                                std::to_string(dilation));
  }
  Windowed w;
  if (in < 0) return w;
  const int64_t effective = (window - 1) * dilation + 1;
  if (!same) {
    w.out = (in - effective + stride) / stride;
    if (in - effective + stride < 0) {
      return InvalidArgumentError(
          "Computed output size would be negative: " + std::to_string(w.out) + " [input_size: " + std::to_string(in) +
          ", effective_filter_size: " + std::to_string(effective) + ", stride: " + std::to_string(stride) + "]");
    }
    return w;
  }
  w.out = (in + stride - 1) / stride;
  const int64_t total = std::max<int64_t>((w.out - 1) * stride + effective - in, 0);
  w.pad_before = total / 2;
  w.pad_after = total - w.pad_before;
  return w;
}

StatusOr<WindowShape> Conv2DShapeOf(const std::vector<int64_t>& input, const std::vector<int64_t>& filter,
                                    const std::vector<int64_t>& strides, const std::vector<int64_t>& dilations,
                                    const std::string& padding, const std::string& data_format) {
  TESSERA_ASSIGN_OR_RETURN(Layout l, CheckCommon(input, strides, padding, data_format));
  if (filter.size() != 4) return InvalidArgumentError("filter must be 4-dimensional: " + Dims(filter));
  if (dilations.size() != 4) return InvalidArgumentError("Dilation rates field must specify 4 dimensions");
  if (dilations[l.n] != 1 || dilations[l.c] != 1) {
    return InvalidArgumentError(
        "Current implementation does not yet support dilations in the batch and depth dimensions.");
  }
  WindowShape s;
  ReadInput(l, input, strides, &s);
  s.window_rows = filter[0] < 0 ? 1 : filter[0];
  s.window_cols = filter[1] < 0 ? 1 : filter[1];
  s.out_depth = filter[3];
  s.dilation_rows = dilations[l.h];
  s.dilation_cols = dilations[l.w];
  if (s.in_depth >= 0 && filter[2] >= 0 && s.in_depth != filter[2]) {
    return InvalidArgumentError("input and filter must have the same depth: " + std::to_string(s.in_depth) + " vs " +
                                std::to_string(filter[2]));
  }
  if (filter[0] == 0 || filter[1] == 0) return InvalidArgumentError("filter must not be empty: " + Dims(filter));
  const bool known_window = filter[0] >= 0 && filter[1] >= 0;
  if (!known_window) s.in_rows = s.in_cols = -1;
  TESSERA_RETURN_IF_ERROR(Spatial(&s, padding == "SAME"));
  return s;
}

StatusOr<WindowShape> PoolShapeOf(const std::vector<int64_t>& input, const std::vector<int64_t>& ksize,
                                  const std::vector<int64_t>& strides, const std::string& padding,
                                  const std::string& data_format) {
  TESSERA_ASSIGN_OR_RETURN(Layout l, CheckCommon(input, strides, padding, data_format));
  if (ksize.size() != 4) return InvalidArgumentError("Sliding window ksize field must specify 4 dimensions");
  if (ksize[l.n] != 1 || ksize[l.c] != 1) {
    return InvalidArgumentError("Pooling is not yet supported on the batch nor depth dimensions.");
  }
  WindowShape s;
  ReadInput(l, input, strides, &s);
  s.out_depth = s.in_depth;
  s.window_rows = ksize[l.h];
  s.window_cols = ksize[l.w];
  TESSERA_RETURN_IF_ERROR(Spatial(&s, padding == "SAME"));
  return s;
}

}  // namespace tessera
