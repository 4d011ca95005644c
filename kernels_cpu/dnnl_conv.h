// Float convolution, pooling and products through oneDNN (kernels_cpu/dnnl_conv.cc).
#pragma once

#include "src/kernels/backend_kernels.h"

namespace tessera::cpu {

// Every pass of a float convolution (the geometry's dims known, non-empty).
Status DnnlConv(OpKernelContext& ctx, const ConvArgs& args);

// C = op(A) op(B), row-major, through oneDNN's sgemm (on the calling thread,
// with the session's intra-op thread count, under a CoreLease).
struct SgemmArgs {
  bool ta = false, tb = false;
  int64_t m = 0, n = 0, k = 0;
  const float* a = nullptr;
  int64_t lda = 0;
  const float* b = nullptr;
  int64_t ldb = 0;
  float* c = nullptr;
  int64_t ldc = 0;
};
Status DnnlSgemm(OpKernelContext& ctx, const SgemmArgs& g);

// Float pooling through oneDNN (NHWC): MaxPool and AvgPool, and
// AvgPoolGrad. (MaxPoolGrad stays with our loops: oneDNN's needs the forward
// pass's workspace, which the graph's MaxPoolGrad does not carry.)
Status DnnlPool(OpKernelContext& ctx, const PoolArgs& a);

}  // namespace tessera::cpu
