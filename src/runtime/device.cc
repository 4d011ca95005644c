#include "src/runtime/device.h"

#include <cstring>

namespace tessera {

StatusOr<Tensor> Device::CopyFrom(const Tensor& src, Device* src_device, const Event& ready) {
  Stream* in = stream(StreamRole::kHostToDevice);
  TF_RETURN_IF_ERROR(in->Wait(ready));
  TF_ASSIGN_OR_RETURN(Tensor host, src_device->CopyToHost(src, ready));
  TF_ASSIGN_OR_RETURN(Tensor out, AllocateTensor(allocator(), host.dtype(), host.shape()));
  if (host.bytes() > 0) std::memcpy(out.raw_data(), host.raw_data(), host.bytes());
  // Kernels of this device that read the copy come after it.
  TF_ASSIGN_OR_RETURN(std::shared_ptr<Event> copied, in->Record());
  TF_RETURN_IF_ERROR(stream(StreamRole::kCompute)->Wait(*copied));
  return out;
}

StatusOr<Tensor> Device::CopyToHost(const Tensor& t, const Event& ready) {
  TF_RETURN_IF_ERROR(stream(StreamRole::kDeviceToHost)->Wait(ready));
  return t;
}

}  // namespace tessera
