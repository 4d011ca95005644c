// SaveV2, RestoreV2 and PlaceholderWithDefault: the ops a Saver builds, as
// TF's. SaveV2 and RestoreV2 have CPU kernels only (they touch files), so
// under soft placement a save path pinned to a GPU falls back to the CPU, as
// in TF. Tensors are saved and restored whole (shape_and_slices "").
#include "src/framework/kernel_registry.h"
#include "src/framework/op_kernel.h"
#include "src/framework/op_registry.h"
#include "src/ops/builder.h"
#include "src/persistence/tensor_bundle.h"
#include "tessera/ops.h"

namespace tessera {
namespace {

using ops_internal::Build;
using ops_internal::OpName;

Status ExpectStringInput(InferenceContext& c, int i, int rank, std::string_view what) {
  if (c.input_type(i) != DataType::kString) {
    return c.Error("Input " + std::string(what) + " must be a string tensor, got " +
                   std::string(DataTypeString(c.input_type(i))));
  }
  const PartialShape s = c.input_shape(i);
  if (s.known_rank() && s.rank() != rank) {
    return c.Error("Input " + std::string(what) + " must have rank " + std::to_string(rank) + ", got shape " +
                   s.DebugString());
  }
  return Status::OK();
}

Status SaveV2Shape(InferenceContext& c) {
  if (c.num_inputs() < 3) return c.Error("SaveV2 needs prefix, tensor_names and shape_and_slices");
  TESSERA_RETURN_IF_ERROR(ExpectStringInput(c, 0, 0, "prefix"));
  TESSERA_RETURN_IF_ERROR(ExpectStringInput(c, 1, 1, "tensor_names"));
  TESSERA_RETURN_IF_ERROR(ExpectStringInput(c, 2, 1, "shape_and_slices"));
  std::vector<DataType> dtypes;
  for (int i = 3; i < c.num_inputs(); ++i) dtypes.push_back(c.input_type(i));
  const int64_t n = static_cast<int64_t>(dtypes.size());
  for (int i : {1, 2}) {
    const PartialShape s = c.input_shape(i);
    if (s.known_rank() && s.dim(0) >= 0 && s.dim(0) != n) {
      return c.Error(std::string(i == 1 ? "tensor_names" : "shape_and_slices") + " has " + std::to_string(s.dim(0)) +
                     " elements but " + std::to_string(n) + " tensors are given");
    }
  }
  c.SetAttr("dtypes", dtypes);
  return Status::OK();
}

Status RestoreV2Shape(InferenceContext& c) {
  TESSERA_RETURN_IF_ERROR(ExpectStringInput(c, 0, 0, "prefix"));
  TESSERA_RETURN_IF_ERROR(ExpectStringInput(c, 1, 1, "tensor_names"));
  TESSERA_RETURN_IF_ERROR(ExpectStringInput(c, 2, 1, "shape_and_slices"));
  const auto* dtypes = c.attr<std::vector<DataType>>("dtypes");
  if (dtypes == nullptr || dtypes->empty()) return c.Error("RestoreV2 needs a non-empty 'dtypes' attribute");
  for (int i : {1, 2}) {
    const PartialShape s = c.input_shape(i);
    if (s.known_rank() && s.dim(0) >= 0 && s.dim(0) != static_cast<int64_t>(dtypes->size())) {
      return c.Error(std::string(i == 1 ? "tensor_names" : "shape_and_slices") + " has " + std::to_string(s.dim(0)) +
                     " elements but 'dtypes' names " + std::to_string(dtypes->size()) + " tensors");
    }
  }
  for (DataType dt : *dtypes) {
    TESSERA_RETURN_IF_ERROR(c.ExpectTypeIn(
        dt, {DataType::kFloat, DataType::kDouble, DataType::kInt32, DataType::kInt64, DataType::kBool}, "dtypes"));
    c.AddOutput(dt, PartialShape());
  }
  return Status::OK();
}

Status PlaceholderWithDefaultShape(InferenceContext& c) {
  const PartialShape* shape = c.attr<PartialShape>("shape");
  const PartialShape in = c.input_shape(0);
  bool compatible = shape == nullptr || !shape->known_rank() || !in.known_rank() || shape->rank() == in.rank();
  for (int i = 0; compatible && shape != nullptr && shape->known_rank() && i < in.rank(); ++i) {
    compatible = shape->dim(i) < 0 || in.dim(i) < 0 || shape->dim(i) == in.dim(i);
  }
  if (!compatible) {
    return c.Error("PlaceholderWithDefault: the default value's shape " + in.DebugString() +
                   " is not compatible with the shape " + shape->DebugString());
  }
  c.SetAttr("dtype", c.input_type(0));
  c.AddOutput(c.input_type(0), shape != nullptr ? *shape : in);
  return Status::OK();
}

// prefix, tensor_names and shape_and_slices as the kernels check them (TF's texts).
Status CheckSaveRestoreInputs(const OpKernelContext& ctx, int64_t n) {
  const Tensor& prefix = ctx.input(0);
  if (prefix.num_elements() != 1) {
    return InvalidArgumentError("Input prefix should have a single element, got " +
                                std::to_string(prefix.num_elements()) + " instead.");
  }
  if (ctx.input(1).rank() != 1 || ctx.input(1).num_elements() != n) {
    return InvalidArgumentError("Expected " + std::to_string(n) + " elements in tensor_names, got shape " +
                                ctx.input(1).shape().DebugString());
  }
  if (ctx.input(2).rank() != 1 || ctx.input(2).num_elements() != n) {
    return InvalidArgumentError("Expected " + std::to_string(n) + " elements in shapes_and_slices, got shape " +
                                ctx.input(2).shape().DebugString());
  }
  for (const std::string& s : ctx.input(2).flat<std::string>()) {
    if (!s.empty()) {
      return UnimplementedError("shape_and_slices \"" + s +
                                "\": tessera saves and restores whole tensors (shape_and_slices \"\")");
    }
  }
  if (prefix.flat<std::string>()[0].empty()) return InvalidArgumentError("The checkpoint prefix is empty");
  return Status::OK();
}

class SaveV2Op : public OpKernel {
 public:
  using OpKernel::OpKernel;
  Status Compute(OpKernelContext& ctx) const override {
    const int64_t n = ctx.num_inputs() - 3;
    TESSERA_RETURN_IF_ERROR(CheckSaveRestoreInputs(ctx, n));
    persistence::BundleWriter writer(ctx.input(0).flat<std::string>()[0]);
    std::span<const std::string> names = ctx.input(1).flat<std::string>();
    for (int64_t i = 0; i < n; ++i) {
      TESSERA_RETURN_IF_ERROR(writer.Add(names[static_cast<size_t>(i)], ctx.input(static_cast<int>(3 + i))));
    }
    return writer.Finish();
  }
};

class RestoreV2Op : public OpKernel {
 public:
  using OpKernel::OpKernel;
  Status Compute(OpKernelContext& ctx) const override {
    const auto& dtypes = *node().attr<std::vector<DataType>>("dtypes");
    TESSERA_RETURN_IF_ERROR(CheckSaveRestoreInputs(ctx, static_cast<int64_t>(dtypes.size())));
    TESSERA_ASSIGN_OR_RETURN(auto reader, persistence::BundleReader::Open(ctx.input(0).flat<std::string>()[0]));
    std::span<const std::string> names = ctx.input(1).flat<std::string>();
    for (size_t i = 0; i < dtypes.size(); ++i) {
      TESSERA_ASSIGN_OR_RETURN(const persistence::BundleEntry* e, reader->Lookup(names[i]));
      if (e->dtype != dtypes[i]) {
        return InvalidArgumentError("tensor_name = " + names[i] + "; expected dtype " +
                                    std::string(DataTypeString(dtypes[i])) + " does not equal original dtype " +
                                    std::string(DataTypeString(e->dtype)) + " (checkpoint " + reader->prefix() + ")");
      }
      TESSERA_ASSIGN_OR_RETURN(Tensor t, reader->Read(names[i]));
      ctx.set_output(static_cast<int>(i), std::move(t));
    }
    return Status::OK();
  }
};

}  // namespace

void RegisterIoOps(OpRegistry& r) {
  r.Register(OpDef("SaveV2").Inputs(3, -1).Stateful().SetShapeFn(SaveV2Shape));
  r.Register(OpDef("RestoreV2").Inputs(3).Stateful().SetShapeFn(RestoreV2Shape));
  r.Register(OpDef("PlaceholderWithDefault").Inputs(1).TypeAttr("dtype").SetShapeFn(PlaceholderWithDefaultShape));
}

Status RegisterCpuIoKernels(KernelRegistry& r) {
  TESSERA_RETURN_IF_ERROR(r.Register(KernelDef("SaveV2", DeviceType::kCpu).Factory(MakeKernelFactory<SaveV2Op>())));
  return r.Register(KernelDef("RestoreV2", DeviceType::kCpu).Factory(MakeKernelFactory<RestoreV2Op>()));
}

namespace ops {

Output PlaceholderWithDefault(Graph& g, Output input, const PartialShape& shape, Name name) {
  return Build(g, "PlaceholderWithDefault", OpName(name, "PlaceholderWithDefault"), {input}, AttrMap{{"shape", shape}});
}

Operation SaveV2(Graph& g, Output prefix, Output tensor_names, Output shape_and_slices,
                 const std::vector<Output>& tensors, Name name) {
  std::vector<Output> inputs = {prefix, tensor_names, shape_and_slices};
  inputs.insert(inputs.end(), tensors.begin(), tensors.end());
  return g.AddNodeOrRecord(NodeSpec{"SaveV2", OpName(name, "SaveV2"), std::move(inputs), {}, {}});
}

std::vector<Output> RestoreV2(Graph& g, Output prefix, Output tensor_names, Output shape_and_slices,
                              const std::vector<DataType>& dtypes, Name name) {
  Operation op = g.AddNodeOrRecord(NodeSpec{"RestoreV2",
                                            OpName(name, "RestoreV2"),
                                            {prefix, tensor_names, shape_and_slices},
                                            AttrMap{{"dtypes", dtypes}},
                                            {}});
  return ops_internal::AllOutputs(op);
}

}  // namespace ops
}  // namespace tessera
