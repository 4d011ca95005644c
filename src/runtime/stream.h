// Stream and Event: how work is ordered on and across devices.
//
// A stream runs its work in order; an event marks the work a stream had been
// given when it was recorded. Work enqueued on another stream after
// Wait(event) runs after that work. The executor never synchronises a whole
// device: a copy step records an event on the producer's compute stream and
// the destination's copy stream waits on it.
//
// Every device has three streams: compute, host-to-device (copies in) and
// device-to-host (copies out). A CPU's streams run work synchronously on the
// calling thread, so their events are complete when recorded; a GPU's are
// CUDA streams and events (kernels_cuda/gpu_device.h).
//
// Thread-safety: implementations are thread-safe.
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <string>

#include "tessera/status.h"

namespace tessera {

class Event {
 public:
  virtual ~Event() = default;
  // Blocks the host until the event's work has run.
  virtual Status HostWait() const = 0;
};

class Stream {
 public:
  virtual ~Stream() = default;
  // An event marking the work enqueued on this stream so far.
  virtual StatusOr<std::shared_ptr<Event>> Record() = 0;
  // Work enqueued on this stream from now on runs after `event`, which may
  // come from any device's stream.
  virtual Status Wait(const Event& event) = 0;
  virtual const std::string& name() const = 0;
};

// An event that has already happened (for tensors no stream produced, e.g. constants and feeds).
const Event& CompletedEvent();

enum class StreamRole { kCompute = 0, kHostToDevice = 1, kDeviceToHost = 2 };

// A host stream: work runs synchronously, so events are complete when
// recorded. It counts records and waits (what tests of the copy protocol read).
class CpuStream final : public Stream {
 public:
  explicit CpuStream(std::string name) : name_(std::move(name)) {}
  StatusOr<std::shared_ptr<Event>> Record() override;
  Status Wait(const Event& event) override {
    ++waits_;
    return event.HostWait();
  }
  const std::string& name() const override { return name_; }

  int64_t records() const { return records_.load(); }
  int64_t waits() const { return waits_.load(); }

 private:
  std::string name_;
  std::atomic<int64_t> records_{0}, waits_{0};
};

}  // namespace tessera
