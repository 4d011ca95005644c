// The host halves of Conv2D, Conv2DBackpropInput, Conv2DBackpropFilter,
// MaxPool, AvgPool, MaxPoolGrad and AvgPoolGrad: the attributes read once,
// the geometry and every shape checked with TF's words, then the backend's
// math. The backends compute in NHWC; for data_format "NCHW" the images go
// through the backend's gather into NHWC and the result back (TF's oneDNN
// CPU path also takes NCHW; its GPU path uses cuDNN's NCHW directly).
#include "src/framework/allocator.h"
#include "src/framework/device_base.h"
#include "src/framework/tensor_util.h"
#include "src/kernels/kernel_families.h"
#include "src/kernels/layout.h"

namespace tessera {
namespace {

std::vector<int64_t> DimsOf(const TensorShape& s) {
  std::vector<int64_t> d;
  for (int i = 0; i < s.rank(); ++i) d.push_back(s.dim(i));
  return d;
}

// The op's window attributes (strides, padding, data_format, dilations or ksize).
struct Attrs {
  std::vector<int64_t> strides, dilations = {1, 1, 1, 1}, ksize;
  std::string padding, data_format = "NHWC";
  explicit Attrs(const Node& node) {
    if (const auto* v = node.attr<std::vector<int64_t>>("strides")) strides = *v;
    if (const auto* v = node.attr<std::vector<int64_t>>("dilations")) dilations = *v;
    if (const auto* v = node.attr<std::vector<int64_t>>("ksize")) ksize = *v;
    if (const auto* v = node.attr<std::string>("padding")) padding = *v;
    if (const auto* v = node.attr<std::string>("data_format")) data_format = *v;
  }
};

// A 4-element int32 sizes argument (input_sizes, filter_sizes, orig_input_shape).
StatusOr<TensorShape> SizesArg(const Tensor& t, const char* what) {
  if (t.rank() != 1 || t.num_elements() != 4) {
    return InvalidArgumentError(std::string(what) + " must be a vector of 4 sizes, got shape " +
                                t.shape().DebugString());
  }
  return TensorShape::Make(IntTensorValues(t));
}

Status ExpectShape(const Tensor& t, const std::vector<int64_t>& want, const char* what, const Node& node) {
  if (DimsOf(t.shape()) == want) return Status::OK();
  return InvalidArgumentError(node.op() + ": " + what + " has shape " + t.shape().DebugString() +
                              " but the window geometry gives " + TensorShape(want).DebugString());
}

// in [n, c, h, w] -> out [n, h, w, c] (to_channels_last), or the reverse.
Status Relayout(OpKernelContext& ctx, GatherMath gather, const Tensor& in, Tensor* out, bool to_channels_last) {
  if (out->num_elements() == 0) return Status::OK();
  const int64_t n = in.dim(0);
  const int64_t c = to_channels_last ? in.dim(1) : in.dim(3);
  const int64_t h = to_channels_last ? in.dim(2) : in.dim(1);
  const int64_t w = to_channels_last ? in.dim(3) : in.dim(2);
  GatherArgs args{in, out, {}, {}, 0};
  if (to_channels_last) {
    args.dims = {n, h, w, c};
    args.src_strides = {c * h * w, w, 1, h * w};
  } else {
    args.dims = {n, c, h, w};
    args.src_strides = {h * w * c, 1, w * c, c};
  }
  CollapseGather(args);
  return gather(ctx, args);
}

StatusOr<Tensor> ChannelsLast(OpKernelContext& ctx, GatherMath gather, const Tensor& in) {
  TESSERA_ASSIGN_OR_RETURN(Tensor out, AllocateTensor(ctx.device()->allocator(), in.dtype(),
                                                      TensorShape{in.dim(0), in.dim(2), in.dim(3), in.dim(1)}));
  TESSERA_RETURN_IF_ERROR(Relayout(ctx, gather, in, &out, true));
  return out;
}

// Which of an op's two operands and its result are images.
template <typename Args>
struct Images {
  const Tensor* Args::*first;
  const Tensor* Args::*second;
  std::array<bool, 3> marked;  // first, second, out
};

// Runs `math` in NHWC for an NCHW op: the marked images are moved to NHWC
// first and the result moved back after.
template <typename Args, typename Math>
Status InChannelsLast(OpKernelContext& ctx, GatherMath gather, Math math, Args args, const Images<Args>& which,
                      WindowShape s) {
  if (gather == nullptr) return UnimplementedError(ctx.node().op() + " has no NCHW path on this device");
  const std::array<bool, 3>& images = which.marked;
  s.channels_first = false;
  args.s = &s;
  Tensor a, b, out;
  const Tensor** operands[2] = {&(args.*which.first), &(args.*which.second)};
  Tensor* copies[2] = {&a, &b};
  for (int i = 0; i < 2; ++i) {
    if (!images[static_cast<size_t>(i)] || *operands[i] == nullptr) continue;
    TESSERA_ASSIGN_OR_RETURN(*copies[i], ChannelsLast(ctx, gather, **operands[i]));
    *operands[i] = copies[i];
  }
  Tensor* result = args.out;
  if (images[2]) {
    const TensorShape nchw = result->shape();
    TESSERA_ASSIGN_OR_RETURN(out, AllocateTensor(ctx.device()->allocator(), result->dtype(),
                                                 TensorShape{nchw.dim(0), nchw.dim(2), nchw.dim(3), nchw.dim(1)}));
    args.out = &out;
  }
  TESSERA_RETURN_IF_ERROR(math(ctx, args));
  return images[2] ? Relayout(ctx, gather, out, result, false) : Status::OK();
}

class ConvKernel : public OpKernel {
 public:
  ConvKernel(const Node& node, ConvPass pass, ConvMath math, FillMath fill, GatherMath gather)
      : OpKernel(node), pass_(pass), math_(math), fill_(fill), gather_(gather), attrs_(node) {}
  Status Compute(OpKernelContext& ctx) const override {
    TensorShape input, filter;
    const Tensor* a = &ctx.input(0);
    const Tensor* b = &ctx.input(1);
    if (pass_ == ConvPass::kForward) {
      input = ctx.input(0).shape();
      filter = ctx.input(1).shape();
    } else if (pass_ == ConvPass::kBackpropInput) {
      TESSERA_ASSIGN_OR_RETURN(input, SizesArg(ctx.input(0), "input_sizes"));
      filter = ctx.input(1).shape();
      a = &ctx.input(1);
      b = &ctx.input(2);
    } else {
      input = ctx.input(0).shape();
      TESSERA_ASSIGN_OR_RETURN(filter, SizesArg(ctx.input(1), "filter_sizes"));
      b = &ctx.input(2);
    }
    if (input.rank() != 4) return InvalidArgumentError("input must be 4-dimensional" + input.DebugString());
    if (filter.rank() != 4) return InvalidArgumentError("filter must be 4-dimensional: " + filter.DebugString());
    TESSERA_ASSIGN_OR_RETURN(WindowShape s, Conv2DShapeOf(DimsOf(input), DimsOf(filter), attrs_.strides,
                                                          attrs_.dilations, attrs_.padding, attrs_.data_format));
    if (pass_ != ConvPass::kForward) TESSERA_RETURN_IF_ERROR(ExpectShape(*b, s.output_dims(), "out_backprop", node()));
    const TensorShape out_shape = pass_ == ConvPass::kForward         ? TensorShape(s.output_dims())
                                  : pass_ == ConvPass::kBackpropInput ? input
                                                                      : filter;
    Tensor* out;
    TESSERA_RETURN_IF_ERROR(ctx.allocate_output(0, out_shape, &out));
    if (out->num_elements() == 0) return Status::OK();
    // Nothing to sum over (an empty batch, image or depth): zeros.
    const bool empty =
        pass_ == ConvPass::kForward ? s.in_depth == 0 || input.num_elements() == 0 : b->num_elements() == 0;
    if (empty) return FillZeros(ctx, fill_, out);
    const ConvArgs args{pass_, &s, a, b, out};
    if (!s.channels_first) return math_(ctx, args);
    // The images: the input (a unless backprop-input), out_backprop (b
    // unless forward) and the result (unless backprop-filter).
    const Images<ConvArgs> images{
        &ConvArgs::a,
        &ConvArgs::b,
        {pass_ != ConvPass::kBackpropInput, pass_ != ConvPass::kForward, pass_ != ConvPass::kBackpropFilter}};
    return InChannelsLast(ctx, gather_, math_, args, images, s);
  }

