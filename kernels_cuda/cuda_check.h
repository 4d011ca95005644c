// Every CUDA runtime and cuBLAS call is checked where it is made and turned
// into a Status that carries the expression:
//
//   TESSERA_CUDA_RETURN_IF_ERROR(cudaMemcpyAsync(dst, src, n, kind, stream));
//   -> Internal "CUDA error 'invalid argument' (cudaErrorInvalidValue) from cudaMemcpyAsync(...)"
#pragma once

#include <cublas_v2.h>
#include <cuda_runtime.h>

#include <string>

#include "tessera/status.h"

namespace tessera {

inline Status CudaStatus(cudaError_t e, const char* expr) {
  if (e == cudaSuccess) return Status::OK();
  const Code code = e == cudaErrorMemoryAllocation ? Code::kResourceExhausted : Code::kInternal;
  return Status(code,
                std::string("CUDA error '") + cudaGetErrorString(e) + "' (" + cudaGetErrorName(e) + ") from " + expr);
}

inline const char* CublasStatusName(cublasStatus_t s) {
  switch (s) {
    case CUBLAS_STATUS_SUCCESS:
      return "CUBLAS_STATUS_SUCCESS";
    case CUBLAS_STATUS_NOT_INITIALIZED:
      return "CUBLAS_STATUS_NOT_INITIALIZED";
    case CUBLAS_STATUS_ALLOC_FAILED:
      return "CUBLAS_STATUS_ALLOC_FAILED";
    case CUBLAS_STATUS_INVALID_VALUE:
      return "CUBLAS_STATUS_INVALID_VALUE";
    case CUBLAS_STATUS_ARCH_MISMATCH:
      return "CUBLAS_STATUS_ARCH_MISMATCH";
    case CUBLAS_STATUS_MAPPING_ERROR:
      return "CUBLAS_STATUS_MAPPING_ERROR";
    case CUBLAS_STATUS_EXECUTION_FAILED:
      return "CUBLAS_STATUS_EXECUTION_FAILED";
    case CUBLAS_STATUS_INTERNAL_ERROR:
      return "CUBLAS_STATUS_INTERNAL_ERROR";
    case CUBLAS_STATUS_NOT_SUPPORTED:
      return "CUBLAS_STATUS_NOT_SUPPORTED";
    default:
      return "CUBLAS_STATUS_UNKNOWN";
  }
}

inline Status CublasStatus(cublasStatus_t s, const char* expr) {
  if (s == CUBLAS_STATUS_SUCCESS) return Status::OK();
  return InternalError(std::string("cuBLAS error ") + CublasStatusName(s) + " from " + expr);
}

}  // namespace tessera

#define TESSERA_CUDA_RETURN_IF_ERROR(expr) TESSERA_RETURN_IF_ERROR(::tessera::CudaStatus((expr), #expr))
#define TESSERA_CUBLAS_RETURN_IF_ERROR(expr) TESSERA_RETURN_IF_ERROR(::tessera::CublasStatus((expr), #expr))
