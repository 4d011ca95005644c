// The loader of the CUDA plugin (cuda_plugin.h) and the runtime's GPU seam
// (gpu_backend.h) over it. Compiled twice: into libtessera.so, where it
// loads the plugin, and into libtessera.a (TESSERA_STATIC_LIBRARY), where it
// cannot: the plugin takes the runtime from libtessera.so, and a second copy
// of the runtime beside a static one would split its registries in two.
#include "src/runtime/cuda_plugin.h"

#include <dlfcn.h>
#include <sys/stat.h>

#include <cstdlib>

#ifndef TESSERA_VERSION_STRING
#error "TESSERA_VERSION_STRING must be defined by the build"
#endif

namespace tessera {
namespace {

struct Loaded {
  const CudaPluginTable* table = nullptr;
  std::string reason, path;
};

// The directory of the library (or program) this code was loaded from.
std::string OwnDirectory() {
  Dl_info info;
  if (dladdr(reinterpret_cast<void*>(&CudaPlugin), &info) == 0 || info.dli_fname == nullptr) return ".";
  std::string file = info.dli_fname;
  if (char* resolved = realpath(info.dli_fname, nullptr)) {  // "bin/../lib" -> "lib"
    file = resolved;
    std::free(resolved);
  }
  const size_t slash = file.rfind('/');
  return slash == std::string::npos ? "." : file.substr(0, slash);
}

Loaded Open(const std::string& path, bool from_env) {
  Loaded l;
  l.path = path;
  struct stat st;
  if (stat(path.c_str(), &st) != 0) {
    l.reason = "no CUDA plugin at " + path +
               (from_env ? std::string(" ($") + kCudaPluginEnv + ")"
                         : std::string(" (looked for beside libtessera.so; $") + kCudaPluginEnv + " names another)");
    return l;
  }
  void* handle = dlopen(path.c_str(), RTLD_NOW | RTLD_LOCAL);
  if (handle == nullptr) {
    const char* why = dlerror();
    l.reason = "the CUDA plugin " + path + " could not be loaded: " + (why != nullptr ? why : "unknown dlopen error");
    return l;
  }
  using Entry = const CudaPluginTable* (*)();
  auto entry = reinterpret_cast<Entry>(dlsym(handle, kCudaPluginEntry));
  if (entry == nullptr) {
    l.reason = path + " is not a tessera CUDA plugin (it has no " + kCudaPluginEntry + ")";
    dlclose(handle);
    return l;
  }
  const CudaPluginTable* table = entry();
  if (table == nullptr || table->version == nullptr || std::string(table->version) != TESSERA_VERSION_STRING) {
    l.reason = "the CUDA plugin " + path + " was built for tessera " +
               (table != nullptr && table->version != nullptr ? table->version : "(unknown)") + ", this is tessera " +
               TESSERA_VERSION_STRING;
    dlclose(handle);
    return l;
  }
  l.table = table;  // never unloaded: its kernels stay registered for the process
  return l;
}

Loaded Load() {
#ifdef TESSERA_STATIC_LIBRARY
  Loaded l;
  l.reason =
      "this program links tessera statically (libtessera.a), which cannot load the CUDA plugin; link libtessera.so "
      "for GPUs";
  return l;
#else
  const char* env = std::getenv(kCudaPluginEnv);
  if (env != nullptr && *env != '\0') return Open(env, true);
#if !TESSERA_CUDA_PLUGIN_BUILT
  Loaded none;
  none.reason = std::string("tessera was built without the CUDA plugin (TESSERA_CUDA=OFF or no CUDA toolkit found; $") +
                kCudaPluginEnv + " can name one)";
  return none;
#else
  return Open(RuntimeDirectory() + "/" + kCudaPluginFile, false);
#endif
#endif
}

const Loaded& Plugin() {
  static const Loaded* loaded = new Loaded(Load());
  return *loaded;
}

}  // namespace

const std::string& RuntimeDirectory() {
#ifdef TESSERA_STATIC_LIBRARY
  static const std::string none;
  return none;
#else
  static const std::string dir = OwnDirectory();
  return dir;
#endif
}

const CudaPluginTable* CudaPlugin() { return Plugin().table; }
const std::string& CudaPluginUnavailableReason() { return Plugin().reason; }
const std::string& CudaPluginPath() { return Plugin().path; }

CudaPluginProbe ProbeCudaPlugin(const std::string& path) {
  Loaded l = Open(path, true);
  return {l.table, l.reason};
}

const GpuProbe& ProbeGpus() {
  static const GpuProbe* probe = [] {
    if (const CudaPluginTable* t = CudaPlugin()) return &t->probe();
    auto* p = new GpuProbe();
    p->no_gpu_reason = CudaPluginUnavailableReason();
    return static_cast<const GpuProbe*>(p);
  }();
  return *probe;
}

bool CudaBackendBuilt() { return CudaPlugin() != nullptr; }

StatusOr<std::unique_ptr<Device>> CreateGpuDevice(int tf_id, const GpuInfo& info, const GPUOptions& options) {
  if (const CudaPluginTable* t = CudaPlugin()) return t->create_device(tf_id, info, options);
  return UnimplementedError("Cannot create GPU:" + std::to_string(tf_id) + ": " + CudaPluginUnavailableReason());
}

Status RegisterCudaKernels(KernelRegistry& r) {
  if (const CudaPluginTable* t = CudaPlugin()) return t->register_kernels(r);
  return Status::OK();
}

}  // namespace tessera
