#include "src/runtime/device.h"

#include <algorithm>
#include <cstring>

namespace tessera {

StatusOr<Tensor> Device::CopyFrom(const Tensor& src, Device* src_device, const Event& ready) {
  Stream* in = stream(StreamRole::kHostToDevice);
  TESSERA_RETURN_IF_ERROR(in->Wait(ready));
  TESSERA_ASSIGN_OR_RETURN(Tensor host, src_device->CopyToHost(src, ready));
  TESSERA_ASSIGN_OR_RETURN(Tensor out, AllocateTensor(allocator(), host.dtype(), host.shape()));
  if (host.dtype() == DataType::kString) {
    std::span<const std::string> from = host.flat<std::string>();
    std::copy(from.begin(), from.end(), out.flat<std::string>().begin());
  } else if (host.bytes() > 0) {
    std::memcpy(out.raw_data(), host.raw_data(), host.bytes());
  }
  // Kernels of this device that read the copy come after it.
  TESSERA_ASSIGN_OR_RETURN(std::shared_ptr<Event> copied, in->Record());
  TESSERA_RETURN_IF_ERROR(stream(StreamRole::kCompute)->Wait(*copied));
  return out;
}

StatusOr<int64_t> Device::NanosBetween(const Event&, const Event&) {
  return UnimplementedError("Device " + name() + " has no timing marks");
}

StatusOr<Tensor> Device::CopyToHost(const Tensor& t, const Event& ready) {
  TESSERA_RETURN_IF_ERROR(stream(StreamRole::kDeviceToHost)->Wait(ready));
  return t;
}

}  // namespace tessera
