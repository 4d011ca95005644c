// The GPU OpKernels: validate on the host (like their CPU twins), allocate
// device outputs, enqueue a CUDA kernel (kernels_cuda/*.cu) or cuBLAS call on
// the device's compute stream, and return without waiting.
#include <atomic>
#include <cstring>
#include <random>

#include "kernels_cpu/cpu_kernel_util.h"
#include "kernels_cuda/cuda_check.h"
#include "kernels_cuda/gpu_device.h"
#include "kernels_cuda/launchers.h"
#include "src/runtime/resource_mgr.h"
#include "src/framework/tensor_util.h"
#include "src/kernels/broadcast.h"
#include "src/kernels/op_geometry.h"
#include "src/kernels/philox.h"

namespace tessera {
namespace {

using cuda::ElemType;

GpuDevice& Gpu(OpKernelContext& ctx) { return *static_cast<GpuDevice*>(ctx.device()); }

ElemType Elem(DataType dt) {
  switch (dt) {
    case DataType::kFloat: return ElemType::kFloat;
    case DataType::kDouble: return ElemType::kDouble;
    case DataType::kInt64: return ElemType::kInt64;
    case DataType::kBool: return ElemType::kBool;
    default: return ElemType::kInt32;
  }
}

Status Launched(cudaError_t e, const char* what) { return CudaStatus(e, what); }

StatusOr<StridedDims> ToStrided(const std::vector<int64_t>& dims, const std::vector<int64_t>& a,
                                const std::vector<int64_t>& b) {
  if (dims.size() > StridedDims::kMaxRank) {
    return UnimplementedError("GPU kernels support up to " + std::to_string(StridedDims::kMaxRank) +
                              " (collapsed) dimensions, got " + std::to_string(dims.size()));
  }
  StridedDims d;
  d.rank = static_cast<int>(dims.size());
  for (size_t i = 0; i < dims.size(); ++i) {
    d.dims[i] = dims[i];
    d.a_strides[i] = a.empty() ? 0 : a[i];
    d.b_strides[i] = b.empty() ? 0 : b[i];
  }
  return d;
}

const std::vector<DataType>& GpuMathTypes() {
  static const std::vector<DataType> t = {DataType::kFloat, DataType::kDouble, DataType::kInt64};
  return t;
}
const std::vector<DataType>& GpuDataTypes() {
  static const std::vector<DataType> t = {DataType::kFloat, DataType::kDouble, DataType::kInt64, DataType::kBool};
  return t;
}

// ---- Const: copied to the device once, when the kernel is created.
class GpuConstKernel : public OpKernel {
 public:
  GpuConstKernel(const Node& node, Tensor value) : OpKernel(node), value_(std::move(value)) {}
  Status Compute(OpKernelContext& ctx) const override {
    ctx.set_output(0, value_);
    return Status::OK();
  }
  bool IsExpensive() const override { return false; }

 private:
  Tensor value_;
};

StatusOr<std::unique_ptr<OpKernel>> MakeGpuConst(const KernelConstruction& c) {
  const Tensor& host = *c.node.attr<Tensor>("value");
  if (InHostMemory(false, host.dtype())) {  // int32 lives on the host
    return std::unique_ptr<OpKernel>(std::make_unique<GpuConstKernel>(c.node, host));
  }
  TF_ASSIGN_OR_RETURN(Tensor dev, c.device->CopyFrom(host, nullptr, CompletedEvent()));
  return std::unique_ptr<OpKernel>(std::make_unique<GpuConstKernel>(c.node, dev));
}

// ---- Elementwise
class GpuBinaryKernel : public OpKernel {
 public:
  GpuBinaryKernel(const Node& node, cuda::BinaryKind kind) : OpKernel(node), kind_(kind) {}
  Status Compute(OpKernelContext& ctx) const override {
    const Tensor& x = ctx.input(0);
    const Tensor& y = ctx.input(1);
    TF_ASSIGN_OR_RETURN(BroadcastGeometry g, ComputeBroadcast(x.shape(), y.shape()));
    Tensor* out;
    TF_RETURN_IF_ERROR(ctx.allocate_output(0, g.out_shape, &out));
    if (out->num_elements() == 0) return Status::OK();
    TF_ASSIGN_OR_RETURN(StridedDims d, ToStrided(g.dims, g.x_strides, g.y_strides));
    TF_RETURN_IF_ERROR(Gpu(ctx).Activate());
    return Launched(cuda::LaunchBinary(kind_, Elem(x.dtype()), x.raw_data(), y.raw_data(), out->raw_data(),
                                       out->num_elements(), d, Gpu(ctx).compute_stream()),
                    "LaunchBinary");
  }
  bool IsExpensive() const override { return false; }

