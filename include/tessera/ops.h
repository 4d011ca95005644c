// Op builders: one function per op, each adding a node to a Graph.
//
//   Output x = ops::Placeholder(g, DataType::kFloat, PartialShape{-1, 784}, "x");
//   Output y = ops::Relu(g, ops::BiasAdd(g, ops::MatMul(g, x, w), b));
//
// Every builder takes an optional trailing node name (default: the op's name,
// made unique). On failure (bad inputs, dtypes or shapes) a builder returns an
// invalid Output and records the error, which names the op, in g.status().
// Op types and attributes follow TensorFlow 1.x.
//
// Thread-safety: as Graph (one builder thread at a time).
#pragma once

#include <optional>
#include <string_view>
#include <utility>
#include <vector>

#include "tessera/graph.h"
#include "tessera/tensor.h"
#include "tessera/types.h"

namespace tessera::ops {

using Name = tessera::Name;  // the node name and the caller's source location (tessera/name.h)

// The data_format attribute of BiasAdd, convolution and pooling: channels
// last ("NHWC", the default of every builder) or first ("NCHW"). A separate
// overload takes it, so a name passed where the format would go stays a name.
enum class DataFormat : uint8_t { kNHWC, kNCHW };

// ---- Sources
Output Const(Graph& g, const Tensor& value, Name name = {});
template <typename T>
Output Const(Graph& g, T scalar, Name name = {}) {
  return Const(g, Tensor::Scalar<T>(scalar), name);
}
// Shape may be partial (PartialShape{-1, 3}) or unknown (the default).
Output Placeholder(Graph& g, DataType dtype, const PartialShape& shape = PartialShape(), Name name = {});
// `input` unless a value is fed (TF's tf.placeholder_with_default); `shape`
// may be less specific than the input's.
Output PlaceholderWithDefault(Graph& g, Output input, const PartialShape& shape, Name name = {});

// ---- Plumbing
Output Identity(Graph& g, Output x, Name name = {});
Operation NoOp(Graph& g, Name name = {});
// Groups ops: a NoOp with a control edge from each.
Operation Group(Graph& g, const std::vector<Operation>& ops, Name name = {});
// Prints `message` and the first `summarize` values of `x` to stderr when it
// runs, and passes x through. CPU only.
Output Print(Graph& g, Output x, std::string_view message = {}, int summarize = 3, Name name = {});

// ---- Elementwise math; binary ops broadcast with numpy rules.
Output Add(Graph& g, Output x, Output y, Name name = {});
Output Sub(Graph& g, Output x, Output y, Name name = {});
Output Mul(Graph& g, Output x, Output y, Name name = {});
// Integer division truncates toward zero; division by zero is an error.
Output Div(Graph& g, Output x, Output y, Name name = {});
// x / y for floating types (TF's RealDiv, tf.truediv).
Output RealDiv(Graph& g, Output x, Output y, Name name = {});
Output Maximum(Graph& g, Output x, Output y, Name name = {});
Output Minimum(Graph& g, Output x, Output y, Name name = {});
Output Pow(Graph& g, Output x, Output y, Name name = {});
// Python's // and %: the quotient rounds toward -inf, the remainder takes the
// divisor's sign (integer division by zero is an error).
Output FloorDiv(Graph& g, Output x, Output y, Name name = {});
Output FloorMod(Graph& g, Output x, Output y, Name name = {});
Output Neg(Graph& g, Output x, Name name = {});
Output Square(Graph& g, Output x, Name name = {});
Output Sqrt(Graph& g, Output x, Name name = {});
Output Exp(Graph& g, Output x, Name name = {});
Output Log(Graph& g, Output x, Name name = {});
Output Log1p(Graph& g, Output x, Name name = {});  // log(1 + x), exact for small x
Output Abs(Graph& g, Output x, Name name = {});
Output Tanh(Graph& g, Output x, Name name = {});
Output Sigmoid(Graph& g, Output x, Name name = {});
Output Relu(Graph& g, Output x, Name name = {});
// -1, 0 or 1 (numeric types; NaN stays NaN).
Output Sign(Graph& g, Output x, Name name = {});
// Floating point only, as the TF kernels this build has.
Output Floor(Graph& g, Output x, Name name = {});
Output Ceil(Graph& g, Output x, Name name = {});
Output Round(Graph& g, Output x, Name name = {});  // half to even, as TF
Output Rsqrt(Graph& g, Output x, Name name = {});
Output Reciprocal(Graph& g, Output x, Name name = {});
Output Cast(Graph& g, Output x, DataType to, Name name = {});

// max(min(t, clip_max), clip_min), as tf.clip_by_value builds it.
Output ClipByValue(Graph& g, Output t, Output clip_min, Output clip_max, Name name = {});
// x itself; marks it constant for gradients (tf.stop_gradient).
Output StopGradient(Graph& g, Output x, Name name = {});

// ---- Comparison and selection (outputs bool).
Output Equal(Graph& g, Output x, Output y, Name name = {});
Output Less(Graph& g, Output x, Output y, Name name = {});
Output Greater(Graph& g, Output x, Output y, Name name = {});
Output NotEqual(Graph& g, Output x, Output y, Name name = {});
Output GreaterEqual(Graph& g, Output x, Output y, Name name = {});
Output LessEqual(Graph& g, Output x, Output y, Name name = {});
// bool inputs only, as TF.
Output LogicalAnd(Graph& g, Output x, Output y, Name name = {});
Output LogicalOr(Graph& g, Output x, Output y, Name name = {});
Output LogicalNot(Graph& g, Output x, Name name = {});
// TF1 Select: `cond` is a scalar, has the shape of `t`, or is a vector over t's first dim.
Output Select(Graph& g, Output cond, Output t, Output e, Name name = {});

// ---- Linear algebra and NN
Output MatMul(Graph& g, Output a, Output b, bool transpose_a = false, bool transpose_b = false, Name name = {});
// value + bias along value's last dimension, or along dimension 1 with
// data_format "NCHW" (value of rank >= 3).
Output BiasAdd(Graph& g, Output value, Output bias, Name name = {});
Output BiasAdd(Graph& g, Output value, Output bias, DataFormat data_format, Name name = {});
// tf.add_n: the sum of tensors of one dtype and shape ("AddN"); one input is returned as it is.
Output AddN(Graph& g, const std::vector<Output>& inputs, Name name = {});
Output Softmax(Graph& g, Output logits, Name name = {});
Output LogSoftmax(Graph& g, Output logits, Name name = {});
// sum(t * t) / 2, a scalar (tf.nn.l2_loss).
Output L2Loss(Graph& g, Output t, Name name = {});
// The softmax cross-entropy of each row of `features` [batch, classes]:
// `loss` [batch] and `backprop` [batch, classes] (softmax - labels). Dense
// labels have the features' shape; sparse ones are class indices [batch]
// (int32 or int64; out of range: InvalidArgument on the CPU, NaN rows on a GPU).
struct XentOutputs {
  Output loss;
  Output backprop;
};
XentOutputs SoftmaxCrossEntropyWithLogits(Graph& g, Output features, Output labels, Name name = {});
// Element-wise logistic loss of logits against labels in [0, 1] of the same
// shape (tf.nn.sigmoid_cross_entropy_with_logits, a composite as in TF).
Output SigmoidCrossEntropyWithLogits(Graph& g, Output labels, Output logits, Name name = {});
XentOutputs SparseSoftmaxCrossEntropyWithLogits(Graph& g, Output features, Output labels, Name name = {});
// The gradient ops, TF's argument order: dy where features > 0; dy * (1 - y^2);
// dy * y * (1 - y); dy summed over every axis but the last.
Output ReluGrad(Graph& g, Output gradients, Output features, Name name = {});
Output TanhGrad(Graph& g, Output y, Output dy, Name name = {});
Output SigmoidGrad(Graph& g, Output y, Output dy, Name name = {});
Output BiasAddGrad(Graph& g, Output out_backprop, Name name = {});
Output BiasAddGrad(Graph& g, Output out_backprop, DataFormat data_format, Name name = {});

// ---- Reductions over `axes` (negative axes count from the end; empty = all).
Output Sum(Graph& g, Output x, const std::vector<int32_t>& axes = {}, bool keep_dims = false, Name name = {});
Output Mean(Graph& g, Output x, const std::vector<int32_t>& axes = {}, bool keep_dims = false, Name name = {});
Output Max(Graph& g, Output x, const std::vector<int32_t>& axes = {}, bool keep_dims = false, Name name = {});
Output Min(Graph& g, Output x, const std::vector<int32_t>& axes = {}, bool keep_dims = false, Name name = {});
Output Prod(Graph& g, Output x, const std::vector<int32_t>& axes = {}, bool keep_dims = false, Name name = {});
// bool inputs only (tf.reduce_all, tf.reduce_any).
Output All(Graph& g, Output x, const std::vector<int32_t>& axes = {}, bool keep_dims = false, Name name = {});
Output Any(Graph& g, Output x, const std::vector<int32_t>& axes = {}, bool keep_dims = false, Name name = {});
// Tensor forms: the axes come from an int32/int64 tensor (which may be fed).
Output SumAlong(Graph& g, Output x, Output axes, bool keep_dims = false, Name name = {});
Output MeanAlong(Graph& g, Output x, Output axes, bool keep_dims = false, Name name = {});
// The index of the largest (smallest) value along `axis`; the first one wins a tie.
Output ArgMax(Graph& g, Output x, int32_t axis, DataType output_type = DataType::kInt64, Name name = {});
Output ArgMin(Graph& g, Output x, int32_t axis, DataType output_type = DataType::kInt64, Name name = {});

// ---- Shapes and layout
Output Reshape(Graph& g, Output x, const std::vector<int64_t>& shape, Name name = {});
Output Reshape(Graph& g, Output x, Output shape, Name name = {});
Output Transpose(Graph& g, Output x, const std::vector<int32_t>& perm = {}, Name name = {});
Output Shape(Graph& g, Output x, DataType out_type = DataType::kInt32, Name name = {});
// The axes over which each of two broadcast operands' gradients is summed,
// from their shapes (int32 or int64 vectors): {r0, r1}, as TF's gradients use
// (empty when the op could not be added; the error is in g.status()).
std::vector<Output> BroadcastGradientArgs(Graph& g, Output s0, Output s1, Name name = {});
Output Fill(Graph& g, const std::vector<int64_t>& dims, const Tensor& scalar_value, Name name = {});
Output Fill(Graph& g, Output dims, Output value, Name name = {});
Output ZerosLike(Graph& g, Output x, Name name = {});
Output OnesLike(Graph& g, Output x, Name name = {});
Output Concat(Graph& g, const std::vector<Output>& values, int32_t axis, Name name = {});
// A dimension of 1 inserted at `axis` (-rank-1 <= axis <= rank).
Output ExpandDims(Graph& g, Output x, int32_t axis, Name name = {});
// The dimensions of size 1 listed in `axes` removed (all of them when empty).
Output Squeeze(Graph& g, Output x, const std::vector<int64_t>& axes = {}, Name name = {});
Output Size(Graph& g, Output x, DataType out_type = DataType::kInt32, Name name = {});
Output Rank(Graph& g, Output x, Name name = {});
// Stacks values of one shape along a new dimension (TF's tf.stack: op Pack).
Output Stack(Graph& g, const std::vector<Output>& values, int64_t axis = 0, Name name = {});
// x's slices along `axis` (tf.unstack: op Unpack); that dimension must be
// known when the graph is built. Empty (and an error recorded) on failure.
std::vector<Output> Unstack(Graph& g, Output x, int64_t axis = 0, Name name = {});
// x repeated multiples[i] times along each dimension i (tf.tile).
Output Tile(Graph& g, Output x, const std::vector<int64_t>& multiples, Name name = {});
// x with paddings[i] = (before, after) elements added around dimension i
// (tf.pad, mode CONSTANT): zeros (op Pad), or `constant_value` when it is
// given (a scalar of x's dtype; op PadV2).
Output Pad(Graph& g, Output x, const std::vector<std::pair<int64_t, int64_t>>& paddings,
           const Tensor& constant_value = Tensor(), Name name = {});
// x cut along `axis` into num_split equal parts (tf.split with a number: op
// Split), or into parts of `sizes`, one of which may be -1 (tf.split with a
// list: op SplitV). Empty (and an error recorded) on failure.
std::vector<Output> Split(Graph& g, Output x, int64_t num_split, int64_t axis = 0, Name name = {});
std::vector<Output> SplitV(Graph& g, Output x, const std::vector<int64_t>& sizes, int64_t axis = 0, Name name = {});

// StridedSlice's masks: bit i refers to entry i of begin/end/strides.
struct StridedSliceMasks {
  int64_t begin_mask = 0;        // ignore begin[i]: from the start of the dimension
  int64_t end_mask = 0;          // ignore end[i]: to the end of the dimension
  int64_t ellipsis_mask = 0;     // entry i is "...": as many whole dimensions as needed
  int64_t new_axis_mask = 0;     // entry i inserts a dimension of 1
  int64_t shrink_axis_mask = 0;  // entry i is one index: the dimension is dropped
};
Output StridedSlice(Graph& g, Output x, const std::vector<int64_t>& begin, const std::vector<int64_t>& end,
                    const std::vector<int64_t>& strides, const StridedSliceMasks& masks = {}, Name name = {});
// The gradient of StridedSlice: dy (the slice's shape) written where the
// slice of a tensor of `shape` came from, zeros elsewhere; the same begin,
// end, strides and masks (TF's StridedSliceGrad).
Output StridedSliceGrad(Graph& g, Output shape, Output begin, Output end, Output strides, Output dy,
                        const StridedSliceMasks& masks = {}, Name name = {});

// One entry of a slicing expression, for Index():
//   x[1]          ->  {1}
//   x[:, 1]       ->  {SliceIndex::All(), 1}
//   x[::-1, 1:]   ->  {SliceIndex::Range({}, {}, -1), SliceIndex::Range(1, {})}
//   x[..., None]  ->  {SliceIndex::Ellipsis(), SliceIndex::NewAxis()}
struct SliceIndex {
  enum class Kind { kIndex, kRange, kNewAxis, kEllipsis };
  SliceIndex(int64_t index) : kind(Kind::kIndex), begin(index) {}  // NOLINT: x[i] reads as i
  static SliceIndex Range(std::optional<int64_t> begin, std::optional<int64_t> end, int64_t step = 1) {
    SliceIndex s(0);
    s.kind = Kind::kRange;
    s.begin = begin;
    s.end = end;
    s.step = step;
    return s;
  }
  static SliceIndex All() { return Range(std::nullopt, std::nullopt); }
  static SliceIndex NewAxis() {
    SliceIndex s(0);
    s.kind = Kind::kNewAxis;
    return s;
  }
  static SliceIndex Ellipsis() {
    SliceIndex s(0);
    s.kind = Kind::kEllipsis;
    return s;
  }
  Kind kind;
  std::optional<int64_t> begin, end;
  int64_t step = 1;
};
// x[spec...] as Python slices a tensor: one StridedSlice named "strided_slice".
Output Index(Graph& g, Output x, const std::vector<SliceIndex>& spec, Name name = {});

// params' slices along `axis` picked by `indices` (int32/int64; tf.gather: op GatherV2).
Output Gather(Graph& g, Output params, Output indices, int64_t axis = 0, Name name = {});
// One-hot vectors of length `depth` along `axis` (-1: last) for `indices`
// (tf.one_hot); on_value and off_value are scalars of the output's dtype.
Output OneHot(Graph& g, Output indices, int32_t depth, const Tensor& on_value = Tensor::Scalar(1.0f),
              const Tensor& off_value = Tensor::Scalar(0.0f), int64_t axis = -1, Name name = {});
// start, start + delta, ... up to (not including) limit (tf.range); scalars of one dtype.
Output Range(Graph& g, Output start, Output limit, Output delta, Name name = {});
Output Range(Graph& g, double start, double limit, double delta = 1, DataType dtype = DataType::kInt32, Name name = {});
// out[s, ...] = the sum of data[j..., ...] over the positions j of
// segment_ids (which start data's shape) holding s, for s in [0,
// num_segments) (tf.math.unsorted_segment_sum). Negative ids are dropped; ids
// >= num_segments fail on the CPU and are dropped on a GPU, as in TF.
Output UnsortedSegmentSum(Graph& g, Output data, Output segment_ids, Output num_segments, Name name = {});
Output UnsortedSegmentSum(Graph& g, Output data, Output segment_ids, int64_t num_segments, Name name = {});
// Running sums along `axis` (tf.cumsum).
Output Cumsum(Graph& g, Output x, int32_t axis = 0, bool exclusive = false, bool reverse = false, Name name = {});
// Running products along `axis` (tf.math.cumprod).
Output Cumprod(Graph& g, Output x, int32_t axis = 0, bool exclusive = false, bool reverse = false, Name name = {});
// condition ? x : y element-wise, the three broadcast together (tf.where in
// TF2, tf.compat.v1.where_v2: op SelectV2). Select() is TF1's tf.where.
Output Where(Graph& g, Output condition, Output x, Output y, Name name = {});
// The coordinates of condition's true (non-zero) elements in row-major order,
// an int64 [n, rank] (tf.where with one argument: op Where; CPU only).
Output Where(Graph& g, Output condition, Name name = {});
// Zeros or ones of `dtype` in `dims` (a Fill named "zeros"/"ones", as tf.zeros).
Output Zeros(Graph& g, const std::vector<int64_t>& dims, DataType dtype = DataType::kFloat, Name name = {});
Output Ones(Graph& g, const std::vector<int64_t>& dims, DataType dtype = DataType::kFloat, Name name = {});
// size -1 means "to the end of that dimension".
Output Slice(Graph& g, Output x, const std::vector<int64_t>& begin, const std::vector<int64_t>& size, Name name = {});

// ---- Convolution and pooling (TF's tf.nn.conv2d, max_pool, avg_pool):
// input [batch, rows, cols, depth] ("NHWC") or [batch, depth, rows, cols]
// ("NCHW", on every device), filter [rows, cols, in_depth, out_depth],
// strides/ksize/dilations of 4 entries in data_format's order (1 for batch
// and depth), padding "SAME" or "VALID". The gradient ops take TF's
// arguments (sizes as int32 vectors).
Output Conv2D(Graph& g, Output input, Output filter, const std::vector<int64_t>& strides, const std::string& padding,
              const std::vector<int64_t>& dilations = {1, 1, 1, 1}, Name name = {});
Output Conv2DBackpropInput(Graph& g, Output input_sizes, Output filter, Output out_backprop,
                           const std::vector<int64_t>& strides, const std::string& padding,
                           const std::vector<int64_t>& dilations = {1, 1, 1, 1}, Name name = {});
Output Conv2DBackpropFilter(Graph& g, Output input, Output filter_sizes, Output out_backprop,
                            const std::vector<int64_t>& strides, const std::string& padding,
                            const std::vector<int64_t>& dilations = {1, 1, 1, 1}, Name name = {});
Output MaxPool(Graph& g, Output value, const std::vector<int64_t>& ksize, const std::vector<int64_t>& strides,
               const std::string& padding, Name name = {});
Output AvgPool(Graph& g, Output value, const std::vector<int64_t>& ksize, const std::vector<int64_t>& strides,
               const std::string& padding, Name name = {});
Output MaxPoolGrad(Graph& g, Output orig_input, Output orig_output, Output grad, const std::vector<int64_t>& ksize,
                   const std::vector<int64_t>& strides, const std::string& padding, Name name = {});
Output AvgPoolGrad(Graph& g, Output orig_input_shape, Output grad, const std::vector<int64_t>& ksize,
                   const std::vector<int64_t>& strides, const std::string& padding, Name name = {});
// The same with data_format (DataFormat::kNCHW: images [batch, depth, rows, cols]).
Output Conv2D(Graph& g, Output input, Output filter, const std::vector<int64_t>& strides, const std::string& padding,
              const std::vector<int64_t>& dilations, DataFormat data_format, Name name = {});
Output Conv2DBackpropInput(Graph& g, Output input_sizes, Output filter, Output out_backprop,
                           const std::vector<int64_t>& strides, const std::string& padding,
                           const std::vector<int64_t>& dilations, DataFormat data_format, Name name = {});
Output Conv2DBackpropFilter(Graph& g, Output input, Output filter_sizes, Output out_backprop,
                            const std::vector<int64_t>& strides, const std::string& padding,
                            const std::vector<int64_t>& dilations, DataFormat data_format, Name name = {});
Output MaxPool(Graph& g, Output value, const std::vector<int64_t>& ksize, const std::vector<int64_t>& strides,
               const std::string& padding, DataFormat data_format, Name name = {});
Output AvgPool(Graph& g, Output value, const std::vector<int64_t>& ksize, const std::vector<int64_t>& strides,
               const std::string& padding, DataFormat data_format, Name name = {});
Output MaxPoolGrad(Graph& g, Output orig_input, Output orig_output, Output grad, const std::vector<int64_t>& ksize,
                   const std::vector<int64_t>& strides, const std::string& padding, DataFormat data_format,
                   Name name = {});
Output AvgPoolGrad(Graph& g, Output orig_input_shape, Output grad, const std::vector<int64_t>& ksize,
                   const std::vector<int64_t>& strides, const std::string& padding, DataFormat data_format,
                   Name name = {});

// ---- The optimizers' fused updates (TF's raw ops). `var` and the slots are
// variable refs (Variable::ref()); the others are scalars but the gradient.
// Each returns the variable's new value. (train::*Optimizer builds these.)
Output ApplyGradientDescent(Graph& g, Output var, Output alpha, Output delta, bool use_locking = false, Name name = {});
Output ApplyMomentum(Graph& g, Output var, Output accum, Output lr, Output grad, Output momentum,
                     bool use_locking = false, bool use_nesterov = false, Name name = {});
Output ApplyAdam(Graph& g, Output var, Output m, Output v, Output beta1_power, Output beta2_power, Output lr,
                 Output beta1, Output beta2, Output epsilon, Output grad, bool use_locking = false,
                 bool use_nesterov = false, Name name = {});
Output ApplyRMSProp(Graph& g, Output var, Output ms, Output mom, Output lr, Output rho, Output momentum, Output epsilon,
                    Output grad, bool use_locking = false, Name name = {});

// ---- Random numbers, TensorFlow's values bit for bit for the same seeds.
// The seed of a random op, as TF1's `seed=` argument: unset (the graph seed,
// if any, decides; see Graph::DeriveSeeds), an op seed (an integer), or the
// op's two attributes as is (Seed::Attrs). A seeded op draws the same
// sequence in every new session; each Run of it continues the sequence.
class Seed {
 public:
  Seed() = default;
  Seed(int64_t op_seed) : op_seed_(op_seed) {}  // NOLINT: an integer is an op seed, as in TF
  static Seed Attrs(int64_t seed, int64_t seed2) {
    Seed s;
    s.attrs_ = {seed, seed2};
    return s;
  }
  // The (seed, seed2) attributes for an op made now in `g`.
  std::pair<int64_t, int64_t> Resolve(Graph& g) const { return attrs_ ? *attrs_ : g.DeriveSeeds(op_seed_); }

