// RandomUniform, RandomStandardNormal and TruncatedNormal math on the CPU
// (Philox, src/kernels/philox.h), one group of values at a time.
#include <algorithm>

#include "kernels_cpu/cpu_math.h"
#include "src/kernels/philox.h"

namespace tessera {
namespace {

Status Random(OpKernelContext& ctx, random::Distribution dist, const random::PhiloxStart& start, Tensor* out) {
  return SwitchFloatTypes(out->dtype(), [&]<typename T>() {
    constexpr int kGroup = random::kGroupSize<T>;
    T* p = out->flat<T>().data();
    const int64_t n = out->num_elements();
    const int64_t groups = (n + kGroup - 1) / kGroup;
    const double cost = dist == random::Distribution::kUniform ? 60.0 : 400.0;
    ParallelFor(ctx, groups, cost, [&](int64_t b, int64_t e) {
      for (int64_t g = b; g < e; ++g) {
        T values[kGroup];
        random::GroupAt<T>(dist, start, static_cast<uint64_t>(g), values);
        const int64_t first = g * kGroup;
        std::copy(values, values + std::min<int64_t>(kGroup, n - first), p + first);
      }
    });
  });
}

}  // namespace

void cpu::AddRandomMath(BackendKernels& b) { b.random = {Random, FloatTypes()}; }

}  // namespace tessera
