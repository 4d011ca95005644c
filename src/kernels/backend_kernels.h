// The contract between the shared kernels and a backend, on one page.
//
// Every op's kernel has two halves. The host half (src/kernels/*_ops.cc) is
// written once: it validates the inputs, computes the output geometry,
// allocates the outputs, returns early when they are empty, and reads
// host-memory inputs (axes, shapes, permutations). Then it calls the
// backend's math, which only computes: Eigen and loops on the CPU
// (kernels_cpu/), CUDA launches and library calls on a GPU (kernels_cuda/).
//
// A backend fills one BackendKernels table and hands it to
// RegisterBackendKernels, which registers every op the table supports, with
// the dtypes it lists. A null entry means "no kernel for that op on this
// device type": the placer then looks elsewhere (soft placement).
//
// Every math function runs under Device::Compute (a GPU is current), gets
// outputs that are allocated and non-empty, and returns a Status; a GPU
// function only enqueues work on the device's compute stream.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include "src/framework/conv_shape.h"
#include "src/framework/kernel_registry.h"
#include "src/framework/op_kernel.h"
#include "src/kernels/apply_math.h"
#include "src/kernels/broadcast.h"
#include "src/kernels/conv_math.h"
#include "src/kernels/op_geometry.h"
#include "src/kernels/op_kinds.h"
#include "src/kernels/philox.h"

