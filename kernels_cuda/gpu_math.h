// The CUDA backend's math for the shared kernels (src/kernels/backend_kernels.h):
// each family file adds its entries to the GPU's BackendKernels table, and
// register.cc registers the table. Math functions run under
// GpuDevice::Compute (the GPU is current) and only enqueue work on the
// device's compute stream.
#pragma once

#include <cuda_runtime.h>

#include <vector>

#include "kernels_cuda/cuda_check.h"
#include "kernels_cuda/launchers.h"
#include "src/kernels/backend_kernels.h"
#include "src/kernels/kernel_families.h"

namespace tessera {

// The compute stream of the GPU a kernel runs on.
cudaStream_t ComputeStream(const OpKernelContext& ctx);
// The element type of a dtype, as the launchers take it.
cuda::ElemType Elem(DataType dt);
// Collapsed dims with per-operand strides (b may be empty) for the launchers.
StatusOr<StridedDims> ToStrided(const std::vector<int64_t>& dims, const std::vector<int64_t>& a,
                                const std::vector<int64_t>& b);

// One dimension of n elements, with a stride per operand (1: walk it, 0: one element).
StridedDims LinearDims(int64_t n, int64_t a_stride, int64_t b_stride);

// dtypes the CUDA kernels compute in (int32 stays on the host, as in TF), and
// those they move.
const std::vector<DataType>& GpuMathTypes();  // float, double, int64
const std::vector<DataType>& GpuDataTypes();  // + bool

// The family hooks (src/kernels/backend_math_hooks.inc), defined in kernels_cuda/<family>.cc.
namespace gpu {
#include "src/kernels/backend_math_hooks.inc"
}  // namespace gpu

}  // namespace tessera
