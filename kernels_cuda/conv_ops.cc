// Convolution and pooling on the GPU: convolution through cuDNN when it is
// loaded (cudnn_conv.cc), else, and the pools always, the gather kernels of
// conv_ops.cu (the device-neutral math of src/kernels/conv_math.h).
#include "kernels_cuda/cudnn_conv.h"
#include "kernels_cuda/gpu_math.h"

namespace tessera {
namespace {

Status Conv(OpKernelContext& ctx, const ConvArgs& a) {
  TESSERA_ASSIGN_OR_RETURN(const bool done, TryCudnnConv(ctx, a));
  if (done) return Status::OK();
  return CudaStatus(cuda::LaunchConv(static_cast<int>(a.pass), Elem(a.out->dtype()), ConvDimsOf(*a.s), a.a->raw_data(),
                                     a.b->raw_data(), a.out->raw_data(), a.out->num_elements(), ComputeStream(ctx)),
                    "LaunchConv");
}

Status Pool(OpKernelContext& ctx, const PoolArgs& a) {
  return CudaStatus(cuda::LaunchPool(Elem(a.out->dtype()), ConvDimsOf(*a.s), a.max,
                                     a.input != nullptr ? a.input->raw_data() : nullptr,
                                     a.grad != nullptr ? a.grad->raw_data() : nullptr, a.out->raw_data(),
                                     a.out->num_elements(), ComputeStream(ctx)),
                    "LaunchPool");
}

}  // namespace

void gpu::AddConvMath(BackendKernels& b) {
  b.conv = {Conv, FloatTypes()};
  b.pool = {Pool, FloatTypes()};
}

}  // namespace tessera
