// Helpers for CPU kernels: parallel loops over the intra-op pool and
// dtype-dispatching kernel factories.
#pragma once

#include <functional>
#include <memory>

#include "src/framework/dtype_switch.h"
#include "src/framework/kernel_registry.h"
#include "src/framework/op_kernel.h"
#include "src/runtime/cpu_context.h"

namespace tessera {

// fn(begin, end) over [0, n) on the intra-op pool; cost_per_unit ~ cycles per element.
inline void ParallelFor(const OpKernelContext& ctx, int64_t n, double cost_per_unit,
                        const std::function<void(int64_t, int64_t)>& fn) {
  if (CpuContext* c = ctx.cpu()) {
    c->ParallelFor(n, cost_per_unit, fn);
  } else {
    fn(0, n);
  }
}

// A factory that instantiates Kernel<T> for the node's attr `attr` (e.g. "T")
// over the dtypes `Switch` accepts.
template <template <typename> class Kernel, typename SwitchFn>
KernelFactory TypedFactory(const char* attr, SwitchFn switch_fn) {
  return [attr, switch_fn](const KernelConstruction& c) -> StatusOr<std::unique_ptr<OpKernel>> {
    const DataType* dt = c.node.attr<DataType>(attr);
    if (dt == nullptr) return InternalError("Node " + c.node.name() + " has no attribute " + attr);
    std::unique_ptr<OpKernel> k;
    Status s = switch_fn(*dt, [&]<typename T>() { k = std::make_unique<Kernel<T>>(c.node); });
    if (!s.ok()) return s;
    return k;
  };
}

inline auto NumericSwitch() {
  return [](DataType dt, auto&& f) { return SwitchNumericTypes(dt, f); };
}
inline auto FloatSwitch() {
  return [](DataType dt, auto&& f) { return SwitchFloatTypes(dt, f); };
}
inline auto AllSwitch() {
  return [](DataType dt, auto&& f) { return SwitchAllTypes(dt, f); };
}

inline const std::vector<DataType>& NumericTypes() {
  static const std::vector<DataType> t = {DataType::kFloat, DataType::kDouble, DataType::kInt32, DataType::kInt64};
  return t;
}
inline const std::vector<DataType>& FloatTypes() {
  static const std::vector<DataType> t = {DataType::kFloat, DataType::kDouble};
  return t;
}
inline const std::vector<DataType>& AllTypes() {
  static const std::vector<DataType> t = {DataType::kFloat, DataType::kDouble, DataType::kInt32, DataType::kInt64,
                                          DataType::kBool};
  return t;
}

// Kernels that never touch tensor memory (they pass tensors through or
// report errors), registered for any device type by the backends.
void RegisterMemoryAgnosticKernels(KernelRegistry& r, const char* device_type, const std::vector<DataType>& types);
// VariableV2 only hands out the stored tensor, wherever it lives.
void RegisterVariableKernel(KernelRegistry& r, const char* device_type, const std::vector<DataType>& types);

// Per-family registration (kernels_cpu/*.cc).
void RegisterCpuArrayKernels(KernelRegistry& r);
void RegisterCpuCwiseBinaryKernels(KernelRegistry& r);
void RegisterCpuCwiseUnaryKernels(KernelRegistry& r);
void RegisterCpuMatMulKernels(KernelRegistry& r);
void RegisterCpuNnKernels(KernelRegistry& r);
void RegisterCpuReductionKernels(KernelRegistry& r);
void RegisterCpuRandomKernels(KernelRegistry& r);
void RegisterCpuStateKernels(KernelRegistry& r);
void RegisterCpuLoggingKernels(KernelRegistry& r);

}  // namespace tessera
