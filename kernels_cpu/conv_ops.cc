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
  const convmath::Dims d = ConvDimsOf(*a.s);
  if (a.max && a.grad != nullptr && d.stride_rows >= d.window_rows && d.stride_cols >= d.window_cols) {
    return MaxPoolGradDisjoint(ctx, d, a.input->flat<T>().data(), a.grad->flat<T>().data(), a.out->flat<T>().data());
  }
  const T* in = a.input != nullptr ? a.input->flat<T>().data() : nullptr;
  const T* grad = a.grad != nullptr ? a.grad->flat<T>().data() : nullptr;
  T* out = a.out->flat<T>().data();
  const double cost = 3.0 * static_cast<double>(d.window_rows * d.window_cols) * (grad != nullptr ? 4.0 : 1.0);
  ParallelFor(ctx, a.out->num_elements(), cost, [&](int64_t b, int64_t e) {
    for (int64_t i = b; i < e; ++i) out[i] = convmath::PoolElement(d, a.max, in, grad, i);
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
