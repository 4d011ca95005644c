// cuDNN loaded with dlopen (see cudnn.h).
#include "kernels_cuda/cudnn.h"

#include <dlfcn.h>

namespace tessera {
namespace {

struct Loaded {
  CudnnApi api{};
  bool ok = false;
  std::string reason;
};

// Looks `name` up into `*fn`; false (and the reason) when it is missing.
template <typename Fn>
bool Bind(void* lib, const char* name, Fn* fn, std::string* reason) {
  *fn = reinterpret_cast<Fn>(dlsym(lib, name));
  if (*fn == nullptr) *reason = std::string("libcudnn.so.9 has no ") + name;
  return *fn != nullptr;
}

Loaded* Load() {
  auto* l = new Loaded();
  void* lib = dlopen("libcudnn.so.9", RTLD_NOW | RTLD_LOCAL);
  if (lib == nullptr) {
    const char* e = dlerror();
    l->reason = std::string("cuDNN could not be loaded: ") + (e != nullptr ? e : "libcudnn.so.9 not found");
    return l;
  }
  CudnnApi& a = l->api;
  std::string& r = l->reason;
  l->ok = Bind(lib, "cudnnCreate", &a.create, &r) && Bind(lib, "cudnnDestroy", &a.destroy, &r) &&
          Bind(lib, "cudnnSetStream", &a.set_stream, &r) && Bind(lib, "cudnnGetErrorString", &a.get_error_string, &r) &&
          Bind(lib, "cudnnCreateTensorDescriptor", &a.create_tensor, &r) &&
          Bind(lib, "cudnnSetTensor4dDescriptor", &a.set_tensor_4d, &r) &&
          Bind(lib, "cudnnDestroyTensorDescriptor", &a.destroy_tensor, &r) &&
          Bind(lib, "cudnnCreateFilterDescriptor", &a.create_filter, &r) &&
          Bind(lib, "cudnnSetFilter4dDescriptor", &a.set_filter_4d, &r) &&
          Bind(lib, "cudnnDestroyFilterDescriptor", &a.destroy_filter, &r) &&
          Bind(lib, "cudnnCreateConvolutionDescriptor", &a.create_conv, &r) &&
          Bind(lib, "cudnnSetConvolution2dDescriptor", &a.set_conv_2d, &r) &&
          Bind(lib, "cudnnSetConvolutionMathType", &a.set_conv_math, &r) &&
          Bind(lib, "cudnnDestroyConvolutionDescriptor", &a.destroy_conv, &r) &&
          Bind(lib, "cudnnGetConvolutionForwardAlgorithm_v7", &a.forward_algos, &r) &&
          Bind(lib, "cudnnGetConvolutionBackwardDataAlgorithm_v7", &a.backward_data_algos, &r) &&
          Bind(lib, "cudnnGetConvolutionBackwardFilterAlgorithm_v7", &a.backward_filter_algos, &r) &&
          Bind(lib, "cudnnConvolutionForward", &a.forward, &r) &&
          Bind(lib, "cudnnConvolutionBackwardData", &a.backward_data, &r) &&
          Bind(lib, "cudnnConvolutionBackwardFilter", &a.backward_filter, &r);
  return l;  // the library stays open for the life of the process
}

const Loaded& Library() {
  static const Loaded* l = Load();
  return *l;
}

}  // namespace

const CudnnApi* Cudnn() { return Library().ok ? &Library().api : nullptr; }
const std::string& CudnnUnavailableReason() { return Library().reason; }

Status CudnnStatus(cudnnStatus_t s, const char* what) {
  if (s == CUDNN_STATUS_SUCCESS) return Status::OK();
  const CudnnApi* api = Cudnn();
  return InternalError(std::string("cuDNN error ") + (api != nullptr ? api->get_error_string(s) : "?") + " from " +
                       what);
}

}  // namespace tessera
