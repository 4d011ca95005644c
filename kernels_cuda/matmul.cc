// MatMul on the GPU through cuBLAS (float and double), on the compute stream.
// cuBLAS is column-major: a row-major C = op(A) op(B) is computed as
// C^T = op(B)^T op(A)^T, i.e. gemm(opB, opA, n, m, k, B, A, C).
#include "kernels_cpu/cpu_kernel_util.h"
#include "kernels_cuda/cuda_check.h"
#include "src/kernels/op_geometry.h"
#include "kernels_cuda/gpu_device.h"

namespace tessera {
namespace {

template <typename T>
class GpuMatMulKernel : public OpKernel {
 public:
  explicit GpuMatMulKernel(const Node& node)
      : OpKernel(node), ta_(*node.attr<bool>("transpose_a")), tb_(*node.attr<bool>("transpose_b")) {}

  Status Compute(OpKernelContext& ctx) const override {
    const Tensor& a = ctx.input(0);
    const Tensor& b = ctx.input(1);
    TF_ASSIGN_OR_RETURN(MatMulDims d, MatMulGeometry(a.shape(), b.shape(), ta_, tb_));
    const int64_t m = d.m, n = d.n, k = d.k;
    Tensor* out;
    TF_RETURN_IF_ERROR(ctx.allocate_output(0, TensorShape{m, n}, &out));
    if (m == 0 || n == 0) return Status::OK();
    auto& gpu = *static_cast<GpuDevice*>(ctx.device());
    TF_RETURN_IF_ERROR(gpu.Activate());
    if (k == 0) {
      return CudaStatus(cudaMemsetAsync(out->raw_data(), 0, out->bytes(), gpu.compute_stream()), "cudaMemsetAsync");
    }
    const T alpha = 1, beta = 0;
    const cublasOperation_t op_a = ta_ ? CUBLAS_OP_T : CUBLAS_OP_N, op_b = tb_ ? CUBLAS_OP_T : CUBLAS_OP_N;
    const int lda = static_cast<int>(a.dim(1)), ldb = static_cast<int>(b.dim(1)), ldc = static_cast<int>(n);
    const auto* ap = static_cast<const T*>(a.raw_data());
    const auto* bp = static_cast<const T*>(b.raw_data());
    auto* cp = static_cast<T*>(out->raw_data());
    if constexpr (std::is_same_v<T, float>) {
      TESSERA_CUBLAS_RETURN_IF_ERROR(cublasSgemm(gpu.cublas(), op_b, op_a, static_cast<int>(n), static_cast<int>(m),
                                                 static_cast<int>(k), &alpha, bp, ldb, ap, lda, &beta, cp, ldc));
    } else {
      TESSERA_CUBLAS_RETURN_IF_ERROR(cublasDgemm(gpu.cublas(), op_b, op_a, static_cast<int>(n), static_cast<int>(m),
                                                 static_cast<int>(k), &alpha, bp, ldb, ap, lda, &beta, cp, ldc));
    }
    return Status::OK();
  }

 private:
  bool ta_, tb_;
};

}  // namespace

void RegisterCudaMatMulKernels(KernelRegistry& r) {
  r.Register({"MatMul", "GPU", {{"T", FloatTypes()}}, TypedFactory<GpuMatMulKernel>("T", FloatSwitch())});
}

}  // namespace tessera
