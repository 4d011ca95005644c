#include "src/persistence/proto_util.h"

namespace tessera::persistence {

tfproto::DataType ToProto(DataType dt) {
  switch (dt) {
    case DataType::kFloat:
      return tfproto::DT_FLOAT;
    case DataType::kDouble:
      return tfproto::DT_DOUBLE;
    case DataType::kInt32:
      return tfproto::DT_INT32;
    case DataType::kInt64:
      return tfproto::DT_INT64;
    case DataType::kBool:
      return tfproto::DT_BOOL;
    case DataType::kHalf:
      return tfproto::DT_HALF;
    case DataType::kBFloat16:
      return tfproto::DT_BFLOAT16;
    case DataType::kString:
      return tfproto::DT_STRING;
    case DataType::kInvalid:
      break;
  }
  return tfproto::DT_INVALID;
}

std::string ProtoDataTypeName(int proto_dtype) {
  if (!tfproto::DataType_IsValid(proto_dtype)) return std::to_string(proto_dtype);
  return tfproto::DataType_Name(static_cast<tfproto::DataType>(proto_dtype));
}

StatusOr<DataType> FromProto(int proto_dtype, const std::string& what) {
  switch (proto_dtype) {
    case tfproto::DT_FLOAT:
      return DataType::kFloat;
    case tfproto::DT_DOUBLE:
      return DataType::kDouble;
    case tfproto::DT_INT32:
      return DataType::kInt32;
    case tfproto::DT_INT64:
      return DataType::kInt64;
    case tfproto::DT_BOOL:
      return DataType::kBool;
    case tfproto::DT_HALF:
      return DataType::kHalf;
    case tfproto::DT_BFLOAT16:
      return DataType::kBFloat16;
    case tfproto::DT_STRING:
      return DataType::kString;
    default:
      break;
  }
  if (proto_dtype <= 0 || !tfproto::DataType_IsValid(proto_dtype)) {
    return InvalidArgumentError(what + " has an invalid dtype (" + std::to_string(proto_dtype) + ")");
  }
  return UnimplementedError(what + " has dtype " + ProtoDataTypeName(proto_dtype) + ", which tessera does not support");
}

void ToProto(const TensorShape& shape, tfproto::TensorShapeProto* out) {
  out->Clear();
  for (int i = 0; i < shape.rank(); ++i) out->add_dim()->set_size(shape.dim(i));
}

StatusOr<TensorShape> FromProto(const tfproto::TensorShapeProto& shape, const std::string& what) {
  if (shape.unknown_rank()) return InvalidArgumentError(what + " has a shape of unknown rank");
  if (shape.dim_size() > kMaxRank) {
    return InvalidArgumentError(what + " has " + std::to_string(shape.dim_size()) + " dimensions; at most " +
                                std::to_string(kMaxRank) + " are supported");
  }
  std::vector<int64_t> dims;
  dims.reserve(static_cast<size_t>(shape.dim_size()));
  for (const auto& d : shape.dim()) dims.push_back(d.size());
  StatusOr<TensorShape> s = TensorShape::Make(dims);
  if (!s.ok()) return InvalidArgumentError(what + ": " + s.status().message());
  return s;
}

}  // namespace tessera::persistence
