// The host halves of BiasAdd, BiasAddGrad, Softmax, LogSoftmax, L2Loss and
// the softmax cross-entropies.
#include "src/framework/tensor_util.h"
#include "src/kernels/broadcast.h"
#include "src/kernels/kernel_families.h"

namespace tessera {
namespace {

bool ChannelsFirst(const Node& node) {
  const auto* f = node.attr<std::string>("data_format");
  return f != nullptr && *f == "NCHW";
}

// BiasAdd: the backend's row-wise add (channels last), or its broadcasting
// Add of the bias as [C, 1, ...] (NCHW).
class BiasAddOp : public OpKernel {
 public:
  BiasAddOp(const Node& node, BiasAddMath math, BinaryMath add)
      : OpKernel(node), math_(math), add_(add), channels_first_(ChannelsFirst(node)) {}
  Status Compute(OpKernelContext& ctx) const override {
    const Tensor& v = ctx.input(0);
    const Tensor& b = ctx.input(1);
    TESSERA_ASSIGN_OR_RETURN(const int axis, BiasAddChannelAxis(v.shape(), b.shape(), channels_first_));
    Tensor* out;
    TESSERA_RETURN_IF_ERROR(ctx.allocate_output(0, v.shape(), &out));
    if (v.num_elements() == 0) return Status::OK();
    if (axis == v.rank() - 1) return math_(ctx, v, b, out);
    if (add_ == nullptr) return UnimplementedError("BiasAdd has no NCHW path on this device");
    std::vector<int64_t> column(static_cast<size_t>(v.rank() - axis), 1);
    column[0] = b.dim(0);
    TESSERA_ASSIGN_OR_RETURN(const Tensor bias, b.Reshaped(TensorShape(column)));
    TESSERA_ASSIGN_OR_RETURN(const BroadcastGeometry geometry, ComputeBroadcast(v.shape(), bias.shape()));
    return add_(ctx, BinaryArgs{BinaryOp::kAdd, v, bias, out, 1, 1, &geometry});
  }

 private:
  BiasAddMath math_;
  BinaryMath add_;
  bool channels_first_;
};

// BiasAddGrad: out[c] = sum of out_backprop over every axis but the bias's,
// through the backend's Sum.
class BiasAddGradOp : public OpKernel {
 public:
  BiasAddGradOp(const Node& node, ReduceMath sum) : OpKernel(node), sum_(sum), channels_first_(ChannelsFirst(node)) {}
  Status Compute(OpKernelContext& ctx) const override {
    const Tensor& dy = ctx.input(0);
    if (dy.rank() < 2) return InvalidArgumentError("Input tensor must be at least 2D: " + dy.shape().DebugString());
    const int axis = channels_first_ && dy.rank() >= 3 ? 1 : dy.rank() - 1;
    const int64_t c = dy.dim(axis);
    Tensor* out;
    TESSERA_RETURN_IF_ERROR(ctx.allocate_output(0, TensorShape{c}, &out));
    if (c == 0) return Status::OK();
    const int64_t rows = dy.num_elements() / c;
    int64_t outer = 1, inner = 1;
    for (int d = 0; d < dy.rank(); ++d) (d < axis ? outer : inner) *= d == axis ? 1 : dy.dim(d);
    // [outer, c, inner]; inner is 1 for channels last.
    TESSERA_ASSIGN_OR_RETURN(const Tensor view, dy.Reshaped(TensorShape{outer, c, inner}));
    const std::vector<bool> reduce = {true, false, true};
    return sum_(ctx, ReduceArgs{ReduceOp::kSum, view, out, reduce, rows});
  }

 private:
  ReduceMath sum_;
  bool channels_first_;
};

class SoftmaxOp : public OpKernel {
 public:
  SoftmaxOp(const Node& node, SoftmaxMath math, bool log) : OpKernel(node), math_(math), log_(log) {}
  Status Compute(OpKernelContext& ctx) const override {
    const Tensor& x = ctx.input(0);
    if (x.rank() < 1) return InvalidArgumentError("logits must have >= 1 dimension, got " + x.shape().DebugString());
    Tensor* out;
    TESSERA_RETURN_IF_ERROR(ctx.allocate_output(0, x.shape(), &out));
    if (x.num_elements() == 0) return Status::OK();
    return math_(ctx, x, log_, out);
  }

 private:
  SoftmaxMath math_;
  bool log_;
};

// L2Loss: a scalar, sum(x * x) / 2 (0 for an empty x).
class L2LossOp : public OpKernel {
 public:
  L2LossOp(const Node& node, L2LossMath math, FillMath fill) : OpKernel(node), math_(math), fill_(fill) {}
  Status Compute(OpKernelContext& ctx) const override {
    const Tensor& x = ctx.input(0);
    Tensor* out;
    TESSERA_RETURN_IF_ERROR(ctx.allocate_output(0, TensorShape{}, &out));
    if (x.num_elements() == 0) return FillZeros(ctx, fill_, out);
    return math_(ctx, x, out);
  }