namespace tessera {

// out[i] = op(x[.], y[.]). Without `general`, a 1-D walk over n elements with
// x_stride and y_stride each 1 (the operand's shape is the output's) or 0 (a
// single element); with it, the collapsed broadcast geometry.
struct BinaryArgs {
  BinaryOp op;
  const Tensor& x;
  const Tensor& y;
  Tensor* out;
  int64_t x_stride = 1, y_stride = 1;
  const BroadcastGeometry* general = nullptr;
};
using BinaryMath = Status (*)(OpKernelContext& ctx, const BinaryArgs& args);
using UnaryMath = Status (*)(OpKernelContext& ctx, UnaryOp op, const Tensor& x, Tensor* out);
// out = x converted to out's dtype.
using CastMath = Status (*)(OpKernelContext& ctx, const Tensor& x, Tensor* out);
// out[i] = cond[inner == 0 ? 0 : i / inner] ? then[i] : else[i].
using SelectMath = Status (*)(OpKernelContext& ctx, const Tensor& cond, int64_t inner, const Tensor& then_t,
                              const Tensor& else_t, Tensor* out);
// out[r, c] = value[r, c] + bias[c] over the last dimension.
using BiasAddMath = Status (*)(OpKernelContext& ctx, const Tensor& value, const Tensor& bias, Tensor* out);
// Row-wise softmax over the last dimension (LogSoftmax with `log`).
using SoftmaxMath = Status (*)(OpKernelContext& ctx, const Tensor& x, bool log, Tensor* out);
// Softmax cross-entropy per row of logits [rows, classes] (rows, classes >= 1):
// loss [rows] and backprop [rows, classes]; labels dense (logits' shape and
// dtype) or sparse ([rows] of int32 or int64; the host half has checked the
// range when they are in host memory, else a row out of range is NaN).
struct XentArgs {
  const Tensor& logits;
  const Tensor& labels;
  bool sparse = false;
  Tensor* loss = nullptr;
  Tensor* backprop = nullptr;
};
using XentMath = Status (*)(OpKernelContext& ctx, const XentArgs& args);
// out (a scalar) = sum(x * x) / 2.
using L2LossMath = Status (*)(OpKernelContext& ctx, const Tensor& x, Tensor* out);

// `reduce[d]` marks the reduced dimensions of x; each output element combines
// `count` inputs (count = 0 for an empty input: Sum 0, Mean NaN/0, Max -inf...).
struct ReduceArgs {
  ReduceOp op;
  const Tensor& x;
  Tensor* out;
  const std::vector<bool>& reduce;
  int64_t count;
};
using ReduceMath = Status (*)(OpKernelContext& ctx, const ReduceArgs& args);
// x viewed as [outer, len, inner]; out[o, i] = argmax (or argmin) over len, the first wins.
using ArgMinMaxMath = Status (*)(OpKernelContext& ctx, const Tensor& x, const AxisSplit& split, bool arg_min,
                                 Tensor* out);

// out[i] = in[base + sum_d idx_d(i) * src_strides[d]], i row-major over
// `dims` (out's shape): Transpose, Slice, StridedSlice, Tile, Split.
// With dst_strides, out[dst_base + sum_d idx_d(i) * dst_strides[d]] instead:
// a box inside a larger output (Pad). Elements are moved as bytes. The host
// half collapses dims, so a backend sees few of them (at most 8 for Tile's
// doubled ranks up to rank 4, more only for irregular layouts).
struct GatherArgs {
  const Tensor& in;
  Tensor* out;
  std::vector<int64_t> dims, src_strides;
  int64_t base = 0;
  std::vector<int64_t> dst_strides;  // empty: out is written whole, row-major
  int64_t dst_base = 0;
};
using GatherMath = Status (*)(OpKernelContext& ctx, const GatherArgs& args);
// GatherV2: params viewed as [outer, n, inner], indices flat (int32 or
// int64): out[o, k, :] = params[o, indices[k], :]. An index outside [0, n):
// the CPU fails with TF's "indices[k] = v is not in [0, n)"; a GPU writes
// zeros there, as TF's GPU kernel does.
struct GatherRowsArgs {
  const Tensor& params;
  const Tensor& indices;
  Tensor* out;
  int64_t outer = 1, n = 0, inner = 1;
};
using GatherRowsMath = Status (*)(OpKernelContext& ctx, const GatherRowsArgs& args);
// UnsortedSegmentSum: data viewed as [k, inner] (k = segment_ids' elements),
// out as [num_segments, inner]; out[s, :] = the sum of data[j, :] over the j
// with segment_ids[j] == s (in the backend's memory; see SegmentSumTarget for
// ids out of range).
struct SegmentSumArgs {
  const Tensor& data;
  const Tensor& segment_ids;
  Tensor* out;
  int64_t num_segments = 0, inner = 1;
};
using SegmentSumMath = Status (*)(OpKernelContext& ctx, const SegmentSumArgs& args);
// OneHot: out viewed as [outer, depth, inner]; out[o, d, i] = indices[o, i]
// == d ? on : off, where `on` and `off` point at one host element of out's dtype.
struct OneHotArgs {
  const Tensor& indices;
  Tensor* out;
  int64_t outer = 1, depth = 0, inner = 1;
  const void* on = nullptr;
  const void* off = nullptr;
};
using OneHotMath = Status (*)(OpKernelContext& ctx, const OneHotArgs& args);
// Cumsum and Cumprod: x viewed as [outer, len, inner]; running sums (or
// products with `product`) along len, from the end with `reverse`, each
// excluding its own element with `exclusive`.
struct CumulativeArgs {
  bool product = false, exclusive = false, reverse = false;
};
using CumsumMath = Status (*)(OpKernelContext& ctx, const Tensor& x, const AxisSplit& split, CumulativeArgs how,
                              Tensor* out);
using ConcatMath = Status (*)(OpKernelContext& ctx, const std::vector<const Tensor*>& values, const ConcatGeometry& g,
                              Tensor* out);
// Every element of out set to the DataTypeSize(out->dtype()) bytes at `value` (a host pointer).
using FillMath = Status (*)(OpKernelContext& ctx, const void* value, Tensor* out);
// out filled with `dist` drawn from Philox at `start` (src/kernels/philox.h): TF's values bit for bit.
using RandomMath = Status (*)(OpKernelContext& ctx, random::Distribution dist, const random::PhiloxStart& start,
                              Tensor* out);
// next = value (kAssign), old + value (kAdd) or old - value (kSub); `old` is
// unset (invalid) for kAssign. next is freshly allocated with value's shape.
using AssignMath = Status (*)(OpKernelContext& ctx, AssignOp op, const Tensor& old, const Tensor& value, Tensor* next);
// An optimizer's update (src/kernels/apply_math.h), in place: vars[0] (the
// variable) and vars[1..slots] from grad, all of one shape and distinct
// buffers that nothing else can see (the host half copies a shared value
// first); `scalars` are the op's hyperparameters in its input order,
// one-element tensors on the device.
struct ApplyArgs {
  ApplyOp op;
  std::array<Tensor*, 3> vars{};
  const Tensor* grad = nullptr;
  std::vector<const Tensor*> scalars;
  bool nesterov = false;
};
using ApplyMath = Status (*)(OpKernelContext& ctx, const ApplyArgs& args);
// Convolution (NHWC) passes over the geometry `s` (every dim known, the
// output non-empty): kForward out = conv(a = input, b = filter);
// kBackpropInput out = d/d input from (a = filter, b = out_backprop);
// kBackpropFilter out = d/d filter from (a = input, b = out_backprop).
enum class ConvPass : uint8_t { kForward, kBackpropInput, kBackpropFilter };
struct ConvArgs {
  ConvPass pass = ConvPass::kForward;
  const WindowShape* s = nullptr;
  const Tensor* a = nullptr;
  const Tensor* b = nullptr;
  Tensor* out = nullptr;
};
using ConvMath = Status (*)(OpKernelContext& ctx, const ConvArgs& args);
// The geometry as the device-neutral math takes it (src/kernels/conv_math.h).
inline convmath::Dims ConvDimsOf(const WindowShape& s) {
  return {s.batch,         s.in_rows,   s.in_cols,     s.in_depth,    s.window_rows,
          s.window_cols,   s.out_depth, s.stride_rows, s.stride_cols, s.dilation_rows,
          s.dilation_cols, s.out_rows,  s.out_cols,    s.pad_top,     s.pad_left};
}
// Max or average pooling of `input` into out (forward), or, with `grad`
// (the pooled output's gradient), the input's gradient into out.
struct PoolArgs {
  bool max = true;
  const WindowShape* s = nullptr;
  const Tensor* input = nullptr;
  const Tensor* grad = nullptr;  // null: forward
  Tensor* out = nullptr;
};
using PoolMath = Status (*)(OpKernelContext& ctx, const PoolArgs& args);
// out[m, n] = op(a) op(b); k may be 0 (out is zeros).
using MatMulMath = Status (*)(OpKernelContext& ctx, const Tensor& a, const Tensor& b, bool transpose_a,
                              bool transpose_b, const MatMulDims& d, Tensor* out);

// One op's math and the dtypes it takes (its "T", or "dtype" for Random ops;
// Cast: both SrcT and DstT). No kernel when `math` is null.
template <typename Fn>
struct MathEntry {
  Fn math = nullptr;
  std::vector<DataType> types;
};

struct BackendKernels {
  DeviceType device_type = DeviceType::kCpu;
  // Const, Placeholder, Identity, Reshape (and NoOp): kernels that never
  // compute, for these dtypes; VariableV2 for variable_types.
  std::vector<DataType> passthrough_types;
  std::vector<DataType> variable_types;
  std::array<MathEntry<BinaryMath>, kNumBinaryOps> binary;
  std::array<MathEntry<UnaryMath>, kNumUnaryOps> unary;
  MathEntry<CastMath> cast;
  MathEntry<SelectMath> select;
  MathEntry<BiasAddMath> bias_add;
  MathEntry<SoftmaxMath> softmax;          // Softmax, LogSoftmax
  MathEntry<XentMath> xent;                // (Sparse)SoftmaxCrossEntropyWithLogits ("T")
  std::vector<DataType> xent_label_types;  // the sparse one's Tlabels
  MathEntry<L2LossMath> l2_loss;
  std::array<MathEntry<ReduceMath>, kNumReduceOps> reduce;
  MathEntry<ArgMinMaxMath> arg_min_max;            // ArgMax, ArgMin
  std::vector<DataType> arg_min_max_output_types;  // their output_type
  MathEntry<GatherMath> gather;                    // Transpose, Slice, StridedSlice, Tile, Pad, Split...
  MathEntry<GatherRowsMath> gather_rows;           // GatherV2 ("T"; indices: gather_rows_index_types)
  std::vector<DataType> gather_rows_index_types;
  MathEntry<SegmentSumMath> segment_sum;  // UnsortedSegmentSum ("T"; segment_ids: segment_sum_index_types)
  std::vector<DataType> segment_sum_index_types;
  MathEntry<OneHotMath> one_hot;  // OneHot ("T"; indices: one_hot_index_types)
  std::vector<DataType> one_hot_index_types;
  MathEntry<CumsumMath> cumsum;  // Cumsum, Cumprod
  MathEntry<ConcatMath> concat;
  MathEntry<FillMath> fill;      // Fill, ZerosLike, OnesLike
  MathEntry<RandomMath> random;  // RandomUniform, RandomStandardNormal, TruncatedNormal
  std::array<MathEntry<AssignMath>, kNumAssignOps> assign;
  MathEntry<MatMulMath> matmul;
  MathEntry<ApplyMath> apply;  // ApplyGradientDescent, ApplyMomentum, ApplyAdam, ApplyRMSProp
  MathEntry<ConvMath> conv;    // Conv2D, Conv2DBackpropInput, Conv2DBackpropFilter
  MathEntry<PoolMath> pool;    // MaxPool, AvgPool, MaxPoolGrad, AvgPoolGrad
  bool shape = false;          // Shape (it reads only the input's shape)
};

// Registers every op `b` supports. Fails on a conflicting registration.
Status RegisterBackendKernels(KernelRegistry& r, const BackendKernels& b);

}  // namespace tessera
