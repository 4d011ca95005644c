// Conversions between tessera's types and TensorFlow's protos (DataType
// enum values, TensorShapeProto), shared by checkpoints and GraphDefs.
#pragma once

#include <google/protobuf/io/tokenizer.h>

#include <string>

#include "src/persistence/checkpoint.pb.h"
#include "tessera/status.h"
#include "tessera/types.h"

namespace tessera::persistence {

tfproto::DataType ToProto(DataType dt);
// InvalidArgument for DT_INVALID and unknown values; Unimplemented, naming
// the type, for TF types tessera has no tensors of (DT_UINT8, DT_COMPLEX64...).
// `what` names the tensor or attribute for the message.
StatusOr<DataType> FromProto(int proto_dtype, const std::string& what);
// TF's enum name ("DT_UINT8"), or the number for values TF does not define.
std::string ProtoDataTypeName(int proto_dtype);

void ToProto(const TensorShape& shape, tfproto::TensorShapeProto* out);
// InvalidArgument for an unknown rank, an unknown (-1) or negative dim or
// too many elements, naming `what`.
StatusOr<TensorShape> FromProto(const tfproto::TensorShapeProto& shape, const std::string& what);

// Keeps protobuf's text-format parse errors ("line 1, column 24: Expected
// string, got: [") for our Status, instead of its log on stderr.
class ProtoParseErrors : public google::protobuf::io::ErrorCollector {
 public:
  void AddError(int line, int column, const std::string& message) override {
    if (first.empty()) {
      first = "line " + std::to_string(line + 1) + ", column " + std::to_string(column + 1) + ": " + message;
    }
  }
  std::string first;
};

}  // namespace tessera::persistence
