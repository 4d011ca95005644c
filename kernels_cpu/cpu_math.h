// The CPU backend's math for the shared kernels (src/kernels/backend_kernels.h):
// each family file adds its entries to the CPU's BackendKernels table, and
// register.cc registers the table. Also the CPU's parallel loop.
#pragma once

#include <algorithm>
#include <functional>

#include "src/framework/dtype_switch.h"
#include "src/kernels/backend_kernels.h"
#include "src/kernels/kernel_families.h"
#include "src/runtime/cpu_context.h"

namespace tessera {

// Work between two cancellation checks, in cycles (about a millisecond).
inline constexpr double kCancellationQuantum = 2e6;

// fn(begin, end) over [0, n) on the intra-op pool; cost_per_unit ~ cycles per
// element. Shards of about kCancellationQuantum cycles check ctx.ShouldStop()
// first, so Close and deadlines stop a long kernel within milliseconds (the
// rest of the output is left undone; the run fails with the step's error).
inline void ParallelFor(const OpKernelContext& ctx, int64_t n, double cost_per_unit,
                        const std::function<void(int64_t, int64_t)>& fn) {
  if (static_cast<double>(n) * cost_per_unit < kCancellationQuantum) {
    if (CpuContext* c = ctx.cpu()) {
      c->ParallelFor(n, cost_per_unit, fn);
    } else {
      fn(0, n);
    }
    return;
  }
  const auto step = static_cast<int64_t>(std::max(1.0, kCancellationQuantum / std::max(cost_per_unit, 1e-3)));
  auto guarded = [&](int64_t begin, int64_t end) {
    for (int64_t b = begin; b < end; b += step) {
      if (ctx.ShouldStop()) return;
      fn(b, std::min(b + step, end));
    }
  };
  if (CpuContext* c = ctx.cpu()) {
    c->ParallelFor(n, cost_per_unit, guarded);
  } else {
    guarded(0, n);
  }
}

// The family hooks (src/kernels/backend_math_hooks.inc), defined in kernels_cpu/<family>.cc.
namespace cpu {
#include "src/kernels/backend_math_hooks.inc"
}  // namespace cpu
// Print: CPU only, on purpose (it writes to the host's stderr).
Status RegisterCpuLoggingKernels(KernelRegistry& r);
// SaveV2 and RestoreV2 (src/persistence/io_ops.cc): CPU only, as in TF.
Status RegisterCpuIoKernels(KernelRegistry& r);

}  // namespace tessera
