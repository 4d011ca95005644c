// Layout math on the GPU: strided gathers (Transpose, Slice), ConcatV2 as 2-D
// device copies, Fill (and ZerosLike, OnesLike), Select.
#include <cstring>

#include "kernels_cuda/gpu_math.h"

namespace tessera {
namespace {

Status Gather(OpKernelContext& ctx, const GatherArgs& a) {
  TESSERA_ASSIGN_OR_RETURN(StridedDims d, ToStrided(a.dims, a.src_strides, a.dst_strides));
  int64_t n = 1;
  for (int64_t dim : a.dims) n *= dim;
  return CudaStatus(
      cuda::LaunchGather(a.in.raw_data(), a.out->raw_data(), n, static_cast<int>(DataTypeSize(a.in.dtype())), d, a.base,
                         !a.dst_strides.empty(), a.dst_base, ComputeStream(ctx)),
      "LaunchGather");
}

// Each input is a [outer, chunk] block of bytes placed at column `col` of the output's rows.
Status Concat(OpKernelContext& ctx, const std::vector<const Tensor*>& values, const ConcatGeometry& g, Tensor* out) {
  const size_t es = DataTypeSize(out->dtype());
  const size_t pitch = static_cast<size_t>(g.out.dim(g.axis) * g.inner) * es;
  size_t col = 0;
  for (const Tensor* t : values) {
    const size_t chunk = static_cast<size_t>(t->dim(g.axis) * g.inner) * es;
    if (chunk > 0) {
      TESSERA_CUDA_RETURN_IF_ERROR(cudaMemcpy2DAsync(static_cast<char*>(out->raw_data()) + col, pitch, t->raw_data(),
                                                     chunk, chunk, static_cast<size_t>(g.outer),
                                                     cudaMemcpyDeviceToDevice, ComputeStream(ctx)));
    }
    col += chunk;
  }
  return Status::OK();
}

Status Fill(OpKernelContext& ctx, const void* value, Tensor* out) {
  const size_t es = DataTypeSize(out->dtype());
  uint64_t pattern = 0;
  std::memcpy(&pattern, value, es);
  return CudaStatus(
      cuda::LaunchFill(out->raw_data(), out->num_elements(), static_cast<int>(es), pattern, ComputeStream(ctx)),
      "LaunchFill");
}

Status Select(OpKernelContext& ctx, const Tensor& cond, int64_t inner, const Tensor& then_t, const Tensor& else_t,
              Tensor* out) {
  return CudaStatus(cuda::LaunchSelect(static_cast<const bool*>(cond.raw_data()), inner, then_t.raw_data(),
                                       else_t.raw_data(), out->raw_data(), out->num_elements(),
                                       static_cast<int>(DataTypeSize(then_t.dtype())), ComputeStream(ctx)),
                    "LaunchSelect");
}

}  // namespace

void gpu::AddArrayMath(BackendKernels& b) {
  const std::vector<DataType>& moved = GpuDataTypes();  // bytes are moved: bool too
  b.gather = {Gather, moved};
  b.concat = {Concat, moved};
  b.fill = {Fill, moved};
  b.select = {Select, moved};
}

}  // namespace tessera
