// The seam between the runtime and the optional CUDA backend.
//
// src/runtime/cuda_plugin.cc implements these over the CUDA plugin
// (kernels_cuda/, built into libtessera_cuda.so when a CUDA toolkit is
// found), loaded at run time. No plugin, no CUDA libraries, "no driver" and
// "no GPU" are normal states: ProbeGpus returns an empty list and a reason.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "src/runtime/device.h"
#include "tessera/session.h"

namespace tessera {

struct GpuInfo {
  int cuda_id = 0;
  std::string name;
  std::string pci_bus_id;
  int cc_major = 0, cc_minor = 0;
  int64_t total_memory = 0;
};

struct GpuProbe {
  std::vector<GpuInfo> gpus;
  std::string no_gpu_reason;  // set when gpus is empty
};

// The memory a GPU device may use: total * per_process_gpu_memory_fraction
// (capped at 1), or, with no fraction, all but TF's reserve (225 MiB under
// 2 GiB, else max(300 MiB, 5%)).
size_t GpuMemoryLimit(int64_t total_memory, const GPUOptions& options);

// Lists the physical GPUs (probed once per process).
const GpuProbe& ProbeGpus();
// True when the CUDA backend (the plugin) is loaded.
bool CudaBackendBuilt();
// Creates the GPU device `tf_id` over physical GPU `info`.
StatusOr<std::unique_ptr<Device>> CreateGpuDevice(int tf_id, const GpuInfo& info, const GPUOptions& options);

}  // namespace tessera
