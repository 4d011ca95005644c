#include "src/persistence/attr_proto.h"

#include <cstring>

#include "src/persistence/proto_util.h"

namespace tessera::persistence {
namespace {

void ShapeToProto(const PartialShape& s, tfproto::TensorShapeProto* out) {
  out->Clear();
  if (!s.known_rank()) {
    out->set_unknown_rank(true);
    return;
  }
  for (int64_t d : s.dims()) out->add_dim()->set_size(d < 0 ? -1 : d);
}

StatusOr<PartialShape> PartialShapeFromProto(const tfproto::TensorShapeProto& p, const std::string& what) {
  if (p.unknown_rank()) return PartialShape();
  if (p.dim_size() > kMaxRank)
    return InvalidArgumentError(what + ": a shape of " + std::to_string(p.dim_size()) + " dimensions");
  std::vector<int64_t> dims;
  for (const auto& d : p.dim()) {
    if (d.size() < -1) return InvalidArgumentError(what + ": dimension " + std::to_string(d.size()) + " in a shape");
    dims.push_back(d.size());
  }
  return PartialShape(std::move(dims));
}

// The typed values of `p` as T, converted from the field TF uses for `dt`.
template <typename T, typename Field>
Status FillFrom(const Field& values, Tensor* t) {
  std::span<T> out = t->flat<T>();
  if (values.empty() || out.empty()) return Status::OK();  // zeros
  for (size_t i = 0; i < out.size(); ++i) {
    out[i] = static_cast<T>(values[static_cast<int>(std::min<size_t>(i, static_cast<size_t>(values.size()) - 1))]);
  }
  return Status::OK();
}

Status FillTyped(const tfproto::TensorProto& p, Tensor* t, const std::string& what) {
  switch (t->dtype()) {
    case DataType::kFloat:
      return FillFrom<float>(p.float_val(), t);
    case DataType::kDouble:
      return FillFrom<double>(p.double_val(), t);
    case DataType::kInt32:
      return FillFrom<int32_t>(p.int_val(), t);
    case DataType::kInt64:
      return FillFrom<int64_t>(p.int64_val(), t);
    case DataType::kBool:
      return FillFrom<bool>(p.bool_val(), t);
    case DataType::kString: {
      std::span<std::string> out = t->flat<std::string>();
      for (size_t i = 0; i < out.size() && p.string_val_size() > 0; ++i) {
        out[i] = p.string_val(static_cast<int>(std::min<size_t>(i, static_cast<size_t>(p.string_val_size()) - 1)));
      }
      return Status::OK();
    }
    default:
      if (p.half_val_size() == 0) return Status::OK();
      return UnimplementedError(what + ": " + std::string(DataTypeString(t->dtype())) +
                                " values are read from tensor_content only");
  }
}

}  // namespace

void ToProto(const Tensor& t, tfproto::TensorProto* out) {
  out->Clear();
  out->set_dtype(ToProto(t.dtype()));
  ToProto(t.shape(), out->mutable_tensor_shape());
  if (t.dtype() == DataType::kString) {
    for (const std::string& s : t.flat<std::string>()) out->add_string_val(s);
  } else if (t.bytes() > 0) {
    out->set_tensor_content(t.raw_data(), t.bytes());
  }
}

StatusOr<Tensor> FromProto(const tfproto::TensorProto& p, const std::string& what) {
  TESSERA_ASSIGN_OR_RETURN(DataType dt, FromProto(p.dtype(), what));
  TESSERA_ASSIGN_OR_RETURN(TensorShape shape, FromProto(p.tensor_shape(), what));
  StatusOr<Tensor> made = Tensor::Create(dt, shape);
  if (!made.ok()) return Status(made.status().code(), what + ": " + made.status().message());
  Tensor t = std::move(made).value();
  if (!p.tensor_content().empty()) {
    if (dt == DataType::kString) return InvalidArgumentError(what + ": a string tensor with tensor_content");
    if (p.tensor_content().size() != t.bytes()) {
      return InvalidArgumentError(what + ": tensor_content has " + std::to_string(p.tensor_content().size()) +
                                  " bytes, but a " + std::string(DataTypeString(dt)) + " tensor of shape " +
                                  shape.DebugString() + " needs " + std::to_string(t.bytes()));
    }
    std::memcpy(t.raw_data(), p.tensor_content().data(), t.bytes());
    return t;
  }
  TESSERA_RETURN_IF_ERROR(FillTyped(p, &t, what));
  return t;
}

void ToProto(const AttrValue& v, tfproto::AttrValue* out) {
  out->Clear();
  if (const auto* i = std::get_if<int64_t>(&v)) {
    out->set_i(*i);
  } else if (const auto* f = std::get_if<float>(&v)) {
    out->set_f(*f);
  } else if (const auto* b = std::get_if<bool>(&v)) {
    out->set_b(*b);
  } else if (const auto* dt = std::get_if<DataType>(&v)) {
    out->set_type(ToProto(*dt));
  } else if (const auto* s = std::get_if<std::string>(&v)) {
    out->set_s(*s);
  } else if (const auto* is = std::get_if<std::vector<int64_t>>(&v)) {
    auto* list = out->mutable_list();
    for (int64_t x : *is) list->add_i(x);
  } else if (const auto* ss = std::get_if<std::vector<std::string>>(&v)) {
    auto* list = out->mutable_list();
    for (const std::string& x : *ss) list->add_s(x);
  } else if (const auto* shape = std::get_if<PartialShape>(&v)) {
    ShapeToProto(*shape, out->mutable_shape());
  } else if (const auto* t = std::get_if<Tensor>(&v)) {
    ToProto(*t, out->mutable_tensor());
  } else if (const auto* ts = std::get_if<std::vector<DataType>>(&v)) {
    auto* list = out->mutable_list();
    for (DataType x : *ts) list->add_type(ToProto(x));
  }
}

StatusOr<AttrValue> FromProto(const tfproto::AttrValue& v, const std::string& what) {
  switch (v.value_case()) {
    case tfproto::AttrValue::kI:
      return AttrValue(v.i());
    case tfproto::AttrValue::kF:
      return AttrValue(v.f());
    case tfproto::AttrValue::kB:
      return AttrValue(v.b());
    case tfproto::AttrValue::kType: {
      // A reference type (DT_FLOAT_REF) names the same element type.
      const int base = v.type() > 100 ? v.type() - 100 : v.type();
      TESSERA_ASSIGN_OR_RETURN(DataType dt, FromProto(base, what));
      return AttrValue(dt);
    }
    case tfproto::AttrValue::kS:
      return AttrValue(v.s());
    case tfproto::AttrValue::kShape: {
      TESSERA_ASSIGN_OR_RETURN(PartialShape s, PartialShapeFromProto(v.shape(), what));
      return AttrValue(std::move(s));
    }
    case tfproto::AttrValue::kTensor: {
      TESSERA_ASSIGN_OR_RETURN(Tensor t, FromProto(v.tensor(), what));
      return AttrValue(std::move(t));
    }
    case tfproto::AttrValue::kList: {
      const auto& l = v.list();
      if (l.s_size() > 0) return AttrValue(std::vector<std::string>(l.s().begin(), l.s().end()));
      if (l.type_size() > 0) {
        std::vector<DataType> types;
        for (int t : l.type()) {
          TESSERA_ASSIGN_OR_RETURN(DataType dt, FromProto(t > 100 ? t - 100 : t, what));
          types.push_back(dt);
        }
        return AttrValue(std::move(types));
      }
      if (l.f_size() > 0 || l.b_size() > 0 || l.shape_size() > 0 || l.tensor_size() > 0 || l.func_size() > 0) {
        return UnimplementedError(what + ": lists of floats, bools, shapes, tensors or functions are not supported");
      }
      return AttrValue(std::vector<int64_t>(l.i().begin(), l.i().end()));
    }
    case tfproto::AttrValue::kFunc:
      return UnimplementedError(what + ": function attributes are not supported");
    case tfproto::AttrValue::kPlaceholder:
      return UnimplementedError(what + ": placeholder attributes (of function bodies) are not supported");
    case tfproto::AttrValue::VALUE_NOT_SET:
      break;
  }
  return InvalidArgumentError(what + ": the attribute has no value");
}

namespace {

const char* KindName(const AttrValue& v) {
  constexpr const char* kNames[] = {"int",       "float",        "bool",  "type",   "string",
                                    "list(int)", "list(string)", "shape", "tensor", "list(type)"};
  return kNames[v.index()];
}

}  // namespace

Status CheckAttrKind(std::string_view tf_type, const std::string& what, AttrValue* v) {
  if (tf_type.empty() || tf_type == KindName(*v)) return Status::OK();
  const auto* ints = std::get_if<std::vector<int64_t>>(v);
  if (ints != nullptr && ints->empty()) {  // an empty list has no kind of its own
    if (tf_type == "list(string)") return *v = std::vector<std::string>(), Status::OK();
    if (tf_type == "list(type)") return *v = std::vector<DataType>(), Status::OK();
  }
  if (tf_type != "int" && tf_type != "float" && tf_type != "bool" && tf_type != "type" && tf_type != "string" &&
      tf_type != "shape" && tf_type != "tensor" && tf_type != "list(int)" && tf_type != "list(string)" &&
      tf_type != "list(type)") {
    return Status::OK();  // kinds tessera's ops do not read
  }
  return InvalidArgumentError(what + ": TensorFlow's op takes " + std::string(tf_type) + ", the file has " +
                              KindName(*v));
}

}  // namespace tessera::persistence
