// RegisterBackendKernels: every shared kernel, for one backend's table.
#include <algorithm>

#include "src/framework/op_registry.h"
#include "src/kernels/kernel_families.h"

namespace tessera {

const char* BinaryOpName(BinaryOp op) {
  static constexpr const char* kNames[] = {"Add",        "Sub",          "Mul",       "Div",      "Maximum",
                                           "Minimum",    "Pow",          "Equal",     "Less",     "Greater",
                                           "NotEqual",   "GreaterEqual", "LessEqual", "FloorDiv", "FloorMod",
                                           "LogicalAnd", "LogicalOr",    "ReluGrad",  "TanhGrad", "SigmoidGrad"};
  static_assert(std::size(kNames) == kNumBinaryOps);
  return kNames[static_cast<int>(op)];
}

const char* UnaryOpName(UnaryOp op) {
  static constexpr const char* kNames[] = {"Neg",   "Square",  "Sqrt",       "Exp",        "Log",   "Abs",
                                           "Tanh",  "Sigmoid", "Relu",       "Sign",       "Floor", "Ceil",
                                           "Round", "Rsqrt",   "Reciprocal", "LogicalNot", "Log1p"};
  static_assert(std::size(kNames) == kNumUnaryOps);
  return kNames[static_cast<int>(op)];
}

const char* ReduceOpName(ReduceOp op) {
  static constexpr const char* kNames[] = {"Sum", "Mean", "Max", "Min", "Prod", "All", "Any"};
  static_assert(std::size(kNames) == kNumReduceOps);
  return kNames[static_cast<int>(op)];
}

const char* AssignOpName(AssignOp op) {
  static constexpr const char* kNames[] = {"Assign", "AssignAdd", "AssignSub"};
  static_assert(std::size(kNames) == kNumAssignOps);
  return kNames[static_cast<int>(op)];
}

Status FillZeros(OpKernelContext& ctx, FillMath fill, Tensor* out) {
  static constexpr int64_t kZero = 0;
  return out->num_elements() == 0 ? Status::OK() : fill(ctx, &kZero, out);
}

KernelDef TypedKernelDef(const char* op, DeviceType dev, const std::vector<DataType>& types) {
  KernelDef def(op, dev);
  const OpDef* op_def = OpRegistry::Global().Lookup(op);
  if (op_def == nullptr ||
      std::find(op_def->type_attrs.begin(), op_def->type_attrs.end(), "T") != op_def->type_attrs.end()) {
    def.TypeConstraint("T", types);
  }
  return def;
}

const std::vector<DataType>& FloatTypes() {
  static const std::vector<DataType> t = {DataType::kFloat, DataType::kDouble};
  return t;
}
const std::vector<DataType>& NumericTypes() {
  static const std::vector<DataType> t = {DataType::kFloat, DataType::kDouble, DataType::kInt32, DataType::kInt64};
  return t;
}
const std::vector<DataType>& AllTypes() {
  static const std::vector<DataType> t = {DataType::kFloat, DataType::kDouble, DataType::kInt32, DataType::kInt64,
                                          DataType::kBool};
  return t;
}
const std::vector<DataType>& BoolTypes() {
  static const std::vector<DataType> t = {DataType::kBool};
  return t;
}
const std::vector<DataType>& IndexTypes() {
  static const std::vector<DataType> t = {DataType::kInt32, DataType::kInt64};
  return t;
}

Status RegisterBackendKernels(KernelRegistry& r, const BackendKernels& b) {
  TESSERA_RETURN_IF_ERROR(RegisterPassthroughKernels(r, b));
  TESSERA_RETURN_IF_ERROR(RegisterArrayKernels(r, b));
  TESSERA_RETURN_IF_ERROR(RegisterLayoutKernels(r, b));
  TESSERA_RETURN_IF_ERROR(RegisterCwiseKernels(r, b));
  TESSERA_RETURN_IF_ERROR(RegisterNnKernels(r, b));
  TESSERA_RETURN_IF_ERROR(RegisterReductionKernels(r, b));
  TESSERA_RETURN_IF_ERROR(RegisterRandomKernels(r, b));
  TESSERA_RETURN_IF_ERROR(RegisterStateKernels(r, b));
  TESSERA_RETURN_IF_ERROR(RegisterTrainingKernels(r, b));
  TESSERA_RETURN_IF_ERROR(RegisterConvKernels(r, b));
  return RegisterMatMulKernels(r, b);
}

}  // namespace tessera
