// The host halves of the elementwise kernels: the binary ops with numpy
// broadcasting (Add ... Greater), the unary ops (Neg ... Relu), and Cast.
#include "src/kernels/kernel_families.h"

namespace tessera {
namespace {

// TF's words for element-wise inputs that must match exactly.
Status SameShapeError(const OpKernelContext& ctx, int a, int b) {
  return InvalidArgumentError("Inputs to operation " + ctx.node().name() + " of type " + ctx.node().op() +
                              " must have the same size and shape.  Input " + std::to_string(a) + ": " +
                              ctx.input(a).shape().DebugString() + " != input " + std::to_string(b) + ": " +
                              ctx.input(b).shape().DebugString());
}

class BinaryOpKernel : public OpKernel {
 public:
  BinaryOpKernel(const Node& node, BinaryOp op, BinaryMath math) : OpKernel(node), op_(op), math_(math) {}

  Status Compute(OpKernelContext& ctx) const override {
    const Tensor& x = ctx.input(0);
    const Tensor& y = ctx.input(1);
    BinaryArgs args{op_, x, y, nullptr};
    if (op_ >= BinaryOp::kReluGrad && x.shape() != y.shape()) return SameShapeError(ctx, 0, 1);
    // Same shapes, or one side a single element: a 1-D walk, without
    // computing a broadcast geometry (the hot path).
    BroadcastGeometry g;
    const TensorShape* out_shape = &x.shape();
    if (x.shape() == y.shape()) {
      // x_stride = y_stride = 1
    } else if (y.num_elements() == 1 && y.rank() <= x.rank()) {
      args.y_stride = 0;
    } else if (x.num_elements() == 1 && x.rank() <= y.rank()) {
      args.x_stride = 0;
      out_shape = &y.shape();
    } else {
      TESSERA_ASSIGN_OR_RETURN(g, ComputeBroadcast(x.shape(), y.shape()));
      out_shape = &g.out_shape;
      if (g.dims.size() == 1) {
        args.x_stride = g.x_strides[0];
        args.y_stride = g.y_strides[0];
      } else {
        args.general = &g;
      }
    }
    // Elementwise: an input only this node can still see may become the output.
    if (x.shape() == *out_shape) args.out = ctx.forward_input_to_output(0, 0, *out_shape);
    if (args.out == nullptr && y.shape() == *out_shape) args.out = ctx.forward_input_to_output(1, 0, *out_shape);
    if (args.out == nullptr) TESSERA_RETURN_IF_ERROR(ctx.allocate_output(0, *out_shape, &args.out));
    if (args.out->num_elements() == 0) return Status::OK();
    return math_(ctx, args);
  }
  bool IsExpensive() const override { return false; }

 private:
  BinaryOp op_;
  BinaryMath math_;
};

// AddN: Add's math applied pairwise, accumulating in the output (elementwise
// math may write over an operand at the same index).
class AddNKernel : public OpKernel {
 public:
  AddNKernel(const Node& node, BinaryMath add) : OpKernel(node), add_(add) {}
  Status Compute(OpKernelContext& ctx) const override {
    const Tensor& x0 = ctx.input(0);
    for (int i = 1; i < ctx.num_inputs(); ++i) {
      if (ctx.input(i).shape() != x0.shape()) return SameShapeError(ctx, 0, i);
    }
    Tensor* out = ctx.forward_input_to_output(0, 0, x0.shape());
    if (out == nullptr) TESSERA_RETURN_IF_ERROR(ctx.allocate_output(0, x0.shape(), &out));
    if (x0.num_elements() == 0) return Status::OK();
    TESSERA_RETURN_IF_ERROR(add_(ctx, BinaryArgs{BinaryOp::kAdd, x0, ctx.input(1), out}));
    for (int i = 2; i < ctx.num_inputs(); ++i) {
      TESSERA_RETURN_IF_ERROR(add_(ctx, BinaryArgs{BinaryOp::kAdd, *out, ctx.input(i), out}));
    }
    return Status::OK();
  }
  bool IsExpensive() const override { return false; }

