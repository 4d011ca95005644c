// CpuDevice: a CPU device; kernels run on the calling (inter-op) thread and
// parallelise through the session's shared CpuContext.
#pragma once

#include "src/runtime/cpu_context.h"
#include "src/runtime/device.h"

namespace tessera {

class CpuDevice final : public Device {
 public:
  CpuDevice(int id, CpuContext* context);
  Allocator* allocator() override { return HostAllocator(); }
  CpuContext* cpu_context() override { return context_; }
  Stream* stream(StreamRole role) override { return &streams_[static_cast<int>(role)]; }
  const CpuStream& cpu_stream(StreamRole role) const { return streams_[static_cast<int>(role)]; }

 private:
  CpuContext* context_;  // not owned; outlives the device
  CpuStream streams_[3];
};

}  // namespace tessera
