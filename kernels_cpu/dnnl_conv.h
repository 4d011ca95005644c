// Float convolution through oneDNN (kernels_cpu/dnnl_conv.cc).
#pragma once

#include "src/kernels/backend_kernels.h"

namespace tessera::cpu {

// Every pass of a float convolution (the geometry's dims known, non-empty).
Status DnnlConv(OpKernelContext& ctx, const ConvArgs& args);

}  // namespace tessera::cpu
