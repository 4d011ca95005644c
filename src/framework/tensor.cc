#include "tessera/tensor.h"

#include <cstring>
#include <new>

#include "src/framework/allocator.h"

namespace tessera {

Buffer::~Buffer() {
  auto* strings = static_cast<std::string*>(data_);
  for (size_t i = 0; i < strings_; ++i) strings[i].~basic_string();
  if (allocator_ != nullptr && data_ != nullptr) allocator_->Deallocate(data_, bytes_);
}

void Buffer::ConstructStrings(size_t n) {
  auto* strings = static_cast<std::string*>(data_);
  for (; strings_ < n; ++strings_) new (strings + strings_) std::string();
}

namespace {

// Why no tensor of this dtype and shape can exist, or OK; *bytes gets its size.
Status CheckTensorSize(DataType dtype, const TensorShape& shape, int64_t* bytes) {
  if (dtype == DataType::kInvalid || DataTypeSize(dtype) == 0) {
    return InvalidArgumentError("Tensor: invalid dtype " + std::to_string(static_cast<int>(dtype)));
  }
  TESSERA_RETURN_IF_ERROR(shape.Validate());
  *bytes = TensorByteCount(dtype, shape.num_elements());
  if (*bytes < 0) {
    return InvalidArgumentError("Tensor of shape " + shape.DebugString() + " and type " +
                                std::string(DataTypeString(dtype)) + " would need more than " +
                                std::to_string(kMaxTensorBytes) + " bytes");
  }
  return Status::OK();
}

}  // namespace

StatusOr<Tensor> Tensor::Create(DataType dtype, const TensorShape& shape) {
  int64_t bytes = 0;
  TESSERA_RETURN_IF_ERROR(CheckTensorSize(dtype, shape, &bytes));
  Allocator* a = HostAllocator();
  void* p = a->Allocate(static_cast<size_t>(bytes));
  if (p == nullptr && bytes > 0) {
    return ResourceExhaustedError("OOM when allocating tensor with shape" + shape.DebugString() + " and type " +
                                  std::string(DataTypeString(dtype)) + " on " + a->name());
  }
  if (bytes > 0 && dtype != DataType::kString) std::memset(p, 0, static_cast<size_t>(bytes));
  auto buffer = std::make_shared<Buffer>(a, p, static_cast<size_t>(bytes));
  if (dtype == DataType::kString) buffer->ConstructStrings(static_cast<size_t>(shape.num_elements()));
  return Tensor(dtype, shape, std::move(buffer));
}

Tensor::Tensor(DataType dtype, const TensorShape& shape) {
  StatusOr<Tensor> t = Create(dtype, shape);
  if (t.ok()) *this = std::move(t).value();
}

Tensor::Tensor(DataType dtype, const TensorShape& shape, std::shared_ptr<Buffer> buffer) {
  const int64_t bytes = TensorByteCount(dtype, shape.num_elements());
  if (dtype == DataType::kInvalid || bytes < 0) return;
  if (bytes > 0 && (!buffer || buffer->bytes() < static_cast<size_t>(bytes))) return;
  dtype_ = dtype;
  shape_ = shape;
  buffer_ = std::move(buffer);
}

bool Tensor::on_host() const { return !buffer_ || buffer_->allocator() == nullptr || buffer_->allocator()->on_host(); }

Tensor Tensor::Clone() const {
  if (!valid()) return Tensor();
  Tensor t(dtype_, shape_);
  if (dtype_ == DataType::kString) {
    std::span<const std::string> from = flat<std::string>();
    std::copy(from.begin(), from.end(), t.flat<std::string>().begin());
  } else if (bytes() > 0) {
    std::memcpy(t.raw_data(), raw_data(), bytes());
  }
  return t;
}

StatusOr<Tensor> Tensor::Reshaped(const TensorShape& shape) const {
  TESSERA_RETURN_IF_ERROR(shape.Validate());
  if (shape.num_elements() != num_elements()) {
    return InvalidArgumentError("Cannot reshape a tensor with " + std::to_string(num_elements()) +
                                " elements to shape " + shape.DebugString() + " (" +
                                std::to_string(shape.num_elements()) + " elements)");
  }
  return Tensor(dtype_, shape, buffer_);
}

}  // namespace tessera
