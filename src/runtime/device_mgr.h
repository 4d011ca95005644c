// DeviceMgr: the devices of one session, created from its options.
//
// CPU:0..n-1 (n = device_count["CPU"], default 1), then GPU:0..m-1 from the
// CUDA backend, filtered by gpu_options.visible_device_list and capped by
// device_count["GPU"] (0: CUDA is not even probed). No driver or no GPU is
// not an error: the GPU list is empty and no_gpu_reason() says why.
//
// Thread-safety: immutable after Create.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "src/runtime/cpu_context.h"
#include "src/runtime/device.h"
#include "src/runtime/gpu_backend.h"
#include "tessera/session.h"

namespace tessera {

class DeviceMgr {
 public:
  static StatusOr<std::unique_ptr<DeviceMgr>> Create(const SessionOptions& options);

  // The same over a given probe and GPU factory (tests use fakes, so the GPU
  // path runs on machines without one).
  using GpuFactory = std::function<StatusOr<std::unique_ptr<Device>>(int tf_id, const GpuInfo&, const GPUOptions&)>;
  static StatusOr<std::unique_ptr<DeviceMgr>> CreateWith(const SessionOptions& options, const GpuProbe& probe,
                                                         const GpuFactory& create_gpu);
  ~DeviceMgr();

  // CPUs first, then GPUs; devices()[0] is the client device (CPU:0).
  const std::vector<Device*>& devices() const { return devices_; }
  Device* client_device() const { return devices_[0]; }
  Device* Find(std::string_view full_name) const;
  // Why there are no GPUs ("" when there are some).
  const std::string& no_gpu_reason() const { return no_gpu_reason_; }
  CpuContext* cpu_context() const { return cpu_context_.get(); }
  // TF's "Device mapping:" block (GPUs only; "no known devices." otherwise).
  std::string DeviceMappingString() const;

 private:
  DeviceMgr() = default;
  std::unique_ptr<CpuContext> cpu_context_;
  std::vector<std::unique_ptr<Device>> owned_;
  std::vector<Device*> devices_;
  std::string no_gpu_reason_;
};

// Parses gpu_options.visible_device_list against `visible_count` physical
// GPUs (-1: unknown, only the syntax is checked). TF's error texts.
StatusOr<std::vector<int>> ParseVisibleDeviceList(const std::string& list, int visible_count);

}  // namespace tessera
