// Per-element math of convolution and pooling (NHWC), shared by the CPU's
// reference loops and the CUDA kernels: each output element is a gather
// (no atomics), so any element can be computed alone. Plain C++17.
#pragma once

#include <cstdint>

#include "src/framework/cwise_functors.h"

namespace tessera::convmath {

// The window geometry (src/framework/conv_shape.h's WindowShape, every dim known).
struct Dims {
  int64_t batch, in_rows, in_cols, in_depth, window_rows, window_cols, out_depth;
  int64_t stride_rows, stride_cols, dilation_rows, dilation_cols, out_rows, out_cols, pad_top, pad_left;
};

// input [n, in_rows, in_cols, in_depth] * filter [wr, wc, in_depth, out_depth] at output (n, oy, ox, oc).
template <typename T>
TESSERA_HD T ConvForwardAt(const Dims& d, const T* in, const T* filter, int64_t n, int64_t oy, int64_t ox, int64_t oc) {
  T sum = 0;
  for (int64_t ky = 0; ky < d.window_rows; ++ky) {
    const int64_t iy = oy * d.stride_rows - d.pad_top + ky * d.dilation_rows;
    if (iy < 0 || iy >= d.in_rows) continue;
    for (int64_t kx = 0; kx < d.window_cols; ++kx) {
      const int64_t ix = ox * d.stride_cols - d.pad_left + kx * d.dilation_cols;
      if (ix < 0 || ix >= d.in_cols) continue;
      const T* x = in + ((n * d.in_rows + iy) * d.in_cols + ix) * d.in_depth;
      const T* f = filter + (ky * d.window_cols + kx) * d.in_depth * d.out_depth + oc;
      for (int64_t ic = 0; ic < d.in_depth; ++ic) sum += x[ic] * f[ic * d.out_depth];
    }
  }
  return sum;
}

// The output position a window tap (k) of input position i comes from, or -1.
TESSERA_HD inline int64_t SourceOf(int64_t i, int64_t k, int64_t pad, int64_t dilation, int64_t stride,
                                   int64_t out_size) {
  const int64_t y = i + pad - k * dilation;
  if (y < 0 || y % stride != 0) return -1;
  const int64_t o = y / stride;
  return o < out_size ? o : -1;
}

// d(loss)/d(input) at (n, iy, ix, ic) from out_backprop [n, out_rows, out_cols, out_depth].
template <typename T>
TESSERA_HD T ConvBackpropInputAt(const Dims& d, const T* filter, const T* dy, int64_t n, int64_t iy, int64_t ix,
                                 int64_t ic) {
  T sum = 0;
  for (int64_t ky = 0; ky < d.window_rows; ++ky) {
    const int64_t oy = SourceOf(iy, ky, d.pad_top, d.dilation_rows, d.stride_rows, d.out_rows);
    if (oy < 0) continue;
    for (int64_t kx = 0; kx < d.window_cols; ++kx) {
      const int64_t ox = SourceOf(ix, kx, d.pad_left, d.dilation_cols, d.stride_cols, d.out_cols);
      if (ox < 0) continue;
      const T* g = dy + ((n * d.out_rows + oy) * d.out_cols + ox) * d.out_depth;
      const T* f = filter + ((ky * d.window_cols + kx) * d.in_depth + ic) * d.out_depth;
      for (int64_t oc = 0; oc < d.out_depth; ++oc) sum += g[oc] * f[oc];
    }
  }
  return sum;
}

// d(loss)/d(filter) at (ky, kx, ic, oc).
template <typename T>
TESSERA_HD T ConvBackpropFilterAt(const Dims& d, const T* in, const T* dy, int64_t ky, int64_t kx, int64_t ic,
                                  int64_t oc) {
  T sum = 0;
  for (int64_t n = 0; n < d.batch; ++n) {
    for (int64_t oy = 0; oy < d.out_rows; ++oy) {
      const int64_t iy = oy * d.stride_rows - d.pad_top + ky * d.dilation_rows;
      if (iy < 0 || iy >= d.in_rows) continue;
      for (int64_t ox = 0; ox < d.out_cols; ++ox) {
        const int64_t ix = ox * d.stride_cols - d.pad_left + kx * d.dilation_cols;
        if (ix < 0 || ix >= d.in_cols) continue;
        sum += in[((n * d.in_rows + iy) * d.in_cols + ix) * d.in_depth + ic] *
               dy[((n * d.out_rows + oy) * d.out_cols + ox) * d.out_depth + oc];
      }
    }
  }
  return sum;
}

// The window of output (oy, ox) clipped to the input: [y0, y1) x [x0, x1).
struct Window {
  int64_t y0, y1, x0, x1;
};
TESSERA_HD inline Window WindowOf(const Dims& d, int64_t oy, int64_t ox) {
  Window w;
  w.y0 = oy * d.stride_rows - d.pad_top;
  w.x0 = ox * d.stride_cols - d.pad_left;
  w.y1 = w.y0 + d.window_rows < d.in_rows ? w.y0 + d.window_rows : d.in_rows;
  w.x1 = w.x0 + d.window_cols < d.in_cols ? w.x0 + d.window_cols : d.in_cols;
  w.y0 = w.y0 < 0 ? 0 : w.y0;
  w.x0 = w.x0 < 0 ? 0 : w.x0;
  return w;
}

// TF's rules for max pooling (measured in TF 2.21, the same with and
// without oneDNN): MaxPool's value starts at the dtype's lowest finite value
// and takes each element greater than it, so NaN never wins (an all-NaN or
// all -inf window gives the lowest value); MaxPoolGrad's argmax starts at the
// window's first element and moves to each strictly greater one, so a NaN
// there keeps the gradient. Scans are row-major over the in-bounds elements.
template <typename T>
TESSERA_HD T LowestOf();
template <>
TESSERA_HD inline float LowestOf<float>() {
  return -3.40282346638528859811704183484516925e+38F;
}
template <>
TESSERA_HD inline double LowestOf<double>() {
  return -1.79769313486231570814527423731704357e+308;
}

// The flat index of output (n, oy, ox, c)'s window's argmax (MaxPoolGrad's
// rule above), and the average over the window's in-bounds elements (TF
// excludes padding from the count).
template <typename T>
TESSERA_HD int64_t ArgMaxAt(const Dims& d, const T* in, int64_t n, int64_t oy, int64_t ox, int64_t c) {
  const Window w = WindowOf(d, oy, ox);
  int64_t best = -1;
  T best_v = 0;
  for (int64_t y = w.y0; y < w.y1; ++y) {
    for (int64_t x = w.x0; x < w.x1; ++x) {
      const int64_t i = ((n * d.in_rows + y) * d.in_cols + x) * d.in_depth + c;
      if (best < 0 || in[i] > best_v) {
        best = i;
        best_v = in[i];
      }
    }
  }
  return best;
}
template <typename T>
TESSERA_HD T PoolAt(const Dims& d, const T* in, bool max, int64_t n, int64_t oy, int64_t ox, int64_t c) {
  const Window w = WindowOf(d, oy, ox);
  if (max) {
    T m = LowestOf<T>();
    for (int64_t y = w.y0; y < w.y1; ++y) {
      for (int64_t x = w.x0; x < w.x1; ++x) {
        const T v = in[((n * d.in_rows + y) * d.in_cols + x) * d.in_depth + c];
        m = v > m ? v : m;
      }
    }
    return m;
  }
  T sum = 0;
  for (int64_t y = w.y0; y < w.y1; ++y) {
    for (int64_t x = w.x0; x < w.x1; ++x) sum += in[((n * d.in_rows + y) * d.in_cols + x) * d.in_depth + c];
  }
  const int64_t count = (w.y1 - w.y0) * (w.x1 - w.x0);
  return count > 0 ? sum / T(count) : T(0);
}

// d(loss)/d(input) at (n, iy, ix, c) of a pool: the sum over the windows
// holding it of grad (max: only where it is the window's first maximum;
// average: grad / the window's count).
template <typename T>
TESSERA_HD T PoolGradAt(const Dims& d, const T* in, const T* grad, bool max, int64_t n, int64_t iy, int64_t ix,
                        int64_t c) {
  T sum = 0;
  const int64_t self = ((n * d.in_rows + iy) * d.in_cols + ix) * d.in_depth + c;
  for (int64_t ky = 0; ky < d.window_rows; ++ky) {
    const int64_t oy = SourceOf(iy, ky, d.pad_top, 1, d.stride_rows, d.out_rows);
    if (oy < 0) continue;
    for (int64_t kx = 0; kx < d.window_cols; ++kx) {
      const int64_t ox = SourceOf(ix, kx, d.pad_left, 1, d.stride_cols, d.out_cols);
      if (ox < 0) continue;
      const T g = grad[((n * d.out_rows + oy) * d.out_cols + ox) * d.out_depth + c];
      if (max) {
        if (ArgMaxAt(d, in, n, oy, ox, c) == self) sum += g;
      } else {
        const Window w = WindowOf(d, oy, ox);
        sum += g / T((w.y1 - w.y0) * (w.x1 - w.x0));
      }
    }
  }
  return sum;
}

// Element i (row-major) of a convolution pass's output: pass 0 the forward
// output (a input, b filter), 1 the input's gradient (a filter, b
// out_backprop), 2 the filter's gradient (a input, b out_backprop).
template <typename T>
TESSERA_HD T ConvElement(int pass, const Dims& d, const T* a, const T* b, int64_t i) {
  if (pass == 0) {
    const int64_t oc = i % d.out_depth, ox = i / d.out_depth % d.out_cols;
    const int64_t oy = i / (d.out_depth * d.out_cols) % d.out_rows, n = i / (d.out_depth * d.out_cols * d.out_rows);
    return ConvForwardAt(d, a, b, n, oy, ox, oc);
  }
  if (pass == 1) {
    const int64_t ic = i % d.in_depth, ix = i / d.in_depth % d.in_cols;
    const int64_t iy = i / (d.in_depth * d.in_cols) % d.in_rows, n = i / (d.in_depth * d.in_cols * d.in_rows);
    return ConvBackpropInputAt(d, a, b, n, iy, ix, ic);
  }
  const int64_t oc = i % d.out_depth, ic = i / d.out_depth % d.in_depth;
  const int64_t kx = i / (d.out_depth * d.in_depth) % d.window_cols,
                ky = i / (d.out_depth * d.in_depth * d.window_cols);
  return ConvBackpropFilterAt(d, a, b, ky, kx, ic, oc);
}

// Element i (row-major) of a pool's output (grad null) or of its input's gradient.
template <typename T>
TESSERA_HD T PoolElement(const Dims& d, bool max, const T* in, const T* grad, int64_t i) {
  const int64_t rows = grad != nullptr ? d.in_rows : d.out_rows, cols = grad != nullptr ? d.in_cols : d.out_cols;
  const int64_t c = i % d.in_depth, x = i / d.in_depth % cols, y = i / (d.in_depth * cols) % rows;
  const int64_t n = i / (d.in_depth * cols * rows);
  return grad != nullptr ? PoolGradAt(d, in, grad, max, n, y, x, c) : PoolAt(d, in, max, n, y, x, c);
}

// The gather that moves a filter between our HWIO [kh, kw, in, out] and
// cuDNN's KRSC [out, kh, kw, in] (kernels_cuda/cudnn_conv.cc): the
// destination's dims, row-major, and per dim the stride it walks in the source.
struct FilterMove {
  int64_t dims[4];
  int64_t strides[4];
};
inline FilterMove FilterLayoutMove(int64_t kh, int64_t kw, int64_t in, int64_t out, bool to_krsc) {
  if (to_krsc) return FilterMove{{out, kh, kw, in}, {1, kw * in * out, in * out, out}};
  return FilterMove{{kh, kw, in, out}, {kw * in, in, 1, kh * kw * in}};
}

}  // namespace tessera::convmath