 private:
  cuda::BinaryKind kind_;
};

class GpuUnaryKernel : public OpKernel {
 public:
  GpuUnaryKernel(const Node& node, cuda::UnaryKind kind) : OpKernel(node), kind_(kind) {}
  Status Compute(OpKernelContext& ctx) const override {
    const Tensor& x = ctx.input(0);
    Tensor* out;
    TF_RETURN_IF_ERROR(ctx.allocate_output(0, x.shape(), &out));
    if (x.num_elements() == 0) return Status::OK();
    TF_RETURN_IF_ERROR(Gpu(ctx).Activate());
    return Launched(cuda::LaunchUnary(kind_, Elem(x.dtype()), x.raw_data(), out->raw_data(), x.num_elements(),
                                      Gpu(ctx).compute_stream()),
                    "LaunchUnary");
  }
  bool IsExpensive() const override { return false; }

 private:
  cuda::UnaryKind kind_;
};

class GpuCastKernel : public OpKernel {
 public:
  using OpKernel::OpKernel;
  Status Compute(OpKernelContext& ctx) const override {
    const Tensor& x = ctx.input(0);
    Tensor* out;
    TF_RETURN_IF_ERROR(ctx.allocate_output(0, x.shape(), &out));
    if (x.num_elements() == 0) return Status::OK();
    TF_RETURN_IF_ERROR(Gpu(ctx).Activate());
    return Launched(cuda::LaunchCast(Elem(x.dtype()), Elem(out->dtype()), x.raw_data(), out->raw_data(),
                                     x.num_elements(), Gpu(ctx).compute_stream()),
                    "LaunchCast");
  }
};

class GpuSelectKernel : public OpKernel {
 public:
  using OpKernel::OpKernel;
  Status Compute(OpKernelContext& ctx) const override {
    const Tensor& c = ctx.input(0);
    const Tensor& t = ctx.input(1);
    const Tensor& e = ctx.input(2);
    TF_ASSIGN_OR_RETURN(int64_t inner, SelectGeometry(c.shape(), t.shape(), e.shape()));
    Tensor* out;
    TF_RETURN_IF_ERROR(ctx.allocate_output(0, t.shape(), &out));
    if (t.num_elements() == 0) return Status::OK();
    TF_RETURN_IF_ERROR(Gpu(ctx).Activate());
    return Launched(cuda::LaunchSelect(static_cast<const bool*>(c.raw_data()), inner, t.raw_data(), e.raw_data(),
                                       out->raw_data(), t.num_elements(), static_cast<int>(DataTypeSize(t.dtype())),
                                       Gpu(ctx).compute_stream()),
                    "LaunchSelect");
  }
};

// ---- NN
class GpuBiasAddKernel : public OpKernel {
 public:
  using OpKernel::OpKernel;
  Status Compute(OpKernelContext& ctx) const override {
    const Tensor& v = ctx.input(0);
    const Tensor& b = ctx.input(1);
    TF_RETURN_IF_ERROR(CheckBiasAdd(v.shape(), b.shape()));
    Tensor* out;
    TF_RETURN_IF_ERROR(ctx.allocate_output(0, v.shape(), &out));
    if (v.num_elements() == 0) return Status::OK();
    TF_RETURN_IF_ERROR(Gpu(ctx).Activate());
    return Launched(cuda::LaunchBiasAdd(Elem(v.dtype()), v.raw_data(), b.raw_data(), out->raw_data(),
                                        v.num_elements(), b.dim(0), Gpu(ctx).compute_stream()),
                    "LaunchBiasAdd");
  }
};

class GpuSoftmaxKernel : public OpKernel {
 public:
  using OpKernel::OpKernel;
  Status Compute(OpKernelContext& ctx) const override {
    const Tensor& x = ctx.input(0);
    if (x.rank() < 1) return InvalidArgumentError("logits must have >= 1 dimension, got " + x.shape().DebugString());
    Tensor* out;
    TF_RETURN_IF_ERROR(ctx.allocate_output(0, x.shape(), &out));
    if (x.num_elements() == 0) return Status::OK();
    const int64_t cols = x.dim(x.rank() - 1);
    TF_RETURN_IF_ERROR(Gpu(ctx).Activate());
    return Launched(cuda::LaunchSoftmax(Elem(x.dtype()), x.raw_data(), out->raw_data(), x.num_elements() / cols, cols,
                                        Gpu(ctx).compute_stream()),
                    "LaunchSoftmax");
  }
};

// ---- Reductions: axes come from host memory.
class GpuReduceKernel : public OpKernel {
 public:
  GpuReduceKernel(const Node& node, cuda::ReduceKind kind)
      : OpKernel(node), kind_(kind), keep_dims_(*node.attr<bool>("keep_dims")) {}
  Status Compute(OpKernelContext& ctx) const override {
    const Tensor& x = ctx.input(0);
    const int rank = x.rank();
    std::vector<bool> reduce(static_cast<size_t>(rank), false);
    for (int64_t a : IntTensorValues(ctx.input(1))) {
      if (a < -rank || a >= rank) {
        return InvalidArgumentError("Invalid reduction dimension (" + std::to_string(a) + " for input with " +
                                    std::to_string(rank) + " dimension(s)");
      }
      reduce[static_cast<size_t>(a < 0 ? a + rank : a)] = true;
    }
    TensorShape out_shape;
    std::vector<int64_t> kdims, kstrides, rdims, rstrides;
    int64_t stride = 1, count = 1;
    std::vector<int64_t> strides(static_cast<size_t>(rank));
    for (int i = rank - 1; i >= 0; --i) {
      strides[static_cast<size_t>(i)] = stride;
      stride *= x.dim(i);
    }
    for (int i = 0; i < rank; ++i) {
      if (reduce[static_cast<size_t>(i)]) {
        rdims.push_back(x.dim(i));
        rstrides.push_back(strides[static_cast<size_t>(i)]);
        count *= x.dim(i);
        if (keep_dims_) out_shape.AddDim(1);
      } else {
        kdims.push_back(x.dim(i));
        kstrides.push_back(strides[static_cast<size_t>(i)]);
        out_shape.AddDim(x.dim(i));
      }
    }
    if (kdims.empty()) { kdims.push_back(1); kstrides.push_back(0); }
    if (rdims.empty()) { rdims.push_back(1); rstrides.push_back(0); }
    Tensor* out;
    TF_RETURN_IF_ERROR(ctx.allocate_output(0, out_shape, &out));
    if (out->num_elements() == 0) return Status::OK();
    TF_ASSIGN_OR_RETURN(StridedDims kept, ToStrided(kdims, kstrides, {}));
    TF_ASSIGN_OR_RETURN(StridedDims red, ToStrided(rdims, rstrides, {}));
    TF_RETURN_IF_ERROR(Gpu(ctx).Activate());
    return Launched(cuda::LaunchReduce(kind_, Elem(x.dtype()), x.raw_data(), out->raw_data(), out->num_elements(),
                                       kept, red, x.num_elements() == 0 ? 0 : count, Gpu(ctx).compute_stream()),
                    "LaunchReduce");
  }