 private:
  BinaryMath add_;
};

class UnaryOpKernel : public OpKernel {
 public:
  UnaryOpKernel(const Node& node, UnaryOp op, UnaryMath math) : OpKernel(node), op_(op), math_(math) {}
  Status Compute(OpKernelContext& ctx) const override {
    const Tensor& x = ctx.input(0);
    Tensor* out = ctx.forward_input_to_output(0, 0, x.shape());
    if (out == nullptr) TESSERA_RETURN_IF_ERROR(ctx.allocate_output(0, x.shape(), &out));
    if (x.num_elements() == 0) return Status::OK();
    return math_(ctx, op_, x, out);
  }
  bool IsExpensive() const override { return false; }

 private:
  UnaryOp op_;
  UnaryMath math_;
};

class CastOp : public OpKernel {
 public:
  CastOp(const Node& node, CastMath math) : OpKernel(node), math_(math) {}
  Status Compute(OpKernelContext& ctx) const override {
    const Tensor& x = ctx.input(0);
    Tensor* out = ctx.forward_input_to_output(0, 0, x.shape());  // same dtype only
    if (out == nullptr) TESSERA_RETURN_IF_ERROR(ctx.allocate_output(0, x.shape(), &out));
    if (x.num_elements() == 0) return Status::OK();
    return math_(ctx, x, out);
  }
  bool IsExpensive() const override { return false; }

 private:
  CastMath math_;
};

}  // namespace

Status RegisterCwiseKernels(KernelRegistry& r, const BackendKernels& b) {
  const DeviceType dev = b.device_type;
  TESSERA_RETURN_IF_ERROR(RegisterEachKind<BinaryOp>(r, b.binary, [&](BinaryOp op, const MathEntry<BinaryMath>& e) {
    return TypedKernelDef(BinaryOpName(op), dev, e.types).Factory(MakeKernelFactory<BinaryOpKernel>(op, e.math));
  }));
  // AddV2 (TF 2.x's tf.add and +) is Add's math under its own name.
  if (const MathEntry<BinaryMath>& add = b.binary[static_cast<size_t>(BinaryOp::kAdd)]; add.math != nullptr) {
    TESSERA_RETURN_IF_ERROR(r.Register(
        TypedKernelDef("AddV2", dev, add.types).Factory(MakeKernelFactory<BinaryOpKernel>(BinaryOp::kAdd, add.math))));
    TESSERA_RETURN_IF_ERROR(
        r.Register(TypedKernelDef("AddN", dev, add.types).Factory(MakeKernelFactory<AddNKernel>(add.math))));
  }
  // RealDiv (TF's tf.truediv, which the gradient of Mean uses) is Div's math on floating types.
  if (const MathEntry<BinaryMath>& div = b.binary[static_cast<size_t>(BinaryOp::kDiv)]; div.math != nullptr) {
    std::vector<DataType> floats;
    for (DataType t : div.types) {
      if (DataTypeIsFloating(t)) floats.push_back(t);
    }
    TESSERA_RETURN_IF_ERROR(r.Register(
        TypedKernelDef("RealDiv", dev, floats).Factory(MakeKernelFactory<BinaryOpKernel>(BinaryOp::kDiv, div.math))));
  }
  TESSERA_RETURN_IF_ERROR(RegisterEachKind<UnaryOp>(r, b.unary, [&](UnaryOp op, const MathEntry<UnaryMath>& e) {
    return TypedKernelDef(UnaryOpName(op), dev, e.types).Factory(MakeKernelFactory<UnaryOpKernel>(op, e.math));
  }));
  if (b.cast.math != nullptr) {
    TESSERA_RETURN_IF_ERROR(r.Register(KernelDef("Cast", dev)
                                           .TypeConstraint("SrcT", b.cast.types)
                                           .TypeConstraint("DstT", b.cast.types)
                                           .Factory(MakeKernelFactory<CastOp>(b.cast.math))));
  }
  return Status::OK();
}

}  // namespace tessera
