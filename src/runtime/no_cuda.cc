// The GPU backend of a CPU-only build: zero GPUs, and the reason why.
#include "src/framework/kernel_registry.h"
#include "src/runtime/gpu_backend.h"

namespace tessera {

const GpuProbe& ProbeGpus() {
  static const GpuProbe* probe = [] {
    auto* p = new GpuProbe();
    p->no_gpu_reason = "tessera was built without the CUDA backend (TESSERA_CUDA=OFF or no CUDA toolkit found)";
    return p;
  }();
  return *probe;
}

bool CudaBackendBuilt() { return false; }

StatusOr<std::unique_ptr<Device>> CreateGpuDevice(int tf_id, const GpuInfo&, const GPUOptions&) {
  return UnimplementedError("Cannot create GPU:" + std::to_string(tf_id) + ": " + ProbeGpus().no_gpu_reason);
}

Status RegisterCudaKernels(KernelRegistry&) { return Status::OK(); }

}  // namespace tessera