 private:
  cuda::ReduceKind kind_;
  bool keep_dims_;
};

class GpuArgMaxKernel : public OpKernel {
 public:
  using OpKernel::OpKernel;
  Status Compute(OpKernelContext& ctx) const override {
    const Tensor& x = ctx.input(0);
    TF_ASSIGN_OR_RETURN(AxisSplit g, ArgMaxGeometry(x.shape(), ctx.input(1)));
    Tensor* out;
    TF_RETURN_IF_ERROR(ctx.allocate_output(0, g.out, &out));
    if (out->num_elements() == 0) return Status::OK();
    TF_RETURN_IF_ERROR(Gpu(ctx).Activate());
    if (out->num_elements() == 0) return Status::OK();
    TF_RETURN_IF_ERROR(Gpu(ctx).Activate());
    return Launched(cuda::LaunchArgMax(Elem(x.dtype()), x.raw_data(), static_cast<int64_t*>(out->raw_data()), g.outer,
                                       g.len, g.inner, Gpu(ctx).compute_stream()),
                    "LaunchArgMax");
  }
};

// ---- Layout
class GpuTransposeKernel : public OpKernel {
 public:
  using OpKernel::OpKernel;
  Status Compute(OpKernelContext& ctx) const override {
    const Tensor& x = ctx.input(0);
    std::vector<int64_t> perm = IntTensorValues(ctx.input(1));
    const int rank = x.rank();
    if (static_cast<int>(perm.size()) != rank) return InvalidArgumentError("transpose expects a vector of size " + std::to_string(rank));
    std::vector<int64_t> in_strides(static_cast<size_t>(rank), 1), dims, src;
    for (int i = rank - 2; i >= 0; --i) in_strides[static_cast<size_t>(i)] = in_strides[static_cast<size_t>(i) + 1] * x.dim(i + 1);
    std::vector<bool> seen(static_cast<size_t>(rank), false);
    TensorShape out_shape;
    for (int64_t p : perm) {
      if (p < 0 || p >= rank || seen[static_cast<size_t>(p)]) return InvalidArgumentError("Invalid permutation of length " + std::to_string(rank));
      seen[static_cast<size_t>(p)] = true;
      out_shape.AddDim(x.dim(static_cast<int>(p)));
      dims.push_back(x.dim(static_cast<int>(p)));
      src.push_back(in_strides[static_cast<size_t>(p)]);
    }
    Tensor* out;
    TF_RETURN_IF_ERROR(ctx.allocate_output(0, out_shape, &out));
    if (out->num_elements() == 0) return Status::OK();
    if (rank == 0) { dims = {1}; src = {0}; }
    TF_ASSIGN_OR_RETURN(StridedDims d, ToStrided(dims, src, {}));
    TF_RETURN_IF_ERROR(Gpu(ctx).Activate());
    return Launched(cuda::LaunchGather(x.raw_data(), out->raw_data(), out->num_elements(),
                                       static_cast<int>(DataTypeSize(x.dtype())), d, 0, Gpu(ctx).compute_stream()),
                    "LaunchGather");
  }
};

class GpuSliceKernel : public OpKernel {
 public:
  using OpKernel::OpKernel;
  Status Compute(OpKernelContext& ctx) const override {
    const Tensor& x = ctx.input(0);
    TF_ASSIGN_OR_RETURN(SliceGeometry g, SliceGeometryOf(x.shape(), ctx.input(1), ctx.input(2)));
    const int rank = x.rank();
    std::vector<int64_t> strides(static_cast<size_t>(rank), 1), dims, src;
    for (int i = rank - 2; i >= 0; --i) strides[static_cast<size_t>(i)] = strides[static_cast<size_t>(i) + 1] * x.dim(i + 1);
    const TensorShape& out_shape = g.out;
    int64_t base = 0;
    for (int i = 0; i < rank; ++i) {
      const size_t iu = static_cast<size_t>(i);
      dims.push_back(g.size[iu]);
      src.push_back(strides[iu]);
      base += g.begin[iu] * strides[iu];
    }
    Tensor* out;
    TF_RETURN_IF_ERROR(ctx.allocate_output(0, out_shape, &out));
    if (out->num_elements() == 0) return Status::OK();
    if (rank == 0) { dims = {1}; src = {0}; }
    TF_ASSIGN_OR_RETURN(StridedDims d, ToStrided(dims, src, {}));
    TF_RETURN_IF_ERROR(Gpu(ctx).Activate());
    return Launched(cuda::LaunchGather(x.raw_data(), out->raw_data(), out->num_elements(),
                                       static_cast<int>(DataTypeSize(x.dtype())), d, base, Gpu(ctx).compute_stream()),
                    "LaunchGather");
  }
};

class GpuConcatKernel : public OpKernel {
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
    TF_RETURN_IF_ERROR(Gpu(ctx).Activate());
    size_t col = 0;
    for (int i = 0; i < n; ++i) {
      const Tensor& t = ctx.input(i);
      const size_t chunk = static_cast<size_t>(t.dim(a) * inner) * es;
      if (chunk > 0) {
        TESSERA_CUDA_RETURN_IF_ERROR(cudaMemcpy2DAsync(static_cast<char*>(out->raw_data()) + col,
                                                       static_cast<size_t>(total * inner) * es, t.raw_data(), chunk,
                                                       chunk, static_cast<size_t>(outer), cudaMemcpyDeviceToDevice,
                                                       Gpu(ctx).compute_stream()));
      }
      col += chunk;
    }
    return Status::OK();
  }
};

uint64_t Pattern(const Tensor& scalar) {
  uint64_t p = 0;
  std::memcpy(&p, scalar.raw_data(), DataTypeSize(scalar.dtype()));
  return p;
}

class GpuFillKernel : public OpKernel {
 public:
  using OpKernel::OpKernel;
  Status Compute(OpKernelContext& ctx) const override {
    const Tensor& value = ctx.input(1);  // host memory
    if (value.rank() != 0) return InvalidArgumentError("value must be a scalar, got " + value.shape().DebugString());
    TF_ASSIGN_OR_RETURN(TensorShape shape, TensorShape::Make(IntTensorValues(ctx.input(0))));
    Tensor* out;
    TF_RETURN_IF_ERROR(ctx.allocate_output(0, shape, &out));
    TF_RETURN_IF_ERROR(Gpu(ctx).Activate());
    return Launched(cuda::LaunchFill(out->raw_data(), out->num_elements(), static_cast<int>(DataTypeSize(out->dtype())),
                                     Pattern(value), Gpu(ctx).compute_stream()),
                    "LaunchFill");
  }
};

class GpuConstantLikeKernel : public OpKernel {
 public:
  GpuConstantLikeKernel(const Node& node, bool ones) : OpKernel(node), ones_(ones) {}
  Status Compute(OpKernelContext& ctx) const override {
    const Tensor& x = ctx.input(0);
    Tensor* out;
    TF_RETURN_IF_ERROR(ctx.allocate_output(0, x.shape(), &out));
    Tensor v;
    TF_RETURN_IF_ERROR(SwitchAllTypes(x.dtype(), [&]<typename T>() { v = Tensor::Scalar<T>(ones_ ? T(1) : T(0)); }));
    TF_RETURN_IF_ERROR(Gpu(ctx).Activate());
    return Launched(cuda::LaunchFill(out->raw_data(), out->num_elements(), static_cast<int>(DataTypeSize(x.dtype())),
                                     Pattern(v), Gpu(ctx).compute_stream()),
                    "LaunchFill");
  }

