// The CPU backend's math for the shared kernels (src/kernels/backend_kernels.h):
// each family file adds its entries to the CPU's BackendKernels table, and
// register.cc registers the table. Also the CPU's parallel loop.
#pragma once

#include <functional>

#include "src/framework/dtype_switch.h"
#include "src/kernels/backend_kernels.h"
#include "src/kernels/kernel_families.h"
#include "src/runtime/cpu_context.h"

namespace tessera {

// fn(begin, end) over [0, n) on the intra-op pool; cost_per_unit ~ cycles per element.
inline void ParallelFor(const OpKernelContext& ctx, int64_t n, double cost_per_unit,
                        const std::function<void(int64_t, int64_t)>& fn) {
  if (CpuContext* c = ctx.cpu()) {
    c->ParallelFor(n, cost_per_unit, fn);
  } else {
    fn(0, n);
  }
}

// The family hooks (src/kernels/backend_math_hooks.inc), defined in kernels_cpu/<family>.cc.
namespace cpu {
#include "src/kernels/backend_math_hooks.inc"
}  // namespace cpu
// Print: CPU only, on purpose (it writes to the host's stderr).
Status RegisterCpuLoggingKernels(KernelRegistry& r);

}  // namespace tessera
