#include "kernels_cuda/gpu_device.h"

#include <fmt/format.h>

#include <algorithm>
#include <cstdio>
#include <cstring>

#include "kernels_cuda/cuda_check.h"

namespace tessera {
namespace {

class CudaSubAllocator final : public SubAllocator {
 public:
  explicit CudaSubAllocator(int cuda_id) : cuda_id_(cuda_id) {}
  void* Alloc(size_t bytes) override {
    if (cudaSetDevice(cuda_id_) != cudaSuccess) return nullptr;
    void* p = nullptr;
    if (cudaMalloc(&p, bytes) != cudaSuccess) {
      cudaGetLastError();  // clear the sticky error of a failed allocation
      return nullptr;
    }
    return p;
  }
  void Free(void* p, size_t) override {
    cudaSetDevice(cuda_id_);
    cudaFree(p);
  }

 private:
  int cuda_id_;
};

}  // namespace

Status GpuStream::Init() {
  return CudaStatus(cudaStreamCreateWithFlags(stream_.out(), cudaStreamNonBlocking), "cudaStreamCreateWithFlags");
}

Status GpuEvent::Init(bool timing) {
  return CudaStatus(cudaEventCreateWithFlags(event_.out(), timing ? cudaEventDefault : cudaEventDisableTiming),
                    "cudaEventCreateWithFlags");
}

Status GpuEvent::HostWait() const { return CudaStatus(cudaEventSynchronize(event_.get()), "cudaEventSynchronize"); }

StatusOr<std::shared_ptr<Event>> GpuStream::Record() {
  auto e = std::make_shared<GpuEvent>();
  TESSERA_RETURN_IF_ERROR(e->Init());
  TESSERA_CUDA_RETURN_IF_ERROR(cudaEventRecord(e->get(), stream_.get()));
  return std::shared_ptr<Event>(std::move(e));
}

Status GpuStream::Wait(const Event& event) {
  if (const auto* g = dynamic_cast<const GpuEvent*>(&event)) {
    return CudaStatus(cudaStreamWaitEvent(stream_.get(), g->get(), 0), "cudaStreamWaitEvent");
  }
  return event.HostWait();  // a host stream's event: already complete
}

GpuDevice::GpuDevice(int tf_id, const GpuInfo& info, DeviceAttributes attributes)
    : Device(DeviceName::Local(DeviceType::kGpu, tf_id), std::move(attributes)),
      cuda_id_(info.cuda_id),
      compute_("GPU:" + std::to_string(tf_id) + "/compute"),
      h2d_("GPU:" + std::to_string(tf_id) + "/h2d"),
      d2h_("GPU:" + std::to_string(tf_id) + "/d2h") {}

GpuDevice::~GpuDevice() {
  cudaSetDevice(cuda_id_);
  if (compute_.get()) cudaStreamSynchronize(compute_.get());
}

StatusOr<std::unique_ptr<GpuDevice>> GpuDevice::Create(int tf_id, const GpuInfo& info, const GPUOptions& options) {
  DeviceAttributes a;
  a.name = DeviceName::Local(DeviceType::kGpu, tf_id).ToString();
  a.device_type = "GPU";
  a.memory_limit_bytes = static_cast<int64_t>(GpuMemoryLimit(info.total_memory, options));
  a.physical_device_desc = fmt::format("device: {}, name: {}, pci bus id: {}, compute capability: {}.{}", info.cuda_id,
                                       info.name, info.pci_bus_id, info.cc_major, info.cc_minor);
  auto d = std::unique_ptr<GpuDevice>(new GpuDevice(tf_id, info, a));
  TESSERA_RETURN_IF_ERROR(d->Activate());
  TESSERA_RETURN_IF_ERROR(d->compute_.Init());
  TESSERA_RETURN_IF_ERROR(d->h2d_.Init());
  TESSERA_RETURN_IF_ERROR(d->d2h_.Init());
  TESSERA_CUBLAS_RETURN_IF_ERROR(cublasCreate(d->cublas_.out()));
  TESSERA_CUBLAS_RETURN_IF_ERROR(cublasSetStream(d->cublas_.get(), d->compute_.get()));
  d->allocator_ = std::make_unique<BfcAllocator>(std::make_unique<CudaSubAllocator>(info.cuda_id),
                                                 static_cast<size_t>(a.memory_limit_bytes), options.allow_growth,
                                                 "GPU_" + std::to_string(tf_id) + "_bfc");
  return d;
}

Status GpuDevice::Activate() const { return CudaStatus(cudaSetDevice(cuda_id_), "cudaSetDevice"); }

Status GpuDevice::Compute(const OpKernel& kernel, OpKernelContext& ctx) {
  TESSERA_RETURN_IF_ERROR(Activate());
  return kernel.Compute(ctx);
}

StatusOr<std::shared_ptr<Event>> GpuDevice::RecordTimingMark() {
  TESSERA_RETURN_IF_ERROR(Activate());
  auto e = std::make_shared<GpuEvent>();
  TESSERA_RETURN_IF_ERROR(e->Init(/*timing=*/true));
  TESSERA_CUDA_RETURN_IF_ERROR(cudaEventRecord(e->get(), compute_.get()));
  return std::shared_ptr<Event>(std::move(e));
}

StatusOr<int64_t> GpuDevice::NanosBetween(const Event& from, const Event& to) {
  const auto* a = dynamic_cast<const GpuEvent*>(&from);
  const auto* b = dynamic_cast<const GpuEvent*>(&to);
  if (a == nullptr || b == nullptr) return InvalidArgumentError("NanosBetween needs two marks of " + name());
  TESSERA_RETURN_IF_ERROR(Activate());
  TESSERA_RETURN_IF_ERROR(b->HostWait());
  float ms = 0;
  TESSERA_CUDA_RETURN_IF_ERROR(cudaEventElapsedTime(&ms, a->get(), b->get()));
  return static_cast<int64_t>(static_cast<double>(ms) * 1e6);
}

Status GpuDevice::EnsureStaging(size_t bytes) {
  if (staging_bytes_ >= bytes) return Status::OK();
  staging_bytes_ = 0;
  TESSERA_CUDA_RETURN_IF_ERROR(cudaMallocHost(staging_.out(), bytes));
  staging_bytes_ = bytes;
  return Status::OK();
}

StatusOr<Tensor> GpuDevice::HostToDevice(const Tensor& host, const Event& ready) {
  TESSERA_RETURN_IF_ERROR(Activate());
  TESSERA_RETURN_IF_ERROR(h2d_.Wait(ready));
  TESSERA_ASSIGN_OR_RETURN(Tensor out, AllocateTensor(allocator(), host.dtype(), host.shape()));
  const size_t n = host.bytes();
  if (n == 0) return out;
  std::lock_guard<std::mutex> l(staging_mu_);
  TESSERA_RETURN_IF_ERROR(EnsureStaging(n));
  std::memcpy(staging_.get(), host.raw_data(), n);
  TESSERA_CUDA_RETURN_IF_ERROR(cudaMemcpyAsync(out.raw_data(), staging_.get(), n, cudaMemcpyHostToDevice, h2d_.get()));
  TESSERA_ASSIGN_OR_RETURN(std::shared_ptr<Event> done, h2d_.Record());
  // Kernels that read the copy queue behind it on the compute stream.
  TESSERA_RETURN_IF_ERROR(compute_.Wait(*done));
  // The staging buffer is reused by the next copy: wait for this one to leave it.
  TESSERA_RETURN_IF_ERROR(done->HostWait());
  return out;
}

StatusOr<Tensor> GpuDevice::CopyFrom(const Tensor& src, Device* src_device, const Event& ready) {
  if (src_device == this) return src;
  if (src.on_host()) return HostToDevice(src, ready);
  TESSERA_ASSIGN_OR_RETURN(Tensor host, src_device->CopyToHost(src, ready));  // GPU -> GPU through the host
  return HostToDevice(host, CompletedEvent());
}

StatusOr<Tensor> GpuDevice::CopyToHost(const Tensor& t, const Event& ready) {
  if (t.on_host()) return t;
  TESSERA_RETURN_IF_ERROR(Activate());
  TESSERA_ASSIGN_OR_RETURN(Tensor out, AllocateTensor(HostAllocator(), t.dtype(), t.shape()));
  const size_t n = t.bytes();
  if (n == 0) return out;
  TESSERA_RETURN_IF_ERROR(d2h_.Wait(ready));  // after the work that produced `t`
  std::lock_guard<std::mutex> l(staging_mu_);
  TESSERA_RETURN_IF_ERROR(EnsureStaging(n));
  TESSERA_CUDA_RETURN_IF_ERROR(cudaMemcpyAsync(staging_.get(), t.raw_data(), n, cudaMemcpyDeviceToHost, d2h_.get()));
  TESSERA_ASSIGN_OR_RETURN(std::shared_ptr<Event> copied, d2h_.Record());
  TESSERA_RETURN_IF_ERROR(copied->HostWait());  // the value must reach the host
  std::memcpy(out.raw_data(), staging_.get(), n);
  return out;
}

}  // namespace tessera
