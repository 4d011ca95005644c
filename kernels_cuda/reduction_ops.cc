// Reduction math and ArgMax on the GPU (kernels in reduction_ops.cu).
#include "kernels_cuda/gpu_math.h"

namespace tessera {
namespace {

// One output per element of the kept dimensions; each reduces over the
// reduced ones, both walked with x's strides.
Status Reduce(OpKernelContext& ctx, const ReduceArgs& a) {
  const TensorShape& shape = a.x.shape();
  std::vector<int64_t> kdims, kstrides, rdims, rstrides;
  int64_t stride = 1;
  for (int i = shape.rank() - 1; i >= 0; --i) {
    const bool reduced = a.reduce[static_cast<size_t>(i)];
    (reduced ? rdims : kdims).insert((reduced ? rdims : kdims).begin(), shape.dim(i));
    (reduced ? rstrides : kstrides).insert((reduced ? rstrides : kstrides).begin(), stride);
    stride *= shape.dim(i);
  }
  if (kdims.empty()) kdims = {1}, kstrides = {0};
  if (rdims.empty()) rdims = {1}, rstrides = {0};
  TESSERA_ASSIGN_OR_RETURN(StridedDims kept, ToStrided(kdims, kstrides, {}));
  TESSERA_ASSIGN_OR_RETURN(StridedDims red, ToStrided(rdims, rstrides, {}));
  return CudaStatus(cuda::LaunchReduce(a.op, Elem(a.x.dtype()), a.x.raw_data(), a.out->raw_data(),
                                       a.out->num_elements(), kept, red, a.count, ComputeStream(ctx)),
                    "LaunchReduce");
}

Status ArgMinMax(OpKernelContext& ctx, const Tensor& x, const AxisSplit& g, bool arg_min, Tensor* out) {
  return CudaStatus(cuda::LaunchArgMinMax(Elem(x.dtype()), x.raw_data(), static_cast<int64_t*>(out->raw_data()),
                                          g.outer, g.len, g.inner, arg_min, ComputeStream(ctx)),
                    "LaunchArgMinMax");
}

}  // namespace

void gpu::AddReductionMath(BackendKernels& b) {
  for (auto& e : b.reduce) e = {Reduce, GpuMathTypes()};
  b.reduce[static_cast<size_t>(ReduceOp::kAll)] = {Reduce, BoolTypes()};
  b.reduce[static_cast<size_t>(ReduceOp::kAny)] = {Reduce, BoolTypes()};
  b.arg_min_max = {ArgMinMax, GpuMathTypes()};
  b.arg_min_max_output_types = {DataType::kInt64};  // int32 indices stay on the CPU
}

}  // namespace tessera
