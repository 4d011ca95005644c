// Assign, AssignAdd and AssignSub math on the CPU.
#include <cstring>

#include "kernels_cpu/cpu_math.h"
#include "src/framework/cwise_functors.h"

namespace tessera {
namespace {

Status Assign(OpKernelContext&, AssignOp op, const Tensor& old, const Tensor& value, Tensor* next) {
  if (op == AssignOp::kAssign) {
    std::memcpy(next->raw_data(), value.raw_data(), value.bytes());
    return Status::OK();
  }
  return SwitchNumericTypes(value.dtype(), [&]<typename T>() {
    const T* a = old.flat<T>().data();
    const T* d = value.flat<T>().data();
    T* o = next->flat<T>().data();
    const int64_t n = next->num_elements();
    // The functors wrap signed integers, as the GPU's binary kernel does.
    if (op == AssignOp::kAdd) {
      for (int64_t i = 0; i < n; ++i) o[i] = functor::Add()(a[i], d[i]);
    } else {
      for (int64_t i = 0; i < n; ++i) o[i] = functor::Sub()(a[i], d[i]);
    }
  });
}

}  // namespace

void cpu::AddStateMath(BackendKernels& b) {
  b.assign[static_cast<size_t>(AssignOp::kAssign)] = {Assign, AllTypes()};
  b.assign[static_cast<size_t>(AssignOp::kAdd)] = {Assign, NumericTypes()};
  b.assign[static_cast<size_t>(AssignOp::kSub)] = {Assign, NumericTypes()};
}

}  // namespace tessera
