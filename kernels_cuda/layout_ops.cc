// GatherV2, UnsortedSegmentSum, OneHot, Cumsum and Cumprod math on the GPU (kernels in layout_ops.cu).
// Their indices are int64 in device memory: int32 tensors live in host
// memory here, so int32 indices run on the CPU (a soft placement).
#include <cstring>

#include "kernels_cuda/gpu_math.h"

namespace tessera {
namespace {

Status GatherRows(OpKernelContext& ctx, const GatherRowsArgs& a) {
  return CudaStatus(cuda::LaunchGatherRows(a.params.raw_data(), static_cast<const int64_t*>(a.indices.raw_data()),
                                           a.out->raw_data(), a.outer, a.n, a.indices.num_elements(), a.inner,
                                           static_cast<int>(DataTypeSize(a.params.dtype())), ComputeStream(ctx)),
                    "LaunchGatherRows");
}

Status OneHot(OpKernelContext& ctx, const OneHotArgs& a) {
  const size_t es = DataTypeSize(a.out->dtype());
  uint64_t on = 0, off = 0;
  std::memcpy(&on, a.on, es);
  std::memcpy(&off, a.off, es);
  return CudaStatus(cuda::LaunchOneHot(static_cast<const int64_t*>(a.indices.raw_data()), a.out->raw_data(), a.outer,
                                       a.depth, a.inner, static_cast<int>(es), on, off, ComputeStream(ctx)),
                    "LaunchOneHot");
}

Status SegmentSum(OpKernelContext& ctx, const SegmentSumArgs& a) {
  return CudaStatus(cuda::LaunchSegmentSum(Elem(a.data.dtype()), a.data.raw_data(),
                                           static_cast<const int64_t*>(a.segment_ids.raw_data()), a.out->raw_data(),
                                           a.data.num_elements(), a.num_segments, a.inner, ComputeStream(ctx)),
                    "LaunchSegmentSum");
}

Status Cumsum(OpKernelContext& ctx, const Tensor& x, const AxisSplit& s, CumulativeArgs how, Tensor* out) {
  return CudaStatus(cuda::LaunchCumsum(Elem(x.dtype()), x.raw_data(), out->raw_data(), s.outer, s.len, s.inner,
                                       how.product, how.exclusive, how.reverse, ComputeStream(ctx)),
                    "LaunchCumsum");
}

}  // namespace

void gpu::AddLayoutMath(BackendKernels& b) {
  b.gather_rows = {GatherRows, GpuDataTypes()};
  b.gather_rows_index_types = {DataType::kInt64};
  b.one_hot = {OneHot, GpuDataTypes()};
  b.one_hot_index_types = {DataType::kInt64};
  b.cumsum = {Cumsum, GpuMathTypes()};
  b.segment_sum = {SegmentSum, GpuMathTypes()};
  b.segment_sum_index_types = {DataType::kInt64};
}

}  // namespace tessera
