// Array kernels on the CPU: Const, Placeholder, Identity, NoOp, Reshape,
// Transpose, Shape, Fill, ZerosLike, OnesLike, ConcatV2, Slice, Select.
// Layout kernels move bytes, so one instantiation serves every dtype.
#include <cstring>

#include "kernels_cpu/cpu_kernel_util.h"
#include "src/framework/tensor_util.h"
#include "src/kernels/op_geometry.h"

namespace tessera {
namespace {

std::vector<int64_t> ReadInts(const Tensor& t) { return IntTensorValues(t); }

class ConstKernel : public OpKernel {
 public:
  explicit ConstKernel(const Node& node) : OpKernel(node), value_(*node.attr<Tensor>("value")) {}
  Status Compute(OpKernelContext& ctx) const override {
    ctx.set_output(0, value_);
    return Status::OK();
  }
  bool IsExpensive() const override { return false; }

 private:
  Tensor value_;
};

class PlaceholderKernel : public OpKernel {
 public:
  using OpKernel::OpKernel;
  Status Compute(OpKernelContext&) const override {
    const PartialShape* s = node().attr<PartialShape>("shape");
    std::string msg = "You must feed a value for placeholder tensor '" + node().name() + "' with dtype " +
                      std::string(DataTypeString(node().output_type(0)));
    if (s != nullptr && s->known_rank()) msg += " and shape " + s->DebugString();
    return InvalidArgumentError(msg);
  }
  bool IsExpensive() const override { return false; }
};

class IdentityKernel : public OpKernel {
 public:
  using OpKernel::OpKernel;
  Status Compute(OpKernelContext& ctx) const override {
    ctx.set_output(0, ctx.input(0));
    return Status::OK();
  }
  bool IsExpensive() const override { return false; }
};

class NoOpKernel : public OpKernel {
 public:
  using OpKernel::OpKernel;
  Status Compute(OpKernelContext&) const override { return Status::OK(); }
  bool IsExpensive() const override { return false; }
};

class ReshapeKernel : public OpKernel {
 public:
  using OpKernel::OpKernel;
  Status Compute(OpKernelContext& ctx) const override {
    const Tensor& x = ctx.input(0);
    const Tensor& s = ctx.input(1);
    if (s.rank() != 1) return InvalidArgumentError("shape must be a vector, got " + s.shape().DebugString());
    std::vector<int64_t> dims = ReadInts(s);
    int infer = -1;
    int64_t product = 1;
    for (size_t i = 0; i < dims.size(); ++i) {
      if (dims[i] == -1) {
        if (infer >= 0) return InvalidArgumentError("Only one input size may be -1, not both " + std::to_string(infer) + " and " + std::to_string(i));
        infer = static_cast<int>(i);
      } else if (dims[i] < 0) {
        return InvalidArgumentError("Size " + std::to_string(i) + " must be non-negative, not " + std::to_string(dims[i]));
      } else {
        product *= dims[i];
      }
    }
    if (infer >= 0) {
      if (product == 0 || x.num_elements() % product != 0) {
        return InvalidArgumentError("Input to reshape is a tensor with " + std::to_string(x.num_elements()) +
                                    " values, but the requested shape requires a multiple of " + std::to_string(product));
      }
      dims[static_cast<size_t>(infer)] = x.num_elements() / product;
    } else if (product != x.num_elements()) {
      return InvalidArgumentError("Input to reshape is a tensor with " + std::to_string(x.num_elements()) +
                                  " values, but the requested shape has " + std::to_string(product));
    }
    TF_ASSIGN_OR_RETURN(Tensor r, x.Reshaped(TensorShape(dims)));
    ctx.set_output(0, r);
    return Status::OK();
  }
  bool IsExpensive() const override { return false; }
};

class TransposeKernel : public OpKernel {
 public:
  using OpKernel::OpKernel;
  Status Compute(OpKernelContext& ctx) const override {
    const Tensor& x = ctx.input(0);
    std::vector<int64_t> perm = ReadInts(ctx.input(1));
    const int rank = x.rank();
    if (static_cast<int>(perm.size()) != rank) {
      return InvalidArgumentError("transpose expects a vector of size " + std::to_string(rank) +
                                  ". But input(1) is a vector of size " + std::to_string(perm.size()));
    }
    std::vector<bool> seen(static_cast<size_t>(rank), false);
    TensorShape out_shape;
    for (int64_t p : perm) {
      if (p < 0 || p >= rank || seen[static_cast<size_t>(p)]) {
        return InvalidArgumentError("Invalid permutation of length " + std::to_string(rank));
      }
      seen[static_cast<size_t>(p)] = true;
      out_shape.AddDim(x.dim(static_cast<int>(p)));
    }
    Tensor* out;
    TF_RETURN_IF_ERROR(ctx.allocate_output(0, out_shape, &out));
    const int64_t n = x.num_elements();
    if (n == 0) return Status::OK();
    const size_t es = DataTypeSize(x.dtype());
    std::vector<int64_t> in_strides(static_cast<size_t>(rank), 1);
    for (int i = rank - 2; i >= 0; --i) in_strides[static_cast<size_t>(i)] = in_strides[static_cast<size_t>(i) + 1] * x.dim(i + 1);
    // Stride in the input of each output dimension.
    std::vector<int64_t> src_stride(static_cast<size_t>(rank));
    for (int i = 0; i < rank; ++i) src_stride[static_cast<size_t>(i)] = in_strides[static_cast<size_t>(perm[static_cast<size_t>(i)])];
    const char* src = static_cast<const char*>(x.raw_data());
    char* dst = static_cast<char*>(out->raw_data());
    std::vector<int64_t> idx(static_cast<size_t>(rank), 0);
    int64_t off = 0;
    for (int64_t i = 0; i < n; ++i) {
      std::memcpy(dst + i * es, src + off * es, es);
      for (int d = rank - 1; d >= 0; --d) {
        const size_t du = static_cast<size_t>(d);
        off += src_stride[du];
        if (++idx[du] < out_shape.dim(d)) break;
        off -= src_stride[du] * out_shape.dim(d);
        idx[du] = 0;
      }
    }
    return Status::OK();
  }
};

class ShapeKernel : public OpKernel {
 public:
  using OpKernel::OpKernel;
  Status Compute(OpKernelContext& ctx) const override {
    const Tensor& x = ctx.input(0);
    Tensor* out;
    TF_RETURN_IF_ERROR(ctx.allocate_output(0, TensorShape{x.rank()}, &out));
    for (int i = 0; i < x.rank(); ++i) {
      if (out->dtype() == DataType::kInt32) out->flat<int32_t>()[static_cast<size_t>(i)] = static_cast<int32_t>(x.dim(i));
      else out->flat<int64_t>()[static_cast<size_t>(i)] = x.dim(i);
    }
    return Status::OK();
  }
  bool IsExpensive() const override { return false; }
};

// Fills output 0 with copies of the `es`-byte value at `value`.
void FillBytes(Tensor* out, const void* value) {
  const size_t es = DataTypeSize(out->dtype());
  char* dst = static_cast<char*>(out->raw_data());
  for (int64_t i = 0; i < out->num_elements(); ++i) std::memcpy(dst + i * es, value, es);
}

class FillKernel : public OpKernel {
 public:
  using OpKernel::OpKernel;
  Status Compute(OpKernelContext& ctx) const override {
    const Tensor& dims_t = ctx.input(0);
    const Tensor& value = ctx.input(1);
    if (dims_t.rank() != 1) return InvalidArgumentError("dims must be a vector, got " + dims_t.shape().DebugString());
    if (value.rank() != 0) return InvalidArgumentError("value must be a scalar, got " + value.shape().DebugString());
    TF_ASSIGN_OR_RETURN(TensorShape shape, TensorShape::Make(ReadInts(dims_t)));
    Tensor* out;
    TF_RETURN_IF_ERROR(ctx.allocate_output(0, shape, &out));
    FillBytes(out, value.raw_data());
    return Status::OK();
  }
};

class ConstantLikeKernel : public OpKernel {
 public:
  ConstantLikeKernel(const Node& node, bool ones) : OpKernel(node), ones_(ones) {}
  Status Compute(OpKernelContext& ctx) const override {
    const Tensor& x = ctx.input(0);
    Tensor* out;
    TF_RETURN_IF_ERROR(ctx.allocate_output(0, x.shape(), &out));
    Tensor one;
    Status s = SwitchAllTypes(x.dtype(), [&]<typename T>() { one = Tensor::Scalar<T>(ones_ ? T(1) : T(0)); });
    TF_RETURN_IF_ERROR(s);
    FillBytes(out, one.raw_data());
    return Status::OK();
  }
  bool IsExpensive() const override { return false; }

