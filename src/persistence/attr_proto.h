// Tensor <-> TensorProto and tessera's attribute values <-> AttrValue, for
// GraphDef import and export.
#pragma once

#include <string>

#include "src/persistence/graph.pb.h"
#include "tessera/graph.h"

namespace tessera::persistence {

void ToProto(const Tensor& t, tfproto::TensorProto* out);
// TF's rules: tensor_content holds the bytes; else the typed values, the last
// one repeated to fill the shape (none: zeros). `what` names the node and
// attribute for errors.
StatusOr<Tensor> FromProto(const tfproto::TensorProto& p, const std::string& what);

void ToProto(const AttrValue& v, tfproto::AttrValue* out);
StatusOr<AttrValue> FromProto(const tfproto::AttrValue& v, const std::string& what);

// TF's type of `op`'s attribute `attr` ("int", "list(type)"...), "" when TF's
// OpDef has no such attribute (or tessera has no such op).
std::string_view TfAttrType(std::string_view op, std::string_view attr);
// Checks `v` against TF's attribute type (an empty list takes the list's
// type); InvalidArgument naming `what` when the kinds differ.
Status CheckAttrKind(std::string_view tf_type, const std::string& what, AttrValue* v);

}  // namespace tessera::persistence