 private:
  bool ones_;
};

class GpuRandomKernel : public OpKernel {
 public:
  GpuRandomKernel(const Node& node, bool normal) : OpKernel(node), normal_(normal) {
    const int64_t seed = *node.attr<int64_t>("seed"), seed2 = *node.attr<int64_t>("seed2");
    key_ = (seed == 0 && seed2 == 0) ? (static_cast<uint64_t>(std::random_device()()) << 32 | std::random_device()())
                                     : random::KeyFromSeeds(seed, seed2);
  }
  Status Compute(OpKernelContext& ctx) const override {
    TF_ASSIGN_OR_RETURN(TensorShape shape, TensorShape::Make(IntTensorValues(ctx.input(0))));
    Tensor* out;
    TF_RETURN_IF_ERROR(ctx.allocate_output(0, shape, &out));
    const int64_t n = out->num_elements();
    if (n == 0) return Status::OK();
    const uint64_t base = counter_.fetch_add(random::BlocksFor(n), std::memory_order_relaxed);
    TF_RETURN_IF_ERROR(Gpu(ctx).Activate());
    return Launched(cuda::LaunchRandom(normal_, Elem(out->dtype()), key_, base, out->raw_data(), n,
                                       Gpu(ctx).compute_stream()),
                    "LaunchRandom");
  }

