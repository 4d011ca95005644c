// Unary elementwise math and Cast on the GPU (kernels in cwise_unary.cu).
#include "kernels_cuda/gpu_math.h"

namespace tessera {
namespace {

Status Unary(OpKernelContext& ctx, UnaryOp op, const Tensor& x, Tensor* out) {
  return CudaStatus(
      cuda::LaunchUnary(op, Elem(x.dtype()), x.raw_data(), out->raw_data(), x.num_elements(), ComputeStream(ctx)),
      "LaunchUnary");
}

Status Cast(OpKernelContext& ctx, const Tensor& x, Tensor* out) {
  return CudaStatus(cuda::LaunchCast(Elem(x.dtype()), Elem(out->dtype()), x.raw_data(), out->raw_data(),
                                     x.num_elements(), ComputeStream(ctx)),
                    "LaunchCast");
}

}  // namespace

void gpu::AddCwiseUnaryMath(BackendKernels& b) {
  for (int i = 0; i < kNumUnaryOps; ++i) {
    // Transcendental functions in float and double; the rest (the kernel's
    // first switch) also in int64.
    const UnaryOp op = static_cast<UnaryOp>(i);
    const bool any = op == UnaryOp::kNeg || op == UnaryOp::kSquare || op == UnaryOp::kAbs || op == UnaryOp::kRelu ||
                     op == UnaryOp::kSign;
    b.unary[static_cast<size_t>(i)] = {Unary, any ? GpuMathTypes() : FloatTypes()};
  }
  b.unary[static_cast<size_t>(UnaryOp::kLogicalNot)] = {Unary, BoolTypes()};
  b.cast = {Cast, GpuDataTypes()};
}

}  // namespace tessera
