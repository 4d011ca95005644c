// DeviceBase: what a kernel sees of the device it runs on (TF's DeviceBase):
// its allocator and, on a CPU, the intra-op context. The runtime's Device
// (src/runtime/device.h) derives from it, so the framework needs nothing
// from the runtime.
//
// Thread-safety: both methods may be called concurrently.
#pragma once

#include "src/framework/allocator.h"

namespace tessera {

class CpuContext;

class DeviceBase {
 public:
  virtual ~DeviceBase() = default;
  virtual Allocator* allocator() = 0;
  // Intra-op context for CPU kernels; null on other devices.
  virtual CpuContext* cpu_context() { return nullptr; }
};

}  // namespace tessera
