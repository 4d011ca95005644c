#include "src/framework/allocator.h"

#include <cstdlib>
#include <cstring>

#include "src/framework/host_cache.h"

namespace tessera {
namespace {

class HostAllocatorImpl final : public Allocator {
 public:
  std::string name() const override { return "cpu"; }
  void* Allocate(size_t bytes) override { return HostCacheAlloc(bytes); }
  void Deallocate(void* ptr, size_t bytes) override { HostCacheFree(ptr, bytes); }
};

}  // namespace

Allocator* HostAllocator() {
  static HostAllocatorImpl* const allocator = new HostAllocatorImpl();
  return allocator;
}

StatusOr<Tensor> AllocateTensor(Allocator* allocator, DataType dtype, const TensorShape& shape) {
  const int64_t checked = TensorByteCount(dtype, shape.num_elements());
  if (checked < 0 || dtype == DataType::kInvalid) {
    TESSERA_RETURN_IF_ERROR(shape.Validate());
    return InvalidArgumentError("Cannot allocate a tensor of shape " + shape.DebugString() + " and type " +
                                std::string(DataTypeString(dtype)) + ": more than " + std::to_string(kMaxTensorBytes) +
                                " bytes");
  }
  if (dtype == DataType::kString && !allocator->on_host()) {
    return InvalidArgumentError("Cannot allocate a string tensor on " + allocator->name() +
                                ": string tensors live in host memory");
  }
  const auto bytes = static_cast<size_t>(checked);
  void* p = allocator->Allocate(bytes);
  if (p == nullptr) {
    return ResourceExhaustedError("OOM when allocating tensor with shape" + shape.DebugString() + " and type " +
                                  std::string(DataTypeString(dtype)) + " on " + allocator->name());
  }
  auto buffer = std::allocate_shared<Buffer>(HostCacheAllocator<Buffer>(), allocator, p, bytes);
  if (dtype == DataType::kString) buffer->ConstructStrings(static_cast<size_t>(shape.num_elements()));
  return Tensor(dtype, shape, std::move(buffer));
}

}  // namespace tessera
