// NN ops: BiasAdd, Softmax, Relu.
#include "src/framework/op_registry.h"
#include "src/ops/builder.h"

namespace tessera {
namespace {

using ops_internal::Build;
using ops_internal::OpName;

Status BiasAddShape(InferenceContext& c) {
  DataType dt = DataType::kInvalid;
  TESSERA_RETURN_IF_ERROR(c.ExpectSameTypes(0, 2, &dt));
  TESSERA_RETURN_IF_ERROR(
      c.ExpectTypeIn(dt, {DataType::kFloat, DataType::kDouble, DataType::kInt32, DataType::kInt64}, "Input 0"));
  c.SetAttr("T", dt);
  TESSERA_RETURN_IF_ERROR(c.ExpectMinRank(0, 2));
  TESSERA_RETURN_IF_ERROR(c.ExpectRank(1, 1));
  PartialShape v = c.input_shape(0), b = c.input_shape(1);
  if (v.known_rank() && b.known_rank()) {
    int64_t last = v.dim(v.rank() - 1), nb = b.dim(0);
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

}  // namespace

void RegisterNnOps(OpRegistry& r) {
  r.Register(OpDef("BiasAdd").Inputs(2).TypeAttr("T").SetShapeFn(BiasAddShape));
  r.Register(OpDef("Softmax").Inputs(1).TypeAttr("T").SetShapeFn(SoftmaxShape));
  r.Register(OpDef("Relu").Inputs(1).TypeAttr("T").SetShapeFn(ReluShape));
}

namespace ops {
Output BiasAdd(Graph& g, Output value, Output bias, Name name) {
  return Build(g, "BiasAdd", OpName(name, "BiasAdd"), {value, bias});
}
Output Softmax(Graph& g, Output logits, Name name) { return Build(g, "Softmax", OpName(name, "Softmax"), {logits}); }
Output Relu(Graph& g, Output x, Name name) { return Build(g, "Relu", OpName(name, "Relu"), {x}); }
}  // namespace ops
}  // namespace tessera
