// The optimizers' fused updates on the GPU (kernels in training_ops.cu).
#include "kernels_cuda/gpu_math.h"

namespace tessera {
namespace {

Status Apply(OpKernelContext& ctx, const ApplyArgs& a) {
  cuda::ApplyPointers p;
  p.grad = a.grad->raw_data();
  for (size_t i = 0; i < 3; ++i) p.vars[i] = a.vars[i] != nullptr ? a.vars[i]->raw_data() : nullptr;
  for (size_t i = 0; i < a.scalars.size(); ++i) p.scalars[i] = a.scalars[i]->raw_data();
  return CudaStatus(cuda::LaunchApply(a.op, Elem(a.grad->dtype()), p, static_cast<int>(a.scalars.size()), a.nesterov,
                                      a.grad->num_elements(), ComputeStream(ctx)),
                    "LaunchApply");
}

}  // namespace

void gpu::AddTrainingMath(BackendKernels& b) { b.apply = {Apply, FloatTypes()}; }

}  // namespace tessera
