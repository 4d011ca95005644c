// The CUDA kernels' host-side entry points. This header is shared by the
// .cu files (compiled by nvcc as C++17) and the OpKernels in .cc files
// (C++20), so it only uses plain types. Each returns the launch's cudaError_t.
#pragma once

#include <cuda_runtime.h>

#include <cstdint>

#include "src/kernels/apply_math.h"
#include "src/kernels/conv_math.h"
#include "src/kernels/launch_config.h"
#include "src/kernels/op_kinds.h"

namespace tessera::cuda {

enum class ElemType { kFloat, kDouble, kInt64, kBool, kInt32 };
// The op kinds are the host halves' own (src/kernels/op_kinds.h).
using BinaryKind = ::tessera::BinaryOp;
using UnaryKind = ::tessera::UnaryOp;
using ReduceKind = ::tessera::ReduceOp;

// An optimizer's update over n elements (src/kernels/apply_math.h), in
// place: device pointers to the variable and its slots (null past the op's
// slots), the gradient, and the hyperparameters (one element each).
struct ApplyPointers {
  void* vars[3] = {};
  const void* grad = nullptr;
  const void* scalars[6] = {};
};
cudaError_t LaunchApply(ApplyOp op, ElemType t, const ApplyPointers& p, int num_scalars, bool nesterov, int64_t n,
                        cudaStream_t s);

// Convolution pass 0 (forward: a input, b filter), 1 (backprop input: a
// filter, b out_backprop) or 2 (backprop filter: a input, b out_backprop)
// over n output elements; pooling forward (grad null) or its gradient.
cudaError_t LaunchConv(int pass, ElemType t, const convmath::Dims& d, const void* a, const void* b, void* out,
                       int64_t n, cudaStream_t s);
cudaError_t LaunchPool(ElemType t, const convmath::Dims& d, bool max, const void* in, const void* grad, void* out,
                       int64_t n, cudaStream_t s);

// out[i] = f(x[a_off(i)], y[b_off(i)]) for i in [0, n).
cudaError_t LaunchBinary(BinaryKind op, ElemType t, const void* x, const void* y, void* out, int64_t n,
                         const StridedDims& dims, cudaStream_t s);
cudaError_t LaunchUnary(UnaryKind op, ElemType t, const void* x, void* out, int64_t n, cudaStream_t s);
cudaError_t LaunchCast(ElemType from, ElemType to, const void* x, void* out, int64_t n, cudaStream_t s);
// TF1 Select: cond element i / inner decides (inner = 0: scalar cond).
cudaError_t LaunchSelect(const bool* cond, int64_t inner, const void* t, const void* e, void* out, int64_t n,
                         int elem_bytes, cudaStream_t s);
// out[i] = a[i] + bias[i % channels].
cudaError_t LaunchBiasAdd(ElemType t, const void* a, const void* bias, void* out, int64_t n, int64_t channels,
                          cudaStream_t s);
cudaError_t LaunchSoftmax(ElemType t, const void* x, void* out, int64_t rows, int64_t cols, bool log, cudaStream_t s);
// Softmax cross-entropy per row: labels `dense` ([rows, cols] of t) or, when
// dense is null, `sparse` ([rows] of label_type, int32 or int64).
cudaError_t LaunchXent(ElemType t, const void* logits, const void* dense, const void* sparse, ElemType label_type,
                       void* loss, void* backprop, int64_t rows, int64_t cols, cudaStream_t s);
// *out = sum(x[i]^2) / 2 over n > 0 elements (one block).
cudaError_t LaunchL2Loss(ElemType t, const void* x, void* out, int64_t n, cudaStream_t s);
// One output per element of `kept` (a_strides index the input); each reduces over `reduced`.
cudaError_t LaunchReduce(ReduceKind op, ElemType t, const void* x, void* out, int64_t out_n, const StridedDims& kept,
                         const StridedDims& reduced, int64_t count, cudaStream_t s);
cudaError_t LaunchArgMinMax(ElemType t, const void* x, int64_t* out, int64_t outer, int64_t len, int64_t inner,
                            bool arg_min, cudaStream_t s);
// out[i] = in[base + a_off(i)], an element-wise gather of `elem_bytes`-byte
// elements (transpose, slice); with `boxed`, out[dst_base + b_off(i)] (pad).
cudaError_t LaunchGather(const void* in, void* out, int64_t n, int elem_bytes, const StridedDims& dims,
                         int64_t base_offset, bool boxed, int64_t dst_base, cudaStream_t s);
// GatherV2 over [outer, n, inner] params and k int64 indices (GatherRowsSource).
cudaError_t LaunchGatherRows(const void* params, const int64_t* indices, void* out, int64_t outer, int64_t n, int64_t k,
                             int64_t inner, int elem_bytes, cudaStream_t s);
// OneHot into [outer, depth, inner] (OneHotIsOn); on and off are element bit patterns.
cudaError_t LaunchOneHot(const int64_t* indices, void* out, int64_t outer, int64_t depth, int64_t inner, int elem_bytes,
                         uint64_t on, uint64_t off, cudaStream_t s);
// UnsortedSegmentSum: out ([n, inner]) zeroed, then each of the `total`
// data elements added to its segment's row by atomics (ids out of range dropped).
cudaError_t LaunchSegmentSum(ElemType t, const void* data, const int64_t* ids, void* out, int64_t total, int64_t n,
                             int64_t inner, cudaStream_t s);
// Cumsum (Cumprod with `product`) along len of [outer, len, inner]: one
// thread per (outer, inner) column.
cudaError_t LaunchCumsum(ElemType t, const void* x, void* out, int64_t outer, int64_t len, int64_t inner, bool product,
                         bool exclusive, bool reverse, cudaStream_t s);
cudaError_t LaunchFill(void* out, int64_t n, int elem_bytes, uint64_t pattern, cudaStream_t s);
// `dist` is a random::Distribution; (key, counter_lo, counter_hi) a random::PhiloxStart.
cudaError_t LaunchRandom(int dist, ElemType t, uint64_t key, uint64_t counter_lo, uint64_t counter_hi, void* out,
                         int64_t n, cudaStream_t s);

}  // namespace tessera::cuda
