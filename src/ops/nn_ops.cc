// NN ops: BiasAdd, Softmax, LogSoftmax, Relu, the softmax cross-entropies,
// L2Loss, and the activations' gradient ops.
#include "src/framework/op_registry.h"
#include "src/ops/builder.h"

namespace tessera {
namespace {

using ops_internal::Build;
using ops_internal::OpName;

// BiasAdd's and BiasAddGrad's data_format ("NHWC" by default): whether the
// bias runs along dimension 1 ("NCHW", then the value has rank >= 3).
StatusOr<bool> BiasChannelsFirst(InferenceContext& c) {
  std::string format = "NHWC";
  if (const auto* f = c.attr<std::string>("data_format")) format = *f;
  if (format != "NHWC" && format != "NCHW") {
    return c.Error("Value for attr 'data_format' of \"" + format +
                   "\" is not in the list of allowed values: \"NHWC\", \"NCHW\"");
  }
  c.SetAttr("data_format", format);
  const bool first = format == "NCHW";
  TESSERA_RETURN_IF_ERROR(c.ExpectMinRank(0, first ? 3 : 2));
  return first;
}

Status BiasAddShape(InferenceContext& c) {
  DataType dt = DataType::kInvalid;
  TESSERA_RETURN_IF_ERROR(c.ExpectSameTypes(0, 2, &dt));
  TESSERA_RETURN_IF_ERROR(
      c.ExpectTypeIn(dt, {DataType::kFloat, DataType::kDouble, DataType::kInt32, DataType::kInt64}, "Input 0"));
  c.SetAttr("T", dt);
  TESSERA_ASSIGN_OR_RETURN(const bool first, BiasChannelsFirst(c));
  TESSERA_RETURN_IF_ERROR(c.ExpectRank(1, 1));
  PartialShape v = c.input_shape(0), b = c.input_shape(1);
  if (v.known_rank() && b.known_rank()) {
    int64_t last = v.dim(first ? 1 : v.rank() - 1), nb = b.dim(0);
    if (last >= 0 && nb >= 0 && last != nb) {
      return c.Error("Dimensions must be equal, but are " + std::to_string(last) + " and " + std::to_string(nb));
    }
  }
  c.AddOutput(dt, v);
  return Status::OK();
}

Status SoftmaxShape(InferenceContext& c) {
  TESSERA_RETURN_IF_ERROR(c.ExpectTypeIn(c.input_type(0), {DataType::kFloat, DataType::kDouble}, "logits"));
  c.SetAttr("T", c.input_type(0));
  TESSERA_RETURN_IF_ERROR(c.ExpectMinRank(0, 1));
  c.AddOutput(c.input_type(0), c.input_shape(0));
  return Status::OK();
}

Status ReluShape(InferenceContext& c) {
  TESSERA_RETURN_IF_ERROR(c.ExpectTypeIn(
      c.input_type(0), {DataType::kFloat, DataType::kDouble, DataType::kInt32, DataType::kInt64}, "features"));
  c.SetAttr("T", c.input_type(0));
  c.AddOutput(c.input_type(0), c.input_shape(0));
  return Status::OK();
}

constexpr DataType F32 = DataType::kFloat, F64 = DataType::kDouble;

// ReluGrad/TanhGrad/SigmoidGrad: two float tensors of one shape.
Status ActivationGradShape(InferenceContext& c) {
  DataType dt = DataType::kInvalid;
  TESSERA_RETURN_IF_ERROR(c.ExpectSameTypes(0, 2, &dt));
  TESSERA_RETURN_IF_ERROR(c.ExpectTypeIn(dt, {F32, F64}, "T"));
  c.SetAttr("T", dt);
  PartialShape merged;
  TESSERA_RETURN_IF_ERROR(c.MergeInputShapes(0, 2, &merged));
  c.AddOutput(dt, merged);
  return Status::OK();
}

// BiasAddGrad: out_backprop of rank >= 2 -> its last dimension (NCHW: rank
// >= 3 -> dimension 1).
Status BiasAddGradShape(InferenceContext& c) {
  const DataType dt = c.input_type(0);
  TESSERA_RETURN_IF_ERROR(c.ExpectTypeIn(dt, {F32, F64, DataType::kInt32, DataType::kInt64}, "T"));
  c.SetAttr("T", dt);
  TESSERA_ASSIGN_OR_RETURN(const bool first, BiasChannelsFirst(c));
  const PartialShape s = c.input_shape(0);
  c.AddOutput(dt, s.known_rank() ? PartialShape({s.dim(first ? 1 : s.rank() - 1)}) : PartialShape({-1}));
  return Status::OK();
}

Status L2LossShape(InferenceContext& c) {
  TESSERA_RETURN_IF_ERROR(c.ExpectTypeIn(c.input_type(0), {F32, F64}, "t"));
  c.SetAttr("T", c.input_type(0));
  c.AddOutput(c.input_type(0), PartialShape({}));
  return Status::OK();
}

// (Sparse)SoftmaxCrossEntropyWithLogits: features [batch, classes] and labels
// of that shape (dense) or [batch] of int32/int64 (sparse) -> loss [batch],
// backprop [batch, classes].
Status XentShape(InferenceContext& c, bool sparse) {
  const DataType dt = c.input_type(0);
  TESSERA_RETURN_IF_ERROR(c.ExpectTypeIn(dt, {F32, F64}, "features"));
  c.SetAttr("T", dt);
  TESSERA_RETURN_IF_ERROR(c.ExpectRank(0, 2));
  PartialShape f = c.input_shape(0);
  if (sparse) {
    const DataType lt = c.input_type(1);
    TESSERA_RETURN_IF_ERROR(c.ExpectTypeIn(lt, {DataType::kInt32, DataType::kInt64}, "labels"));
    c.SetAttr("Tlabels", lt);
    TESSERA_RETURN_IF_ERROR(c.ExpectRank(1, 1));
    const PartialShape l = c.input_shape(1);
    if (f.known_rank() && l.known_rank()) {
      if (f.dim(0) >= 0 && l.dim(0) >= 0 && f.dim(0) != l.dim(0)) {
        return c.Error("Dimensions must be equal, but are " + std::to_string(f.dim(0)) + " and " +
                       std::to_string(l.dim(0)));
      }
      if (f.dim(0) < 0) f = PartialShape({l.dim(0), f.dim(1)});
    }
  } else {
    DataType same;
    TESSERA_RETURN_IF_ERROR(c.ExpectSameTypes(0, 2, &same));
    TESSERA_RETURN_IF_ERROR(c.ExpectRank(1, 2));
    TESSERA_RETURN_IF_ERROR(c.MergeInputShapes(0, 2, &f));
  }
  c.AddOutput(dt, f.known_rank() ? PartialShape({f.dim(0)}) : PartialShape({-1}));
  c.AddOutput(dt, f.known_rank() ? f : PartialShape({-1, -1}));
  return Status::OK();
}

}  // namespace

void RegisterNnOps(OpRegistry& r) {
  for (const char* op : {"ReluGrad", "TanhGrad", "SigmoidGrad"}) {
    r.Register(OpDef(op).Inputs(2).TypeAttr("T").SetShapeFn(ActivationGradShape));
  }
  r.Register(OpDef("BiasAddGrad").Inputs(1).TypeAttr("T").SetShapeFn(BiasAddGradShape));
  r.Register(OpDef("LogSoftmax").Inputs(1).TypeAttr("T").SetShapeFn(SoftmaxShape));
  r.Register(OpDef("L2Loss").Inputs(1).TypeAttr("T").SetShapeFn(L2LossShape));
  r.Register(OpDef("SoftmaxCrossEntropyWithLogits").Inputs(2).TypeAttr("T").SetShapeFn([](InferenceContext& c) {
    return XentShape(c, false);
  }));
  r.Register(OpDef("SparseSoftmaxCrossEntropyWithLogits")
                 .Inputs(2)
                 .TypeAttr("T")
                 .TypeAttr("Tlabels")
                 .SetShapeFn([](InferenceContext& c) { return XentShape(c, true); }));
  r.Register(OpDef("BiasAdd").Inputs(2).TypeAttr("T").SetShapeFn(BiasAddShape));
  r.Register(OpDef("Softmax").Inputs(1).TypeAttr("T").SetShapeFn(SoftmaxShape));
  r.Register(OpDef("Relu").Inputs(1).TypeAttr("T").SetShapeFn(ReluShape));
}

namespace ops {
Output BiasAdd(Graph& g, Output value, Output bias, DataFormat data_format, Name name) {
  return Build(g, "BiasAdd", OpName(name, "BiasAdd"), {value, bias},
               AttrMap{{"data_format", std::string(data_format == DataFormat::kNCHW ? "NCHW" : "NHWC")}});
}
Output BiasAdd(Graph& g, Output value, Output bias, Name name) {
  return BiasAdd(g, value, bias, DataFormat::kNHWC, std::move(name));
}
Output Softmax(Graph& g, Output logits, Name name) { return Build(g, "Softmax", OpName(name, "Softmax"), {logits}); }
Output Relu(Graph& g, Output x, Name name) { return Build(g, "Relu", OpName(name, "Relu"), {x}); }
Output LogSoftmax(Graph& g, Output logits, Name name) {
  return Build(g, "LogSoftmax", OpName(name, "LogSoftmax"), {logits});
}
Output ReluGrad(Graph& g, Output gradients, Output features, Name name) {
  return Build(g, "ReluGrad", OpName(name, "ReluGrad"), {gradients, features});
}
Output TanhGrad(Graph& g, Output y, Output dy, Name name) {
  return Build(g, "TanhGrad", OpName(name, "TanhGrad"), {y, dy});
}
Output SigmoidGrad(Graph& g, Output y, Output dy, Name name) {
  return Build(g, "SigmoidGrad", OpName(name, "SigmoidGrad"), {y, dy});
}
Output BiasAddGrad(Graph& g, Output out_backprop, DataFormat data_format, Name name) {
  return Build(g, "BiasAddGrad", OpName(name, "BiasAddGrad"), {out_backprop},
               AttrMap{{"data_format", std::string(data_format == DataFormat::kNCHW ? "NCHW" : "NHWC")}});
}
Output BiasAddGrad(Graph& g, Output out_backprop, Name name) {
  return BiasAddGrad(g, out_backprop, DataFormat::kNHWC, std::move(name));
}
Output L2Loss(Graph& g, Output t, Name name) { return Build(g, "L2Loss", OpName(name, "L2Loss"), {t}); }

namespace {
XentOutputs BuildXent(Graph& g, const char* op, Output features, Output labels, std::string_view name) {
  Output loss = Build(g, op, OpName(name, op), {features, labels});
  if (!loss.valid()) return {};
  return {loss, Output(loss.node(), 1)};
}
}  // namespace

// TF's composite, under the scope "logistic_loss": max(x, 0) - x * z +
// log1p(exp(-|x|)), stable for logits of any size.
Output SigmoidCrossEntropyWithLogits(Graph& g, Output labels, Output logits, Name name) {
  if (!labels.valid() || !logits.valid()) return Output();
  const PartialShape a = logits.shape(), b = labels.shape();
  bool same = !a.known_rank() || !b.known_rank() || a.rank() == b.rank();
  for (int i = 0; same && a.known_rank() && b.known_rank() && i < a.rank(); ++i) {
    same = a.dim(i) < 0 || b.dim(i) < 0 || a.dim(i) == b.dim(i);
  }
  if (!same) {
    g.RecordError(InvalidArgumentError("`logits` and `labels` must have the same shape, received (" + a.DebugString() +
                                       " vs " + b.DebugString() + ")."));
    return Output();
  }
  auto scope = g.NameScope(name.empty() ? "logistic_loss" : std::string(name));
  const std::string loss_name = g.CurrentNameScope();  // the sum is named as the scope, as in TF
  Output zeros = ZerosLike(g, logits, "zeros_like");
  Output positive = GreaterEqual(g, logits, zeros);
  Output relu_logits = Select(g, positive, logits, zeros);
  Output neg_abs_logits = Select(g, positive, Neg(g, logits), logits);
  Output linear = Sub(g, relu_logits, Mul(g, logits, labels));
  return ops_internal::BuildFinal(g, "AddV2", loss_name, {linear, Log1p(g, Exp(g, neg_abs_logits))});
}

XentOutputs SoftmaxCrossEntropyWithLogits(Graph& g, Output features, Output labels, Name name) {
  return BuildXent(g, "SoftmaxCrossEntropyWithLogits", features, labels, name);
}
XentOutputs SparseSoftmaxCrossEntropyWithLogits(Graph& g, Output features, Output labels, Name name) {
  return BuildXent(g, "SparseSoftmaxCrossEntropyWithLogits", features, labels, name);
}
}  // namespace ops
}  // namespace tessera
