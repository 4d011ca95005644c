// BiasAdd, Softmax/LogSoftmax, the cross-entropies and L2Loss on the GPU
// (kernels in nn_ops.cu).
#include "kernels_cuda/gpu_math.h"

namespace tessera {
namespace {

Status BiasAdd(OpKernelContext& ctx, const Tensor& v, const Tensor& bias, Tensor* out) {
  return CudaStatus(cuda::LaunchBiasAdd(Elem(v.dtype()), v.raw_data(), bias.raw_data(), out->raw_data(),
                                        v.num_elements(), bias.dim(0), ComputeStream(ctx)),
                    "LaunchBiasAdd");
}

Status Softmax(OpKernelContext& ctx, const Tensor& x, bool log, Tensor* out) {
  const int64_t cols = x.dim(x.rank() - 1);
  return CudaStatus(cuda::LaunchSoftmax(Elem(x.dtype()), x.raw_data(), out->raw_data(), x.num_elements() / cols, cols,
                                        log, ComputeStream(ctx)),
                    "LaunchSoftmax");
}

Status Xent(OpKernelContext& ctx, const XentArgs& a) {
  const void* dense = a.sparse ? nullptr : a.labels.raw_data();
  const void* sparse = a.sparse ? a.labels.raw_data() : nullptr;
  // int32 labels live in host memory (checked in range by the host half):
  // copied to a device buffer, from a pageable copy, so the call returns
  // only once the bytes are staged.
  Tensor on_device;
  if (a.sparse && a.labels.on_host()) {
    const std::vector<int32_t> host(a.labels.flat<int32_t>().begin(), a.labels.flat<int32_t>().end());
    TESSERA_ASSIGN_OR_RETURN(on_device, AllocateTensor(ctx.device()->allocator(), DataType::kInt32, a.labels.shape()));
    TESSERA_RETURN_IF_ERROR(CudaStatus(cudaMemcpyAsync(on_device.raw_data(), host.data(), host.size() * sizeof(int32_t),
                                                       cudaMemcpyHostToDevice, ComputeStream(ctx)),
                                       "cudaMemcpyAsync"));
    sparse = on_device.raw_data();
  }
  return CudaStatus(cuda::LaunchXent(Elem(a.logits.dtype()), a.logits.raw_data(), dense, sparse, Elem(a.labels.dtype()),
                                     a.loss->raw_data(), a.backprop->raw_data(), a.logits.dim(0), a.logits.dim(1),
                                     ComputeStream(ctx)),
                    "LaunchXent");
}

Status L2Loss(OpKernelContext& ctx, const Tensor& x, Tensor* out) {
  return CudaStatus(
      cuda::LaunchL2Loss(Elem(x.dtype()), x.raw_data(), out->raw_data(), x.num_elements(), ComputeStream(ctx)),
      "LaunchL2Loss");
}

}  // namespace

void gpu::AddNnMath(BackendKernels& b) {
  b.bias_add = {BiasAdd, GpuMathTypes()};
  b.softmax = {Softmax, FloatTypes()};
  b.xent = {Xent, FloatTypes()};
  b.xent_label_types = IndexTypes();  // int32 from host memory, int64 in device memory
  b.l2_loss = {L2Loss, FloatTypes()};
}

}  // namespace tessera
