// The CPU kernel table: every shared kernel with the CPU's math, and Print.
#include "kernels_cpu/cpu_math.h"

namespace tessera {

Status RegisterCpuKernels(KernelRegistry& r) {
  BackendKernels cpu;
  cpu.device_type = DeviceType::kCpu;
  cpu.passthrough_types = AllTypes();
  cpu.passthrough_types.push_back(DataType::kString);  // strings live on the host: Const, Placeholder, Identity
  cpu.variable_types = AllTypes();
  cpu.shape = true;
  for (auto add : {cpu::AddArrayMath, cpu::AddLayoutMath, cpu::AddCwiseBinaryMath, cpu::AddCwiseUnaryMath,
                   cpu::AddMatMulMath, cpu::AddNnMath, cpu::AddReductionMath, cpu::AddRandomMath, cpu::AddStateMath,
                   cpu::AddTrainingMath, cpu::AddConvMath}) {
    add(cpu);
  }
  TESSERA_RETURN_IF_ERROR(RegisterBackendKernels(r, cpu));
  TESSERA_RETURN_IF_ERROR(RegisterCpuIoKernels(r));
  return RegisterCpuLoggingKernels(r);
}

}  // namespace tessera
