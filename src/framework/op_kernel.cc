#include "src/framework/op_kernel.h"

namespace tessera {

Status OpKernelContext::allocate_output(int i, const TensorShape& shape, Tensor** out) {
  TESSERA_ASSIGN_OR_RETURN(outputs_[i], AllocateTensor(device_->allocator(), node_.output_type(i), shape));
  *out = &outputs_[i];
  return Status::OK();
}

Tensor* OpKernelContext::forward_input_to_output(int input, int output, const TensorShape& shape) {
  if (input >= 32 || !(forwardable_ & (1u << input))) return nullptr;
  const Tensor& in = *inputs_[input];
  if (in.dtype() != node_.output_type(output) || in.num_elements() != shape.num_elements()) return nullptr;
  // The buffer must come from this device's allocator (which also rules out
  // wrapped memory the runtime does not own).
  if (in.buffer() == nullptr || device_ == nullptr || in.buffer()->allocator() != device_->allocator()) return nullptr;
  outputs_[output] = Tensor(in.dtype(), shape, in.buffer());
  return &outputs_[output];
}

CpuContext* OpKernelContext::cpu() const { return device_ ? device_->cpu_context() : nullptr; }

}  // namespace tessera
