// The CPU kernel table: every family registers here, explicitly.
#include "kernels_cpu/cpu_kernel_util.h"

namespace tessera {

void RegisterCpuKernels(KernelRegistry& r) {
  RegisterCpuArrayKernels(r);
  RegisterCpuCwiseBinaryKernels(r);
  RegisterCpuCwiseUnaryKernels(r);
  RegisterCpuMatMulKernels(r);
  RegisterCpuNnKernels(r);
  RegisterCpuReductionKernels(r);
  RegisterCpuRandomKernels(r);
  RegisterCpuStateKernels(r);
  RegisterCpuLoggingKernels(r);
}

}  // namespace tessera
