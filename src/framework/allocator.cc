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
  const size_t bytes = static_cast<size_t>(shape.num_elements()) * DataTypeSize(dtype);
  void* p = allocator->Allocate(bytes);
  if (p == nullptr) {
    return ResourceExhaustedError("OOM when allocating tensor with shape" + shape.DebugString() + " and type " +
                                  std::string(DataTypeString(dtype)) + " on " + allocator->name());
  }
  return Tensor(dtype, shape, std::allocate_shared<Buffer>(HostCacheAllocator<Buffer>(), allocator, p, bytes));
}

}  // namespace tessera
