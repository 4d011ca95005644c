// RandomUniform and RandomStandardNormal math on the CPU (Philox).
#include "kernels_cpu/cpu_math.h"
#include "src/kernels/philox.h"

namespace tessera {
namespace {

Status Random(OpKernelContext& ctx, bool normal, uint64_t key, uint64_t base, Tensor* out) {
  return SwitchFloatTypes(out->dtype(), [&]<typename T>() {
    T* p = out->flat<T>().data();
    ParallelFor(ctx, out->num_elements(), 60.0, [&](int64_t b, int64_t e) {
      for (int64_t i = b; i < e; ++i) {
        p[i] = normal ? random::NormalAt<T>(key, base, i) : random::UniformAt<T>(key, base, i);
      }
    });
  });
}

}  // namespace

void cpu::AddRandomMath(BackendKernels& b) { b.random = {Random, FloatTypes()}; }

}  // namespace tessera
