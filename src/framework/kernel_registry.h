// KernelRegistry: which kernels exist, keyed by (op, device type, dtypes).
//
// The single source of truth for "can this node run on that device type?":
// the placer asks it, and the session creates kernels from it. Each backend
// registers its table explicitly (RegisterCpuKernels, RegisterCudaKernels).
//
//   const KernelDef* k = KernelRegistry::Global().Find(node, "GPU");
//
// Thread-safety: filled once under a function-local static; read-only after.
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "src/framework/op_kernel.h"
#include "tessera/graph.h"

namespace tessera {

struct KernelDef {
  std::string op;
  std::string device_type;  // "CPU", "GPU"
  // Each named type attribute of the node must be one of the listed types.
  std::vector<std::pair<std::string, std::vector<DataType>>> type_constraints;
  KernelFactory factory;
  // Inputs the kernel reads from host memory even on a GPU (shapes, axes,
  // permutations: TF's HostMemory args); -1 means the last input.
  std::vector<int> host_memory_inputs;

  bool IsHostMemoryInput(int i, int num_inputs) const {
    for (int h : host_memory_inputs) {
      if (h == i || (h == -1 && i == num_inputs - 1)) return true;
    }
    return false;
  }
};

// Where tensors live: host memory on host devices, and int32 tensors on every
// device (as TF keeps int32 on the host: they are shapes and indices).
bool InHostMemory(bool device_on_host, DataType dtype);

class KernelRegistry {
 public:
  static const KernelRegistry& Global();

  void Register(KernelDef def);

  // The kernel for `node` on `device_type`, or null.
  const KernelDef* Find(const Node& node, std::string_view device_type) const;
  // Device types with a kernel for `node`, in priority order (GPU before CPU).
  std::vector<std::string> SupportedDeviceTypes(const Node& node) const;
  // TF's "Registered kernels:" listing for an op, e.g.
  // "  device='CPU'; T in [DT_FLOAT, DT_DOUBLE]"; "  <no registered kernels>".
  std::string ListKernels(std::string_view op) const;
  // Every registered (op, device type) pair, for tests of the tables.
  std::vector<std::pair<std::string, std::string>> Keys() const;

  // Device type priority (higher first): GPU 210, CPU 70, as in TF.
  static int DeviceTypePriority(std::string_view device_type);

 private:
  std::multimap<std::string, KernelDef, std::less<>> kernels_;
};

// The dtypes a node's kernel is chosen by ("T=int32"), for messages.
std::string KernelDTypesString(const Node& node);
std::vector<DataType> KernelDTypes(const Node& node);

// Backend tables.
void RegisterCpuKernels(KernelRegistry& r);
// Defined by kernels_cuda/ when the CUDA backend is built; a no-op otherwise.
void RegisterCudaKernels(KernelRegistry& r);

}  // namespace tessera
