// BiasAdd and Softmax math on the GPU (kernels in nn_ops.cu).
#include "kernels_cuda/gpu_math.h"

namespace tessera {
namespace {

Status BiasAdd(OpKernelContext& ctx, const Tensor& v, const Tensor& bias, Tensor* out) {
  return CudaStatus(cuda::LaunchBiasAdd(Elem(v.dtype()), v.raw_data(), bias.raw_data(), out->raw_data(),
                                        v.num_elements(), bias.dim(0), ComputeStream(ctx)),
                    "LaunchBiasAdd");
}

Status Softmax(OpKernelContext& ctx, const Tensor& x, Tensor* out) {
  const int64_t cols = x.dim(x.rank() - 1);
  return CudaStatus(cuda::LaunchSoftmax(Elem(x.dtype()), x.raw_data(), out->raw_data(), x.num_elements() / cols, cols,
                                        ComputeStream(ctx)),
                    "LaunchSoftmax");
}

}  // namespace

void gpu::AddNnMath(BackendKernels& b) {
  b.bias_add = {BiasAdd, GpuMathTypes()};
  b.softmax = {Softmax, FloatTypes()};
}

}  // namespace tessera
