// Binary elementwise math on the GPU (kernels in cwise_binary.cu).
#include "kernels_cuda/gpu_math.h"

namespace tessera {
namespace {

Status Binary(OpKernelContext& ctx, const BinaryArgs& a) {
  StridedDims d = LinearDims(a.out->num_elements(), a.x_stride, a.y_stride);
  if (a.general != nullptr) {
    TESSERA_ASSIGN_OR_RETURN(d, ToStrided(a.general->dims, a.general->x_strides, a.general->y_strides));
  }
  return CudaStatus(cuda::LaunchBinary(a.op, Elem(a.x.dtype()), a.x.raw_data(), a.y.raw_data(), a.out->raw_data(),
                                       a.out->num_elements(), d, ComputeStream(ctx)),
                    "LaunchBinary");
}

}  // namespace

void gpu::AddCwiseBinaryMath(BackendKernels& b) {
  for (int i = 0; i < kNumBinaryOps; ++i) {
    // Integer Div, FloorDiv, FloorMod and Pow keep their CPU kernels, which
    // check for zero divisors and negative exponents; Equal and NotEqual also
    // compare bools; the logical ops take only bools; the activations'
    // gradients are float only.
    const BinaryOp op = static_cast<BinaryOp>(i);
    const std::vector<DataType>* types = &GpuMathTypes();
    if (op == BinaryOp::kDiv || op == BinaryOp::kPow || op == BinaryOp::kFloorDiv || op == BinaryOp::kFloorMod ||
        op == BinaryOp::kReluGrad || op == BinaryOp::kTanhGrad || op == BinaryOp::kSigmoidGrad) {
      types = &FloatTypes();
    } else if (op == BinaryOp::kEqual || op == BinaryOp::kNotEqual) {
      types = &GpuDataTypes();
    } else if (op == BinaryOp::kLogicalAnd || op == BinaryOp::kLogicalOr) {
      types = &BoolTypes();
    }
    b.binary[static_cast<size_t>(i)] = {Binary, *types};
  }
}

}  // namespace tessera