 private:
  bool ones_;
};

class ConcatKernel : public OpKernel {
 public:
  using OpKernel::OpKernel;
  Status Compute(OpKernelContext& ctx) const override {
    const int n = ctx.num_inputs() - 1;
    std::vector<const Tensor*> values;
    for (int i = 0; i < n; ++i) values.push_back(&ctx.input(i));
    TF_ASSIGN_OR_RETURN(ConcatGeometry g, ConcatGeometryOf(values, ctx.input(n)));
    Tensor* out;
    TF_RETURN_IF_ERROR(ctx.allocate_output(0, g.out, &out));
    if (out->num_elements() == 0) return Status::OK();
    const int a = g.axis;
    const int64_t outer = g.outer, inner = g.inner, total = g.out.dim(a);
    const size_t es = DataTypeSize(out->dtype());
    char* dst = static_cast<char*>(out->raw_data());
    const int64_t out_row = total * inner;
    int64_t col = 0;
    for (int i = 0; i < n; ++i) {
      const Tensor& t = ctx.input(i);
      const int64_t chunk = t.dim(a) * inner;
      const char* src = static_cast<const char*>(t.raw_data());
      for (int64_t o = 0; o < outer && chunk > 0; ++o) {
        std::memcpy(dst + (o * out_row + col) * static_cast<int64_t>(es), src + o * chunk * static_cast<int64_t>(es),
                    static_cast<size_t>(chunk) * es);
      }
      col += chunk;
    }
    return Status::OK();
  }
};

class SliceKernel : public OpKernel {
 public:
  using OpKernel::OpKernel;
  Status Compute(OpKernelContext& ctx) const override {
    const Tensor& x = ctx.input(0);
    TF_ASSIGN_OR_RETURN(SliceGeometry g, SliceGeometryOf(x.shape(), ctx.input(1), ctx.input(2)));
    const int rank = x.rank();
    const TensorShape& out_shape = g.out;
    const std::vector<int64_t>& begin = g.begin;
    Tensor* out;
    TF_RETURN_IF_ERROR(ctx.allocate_output(0, out_shape, &out));
    const int64_t n = out->num_elements();
    if (n == 0) return Status::OK();
    if (rank == 0) {
      std::memcpy(out->raw_data(), x.raw_data(), DataTypeSize(x.dtype()));
      return Status::OK();
    }
    const size_t es = DataTypeSize(x.dtype());
    std::vector<int64_t> strides(static_cast<size_t>(rank), 1);
    for (int i = rank - 2; i >= 0; --i) strides[static_cast<size_t>(i)] = strides[static_cast<size_t>(i) + 1] * x.dim(i + 1);
    const int64_t row = out_shape.dim(rank - 1);
    const char* src = static_cast<const char*>(x.raw_data());
    char* dst = static_cast<char*>(out->raw_data());
    std::vector<int64_t> idx(static_cast<size_t>(rank), 0);  // over all but the last dim
    for (int64_t r = 0; r < n / row; ++r) {
      int64_t off = begin[static_cast<size_t>(rank - 1)];
      for (int d = 0; d < rank - 1; ++d) off += (begin[static_cast<size_t>(d)] + idx[static_cast<size_t>(d)]) * strides[static_cast<size_t>(d)];
      std::memcpy(dst + r * row * static_cast<int64_t>(es), src + off * static_cast<int64_t>(es), static_cast<size_t>(row) * es);
      for (int d = rank - 2; d >= 0; --d) {
        if (++idx[static_cast<size_t>(d)] < out_shape.dim(d)) break;
        idx[static_cast<size_t>(d)] = 0;
      }
    }
    return Status::OK();
  }
};

class SelectKernel : public OpKernel {
 public:
  using OpKernel::OpKernel;
  Status Compute(OpKernelContext& ctx) const override {
    const Tensor& c = ctx.input(0);
    const Tensor& t = ctx.input(1);
    const Tensor& e = ctx.input(2);
    TF_ASSIGN_OR_RETURN(int64_t inner, SelectGeometry(c.shape(), t.shape(), e.shape()));
    Tensor* out;
    TF_RETURN_IF_ERROR(ctx.allocate_output(0, t.shape(), &out));
    const int64_t n = t.num_elements();
    if (n == 0) return Status::OK();
    const size_t es = DataTypeSize(t.dtype());
    const bool* cp = c.flat<bool>().data();
    const char* tp = static_cast<const char*>(t.raw_data());
    const char* ep = static_cast<const char*>(e.raw_data());
    char* op = static_cast<char*>(out->raw_data());
    for (int64_t i = 0; i < n; ++i) {
      const bool take_then = cp[inner == 0 ? 0 : i / inner];
      std::memcpy(op + i * static_cast<int64_t>(es), (take_then ? tp : ep) + i * static_cast<int64_t>(es), es);
    }
    return Status::OK();
  }
};

}  // namespace

void RegisterMemoryAgnosticKernels(KernelRegistry& r, const char* device_type, const std::vector<DataType>& types) {
  r.Register({"Placeholder", device_type, {{"dtype", types}}, MakeFactory<PlaceholderKernel>()});
  r.Register({"Identity", device_type, {{"T", types}}, MakeFactory<IdentityKernel>()});
  r.Register({"NoOp", device_type, {}, MakeFactory<NoOpKernel>()});
  r.Register({"Reshape", device_type, {{"T", types}}, MakeFactory<ReshapeKernel>(), {1}});
}

void RegisterCpuArrayKernels(KernelRegistry& r) {
  const std::vector<DataType>& all = AllTypes();
  const std::vector<DataType> ints = {DataType::kInt32, DataType::kInt64};
  RegisterMemoryAgnosticKernels(r, "CPU", all);
  r.Register({"Const", "CPU", {{"dtype", all}}, MakeFactory<ConstKernel>()});
  r.Register({"Transpose", "CPU", {{"T", all}}, MakeFactory<TransposeKernel>()});
  r.Register({"Shape", "CPU", {{"T", all}}, MakeFactory<ShapeKernel>()});
  r.Register({"Fill", "CPU", {{"T", all}, {"index_type", ints}}, MakeFactory<FillKernel>()});
  r.Register({"ZerosLike", "CPU", {{"T", all}}, [](const KernelConstruction& c) -> StatusOr<std::unique_ptr<OpKernel>> {
                return std::unique_ptr<OpKernel>(std::make_unique<ConstantLikeKernel>(c.node, false));
              }});
  r.Register({"OnesLike", "CPU", {{"T", all}}, [](const KernelConstruction& c) -> StatusOr<std::unique_ptr<OpKernel>> {
                return std::unique_ptr<OpKernel>(std::make_unique<ConstantLikeKernel>(c.node, true));
              }});
  r.Register({"ConcatV2", "CPU", {{"T", all}}, MakeFactory<ConcatKernel>()});
  r.Register({"Slice", "CPU", {{"T", all}}, MakeFactory<SliceKernel>()});
  r.Register({"Select", "CPU", {{"T", all}}, MakeFactory<SelectKernel>()});
}

}  // namespace tessera
