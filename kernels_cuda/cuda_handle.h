// CudaHandle: one RAII owner for every CUDA and cuBLAS handle (streams,
// events, cuBLAS handles, pinned host buffers), movable, never copied:
//
//   CudaStream s;
//   TESSERA_CUDA_RETURN_IF_ERROR(cudaStreamCreateWithFlags(s.out(), cudaStreamNonBlocking));
//   cudaMemcpyAsync(..., s.get());   // destroyed with s
//
// Destroy's result is ignored: there is nobody to report it to.
#pragma once

#include <cublas_v2.h>
#include <cuda_runtime.h>

#include <utility>

namespace tessera {

template <typename Handle, auto Destroy>
class CudaHandle {
 public:
  CudaHandle() = default;
  explicit CudaHandle(Handle h) : h_(h) {}
  ~CudaHandle() { reset(); }
  CudaHandle(CudaHandle&& other) noexcept : h_(other.release()) {}
  CudaHandle& operator=(CudaHandle&& other) noexcept {
    if (this != &other) reset(other.release());
    return *this;
  }
  CudaHandle(const CudaHandle&) = delete;
  CudaHandle& operator=(const CudaHandle&) = delete;

  Handle get() const { return h_; }
  explicit operator bool() const { return h_ != Handle{}; }
  // Destroys the current handle (if any) and takes `h`.
  void reset(Handle h = Handle{}) {
    if (h_ != Handle{}) Destroy(h_);
    h_ = h;
  }
  // Gives up ownership without destroying.
  Handle release() { return std::exchange(h_, Handle{}); }
  // For the create call: destroys the current handle and returns where to write the new one.
  Handle* out() {
    reset();
    return &h_;
  }

 private:
  Handle h_{};
};

using CudaStream = CudaHandle<cudaStream_t, cudaStreamDestroy>;
using CudaEvent = CudaHandle<cudaEvent_t, cudaEventDestroy>;
using CublasHandle = CudaHandle<cublasHandle_t, cublasDestroy>;
using PinnedHostBuffer = CudaHandle<void*, cudaFreeHost>;

}  // namespace tessera
