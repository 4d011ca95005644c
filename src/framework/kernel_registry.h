// KernelRegistry: which kernels exist, keyed by (op, device type, dtypes).
//
// The single source of truth for "can this node run on that device type?":
// the placer asks it, and the session creates kernels from it. Each backend
// registers its table explicitly (RegisterCpuKernels, RegisterCudaKernels).
//
//   const KernelDef* k = KernelRegistry::Global().Find(node, DeviceType::kGpu);
//
// Thread-safety: filled once under a function-local static; read-only after.
#pragma once

#include <functional>
#include <map>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "src/framework/op_kernel.h"
#include "tessera/device_name.h"
#include "tessera/graph.h"

namespace tessera {

// One kernel: an op on a device type, for the dtypes its type attributes
// allow. Written as a builder, so each value says what it is:
//
//   KernelDef("Sum", DeviceType::kGpu).TypeConstraint("T", types).HostMemory(1).Factory(f)
struct KernelDef {
  KernelDef() = default;
  KernelDef(std::string op_name, DeviceType device) : op(std::move(op_name)), device_type(device) {}

  // The node's type attribute `attr` must be one of `allowed`.
  KernelDef& TypeConstraint(std::string attr, std::vector<DataType> allowed) {
    type_constraints.emplace_back(std::move(attr), std::move(allowed));
    return *this;
  }
  // Input `i` (-1: the last input) is read from host memory even on a GPU
  // (shapes, axes, permutations: TF's HostMemory args).
  KernelDef& HostMemory(int i) {
    host_memory_inputs.push_back(i);
    return *this;
  }
  KernelDef& Factory(KernelFactory f) {
    factory = std::move(f);
    return *this;
  }

  bool IsHostMemoryInput(int i, int num_inputs) const {
    for (int h : host_memory_inputs) {
      if (h == i || (h == -1 && i == num_inputs - 1)) return true;
    }
    return false;
  }

  std::string op;
  DeviceType device_type = DeviceType::kCpu;
  std::vector<std::pair<std::string, std::vector<DataType>>> type_constraints;
  KernelFactory factory;
  std::vector<int> host_memory_inputs;
};

// Where tensors live: host memory on host devices, and int32 and string
// tensors on every device (TF keeps int32 on the host, as shapes and indices,
// and strings always).
bool InHostMemory(bool device_on_host, DataType dtype);

// Where a tensor of `dtype` made on one device is copied for a consumer on
// another (or the same) device whose kernel takes it in host memory when
// `host_memory_input`: nowhere, to the consumer's device, or to the host
// (the client device). Shared by the plan builder and ExplainPlacement.
enum class CopyTarget { kNone, kDestination, kHost };
CopyTarget CopyNeeded(bool same_device, bool src_on_host, bool dst_on_host, DataType dtype, bool host_memory_input);

class KernelRegistry {
 public:
  static const KernelRegistry& Global();

  // Adds `def`. AlreadyExists when a kernel for the same op and device type
  // accepts some dtype combination `def` accepts too (the choice between
  // them would be arbitrary).
  [[nodiscard]] Status Register(KernelDef def);

  // The kernel for `node` on `device_type`, or null.
  const KernelDef* Find(const Node& node, DeviceType device_type) const;
  // Whether `op` has a kernel on `device_type` for some dtypes.
  bool HasKernels(std::string_view op, DeviceType device_type) const;
  // Device types with a kernel for `node`, in priority order (GPU before CPU).
  std::vector<DeviceType> SupportedDeviceTypes(const Node& node) const;
  // TF's "Registered kernels:" listing for an op, e.g.
  // "  device='CPU'; T in [DT_FLOAT, DT_DOUBLE]"; "  <no registered kernels>".
  std::string ListKernels(std::string_view op) const;
  // A copy with only the kernels `keep` accepts (ExplainPlacement's "a GPU
  // with only these kernels").
  KernelRegistry Subset(const std::function<bool(const KernelDef&)>& keep) const;
  // Every registered (op, device type) pair, for tests of the tables.
  std::vector<std::pair<std::string, DeviceType>> Keys() const;

 private:
  std::multimap<std::string, KernelDef, std::less<>> kernels_;
};

// The dtypes a node's kernel is chosen by ("T=int32"), for messages.
std::string KernelDTypesString(const Node& node);
std::vector<DataType> KernelDTypes(const Node& node);

// Backend tables.
Status RegisterCpuKernels(KernelRegistry& r);
// Through the CUDA plugin when it loads (src/runtime/cuda_plugin.cc); a no-op otherwise.
Status RegisterCudaKernels(KernelRegistry& r);

}  // namespace tessera
