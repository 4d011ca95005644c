// Convolution and pooling on the CPU: float convolution through oneDNN
// (dnnl_conv.cc); double convolution and the pools through the reference
// loops of src/kernels/conv_math.h (one gather per output element, also what
// the CUDA kernels compute), parallel over output elements.
#include <vector>

#include "kernels_cpu/cpu_math.h"
#include "kernels_cpu/dnnl_conv.h"
#include "src/kernels/conv_math.h"

namespace tessera {
namespace {

using cpu::DnnlConv;

template <typename T>
void ConvLoops(OpKernelContext& ctx, const ConvArgs& a) {
  const convmath::Dims d = ConvDimsOf(*a.s);
  const T* pa = a.a->flat<T>().data();
  const T* pb = a.b->flat<T>().data();
  T* out = a.out->flat<T>().data();
  const int64_t n = a.out->num_elements();
  // Each output element: a window of taps times a depth.
  const double cost = 2.0 * static_cast<double>(d.window_rows * d.window_cols) *
                      static_cast<double>(a.pass == ConvPass::kBackpropInput ? d.out_depth : d.in_depth) *
                      (a.pass == ConvPass::kBackpropFilter ? static_cast<double>(d.batch * d.out_rows * d.out_cols) /
                                                                 static_cast<double>(d.window_rows * d.window_cols)
                                                           : 1.0);
  ParallelFor(ctx, n, cost, [&](int64_t b, int64_t e) {
    for (int64_t i = b; i < e; ++i) out[i] = convmath::ConvElement(static_cast<int>(a.pass), d, pa, pb, i);
  });
}

// Float through oneDNN; double (which oneDNN lacks) through the reference loops.
Status Conv(OpKernelContext& ctx, const ConvArgs& a) {
  if (a.out->dtype() == DataType::kFloat) return DnnlConv(ctx, a);
  return SwitchFloatTypes(a.out->dtype(), [&]<typename T>() { ConvLoops<T>(ctx, a); });
}

// TF's max-pooling rules (src/kernels/conv_math.h): strictly greater
// replaces, so NaN never does. v is the window's argmax value m (NaN
// matching NaN: a window whose first element is NaN keeps it). Bitwise, not
// short-circuit operators: no branches, so the loops over the depth vectorise.
template <typename T>
inline bool Same(T v, T m) {
  return static_cast<bool>(static_cast<int>(v == m) | (static_cast<int>(v != v) & static_cast<int>(m != m)));
}

// The pools a window at a time, the depth innermost: NHWC rows of depth
// elements are contiguous, so each step is a vector operation. Same values as
// convmath::PoolAt (TF's maximum; the sum in window order over the
// in-bounds count).
template <typename T>
void PoolForward(OpKernelContext& ctx, const convmath::Dims& d, bool max, const T* in, T* out) {
  const int64_t depth = d.in_depth;
  ParallelFor(ctx, d.batch * d.out_rows * d.out_cols, static_cast<double>(d.window_rows * d.window_cols * depth),
              [&](int64_t b, int64_t e) {
                for (int64_t i = b; i < e; ++i) {
                  const int64_t ox = i % d.out_cols, oy = i / d.out_cols % d.out_rows;
                  const int64_t n = i / (d.out_cols * d.out_rows);
                  const convmath::Window w = convmath::WindowOf(d, oy, ox);
                  T* o = out + i * depth;
                  std::fill(o, o + depth, max ? convmath::LowestOf<T>() : T(0));
                  for (int64_t y = w.y0; y < w.y1; ++y) {
                    for (int64_t x = w.x0; x < w.x1; ++x) {
                      const T* p = in + ((n * d.in_rows + y) * d.in_cols + x) * depth;
                      if (max) {
                        for (int64_t c = 0; c < depth; ++c) o[c] = p[c] > o[c] ? p[c] : o[c];
                      } else {
                        for (int64_t c = 0; c < depth; ++c) o[c] += p[c];
                      }
                    }
                  }
                  const int64_t count = (w.y1 - w.y0) * (w.x1 - w.x0);
                  if (!max && count > 0) {
                    for (int64_t c = 0; c < depth; ++c) o[c] /= T(count);
                  }
                }
              });
}

// MaxPoolGrad when windows do not overlap (stride >= window, the usual 2x2
// stride 2): each input element is in at most one window, so each window's
// maximum is found once per channel (the depth innermost, branch-free), then
// the window is written whole: the gradient at its first maximum, zeros
// elsewhere. Elements in no window stay 0.
template <typename T>
void MaxPoolGradDisjoint(OpKernelContext& ctx, const convmath::Dims& d, const T* in, const T* grad, T* out) {
  const int64_t depth = d.in_depth;
  std::fill(out, out + d.batch * d.in_rows * d.in_cols * depth, T(0));
  ParallelFor(ctx, d.batch * d.out_rows * d.out_cols, 2.0 * static_cast<double>(d.window_rows * d.window_cols * depth),
              [&](int64_t b, int64_t e) {
                std::vector<T> best_buf(static_cast<size_t>(depth)), done_buf(static_cast<size_t>(depth));
                T* __restrict best = best_buf.data();
                T* __restrict done = done_buf.data();
                for (int64_t i = b; i < e; ++i) {
                  const int64_t ox = i % d.out_cols, oy = i / d.out_cols % d.out_rows;
                  const int64_t n = i / (d.out_cols * d.out_rows);
                  const convmath::Window w = convmath::WindowOf(d, oy, ox);
                  auto at = [&](int64_t y, int64_t x) { return ((n * d.in_rows + y) * d.in_cols + x) * depth; };
                  if (w.y1 <= w.y0 || w.x1 <= w.x0) continue;
                  // The window's argmax value per channel (from its first element, strictly greater replaces)...
                  std::copy_n(in + at(w.y0, w.x0), depth, best);
                  for (int64_t y = w.y0; y < w.y1; ++y) {
                    for (int64_t x = w.x0; x < w.x1; ++x) {
                      const T* __restrict p = in + at(y, x);
                      for (int64_t c = 0; c < depth; ++c) best[c] = p[c] > best[c] ? p[c] : best[c];
                    }
                  }
                  // ...then its first holder, in window order, gets the gradient.
                  std::fill_n(done, depth, T(0));
                  const T* __restrict g = grad + i * depth;
                  for (int64_t y = w.y0; y < w.y1; ++y) {
                    for (int64_t x = w.x0; x < w.x1; ++x) {
                      const T* __restrict p = in + at(y, x);
                      T* __restrict o = out + at(y, x);
                      for (int64_t c = 0; c < depth; ++c) {
                        const bool hit = Same(p[c], best[c]) && done[c] == T(0);
                        o[c] = hit ? g[c] : T(0);
                        done[c] = hit ? T(1) : done[c];
                      }
                    }
                  }
                }
              });
}

template <typename T>
void PoolLoops(OpKernelContext& ctx, const PoolArgs& a) {
  const convmath::Dims d = ConvDimsOf(*a.s);
  if (a.max && a.grad != nullptr && d.stride_rows >= d.window_rows && d.stride_cols >= d.window_cols) {
    return MaxPoolGradDisjoint(ctx, d, a.input->flat<T>().data(), a.grad->flat<T>().data(), a.out->flat<T>().data());
  }
  const T* in = a.input != nullptr ? a.input->flat<T>().data() : nullptr;
  const T* grad = a.grad != nullptr ? a.grad->flat<T>().data() : nullptr;
  T* out = a.out->flat<T>().data();
  if (grad == nullptr && d.in_depth == d.out_depth) return PoolForward(ctx, d, a.max, in, out);
  const double cost = 3.0 * static_cast<double>(d.window_rows * d.window_cols) * (grad != nullptr ? 4.0 : 1.0);
  ParallelFor(ctx, a.out->num_elements(), cost, [&](int64_t b, int64_t e) {
    for (int64_t i = b; i < e; ++i) out[i] = convmath::PoolElement(d, a.max, in, grad, i);
  });
}

Status Pool(OpKernelContext& ctx, const PoolArgs& a) {
  if (a.out->dtype() == DataType::kFloat && (a.grad == nullptr || !a.max)) return cpu::DnnlPool(ctx, a);
  return SwitchFloatTypes(a.out->dtype(), [&]<typename T>() { PoolLoops<T>(ctx, a); });
}

}  // namespace

void cpu::AddConvMath(BackendKernels& b) {
  b.conv = {Conv, FloatTypes()};
  b.pool = {Pool, FloatTypes()};
}

}  // namespace tessera