 private:
  L2LossMath math_;
  FillMath fill_;
};

// SoftmaxCrossEntropyWithLogits (dense labels of the logits' shape) and
// SparseSoftmaxCrossEntropyWithLogits (a class index per row), with TF's checks.
class XentOp : public OpKernel {
 public:
  XentOp(const Node& node, XentMath math, FillMath fill, bool sparse)
      : OpKernel(node), math_(math), fill_(fill), sparse_(sparse) {}
  Status Compute(OpKernelContext& ctx) const override {
    const Tensor& logits = ctx.input(0);
    const Tensor& labels = ctx.input(1);
    TESSERA_RETURN_IF_ERROR(sparse_ ? CheckSparse(logits, labels) : CheckDense(logits, labels));
    const int64_t rows = logits.dim(0), classes = logits.dim(1);
    Tensor *loss, *backprop;
    TESSERA_RETURN_IF_ERROR(ctx.allocate_output(0, TensorShape{rows}, &loss));
    TESSERA_RETURN_IF_ERROR(ctx.allocate_output(1, logits.shape(), &backprop));
    if (rows == 0) return Status::OK();
    if (classes == 0) return FillZeros(ctx, fill_, loss);  // dense only: no class, no loss
    return math_(ctx, XentArgs{logits, labels, sparse_, loss, backprop});
  }

 private:
  static Status CheckDense(const Tensor& logits, const Tensor& labels) {
    if (logits.rank() != 2 || labels.rank() != 2)
      return InvalidArgumentError("logits and labels must be either 2-dimensional, or broadcasted to be 2-dimensional");
    if (logits.shape() != labels.shape()) {
      return InvalidArgumentError("logits and labels must be broadcastable: logits_size=" +
                                  logits.shape().DebugString() + " labels_size=" + labels.shape().DebugString());
    }
    return Status::OK();
  }
  static Status CheckSparse(const Tensor& logits, const Tensor& labels) {
    if (logits.rank() != 2)
      return InvalidArgumentError("logits must be 2-D, but got shape " + logits.shape().DebugString());
    if (labels.rank() != 1)
      return InvalidArgumentError("labels must be 1-D, but got shape " + labels.shape().DebugString());
    if (logits.dim(0) != labels.dim(0)) {
      return InvalidArgumentError("logits and labels must have the same first dimension, got logits shape " +
                                  logits.shape().DebugString() + " and labels shape " + labels.shape().DebugString());
    }
    if (logits.dim(1) == 0 && logits.dim(0) > 0) {
      return InvalidArgumentError("Must have at least one class, but got logits shape " + logits.shape().DebugString());
    }
    if (!labels.on_host()) return Status::OK();  // a GPU's kernel writes NaN rows instead
    const std::vector<int64_t> v = IntTensorValues(labels);
    for (int64_t l : v) {
      if (l >= 0 && l < logits.dim(1)) continue;
      std::string all;
      for (int64_t x : v) all += " " + std::to_string(x);
      return InvalidArgumentError("Received a label value of " + std::to_string(l) +
                                  " which is outside the valid range of [0, " + std::to_string(logits.dim(1)) +
                                  ").  Label values:" + all);
    }
    return Status::OK();
  }

  XentMath math_;
  FillMath fill_;
  bool sparse_;
};

}  // namespace

Status RegisterNnKernels(KernelRegistry& r, const BackendKernels& b) {
  const DeviceType dev = b.device_type;
  if (b.bias_add.math != nullptr) {
    TESSERA_RETURN_IF_ERROR(r.Register(KernelDef("BiasAdd", dev)
                                           .TypeConstraint("T", b.bias_add.types)
                                           .Factory(MakeKernelFactory<BiasAddOp>(
                                               b.bias_add.math, b.binary[static_cast<size_t>(BinaryOp::kAdd)].math))));
  }
  if (const auto& sum = b.reduce[static_cast<size_t>(ReduceOp::kSum)]; sum.math != nullptr) {
    TESSERA_RETURN_IF_ERROR(r.Register(KernelDef("BiasAddGrad", dev)
                                           .TypeConstraint("T", sum.types)
                                           .Factory(MakeKernelFactory<BiasAddGradOp>(sum.math))));
  }
  for (const bool log : {false, true}) {
    if (b.softmax.math == nullptr) break;
    TESSERA_RETURN_IF_ERROR(r.Register(KernelDef(log ? "LogSoftmax" : "Softmax", dev)
                                           .TypeConstraint("T", b.softmax.types)
                                           .Factory(MakeKernelFactory<SoftmaxOp>(b.softmax.math, log))));
  }
  if (b.fill.math == nullptr) return Status::OK();
  if (b.l2_loss.math != nullptr) {
    TESSERA_RETURN_IF_ERROR(r.Register(KernelDef("L2Loss", dev)
                                           .TypeConstraint("T", b.l2_loss.types)
                                           .Factory(MakeKernelFactory<L2LossOp>(b.l2_loss.math, b.fill.math))));
  }
  if (b.xent.math == nullptr) return Status::OK();
  TESSERA_RETURN_IF_ERROR(r.Register(KernelDef("SoftmaxCrossEntropyWithLogits", dev)
                                         .TypeConstraint("T", b.xent.types)
                                         .Factory(MakeKernelFactory<XentOp>(b.xent.math, b.fill.math, false))));
  // int32 labels live in host memory on every device, so the range check reads them there.
  return r.Register(KernelDef("SparseSoftmaxCrossEntropyWithLogits", dev)
                        .TypeConstraint("T", b.xent.types)
                        .TypeConstraint("Tlabels", b.xent_label_types)
                        .Factory(MakeKernelFactory<XentOp>(b.xent.math, b.fill.math, true)));
}

}  // namespace tessera