 private:
  ConvPass pass_;
  ConvMath math_;
  FillMath fill_;
  GatherMath gather_;
  Attrs attrs_;
};

// MaxPool/AvgPool (forward) and MaxPoolGrad/AvgPoolGrad.
class PoolKernel : public OpKernel {
 public:
  PoolKernel(const Node& node, bool max, bool grad, PoolMath math, FillMath fill, GatherMath gather)
      : OpKernel(node), max_(max), grad_(grad), math_(math), fill_(fill), gather_(gather), attrs_(node) {}
  Status Compute(OpKernelContext& ctx) const override {
    TensorShape input;
    const Tensor* x = &ctx.input(0);
    const Tensor* dy = nullptr;
    if (!grad_) {
      input = x->shape();
    } else if (max_) {
      input = x->shape();
      dy = &ctx.input(2);
    } else {
      TESSERA_ASSIGN_OR_RETURN(input, SizesArg(ctx.input(0), "orig_input_shape"));
      x = nullptr;
      dy = &ctx.input(1);
    }
    if (input.rank() != 4) return InvalidArgumentError("input must be 4-dimensional" + input.DebugString());
    TESSERA_ASSIGN_OR_RETURN(
        WindowShape s, PoolShapeOf(DimsOf(input), attrs_.ksize, attrs_.strides, attrs_.padding, attrs_.data_format));
    if (grad_) {
      TESSERA_RETURN_IF_ERROR(ExpectShape(*dy, s.output_dims(), "grad", node()));
      if (max_) TESSERA_RETURN_IF_ERROR(ExpectShape(ctx.input(1), s.output_dims(), "orig_output", node()));
    }
    Tensor* out;
    TESSERA_RETURN_IF_ERROR(ctx.allocate_output(0, grad_ ? input : TensorShape(s.output_dims()), &out));
    if (out->num_elements() == 0) return Status::OK();
    if (grad_ && dy->num_elements() == 0) return FillZeros(ctx, fill_, out);
    const PoolArgs args{max_, &s, x, dy, out};
    if (!s.channels_first) return math_(ctx, args);
    return InChannelsLast(ctx, gather_, math_, args,
                          Images<PoolArgs>{&PoolArgs::input, &PoolArgs::grad, {true, true, true}}, s);
  }

