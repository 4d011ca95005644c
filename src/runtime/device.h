// Device: a live device of a session (a CPU or a GPU), with its allocator.
//
// The identity (DeviceName) is a value type; this is the runtime object. The
// interface is small: a name, a type, attributes, an allocator, and optional
// capabilities with defaults (a CPU device exposes its intra-op context).
//
// Thread-safety: all methods are safe to call concurrently.
#pragma once

#include <memory>
#include <string>

#include "src/framework/allocator.h"
#include "tessera/device_name.h"
#include "tessera/session.h"

namespace tessera {

class CpuContext;

class Device {
 public:
  Device(DeviceName name, DeviceAttributes attributes)
      : name_(std::move(name)), full_name_(name_.ToString()), attributes_(std::move(attributes)) {}
  virtual ~Device() = default;
  Device(const Device&) = delete;
  Device& operator=(const Device&) = delete;

  const DeviceName& parsed_name() const { return name_; }
  // /job:localhost/replica:0/task:0/device:CPU:0
  const std::string& name() const { return full_name_; }
  const std::string& device_type() const { return name_.type; }
  int id() const { return name_.id; }
  const DeviceAttributes& attributes() const { return attributes_; }

  virtual Allocator* allocator() = 0;
  // Intra-op context for CPU kernels; null on other devices.
  virtual CpuContext* cpu_context() { return nullptr; }

 private:
  DeviceName name_;
  std::string full_name_;
  DeviceAttributes attributes_;
};

}  // namespace tessera
