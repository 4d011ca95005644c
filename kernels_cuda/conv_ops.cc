// Convolution and pooling on the GPU (kernels in conv_ops.cu).
#include "kernels_cuda/gpu_math.h"

namespace tessera {
namespace {

convmath::Dims DimsOf(const WindowShape& s) {
  return {s.batch,         s.in_rows,   s.in_cols,     s.in_depth,    s.window_rows,
          s.window_cols,   s.out_depth, s.stride_rows, s.stride_cols, s.dilation_rows,
          s.dilation_cols, s.out_rows,  s.out_cols,    s.pad_top,     s.pad_left};
}

Status Conv(OpKernelContext& ctx, const ConvArgs& a) {
  return CudaStatus(cuda::LaunchConv(static_cast<int>(a.pass), Elem(a.out->dtype()), DimsOf(*a.s), a.a->raw_data(),
                                     a.b->raw_data(), a.out->raw_data(), a.out->num_elements(), ComputeStream(ctx)),
                    "LaunchConv");
}

Status Pool(OpKernelContext& ctx, const PoolArgs& a) {
  return CudaStatus(
      cuda::LaunchPool(Elem(a.out->dtype()), DimsOf(*a.s), a.max, a.input != nullptr ? a.input->raw_data() : nullptr,
                       a.grad != nullptr ? a.grad->raw_data() : nullptr, a.out->raw_data(), a.out->num_elements(),
                       ComputeStream(ctx)),
      "LaunchPool");
}

}  // namespace

void gpu::AddConvMath(BackendKernels& b) {
  b.conv = {Conv, FloatTypes()};
  b.pool = {Pool, FloatTypes()};
}

}  // namespace tessera
