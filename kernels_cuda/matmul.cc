// MatMul math on the GPU through cuBLAS (float and double), on the compute
// stream. cuBLAS is column-major: a row-major C = op(A) op(B) is computed as
// C^T = op(B)^T op(A)^T, i.e. gemm(opB, opA, n, m, k, B, A, C).
#include "kernels_cuda/gpu_device.h"
#include "kernels_cuda/gpu_math.h"

namespace tessera {
namespace {

template <typename T>
Status Gemm(cublasHandle_t h, const Tensor& a, const Tensor& b, bool ta, bool tb, const MatMulDims& d, Tensor* out) {
  const T alpha = 1, beta = 0;
  const cublasOperation_t op_a = ta ? CUBLAS_OP_T : CUBLAS_OP_N, op_b = tb ? CUBLAS_OP_T : CUBLAS_OP_N;
  const int m = static_cast<int>(d.m), n = static_cast<int>(d.n), k = static_cast<int>(d.k);
  const int lda = static_cast<int>(a.dim(1)), ldb = static_cast<int>(b.dim(1));
  const auto* ap = static_cast<const T*>(a.raw_data());
  const auto* bp = static_cast<const T*>(b.raw_data());
  auto* cp = static_cast<T*>(out->raw_data());
  if constexpr (std::is_same_v<T, float>) {
    TESSERA_CUBLAS_RETURN_IF_ERROR(cublasSgemm(h, op_b, op_a, n, m, k, &alpha, bp, ldb, ap, lda, &beta, cp, n));
  } else {
    TESSERA_CUBLAS_RETURN_IF_ERROR(cublasDgemm(h, op_b, op_a, n, m, k, &alpha, bp, ldb, ap, lda, &beta, cp, n));
  }
  return Status::OK();
}

Status MatMul(OpKernelContext& ctx, const Tensor& a, const Tensor& b, bool ta, bool tb, const MatMulDims& d,
              Tensor* out) {
  if (d.k == 0) {
    return CudaStatus(cudaMemsetAsync(out->raw_data(), 0, out->bytes(), ComputeStream(ctx)), "cudaMemsetAsync");
  }
  cublasHandle_t h = static_cast<const GpuDevice*>(ctx.device())->cublas();
  return a.dtype() == DataType::kFloat ? Gemm<float>(h, a, b, ta, tb, d, out) : Gemm<double>(h, a, b, ta, tb, d, out);
}

}  // namespace

void gpu::AddMatMulMath(BackendKernels& b) { b.matmul = {MatMul, FloatTypes()}; }

}  // namespace tessera
