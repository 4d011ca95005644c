// The GPU kernel table: every shared kernel the CUDA backend computes, and
// the helpers its math shares.
#include "kernels_cuda/gpu_device.h"
#include "kernels_cuda/gpu_math.h"

namespace tessera {

cudaStream_t ComputeStream(const OpKernelContext& ctx) {
  return static_cast<const GpuDevice*>(ctx.device())->compute_stream();
}

cuda::ElemType Elem(DataType dt) {
  switch (dt) {
    case DataType::kFloat:
      return cuda::ElemType::kFloat;
    case DataType::kDouble:
      return cuda::ElemType::kDouble;
    case DataType::kInt64:
      return cuda::ElemType::kInt64;
    case DataType::kBool:
      return cuda::ElemType::kBool;
    default:
      return cuda::ElemType::kInt32;
  }
}

StatusOr<StridedDims> ToStrided(const std::vector<int64_t>& dims, const std::vector<int64_t>& a,
                                const std::vector<int64_t>& b) {
  if (dims.size() > StridedDims::kMaxRank) {
    return UnimplementedError("GPU kernels support up to " + std::to_string(StridedDims::kMaxRank) +
                              " (collapsed) dimensions, got " + std::to_string(dims.size()));
  }
  StridedDims d;
  d.rank = static_cast<int>(dims.size());
  for (size_t i = 0; i < dims.size(); ++i) {
    d.dims[i] = dims[i];
    d.a_strides[i] = a.empty() ? 0 : a[i];
    d.b_strides[i] = b.empty() ? 0 : b[i];
  }
  return d;
}

StridedDims LinearDims(int64_t n, int64_t a_stride, int64_t b_stride) {
  StridedDims d;
  d.rank = 1;
  d.dims[0] = n;
  d.a_strides[0] = a_stride;
  d.b_strides[0] = b_stride;
  return d;
}

const std::vector<DataType>& GpuMathTypes() {
  static const std::vector<DataType> t = {DataType::kFloat, DataType::kDouble, DataType::kInt64};
  return t;
}
const std::vector<DataType>& GpuDataTypes() {
  static const std::vector<DataType> t = {DataType::kFloat, DataType::kDouble, DataType::kInt64, DataType::kBool};
  return t;
}

Status RegisterGpuKernels(KernelRegistry& r) {
  BackendKernels gpu;
  gpu.device_type = DeviceType::kGpu;
  gpu.passthrough_types = GpuDataTypes();
  gpu.passthrough_types.push_back(DataType::kInt32);  // int32 tensors stay in host memory
  gpu.variable_types = GpuDataTypes();
  for (auto add : {gpu::AddArrayMath, gpu::AddLayoutMath, gpu::AddCwiseBinaryMath, gpu::AddCwiseUnaryMath,
                   gpu::AddMatMulMath, gpu::AddNnMath, gpu::AddReductionMath, gpu::AddRandomMath, gpu::AddStateMath,
                   gpu::AddTrainingMath, gpu::AddConvMath}) {
    add(gpu);
  }
  return RegisterBackendKernels(r, gpu);
}

}  // namespace tessera
