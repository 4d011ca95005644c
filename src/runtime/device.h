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
#include "src/framework/device_base.h"
#include "src/framework/op_kernel.h"
#include "src/runtime/stream.h"
#include "tessera/device_name.h"
#include "tessera/session.h"

namespace tessera {

class Device : public DeviceBase {
 public:
  Device(DeviceName name, DeviceAttributes attributes)
      : name_(std::move(name)),
        full_name_(name_.ToString()),
        type_(*ParseDeviceType(name_.type)),
        attributes_(std::move(attributes)) {}
  ~Device() override = default;
  Device(const Device&) = delete;
  Device& operator=(const Device&) = delete;

  const DeviceName& parsed_name() const { return name_; }
  // /job:localhost/replica:0/task:0/device:CPU:0
  const std::string& name() const { return full_name_; }
  DeviceType device_type() const { return type_; }
  int id() const { return name_.id; }
  const DeviceAttributes& attributes() const { return attributes_; }

  // Runs `kernel` on this device, from the executor's thread. A device that
  // must prepare the thread first (a GPU makes itself current) overrides it.
  virtual Status Compute(const OpKernel& kernel, OpKernelContext& ctx) { return kernel.Compute(ctx); }

  // The device's compute, host-to-device and device-to-host streams.
  virtual Stream* stream(StreamRole role) = 0;

  // Cross-device copies (the executor's copy steps call CopyFrom on the
  // destination device). `ready` marks the work that produced the tensor (an
  // event recorded on the source's compute stream); the copy waits for it on
  // a copy stream, and the destination's compute stream waits for the copy.
  // CopyFrom returns `src`, which lives on `src_device`, in this device's
  // memory. The default serves host-memory devices: it copies through the host.
  virtual StatusOr<Tensor> CopyFrom(const Tensor& src, Device* src_device, const Event& ready);
  // A host copy of `t`, which lives on this device, once `ready` has
  // happened; host devices return `t`. A device that must wait for its
  // streams does so here: the only place the host waits on a device.
  virtual StatusOr<Tensor> CopyToHost(const Tensor& t, const Event& ready);
  // Device-side timing of traced steps. A device whose work runs after the
  // host enqueued it (a GPU) returns a timing mark recorded on its compute
  // stream; host devices return null (the host's clock times their work).
  virtual StatusOr<std::shared_ptr<Event>> RecordTimingMark() { return std::shared_ptr<Event>(); }
  // Nanoseconds from mark `from` to mark `to` (both from RecordTimingMark),
  // waiting until both have happened.
  virtual StatusOr<int64_t> NanosBetween(const Event& from, const Event& to);

 private:
  DeviceName name_;
  std::string full_name_;
  DeviceType type_;
  DeviceAttributes attributes_;
};

}  // namespace tessera