 private:
  std::optional<int64_t> op_seed_;
  std::optional<std::pair<int64_t, int64_t>> attrs_;
};
// [0, 1): "random_uniform/RandomUniform" (TF's tf.random_uniform).
Output RandomUniform(Graph& g, const std::vector<int64_t>& shape, DataType dtype = DataType::kFloat, Seed seed = {},
                     Name name = {});
// The same, for a shape known when it runs (an int32/int64 vector tensor).
Output RandomUniform(Graph& g, Output shape, DataType dtype = DataType::kFloat, Seed seed = {}, Name name = {});
// TF1's tf.nn.dropout(x, keep_prob, seed=) as TF 2.21 builds it, under the
// name scope "dropout": each element kept with probability keep_prob and
// scaled by 1 / keep_prob, else 0 (SelectV2 of RandomUniform(Shape(x)) >=
// 1 - keep_prob); the same values as TF for the same seeds. A number
// outside (0, 1] is an error; keep_prob = 1 returns x. A tensor keep_prob
// (a placeholder, fed 1.0 at test time) is a scalar of x's dtype.
Output Dropout(Graph& g, Output x, double keep_prob, Seed seed = {}, Name name = {});
Output Dropout(Graph& g, Output x, Output keep_prob, Seed seed = {}, Name name = {});
// RandomStandardNormal * stddev + mean, named as tf.random_normal names it
// ("random_normal/RandomStandardNormal", ".../mul", "random_normal").
Output RandomNormal(Graph& g, const std::vector<int64_t>& shape, DataType dtype = DataType::kFloat, double mean = 0.0,
                    double stddev = 1.0, Seed seed = {}, Name name = {});
// TruncatedNormal (standard normal values with |x| < 2, redrawn otherwise)
// * stddev + mean, as tf.truncated_normal.
Output TruncatedNormal(Graph& g, const std::vector<int64_t>& shape, DataType dtype = DataType::kFloat,
                       double mean = 0.0, double stddev = 1.0, Seed seed = {}, Name name = {});

// ---- Variables (see tessera/variable.h for the Variable class).
// `ref` must be a variable (the output of a VariableV2 node).
Output Assign(Graph& g, Output ref, Output value, Name name = {});
Output AssignAdd(Graph& g, Output ref, Output value, Name name = {});
Output AssignSub(Graph& g, Output ref, Output value, Name name = {});

// ---- Checkpoints (TF's V2 format; CPU kernels only). train::Saver builds
// these; they are here for graphs that save and restore by hand.
// Writes `tensors` under `tensor_names` (a string vector) to the bundle at
// `prefix` (a string scalar). shape_and_slices: "" per tensor.
Operation SaveV2(Graph& g, Output prefix, Output tensor_names, Output shape_and_slices,
                 const std::vector<Output>& tensors, Name name = {});
// Reads the tensors named `tensor_names` from the bundle at `prefix`, one
// output per dtype; each must be saved with that dtype.
std::vector<Output> RestoreV2(Graph& g, Output prefix, Output tensor_names, Output shape_and_slices,
                              const std::vector<DataType>& dtypes, Name name = {});
// A bool scalar: has the variable `ref` a value (TF's is_variable_initialized).
Output IsVariableInitialized(Graph& g, Output ref, Name name = {});

}  // namespace tessera::ops
