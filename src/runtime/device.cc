#include "src/runtime/device.h"

#include <cstring>

namespace tessera {

StatusOr<Tensor> Device::CopyFrom(const Tensor& src, Device* src_device) {
  TF_ASSIGN_OR_RETURN(Tensor host, src_device->CopyToHost(src));
  TF_ASSIGN_OR_RETURN(Tensor out, AllocateTensor(allocator(), host.dtype(), host.shape()));
  if (host.bytes() > 0) std::memcpy(out.raw_data(), host.raw_data(), host.bytes());
  return out;
}

}  // namespace tessera
