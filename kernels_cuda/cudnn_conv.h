// The CUDA backend's convolutions through cuDNN (cudnn_conv.cc).
#pragma once

#include "kernels_cuda/gpu_math.h"

namespace tessera {

// Enqueues the convolution pass through cuDNN and returns true; false when
// cuDNN cannot take it (not loaded, asymmetric padding, another dtype), and
// the caller's own kernels run it instead.
StatusOr<bool> TryCudnnConv(OpKernelContext& ctx, const ConvArgs& a);

}  // namespace tessera
