// RandomUniform, RandomStandardNormal and TruncatedNormal math on the GPU
// (Philox, random_ops.cu).
#include "kernels_cuda/gpu_math.h"

namespace tessera {
namespace {

Status Random(OpKernelContext& ctx, random::Distribution dist, const random::PhiloxStart& start, Tensor* out) {
  return CudaStatus(cuda::LaunchRandom(static_cast<int>(dist), Elem(out->dtype()), start.key, start.counter_lo,
                                       start.counter_hi, out->raw_data(), out->num_elements(), ComputeStream(ctx)),
                    "LaunchRandom");
}

}  // namespace

void gpu::AddRandomMath(BackendKernels& b) { b.random = {Random, FloatTypes()}; }

}  // namespace tessera