 private:
  bool normal_;
  uint64_t key_;
  mutable std::atomic<uint64_t> counter_{0};
};

// ---- Variables: Assign copies the value into a fresh device buffer.
class GpuAssignKernel : public OpKernel {
 public:
  GpuAssignKernel(const Node& node, std::shared_ptr<Var> var, int mode)
      : OpKernel(node), var_(std::move(var)), mode_(mode), var_name_(node.inputs()[0].node()->name()) {}
  Status Compute(OpKernelContext& ctx) const override {
    const Tensor& value = ctx.input(1);
    GpuDevice& gpu = Gpu(ctx);
    TF_RETURN_IF_ERROR(gpu.Activate());
    std::lock_guard<std::mutex> l(var_->mu);
    TF_ASSIGN_OR_RETURN(Tensor next, AllocateTensor(gpu.allocator(), value.dtype(), value.shape()));
    if (mode_ == 0) {
      if (var_->value.valid() && !(var_->value.shape() == value.shape())) {
        return InvalidArgumentError("Assign requires shapes of both tensors to match. lhs shape= " +
                                    var_->value.shape().DebugString() + " rhs shape= " + value.shape().DebugString());
      }
      if (value.bytes() > 0) {
        TESSERA_CUDA_RETURN_IF_ERROR(cudaMemcpyAsync(next.raw_data(), value.raw_data(), value.bytes(),
                                                     cudaMemcpyDeviceToDevice, gpu.compute_stream()));
      }
    } else {
      if (!var_->value.valid()) return FailedPreconditionError("Attempting to use uninitialized value " + var_name_);
      if (!(var_->value.shape() == value.shape())) {
        return InvalidArgumentError("Cannot update variable with shape " + var_->value.shape().DebugString() +
                                    " using a Tensor with shape " + value.shape().DebugString() + ", shapes must be equal.");
      }
      StridedDims d;
      d.rank = 1;
      d.dims[0] = std::max<int64_t>(value.num_elements(), 1);
      d.a_strides[0] = d.b_strides[0] = 1;
      TF_RETURN_IF_ERROR(Launched(cuda::LaunchBinary(mode_ == 1 ? cuda::BinaryKind::kAdd : cuda::BinaryKind::kSub,
                                                     Elem(value.dtype()), var_->value.raw_data(), value.raw_data(),
                                                     next.raw_data(), value.num_elements(), d, gpu.compute_stream()),
                                  "LaunchBinary"));
    }
    var_->value = next;
    ctx.set_output(0, next);
    return Status::OK();
  }

