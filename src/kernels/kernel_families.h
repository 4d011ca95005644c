// The families of shared kernels, each registering its ops for one backend
// (called by RegisterBackendKernels in src/kernels/register.cc).
#pragma once

#include "src/kernels/backend_kernels.h"

namespace tessera {

Status RegisterPassthroughKernels(KernelRegistry& r, const BackendKernels& b);
Status RegisterArrayKernels(KernelRegistry& r, const BackendKernels& b);
Status RegisterLayoutKernels(KernelRegistry& r, const BackendKernels& b);
Status RegisterCwiseKernels(KernelRegistry& r, const BackendKernels& b);
Status RegisterNnKernels(KernelRegistry& r, const BackendKernels& b);
Status RegisterReductionKernels(KernelRegistry& r, const BackendKernels& b);
Status RegisterRandomKernels(KernelRegistry& r, const BackendKernels& b);
Status RegisterStateKernels(KernelRegistry& r, const BackendKernels& b);
Status RegisterTrainingKernels(KernelRegistry& r, const BackendKernels& b);
Status RegisterConvKernels(KernelRegistry& r, const BackendKernels& b);
Status RegisterMatMulKernels(KernelRegistry& r, const BackendKernels& b);

// For the families with one math entry per kind (binary, unary, reduce,
// assign): registers make(kind, entry) for each kind whose entry has math.
template <typename Kind, typename Math, size_t N, typename Make>
Status RegisterEachKind(KernelRegistry& r, const std::array<MathEntry<Math>, N>& entries, Make make) {
  for (size_t i = 0; i < N; ++i) {
    if (entries[i].math == nullptr) continue;
    TESSERA_RETURN_IF_ERROR(r.Register(make(static_cast<Kind>(i), entries[i])));
  }
  return Status::OK();
}

// A kernel of `op` constrained to `types` through its "T" attribute when the
// op declares one (the logical ops, All and Any take bool and have none, as in TF).
KernelDef TypedKernelDef(const char* op, DeviceType dev, const std::vector<DataType>& types);

// Every element of out set to 0 through the backend's fill (all zero bytes,
// which is 0 in every numeric dtype); nothing for an empty out.
Status FillZeros(OpKernelContext& ctx, FillMath fill, Tensor* out);

// The dtype lists backends draw on.
const std::vector<DataType>& FloatTypes();    // float, double
const std::vector<DataType>& NumericTypes();  // + int32, int64
const std::vector<DataType>& AllTypes();      // + bool
const std::vector<DataType>& BoolTypes();     // bool
const std::vector<DataType>& IndexTypes();    // int32, int64

}  // namespace tessera
