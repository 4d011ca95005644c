#include "tessera/tensor.h"

#include <cstring>

#include "src/framework/allocator.h"

namespace tessera {

Buffer::~Buffer() {
  if (allocator_ != nullptr && data_ != nullptr) allocator_->Deallocate(data_, bytes_);
}

Tensor::Tensor(DataType dtype, const TensorShape& shape) : dtype_(dtype), shape_(shape) {
  const size_t n = bytes();
  Allocator* a = HostAllocator();
  void* p = a->Allocate(n);
  if (p != nullptr && n > 0) std::memset(p, 0, n);
  buffer_ = std::make_shared<Buffer>(a, p, n);
}

Tensor::Tensor(DataType dtype, const TensorShape& shape, std::shared_ptr<Buffer> buffer)
    : dtype_(dtype), shape_(shape), buffer_(std::move(buffer)) {}

bool Tensor::on_host() const { return !buffer_ || buffer_->allocator() == nullptr || buffer_->allocator()->on_host(); }

Tensor Tensor::Clone() const {
  if (!valid()) return Tensor();
  Tensor t(dtype_, shape_);
  if (bytes() > 0) std::memcpy(t.raw_data(), raw_data(), bytes());
  return t;
}

StatusOr<Tensor> Tensor::Reshaped(const TensorShape& shape) const {
  if (shape.num_elements() != num_elements()) {
    return InvalidArgumentError("Cannot reshape a tensor with " + std::to_string(num_elements()) +
                                " elements to shape " + shape.DebugString() + " (" +
                                std::to_string(shape.num_elements()) + " elements)");
  }
  return Tensor(dtype_, shape, buffer_);
}

}  // namespace tessera
