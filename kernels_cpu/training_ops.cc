// The optimizers' fused updates on the CPU: one pass over the elements,
// updating the variable and its slots in place (src/kernels/apply_math.h).
#include "kernels_cpu/cpu_math.h"

namespace tessera {
namespace {

// One loop per op over restrict pointers (the variable and its slots are
// distinct buffers) and a copy of the prepared scalars, so each vectorises.
template <typename T, typename F, typename... X>
void Loop(int64_t b, int64_t e, const T* __restrict g, F f, X* __restrict... x) {
  for (int64_t i = b; i < e; ++i) f(g[i], (x + i)...);
}

template <typename T>
void Run(OpKernelContext& ctx, const ApplyArgs& a) {
  applymath::Scalars<T> k;
  for (size_t i = 0; i < a.scalars.size(); ++i) k.s[i] = a.scalars[i]->flat<T>()[0];
  const applymath::Prepared<T> p = applymath::Prepare(a.op, k);
  T* x[3] = {};
  for (int i = 0; i < 3; ++i) x[i] = a.vars[i] != nullptr ? a.vars[i]->flat<T>().data() : nullptr;
  const T* g = a.grad->flat<T>().data();
  const bool nesterov = a.nesterov;
  const ApplyOp op = a.op;
  ParallelFor(ctx, a.grad->num_elements(), 8.0, [&, p](int64_t b, int64_t e) {
    switch (op) {
      case ApplyOp::kGradientDescent:
        return Loop(
            b, e, g, [p](T gi, T* v) { applymath::GradientDescent(p, gi, v); }, x[0]);
      case ApplyOp::kMomentum:
        if (nesterov)
          return Loop(
              b, e, g, [p](T gi, T* v, T* m) { applymath::Momentum(p, true, gi, v, m); }, x[0], x[1]);
        return Loop(
            b, e, g, [p](T gi, T* v, T* m) { applymath::Momentum(p, false, gi, v, m); }, x[0], x[1]);
      case ApplyOp::kAdam:
        if (nesterov) {
          return Loop(
              b, e, g, [p](T gi, T* v, T* m, T* w) { applymath::Adam(p, true, gi, v, m, w); }, x[0], x[1], x[2]);
        }
        return Loop(
            b, e, g, [p](T gi, T* v, T* m, T* w) { applymath::Adam(p, false, gi, v, m, w); }, x[0], x[1], x[2]);
      case ApplyOp::kRMSProp:
        return Loop(
            b, e, g, [p](T gi, T* v, T* ms, T* mom) { applymath::RMSProp(p, gi, v, ms, mom); }, x[0], x[1], x[2]);
      default:
        return;
    }
  });
}

Status Apply(OpKernelContext& ctx, const ApplyArgs& a) {
  return SwitchFloatTypes(a.grad->dtype(), [&]<typename T>() { Run<T>(ctx, a); });
}

}  // namespace

void cpu::AddTrainingMath(BackendKernels& b) { b.apply = {Apply, FloatTypes()}; }

}  // namespace tessera
