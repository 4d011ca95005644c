// The families of shared kernels, each registering its ops for one backend
// (called by RegisterBackendKernels in src/kernels/register.cc).
#pragma once

#include "src/kernels/backend_kernels.h"

namespace tessera {

Status RegisterPassthroughKernels(KernelRegistry& r, const BackendKernels& b);
Status RegisterArrayKernels(KernelRegistry& r, const BackendKernels& b);
Status RegisterCwiseKernels(KernelRegistry& r, const BackendKernels& b);
Status RegisterNnKernels(KernelRegistry& r, const BackendKernels& b);
Status RegisterReductionKernels(KernelRegistry& r, const BackendKernels& b);
Status RegisterRandomKernels(KernelRegistry& r, const BackendKernels& b);
Status RegisterStateKernels(KernelRegistry& r, const BackendKernels& b);
Status RegisterMatMulKernels(KernelRegistry& r, const BackendKernels& b);

// The dtype lists backends draw on.
const std::vector<DataType>& FloatTypes();    // float, double
const std::vector<DataType>& NumericTypes();  // + int32, int64
const std::vector<DataType>& AllTypes();      // + bool
const std::vector<DataType>& IndexTypes();    // int32, int64

}  // namespace tessera
