// The optimizers' fused updates on the CPU: one pass over the elements,
// reading the old values and writing the new ones (src/kernels/apply_math.h).
#include "kernels_cpu/cpu_math.h"

namespace tessera {
namespace {

template <typename T>
void Run(OpKernelContext& ctx, const ApplyArgs& a) {
  applymath::Scalars<T> k;
  for (size_t i = 0; i < a.scalars.size(); ++i) k.s[i] = a.scalars[i]->flat<T>()[0];
  const T* g = a.grad->flat<T>().data();
  auto ptr = [&](int i) { return a.old[i] != nullptr ? a.old[i]->flat<T>().data() : nullptr; };
  auto out = [&](int i) { return a.next[i] != nullptr ? a.next[i]->flat<T>().data() : nullptr; };
  const T *v0 = ptr(0), *s1 = ptr(1), *s2 = ptr(2);
  T *n0 = out(0), *n1 = out(1), *n2 = out(2);
  ParallelFor(ctx, a.grad->num_elements(), 12.0, [&](int64_t b, int64_t e) {
    for (int64_t i = b; i < e; ++i) {
      T var = v0[i], x1 = s1 ? s1[i] : T(0), x2 = s2 ? s2[i] : T(0);
      applymath::Update(a.op, k, a.nesterov, g[i], &var, &x1, &x2);
      n0[i] = var;
      if (n1) n1[i] = x1;
      if (n2) n2[i] = x2;
    }
  });
}

Status Apply(OpKernelContext& ctx, const ApplyArgs& a) {
  return SwitchFloatTypes(a.grad->dtype(), [&]<typename T>() { Run<T>(ctx, a); });
}

}  // namespace

void cpu::AddTrainingMath(BackendKernels& b) { b.apply = {Apply, FloatTypes()}; }

}  // namespace tessera
