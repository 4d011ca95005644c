#include "src/framework/op_kernel.h"

#include "src/runtime/device.h"

namespace tessera {

Status OpKernelContext::allocate_output(int i, const TensorShape& shape, Tensor** out) {
  TF_ASSIGN_OR_RETURN(outputs_[i], AllocateTensor(device_->allocator(), node_.output_type(i), shape));
  *out = &outputs_[i];
  return Status::OK();
}

CpuContext* OpKernelContext::cpu() const { return device_ ? device_->cpu_context() : nullptr; }

}  // namespace tessera
