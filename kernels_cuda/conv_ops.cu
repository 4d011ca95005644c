// Convolution and pooling CUDA kernels: one thread per output element, the
// gather math of src/kernels/conv_math.h (what the CPU's reference loops
// run and the CPU tests check). cuDNN's kernels are to replace the
// convolutions.
#include "kernels_cuda/cuda_common.cuh"
#include "src/kernels/conv_math.h"

namespace tessera::cuda {
namespace {

template <typename T>
__global__ void ConvKernel(int pass, convmath::Dims d, const T* a, const T* b, T* out, int64_t n) {
  TESSERA_GRID_STRIDE(i, n) { out[i] = convmath::ConvElement(pass, d, a, b, i); }
}

template <typename T>
__global__ void PoolKernel(convmath::Dims d, bool max, const T* in, const T* grad, T* out, int64_t n) {
  TESSERA_GRID_STRIDE(i, n) { out[i] = convmath::PoolElement(d, max, in, grad, i); }
}

}  // namespace

cudaError_t LaunchConv(int pass, ElemType t, const convmath::Dims& d, const void* a, const void* b, void* out,
                       int64_t n, cudaStream_t s) {
  LaunchConfig c = GetLaunchConfig(n, 128);
  if (c.blocks == 0) return cudaSuccess;
  if (t == ElemType::kFloat) {
    ConvKernel<float><<<c.blocks, c.threads, 0, s>>>(pass, d, static_cast<const float*>(a),
                                                     static_cast<const float*>(b), static_cast<float*>(out), n);
  } else if (t == ElemType::kDouble) {
    ConvKernel<double><<<c.blocks, c.threads, 0, s>>>(pass, d, static_cast<const double*>(a),
                                                      static_cast<const double*>(b), static_cast<double*>(out), n);
  } else {
    return cudaErrorInvalidValue;
  }
  return LastLaunchError();
}

cudaError_t LaunchPool(ElemType t, const convmath::Dims& d, bool max, const void* in, const void* grad, void* out,
                       int64_t n, cudaStream_t s) {
  LaunchConfig c = GetLaunchConfig(n, 128);
  if (c.blocks == 0) return cudaSuccess;
  if (t == ElemType::kFloat) {
    PoolKernel<float><<<c.blocks, c.threads, 0, s>>>(d, max, static_cast<const float*>(in),
                                                     static_cast<const float*>(grad), static_cast<float*>(out), n);
  } else if (t == ElemType::kDouble) {
    PoolKernel<double><<<c.blocks, c.threads, 0, s>>>(d, max, static_cast<const double*>(in),
                                                      static_cast<const double*>(grad), static_cast<double*>(out), n);
  } else {
    return cudaErrorInvalidValue;
  }
  return LastLaunchError();
}

}  // namespace tessera::cuda
