// The optimizers' fused updates on the GPU: one thread per element, the
// per-element math of src/kernels/apply_math.h (shared with the CPU); the
// hyperparameters are read from device memory by every thread.
#include "kernels_cuda/cuda_common.cuh"
#include "src/kernels/apply_math.h"

namespace tessera::cuda {
namespace {

template <typename T>
__global__ void ApplyKernel(ApplyOp op, ApplyPointers p, int num_scalars, bool nesterov, int64_t n) {
  applymath::Scalars<T> k;
  for (int i = 0; i < num_scalars; ++i) k.s[i] = static_cast<const T*>(p.scalars[i])[0];
  const applymath::Prepared<T> prep = applymath::Prepare(op, k);
  const T* g = static_cast<const T*>(p.grad);
  T* v0 = static_cast<T*>(p.vars[0]);
  T* s1 = static_cast<T*>(p.vars[1]);
  T* s2 = static_cast<T*>(p.vars[2]);
  TESSERA_GRID_STRIDE(i, n) {
    T var = v0[i], x1 = s1 ? s1[i] : T(0), x2 = s2 ? s2[i] : T(0);
    applymath::Update(op, prep, nesterov, g[i], &var, &x1, &x2);
    v0[i] = var;
    if (s1) s1[i] = x1;
    if (s2) s2[i] = x2;
  }
}

}  // namespace

cudaError_t LaunchApply(ApplyOp op, ElemType t, const ApplyPointers& p, int num_scalars, bool nesterov, int64_t n,
                        cudaStream_t s) {
  LaunchConfig c = GetLaunchConfig(n);
  if (c.blocks == 0) return cudaSuccess;
  if (t == ElemType::kFloat) {
    ApplyKernel<float><<<c.blocks, c.threads, 0, s>>>(op, p, num_scalars, nesterov, n);
  } else if (t == ElemType::kDouble) {
    ApplyKernel<double><<<c.blocks, c.threads, 0, s>>>(op, p, num_scalars, nesterov, n);
  } else {
    return cudaErrorInvalidValue;
  }
  return LastLaunchError();
}

}  // namespace tessera::cuda
