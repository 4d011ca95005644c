// The CUDA plugin's entry point (src/runtime/cuda_plugin.h): probes the
// CUDA runtime once, creates GPU devices, registers the GPU kernels. No
// driver or no GPU is a normal state (error 35, "CUDA driver version is
// insufficient", on our CI machines): the list is empty and the reason kept.
#include <fmt/format.h>

#include <cstdio>

#include "kernels_cuda/cuda_check.h"
#include "kernels_cuda/gpu_device.h"
#include "src/runtime/cuda_plugin.h"

namespace tessera {

namespace {

const GpuProbe& Probe() {
  static const GpuProbe* probe = [] {
    auto* p = new GpuProbe();
    int count = 0;
    cudaError_t e = cudaGetDeviceCount(&count);
    if (e != cudaSuccess) {
      p->no_gpu_reason = std::string("the CUDA runtime reports no usable GPU: ") + cudaGetErrorName(e) + " (" +
                         cudaGetErrorString(e) + ")";
      cudaGetLastError();
      return p;
    }
    if (count == 0) {
      p->no_gpu_reason = "the CUDA runtime found no GPU";
      return p;
    }
    for (int i = 0; i < count; ++i) {
      cudaDeviceProp prop;
      if (cudaGetDeviceProperties(&prop, i) != cudaSuccess) continue;
      GpuInfo g;
      g.cuda_id = i;
      g.name = prop.name;
      g.pci_bus_id = fmt::format("{:04x}:{:02x}:{:02x}.0", prop.pciDomainID, prop.pciBusID, prop.pciDeviceID);
      g.cc_major = prop.major;
      g.cc_minor = prop.minor;
      g.total_memory = static_cast<int64_t>(prop.totalGlobalMem);
      p->gpus.push_back(g);
    }
    if (p->gpus.empty()) p->no_gpu_reason = "cudaGetDeviceProperties failed for every GPU";
    return p;
  }();
  return *probe;
}

StatusOr<std::unique_ptr<Device>> CreateDevice(int tf_id, const GpuInfo& info, const GPUOptions& options) {
  TESSERA_ASSIGN_OR_RETURN(std::unique_ptr<GpuDevice> d, GpuDevice::Create(tf_id, info, options));
  return std::unique_ptr<Device>(std::move(d));
}

}  // namespace

// Defined in register.cc.
Status RegisterGpuKernels(KernelRegistry& r);

}  // namespace tessera

extern "C" __attribute__((visibility("default"))) const tessera::CudaPluginTable* tessera_cuda_plugin_v1() {
  static const tessera::CudaPluginTable table{TESSERA_VERSION_STRING, &tessera::Probe, &tessera::CreateDevice,
                                              &tessera::RegisterGpuKernels};
  return &table;
}
