// Layout kernels on the GPU: strided gather (Transpose, Slice) and Fill.
#include "kernels_cuda/cuda_common.cuh"

namespace tessera::cuda {
namespace {

// dims.a_strides walk the input; with `boxed`, dims.b_strides place each
// element in the output (from dst_base), else the output is written in order.
template <typename W>
__global__ void GatherKernel(const W* in, W* out, int64_t n, StridedDims dims, int64_t base, bool boxed,
                             int64_t dst_base) {
  TESSERA_GRID_STRIDE(i, n) {
    int64_t a, b;
    StridedOffsets(dims, i, &a, &b);
    out[boxed ? dst_base + b : i] = in[base + a];
  }
}

template <typename W>
__global__ void FillKernel(W* out, int64_t n, W value) {
  TESSERA_GRID_STRIDE(i, n) { out[i] = value; }
}

}  // namespace

cudaError_t LaunchGather(const void* in, void* out, int64_t n, int elem_bytes, const StridedDims& dims,
                         int64_t base_offset, bool boxed, int64_t dst_base, cudaStream_t s) {
  LaunchConfig c = GetLaunchConfig(n);
  if (c.blocks == 0) return cudaSuccess;
  switch (elem_bytes) {
    case 1:
      GatherKernel<uint8_t><<<c.blocks, c.threads, 0, s>>>(static_cast<const uint8_t*>(in), static_cast<uint8_t*>(out),
                                                           n, dims, base_offset, boxed, dst_base);
      break;
    case 4:
      GatherKernel<uint32_t><<<c.blocks, c.threads, 0, s>>>(
          static_cast<const uint32_t*>(in), static_cast<uint32_t*>(out), n, dims, base_offset, boxed, dst_base);
      break;
    case 8:
      GatherKernel<uint64_t><<<c.blocks, c.threads, 0, s>>>(
          static_cast<const uint64_t*>(in), static_cast<uint64_t*>(out), n, dims, base_offset, boxed, dst_base);
      break;
    default:
      return cudaErrorInvalidValue;
  }
  return LastLaunchError();
}

cudaError_t LaunchFill(void* out, int64_t n, int elem_bytes, uint64_t pattern, cudaStream_t s) {
  LaunchConfig c = GetLaunchConfig(n);
  if (c.blocks == 0) return cudaSuccess;
  switch (elem_bytes) {
    case 1:
      FillKernel<uint8_t><<<c.blocks, c.threads, 0, s>>>(static_cast<uint8_t*>(out), n, static_cast<uint8_t>(pattern));
      break;
    case 4:
      FillKernel<uint32_t>
          <<<c.blocks, c.threads, 0, s>>>(static_cast<uint32_t*>(out), n, static_cast<uint32_t>(pattern));
      break;
    case 8:
      FillKernel<uint64_t><<<c.blocks, c.threads, 0, s>>>(static_cast<uint64_t*>(out), n, pattern);
      break;
    default:
      return cudaErrorInvalidValue;
  }
  return LastLaunchError();
}

}  // namespace tessera::cuda
