// Convolution and pooling on the CPU: float convolution through oneDNN
// (dnnl_conv.cc); double convolution and the pools through the reference
// loops of src/kernels/conv_math.h (one gather per output element, also what
// the CUDA kernels compute), parallel over output elements.
#include "kernels_cpu/cpu_math.h"
#include "kernels_cpu/dnnl_conv.h"
#include "src/kernels/conv_math.h"

namespace tessera {
namespace {

using cpu::DnnlConv;

convmath::Dims DimsOf(const WindowShape& s) {
  return {s.batch,         s.in_rows,   s.in_cols,     s.in_depth,    s.window_rows,
          s.window_cols,   s.out_depth, s.stride_rows, s.stride_cols, s.dilation_rows,
          s.dilation_cols, s.out_rows,  s.out_cols,    s.pad_top,     s.pad_left};
}

template <typename T>
void ConvLoops(OpKernelContext& ctx, const ConvArgs& a) {
  const convmath::Dims d = DimsOf(*a.s);
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
    for (int64_t i = b; i < e; ++i) {
      if (a.pass == ConvPass::kForward) {
        const int64_t oc = i % d.out_depth, ox = i / d.out_depth % d.out_cols;
        const int64_t oy = i / (d.out_depth * d.out_cols) % d.out_rows,
                      nn = i / (d.out_depth * d.out_cols * d.out_rows);
        out[i] = convmath::ConvForwardAt(d, pa, pb, nn, oy, ox, oc);
      } else if (a.pass == ConvPass::kBackpropInput) {
        const int64_t ic = i % d.in_depth, ix = i / d.in_depth % d.in_cols;
        const int64_t iy = i / (d.in_depth * d.in_cols) % d.in_rows, nn = i / (d.in_depth * d.in_cols * d.in_rows);
        out[i] = convmath::ConvBackpropInputAt(d, pa, pb, nn, iy, ix, ic);
      } else {
        const int64_t oc = i % d.out_depth, ic = i / d.out_depth % d.in_depth;
        const int64_t kx = i / (d.out_depth * d.in_depth) % d.window_cols;
        const int64_t ky = i / (d.out_depth * d.in_depth * d.window_cols);
        out[i] = convmath::ConvBackpropFilterAt(d, pa, pb, ky, kx, ic, oc);
      }
    }
  });
}

// Float through oneDNN; double (which oneDNN lacks) through the reference loops.
Status Conv(OpKernelContext& ctx, const ConvArgs& a) {
  if (a.out->dtype() == DataType::kFloat) return DnnlConv(ctx, a);
  return SwitchFloatTypes(a.out->dtype(), [&]<typename T>() { ConvLoops<T>(ctx, a); });
}

// MaxPoolGrad when windows do not overlap (stride >= window, the usual 2x2
// stride 2): each input element is in at most one window, so each window's
// maximum is found once and its gradient written there (no other window
// writes that element); the rest stays 0.
template <typename T>
void MaxPoolGradDisjoint(OpKernelContext& ctx, const convmath::Dims& d, const T* in, const T* grad, T* out) {
  std::fill(out, out + d.batch * d.in_rows * d.in_cols * d.in_depth, T(0));
  ParallelFor(ctx, d.batch * d.out_rows * d.out_cols * d.in_depth,
              3.0 * static_cast<double>(d.window_rows * d.window_cols), [&](int64_t b, int64_t e) {
                for (int64_t i = b; i < e; ++i) {
                  const int64_t c = i % d.in_depth, x = i / d.in_depth % d.out_cols;
                  const int64_t y = i / (d.in_depth * d.out_cols) % d.out_rows,
                                n = i / (d.in_depth * d.out_cols * d.out_rows);
                  const int64_t at = convmath::ArgMaxAt(d, in, n, y, x, c);
                  if (at >= 0) out[at] += grad[i];
                }
              });
}

template <typename T>
void PoolLoops(OpKernelContext& ctx, const PoolArgs& a) {
  const convmath::Dims d = DimsOf(*a.s);
  if (a.max && a.grad != nullptr && d.stride_rows >= d.window_rows && d.stride_cols >= d.window_cols) {
    return MaxPoolGradDisjoint(ctx, d, a.input->flat<T>().data(), a.grad->flat<T>().data(), a.out->flat<T>().data());
  }
  const T* in = a.input != nullptr ? a.input->flat<T>().data() : nullptr;
  const T* grad = a.grad != nullptr ? a.grad->flat<T>().data() : nullptr;
  T* out = a.out->flat<T>().data();
  const double cost = 3.0 * static_cast<double>(d.window_rows * d.window_cols) * (grad != nullptr ? 4.0 : 1.0);
  ParallelFor(ctx, a.out->num_elements(), cost, [&](int64_t b, int64_t e) {
    for (int64_t i = b; i < e; ++i) {
      const int64_t rows = grad != nullptr ? d.in_rows : d.out_rows, cols = grad != nullptr ? d.in_cols : d.out_cols;
      const int64_t c = i % d.in_depth, x = i / d.in_depth % cols, y = i / (d.in_depth * cols) % rows;
      const int64_t nn = i / (d.in_depth * cols * rows);
      out[i] = grad != nullptr ? convmath::PoolGradAt(d, in, grad, a.max, nn, y, x, c)
                               : convmath::PoolAt(d, in, a.max, nn, y, x, c);
    }
  });
}

Status Pool(OpKernelContext& ctx, const PoolArgs& a) {
  return SwitchFloatTypes(a.out->dtype(), [&]<typename T>() { PoolLoops<T>(ctx, a); });
}

}  // namespace

void cpu::AddConvMath(BackendKernels& b) {
  b.conv = {Conv, FloatTypes()};
  b.pool = {Pool, FloatTypes()};
}

}  // namespace tessera
