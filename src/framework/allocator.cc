#include "src/framework/allocator.h"

#include <cstdlib>
#include <cstring>

namespace tessera {
namespace {

constexpr size_t kHostAlignment = 64;

class HostAllocatorImpl final : public Allocator {
 public:
  std::string name() const override { return "cpu"; }
  void* Allocate(size_t bytes) override {
    // aligned_alloc needs a size that is a multiple of the alignment.
    size_t rounded = (bytes + kHostAlignment - 1) / kHostAlignment * kHostAlignment;
    if (rounded == 0) rounded = kHostAlignment;
    return std::aligned_alloc(kHostAlignment, rounded);
  }
  void Deallocate(void* ptr, size_t) override { std::free(ptr); }
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
  return Tensor(dtype, shape, std::make_shared<Buffer>(allocator, p, bytes));
}

}  // namespace tessera
