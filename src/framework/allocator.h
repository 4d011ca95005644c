// Allocator: where tensor buffers come from.
//
// Each device owns one; the host allocator hands out 64-byte-aligned memory.
// A GPU device's allocator returns device memory (on_host() == false).
//
// Thread-safety: implementations must be thread-safe.
#pragma once

#include <cstddef>
#include <memory>
#include <string>

#include "tessera/status.h"
#include "tessera/tensor.h"

namespace tessera {

class Allocator {
 public:
  virtual ~Allocator() = default;
  virtual std::string name() const = 0;
  // Returns null when out of memory. `bytes` may be 0.
  virtual void* Allocate(size_t bytes) = 0;
  virtual void Deallocate(void* ptr, size_t bytes) = 0;
  virtual bool on_host() const { return true; }
};

// The process-wide host allocator (64-byte aligned).
Allocator* HostAllocator();

// Allocates an uninitialised tensor from `allocator`; ResourceExhausted
// naming the shape and dtype when memory runs out.
StatusOr<Tensor> AllocateTensor(Allocator* allocator, DataType dtype, const TensorShape& shape);

}  // namespace tessera
