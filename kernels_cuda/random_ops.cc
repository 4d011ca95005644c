// RandomUniform and RandomStandardNormal math on the GPU (Philox, random_ops.cu).
#include "kernels_cuda/gpu_math.h"

namespace tessera {
namespace {

Status Random(OpKernelContext& ctx, bool normal, uint64_t key, uint64_t base, Tensor* out) {
  return CudaStatus(cuda::LaunchRandom(normal, Elem(out->dtype()), key, base, out->raw_data(), out->num_elements(),
                                       ComputeStream(ctx)),
                    "LaunchRandom");
}

}  // namespace

void gpu::AddRandomMath(BackendKernels& b) { b.random = {Random, FloatTypes()}; }

}  // namespace tessera