 private:
  std::shared_ptr<Var> var_;
  int mode_;  // 0 assign, 1 add, 2 sub
  std::string var_name_;
};

template <typename K, typename... Args>
KernelFactory Factory(Args... args) {
  return [=](const KernelConstruction& c) -> StatusOr<std::unique_ptr<OpKernel>> {
    return std::unique_ptr<OpKernel>(std::make_unique<K>(c.node, args...));
  };
}

KernelFactory AssignFactory(int mode) {
  return [mode](const KernelConstruction& c) -> StatusOr<std::unique_ptr<OpKernel>> {
    return std::unique_ptr<OpKernel>(
        std::make_unique<GpuAssignKernel>(c.node, c.resources->LookupOrCreate(c.node.inputs()[0].node()->name()), mode));
  };
}

}  // namespace

void RegisterCudaMatMulKernels(KernelRegistry& r);

void RegisterCudaKernels(KernelRegistry& r) {
  const std::vector<DataType>& math = GpuMathTypes();
  const std::vector<DataType>& data = GpuDataTypes();
  const std::vector<DataType> floats = {DataType::kFloat, DataType::kDouble};
  const std::vector<DataType> ints = {DataType::kInt32, DataType::kInt64};
  std::vector<DataType> const_types = data;
  const_types.push_back(DataType::kInt32);

  RegisterMemoryAgnosticKernels(r, "GPU", const_types);
  RegisterVariableKernel(r, "GPU", data);
  r.Register({"Const", "GPU", {{"dtype", const_types}}, MakeGpuConst});

  using cuda::BinaryKind;
  const std::pair<const char*, BinaryKind> binary[] = {
      {"Add", BinaryKind::kAdd},         {"Sub", BinaryKind::kSub},         {"Mul", BinaryKind::kMul},
      {"Div", BinaryKind::kDiv},         {"Maximum", BinaryKind::kMaximum}, {"Minimum", BinaryKind::kMinimum},
      {"Less", BinaryKind::kLess},       {"Greater", BinaryKind::kGreater}};
  for (const auto& [op, kind] : binary) {
    // Integer Div and Pow keep their CPU kernels, which check for zero divisors and negative exponents.
    r.Register({op, "GPU", {{"T", kind == BinaryKind::kDiv ? floats : math}}, Factory<GpuBinaryKernel>(kind)});
  }
  r.Register({"Pow", "GPU", {{"T", floats}}, Factory<GpuBinaryKernel>(BinaryKind::kPow)});
  r.Register({"Equal", "GPU", {{"T", data}}, Factory<GpuBinaryKernel>(BinaryKind::kEqual)});

  using cuda::UnaryKind;
  const std::pair<const char*, UnaryKind> unary_all[] = {
      {"Neg", UnaryKind::kNeg}, {"Square", UnaryKind::kSquare}, {"Abs", UnaryKind::kAbs}, {"Relu", UnaryKind::kRelu}};
  for (const auto& [op, kind] : unary_all) r.Register({op, "GPU", {{"T", math}}, Factory<GpuUnaryKernel>(kind)});
  const std::pair<const char*, UnaryKind> unary_float[] = {{"Sqrt", UnaryKind::kSqrt},
                                                           {"Exp", UnaryKind::kExp},
                                                           {"Log", UnaryKind::kLog},
                                                           {"Tanh", UnaryKind::kTanh},
                                                           {"Sigmoid", UnaryKind::kSigmoid}};
  for (const auto& [op, kind] : unary_float) r.Register({op, "GPU", {{"T", floats}}, Factory<GpuUnaryKernel>(kind)});
  r.Register({"Cast", "GPU", {{"SrcT", data}, {"DstT", data}}, Factory<GpuCastKernel>()});
  r.Register({"Select", "GPU", {{"T", data}}, Factory<GpuSelectKernel>()});
  r.Register({"BiasAdd", "GPU", {{"T", math}}, Factory<GpuBiasAddKernel>()});
  r.Register({"Softmax", "GPU", {{"T", floats}}, Factory<GpuSoftmaxKernel>()});
  using cuda::ReduceKind;
  const std::pair<const char*, ReduceKind> reductions[] = {
      {"Sum", ReduceKind::kSum}, {"Mean", ReduceKind::kMean}, {"Max", ReduceKind::kMax}, {"Min", ReduceKind::kMin}};
  for (const auto& [op, kind] : reductions) {
    r.Register({op, "GPU", {{"T", math}, {"Tidx", ints}}, Factory<GpuReduceKernel>(kind), {1}});
  }
  r.Register({"ArgMax", "GPU", {{"T", math}, {"output_type", {DataType::kInt64}}}, Factory<GpuArgMaxKernel>(), {1}});
  r.Register({"Transpose", "GPU", {{"T", data}}, Factory<GpuTransposeKernel>(), {1}});
  r.Register({"Slice", "GPU", {{"T", data}}, Factory<GpuSliceKernel>(), {1, 2}});
  r.Register({"ConcatV2", "GPU", {{"T", data}}, Factory<GpuConcatKernel>(), {-1}});
  r.Register({"Fill", "GPU", {{"T", data}, {"index_type", ints}}, Factory<GpuFillKernel>(), {0, 1}});
  r.Register({"ZerosLike", "GPU", {{"T", data}}, Factory<GpuConstantLikeKernel>(false)});
  r.Register({"OnesLike", "GPU", {{"T", data}}, Factory<GpuConstantLikeKernel>(true)});
  r.Register({"RandomUniform", "GPU", {{"dtype", floats}}, Factory<GpuRandomKernel>(false), {0}});
  r.Register({"RandomStandardNormal", "GPU", {{"dtype", floats}}, Factory<GpuRandomKernel>(true), {0}});
  r.Register({"Assign", "GPU", {{"T", data}}, AssignFactory(0)});
  r.Register({"AssignAdd", "GPU", {{"T", math}}, AssignFactory(1)});
  r.Register({"AssignSub", "GPU", {{"T", math}}, AssignFactory(2)});
  RegisterCudaMatMulKernels(r);
}

}  // namespace tessera
