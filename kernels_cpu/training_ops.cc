// The optimizers' fused updates on the CPU: one pass over the elements,
// reading the old values and writing the new ones (src/kernels/apply_math.h).
#include "kernels_cpu/cpu_math.h"

namespace tessera {
namespace {

// Adam's and RMSProp's loops as functions of plain restrict pointers and a
// copy of the scalars, so that they vectorise.
template <typename T, bool kNesterov>
void AdamLoop(applymath::Prepared<T> p, int64_t b, int64_t e, const T* __restrict g, const T* __restrict v0,
              const T* __restrict o1, const T* __restrict o2, T* __restrict n0, T* __restrict n1, T* __restrict n2) {
  for (int64_t i = b; i < e; ++i) {
    T v = v0[i], m = o1[i], w = o2[i];
    applymath::Adam(p, kNesterov, g[i], &v, &m, &w);
    n0[i] = v;
    n1[i] = m;
    n2[i] = w;
  }
}

template <typename T>
void RMSPropLoop(applymath::Prepared<T> p, int64_t b, int64_t e, const T* __restrict g, const T* __restrict v0,
                 const T* __restrict o1, const T* __restrict o2, T* __restrict n0, T* __restrict n1, T* __restrict n2) {
  for (int64_t i = b; i < e; ++i) {
    T v = v0[i], ms = o1[i], mom = o2[i];
    applymath::RMSProp(p, g[i], &v, &ms, &mom);
    n0[i] = v;
    n1[i] = ms;
    n2[i] = mom;
  }
}

// One loop per op, so each vectorises: next = update(old, g).
template <typename T>
void Run(OpKernelContext& ctx, const ApplyArgs& a) {
  applymath::Scalars<T> k;
  for (size_t i = 0; i < a.scalars.size(); ++i) k.s[i] = a.scalars[i]->flat<T>()[0];
  const applymath::Prepared<T> p = applymath::Prepare(a.op, k);
  const T* __restrict g = a.grad->flat<T>().data();
  auto old = [&](int i) { return a.old[i] != nullptr ? a.old[i]->flat<T>().data() : nullptr; };
  auto out = [&](int i) { return a.next[i] != nullptr ? a.next[i]->flat<T>().data() : nullptr; };
  const T* __restrict v0 = old(0);
  const T* __restrict o1 = old(1);
  const T* __restrict o2 = old(2);
  T* __restrict n0 = out(0);
  T* __restrict n1 = out(1);
  T* __restrict n2 = out(2);
  const bool nesterov = a.nesterov;
  const ApplyOp op = a.op;
  ParallelFor(ctx, a.grad->num_elements(), 8.0, [&](int64_t b, int64_t e) {
    switch (op) {
      case ApplyOp::kGradientDescent:
        for (int64_t i = b; i < e; ++i) {
          T v = v0[i];
          applymath::GradientDescent(p, g[i], &v);
          n0[i] = v;
        }
        break;
      case ApplyOp::kMomentum:
        for (int64_t i = b; i < e; ++i) {
          T v = v0[i], s = o1[i];
          applymath::Momentum(p, nesterov, g[i], &v, &s);
          n0[i] = v;
          n1[i] = s;
        }
        break;
      case ApplyOp::kAdam:
        if (nesterov) {
          AdamLoop<T, true>(p, b, e, g, v0, o1, o2, n0, n1, n2);
        } else {
          AdamLoop<T, false>(p, b, e, g, v0, o1, o2, n0, n1, n2);
        }
        break;
      case ApplyOp::kRMSProp:
        RMSPropLoop<T>(p, b, e, g, v0, o1, o2, n0, n1, n2);
        break;
      default:
        break;
    }
  });
}

Status Apply(OpKernelContext& ctx, const ApplyArgs& a) {
  return SwitchFloatTypes(a.grad->dtype(), [&]<typename T>() { Run<T>(ctx, a); });
}

}  // namespace

void cpu::AddTrainingMath(BackendKernels& b) { b.apply = {Apply, FloatTypes()}; }

}  // namespace tessera
