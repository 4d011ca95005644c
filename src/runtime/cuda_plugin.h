// The CUDA backend as a plugin (libtessera_cuda.so), loaded at run time.
//
// libtessera.so has no link-time dependency on the CUDA libraries. The
// first probe for GPUs (or the first use of the kernel registry) looks for
// the plugin: the path in $TESSERA_CUDA_PLUGIN, else libtessera_cuda.so in
// the directory libtessera.so was loaded from. The plugin exports one C
// symbol, kCudaPluginEntry, returning a CudaPluginTable; everything else it
// needs it takes from libtessera.so. No plugin, no CUDA libraries, no driver
// or no GPU: each is "no GPU, and why" (ProbeGpus().no_gpu_reason).
#pragma once

#include <memory>

#include "src/framework/kernel_registry.h"
#include "src/runtime/gpu_backend.h"

namespace tessera {

struct CudaPluginTable {
  const char* version;  // the tessera version the plugin was built with (must equal ours)
  const GpuProbe& (*probe)();
  StatusOr<std::unique_ptr<Device>> (*create_device)(int tf_id, const GpuInfo& info, const GPUOptions& options);
  Status (*register_kernels)(KernelRegistry& registry);
};

inline constexpr const char kCudaPluginEntry[] = "tessera_cuda_plugin_v1";
inline constexpr const char kCudaPluginFile[] = "libtessera_cuda.so";
inline constexpr const char kCudaPluginEnv[] = "TESSERA_CUDA_PLUGIN";

// The loaded plugin's table, or null with the reason (loaded once, on first call).
const CudaPluginTable* CudaPlugin();
const std::string& CudaPluginUnavailableReason();
// Where the plugin was (or would have been) loaded from.
const std::string& CudaPluginPath();

// The directory libtessera.so was loaded from (symbolic links resolved), where
// the plugin and the ISA modules lie; "" in the static library, which loads
// neither.
const std::string& RuntimeDirectory();

// Opens the plugin at `path` as the loader would, for tests and tools: the
// table, or null with the reason. (A table it returns stays loaded.)
struct CudaPluginProbe {
  const CudaPluginTable* table;
  std::string reason;
};
CudaPluginProbe ProbeCudaPlugin(const std::string& path);

}  // namespace tessera