 private:
  bool max_, grad_;
  PoolMath math_;
  FillMath fill_;
  GatherMath gather_;
  Attrs attrs_;
};

}  // namespace

Status RegisterConvKernels(KernelRegistry& r, const BackendKernels& b) {
  const DeviceType dev = b.device_type;
  if (b.fill.math == nullptr) return Status::OK();
  if (b.conv.math != nullptr) {
    TESSERA_RETURN_IF_ERROR(r.Register(
        KernelDef("Conv2D", dev)
            .TypeConstraint("T", b.conv.types)
            .Factory(MakeKernelFactory<ConvKernel>(ConvPass::kForward, b.conv.math, b.fill.math, b.gather.math))));
    TESSERA_RETURN_IF_ERROR(r.Register(KernelDef("Conv2DBackpropInput", dev)
                                           .TypeConstraint("T", b.conv.types)
                                           .HostMemory(0)
                                           .Factory(MakeKernelFactory<ConvKernel>(ConvPass::kBackpropInput, b.conv.math,
                                                                                  b.fill.math, b.gather.math))));
    TESSERA_RETURN_IF_ERROR(r.Register(KernelDef("Conv2DBackpropFilter", dev)
                                           .TypeConstraint("T", b.conv.types)
                                           .HostMemory(1)
                                           .Factory(MakeKernelFactory<ConvKernel>(
                                               ConvPass::kBackpropFilter, b.conv.math, b.fill.math, b.gather.math))));
  }
  if (b.pool.math == nullptr) return Status::OK();
  for (const bool max : {true, false}) {
    for (const bool grad : {false, true}) {
      std::string op = std::string(max ? "MaxPool" : "AvgPool") + (grad ? "Grad" : "");
      KernelDef def(op, dev);
      def.TypeConstraint("T", b.pool.types);
      if (grad && !max) def.HostMemory(0);
      TESSERA_RETURN_IF_ERROR(
          r.Register(def.Factory(MakeKernelFactory<PoolKernel>(max, grad, b.pool.math, b.fill.math, b.gather.math))));
    }
  }
  return Status::OK();
}

}  // namespace tessera
