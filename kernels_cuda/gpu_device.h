// GpuDevice: one CUDA GPU of a session.
//
// Per GPU: a compute stream (kernels and cuBLAS), a host-to-device and a
// device-to-host copy stream, CUDA events to order work across them, a cuBLAS
// handle bound to the compute stream, a BFC caching allocator over cudaMalloc
// (allow_growth, per_process_gpu_memory_fraction), and pinned host staging
// buffers for copies. Every handle lives in an RAII wrapper.
//
// Ordering: kernels are enqueued on the compute stream and the host does not
// wait. A host-to-device copy runs on the H2D stream and the compute stream
// waits on its event; a device-to-host copy waits on an event recorded on the
// compute stream and the host waits for it (the only host wait: a value must
// reach the host).
//
// Thread-safety: streams are used from any thread; enqueueing is serialised
// by CUDA's own stream ordering, host-side state by a mutex.
#pragma once

#include <cublas_v2.h>
#include <cuda_runtime.h>

#include <memory>
#include <mutex>
#include <string>

#include "kernels_cuda/cuda_handle.h"
#include "src/runtime/bfc_allocator.h"
#include "src/runtime/device.h"
#include "src/runtime/gpu_backend.h"

namespace tessera {

// A GPU stream as a Stream: events are CUDA events; waiting on a host event
// (already complete) costs nothing.
class GpuEvent final : public Event {
 public:
  // `timing`: the event can be measured with cudaEventElapsedTime (traces only: it costs).
  Status Init(bool timing = false);
  cudaEvent_t get() const { return event_.get(); }
  Status HostWait() const override;

 private:
  CudaEvent event_;
};

class GpuStream final : public Stream {
 public:
  explicit GpuStream(std::string name) : name_(std::move(name)) {}
  Status Init();
  cudaStream_t get() const { return stream_.get(); }
  StatusOr<std::shared_ptr<Event>> Record() override;
  Status Wait(const Event& event) override;
  const std::string& name() const override { return name_; }

 private:
  std::string name_;
  CudaStream stream_;
};

class GpuDevice final : public Device {
 public:
  static StatusOr<std::unique_ptr<GpuDevice>> Create(int tf_id, const GpuInfo& info, const GPUOptions& options);
  ~GpuDevice() override;

  Allocator* allocator() override { return allocator_.get(); }
  // Makes this GPU current on the calling thread, then runs the kernel (which
  // only enqueues work on the compute stream).
  Status Compute(const OpKernel& kernel, OpKernelContext& ctx) override;
  Stream* stream(StreamRole role) override {
    return role == StreamRole::kCompute ? &compute_ : role == StreamRole::kHostToDevice ? &h2d_ : &d2h_;
  }
  StatusOr<Tensor> CopyFrom(const Tensor& src, Device* src_device, const Event& ready) override;
  StatusOr<Tensor> CopyToHost(const Tensor& t, const Event& ready) override;
  // Traces: timing events on the compute stream, and the time between two.
  StatusOr<std::shared_ptr<Event>> RecordTimingMark() override;
  StatusOr<int64_t> NanosBetween(const Event& from, const Event& to) override;

  int cuda_id() const { return cuda_id_; }
  cudaStream_t compute_stream() const { return compute_.get(); }
  cublasHandle_t cublas() const { return cublas_.get(); }
  // Makes this thread's current device this GPU (before enqueueing work).
  Status Activate() const;
  AllocatorStats allocator_stats() const { return allocator_->stats(); }

 private:
  GpuDevice(int tf_id, const GpuInfo& info, DeviceAttributes attributes);
  StatusOr<Tensor> HostToDevice(const Tensor& host, const Event& ready);
  // Grows the pinned staging buffer to at least `bytes`. Requires staging_mu_.
  Status EnsureStaging(size_t bytes);

  int cuda_id_;
  GpuStream compute_, h2d_, d2h_;
  CublasHandle cublas_;
  std::unique_ptr<BfcAllocator> allocator_;
  std::mutex staging_mu_;  // serialises use of the pinned staging buffer
  PinnedHostBuffer staging_;
  size_t staging_bytes_ = 0;
};

}  // namespace tessera
