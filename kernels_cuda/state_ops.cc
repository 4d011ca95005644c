// Assign, AssignAdd and AssignSub math on the GPU: a device copy, or the
// binary Add/Sub kernel over the old value and the update.
#include "kernels_cuda/gpu_math.h"

namespace tessera {
namespace {

Status Assign(OpKernelContext& ctx, AssignOp op, const Tensor& old, const Tensor& value, Tensor* next) {
  if (op == AssignOp::kAssign) {
    return CudaStatus(cudaMemcpyAsync(next->raw_data(), value.raw_data(), value.bytes(), cudaMemcpyDeviceToDevice,
                                      ComputeStream(ctx)),
                      "cudaMemcpyAsync");
  }
  const StridedDims d = LinearDims(value.num_elements(), 1, 1);
  return CudaStatus(
      cuda::LaunchBinary(op == AssignOp::kAdd ? BinaryOp::kAdd : BinaryOp::kSub, Elem(value.dtype()), old.raw_data(),
                         value.raw_data(), next->raw_data(), value.num_elements(), d, ComputeStream(ctx)),
      "LaunchBinary");
}

}  // namespace

void gpu::AddStateMath(BackendKernels& b) {
  for (int i = 0; i < kNumAssignOps; ++i) {
    const bool arithmetic = static_cast<AssignOp>(i) != AssignOp::kAssign;
    b.assign[static_cast<size_t>(i)] = {Assign, arithmetic ? GpuMathTypes() : GpuDataTypes()};
  }
}

}  // namespace tessera
