// GraphDef export and import (tessera/graph_def.h).
#include "tessera/graph_def.h"

#include <google/protobuf/io/coded_stream.h>
#include <google/protobuf/io/tokenizer.h>
#include <google/protobuf/io/zero_copy_stream_impl_lite.h>
#include <google/protobuf/text_format.h>

#include <algorithm>
#include <deque>
#include <set>
#include <unordered_map>

#include "src/framework/op_registry.h"
#include "src/persistence/attr_proto.h"
#include "src/persistence/file_util.h"
#include "src/persistence/graph.pb.h"
#include "src/persistence/proto_util.h"

namespace tessera {
namespace {

// TF's GraphDef version of the TensorFlow our op table comes from (2.21).
constexpr int kGraphDefProducer = 2474;

struct TfArg {
  const char* type_attr;
  const char* number_attr;
  const char* type_list_attr;
};
struct TfAttr {
  const char* name;
  const char* type;  // TF's: "int", "list(type)", ...
};
struct TfOpDef {
  const char* op;
  std::vector<TfArg> inputs, outputs;
  std::vector<TfAttr> attrs;
};
const std::vector<TfOpDef> kTfOpDefs = {
#include "src/persistence/tf_op_defs.inc"
};

const TfOpDef* FindTfOpDef(std::string_view op) {
  static const auto* index = [] {
    auto* m = new std::unordered_map<std::string_view, const TfOpDef*>();
    for (const TfOpDef& d : kTfOpDefs) (*m)[d.op] = &d;
    return m;
  }();
  auto it = index->find(op);
  return it == index->end() ? nullptr : it->second;
}

}  // namespace

namespace persistence {

std::string_view TfAttrType(std::string_view op, std::string_view attr) {
  if (const TfOpDef* d = FindTfOpDef(op)) {
    for (const TfAttr& a : d->attrs) {
      if (attr == a.name) return a.type;
    }
  }
  return {};
}

}  // namespace persistence

namespace {

// Adds the attributes TF's OpDef names that tessera's node does not carry,
// derived from the dtypes and counts of its inputs and outputs.
void AddTfTypeAttrs(const Node& n, tfproto::NodeDef* def) {
  const TfOpDef* op = FindTfOpDef(n.op());
  if (op == nullptr) return;
  auto& attrs = *def->mutable_attr();
  auto set_type = [&](const char* name, DataType dt) {
    if (*name != '\0' && !attrs.contains(name)) attrs[name].set_type(persistence::ToProto(dt));
  };
  size_t variadic = 0;
  for (const TfArg& a : op->inputs) variadic += (*a.number_attr != '\0' || *a.type_list_attr != '\0') ? 1 : 0;
  const int fixed = static_cast<int>(op->inputs.size() - variadic);
  const int list_len = variadic == 1 ? std::max(0, n.num_inputs() - fixed) : 0;
  int next = 0;
  for (const TfArg& a : op->inputs) {
    const bool is_list = *a.number_attr != '\0' || *a.type_list_attr != '\0';
    const int count = is_list ? list_len : 1;
    if (next + count > n.num_inputs()) break;
    if (count > 0) set_type(a.type_attr, n.input_type(next));
    if (*a.number_attr != '\0' && !attrs.contains(a.number_attr)) attrs[a.number_attr].set_i(count);
    if (*a.type_list_attr != '\0' && !attrs.contains(a.type_list_attr)) {
      auto* list = attrs[a.type_list_attr].mutable_list();
      for (int i = next; i < next + count; ++i) list->add_type(persistence::ToProto(n.input_type(i)));
    }
    next += count;
  }
  for (size_t i = 0; i < op->outputs.size() && static_cast<int>(i) < n.num_outputs(); ++i) {
    set_type(op->outputs[i].type_attr, n.output_type(static_cast<int>(i)));
  }
}

std::string InputString(const Output& o) {
  return o.index() == 0 ? o.node()->name() : o.node()->name() + ":" + std::to_string(o.index());
}

void ExportNode(const Node& n, tfproto::NodeDef* def) {
  def->set_name(n.name());
  def->set_op(n.op());
  for (const Output& in : n.inputs()) def->add_input(InputString(in));
  for (const Node* c : n.control_inputs()) def->add_input("^" + c->name());
  def->set_device(n.requested_device());
  for (const auto& [name, value] : n.attrs()) persistence::ToProto(value, &(*def->mutable_attr())[name]);
  if (!n.colocate_with().empty()) {
    auto* list = (*def->mutable_attr())["_class"].mutable_list();
    for (const std::string& c : n.colocate_with()) list->add_s("loc:@" + c);
  }
  AddTfTypeAttrs(n, def);
}

bool IsTextPath(const std::string& path) {
  auto ends = [&](std::string_view s) { return path.size() >= s.size() && path.ends_with(s); };
  return ends(".pbtxt") || ends(".txt");
}

}  // namespace

StatusOr<std::string> ExportGraphDef(const Graph& g, GraphDefFormat format) {
  TESSERA_RETURN_IF_ERROR(g.status());
  tfproto::GraphDef def;
  for (const Node* n : g.nodes()) ExportNode(*n, def.add_node());
  def.mutable_versions()->set_producer(kGraphDefProducer);
  std::string out;
  if (format == GraphDefFormat::kText) {
    if (!google::protobuf::TextFormat::PrintToString(def, &out)) return InternalError("Cannot print the GraphDef");
  } else {
    // Deterministic: attribute maps in key order, so one graph gives one file.
    google::protobuf::io::StringOutputStream stream(&out);
    google::protobuf::io::CodedOutputStream coded(&stream);
    coded.SetSerializationDeterministic(true);
    if (!def.SerializeToCodedStream(&coded)) return InternalError("Cannot serialize the GraphDef (over 2 GB?)");
  }
  return out;
}

StatusOr<std::string> Graph::ToGraphDef() const { return ExportGraphDef(*this, GraphDefFormat::kBinary); }

Status WriteGraphDef(const Graph& g, const std::string& path) {
  TESSERA_ASSIGN_OR_RETURN(std::string bytes,
                           ExportGraphDef(g, IsTextPath(path) ? GraphDefFormat::kText : GraphDefFormat::kBinary));
  return persistence::WriteFileAtomically(path, bytes);
}

StatusOr<ImportGraphDefResults> ImportGraphDefFile(Graph& g, const std::string& path,
                                                   const ImportGraphDefOptions& options) {
  TESSERA_ASSIGN_OR_RETURN(std::string bytes, persistence::ReadFileToString(path));
  return ImportGraphDef(g, bytes, options, IsTextPath(path) ? GraphDefFormat::kText : GraphDefFormat::kBinary);
}

namespace persistence {

StatusOr<tfproto::GraphDef> ParseGraphDef(std::string_view bytes, GraphDefFormat format) {
  tfproto::GraphDef def;
  if (format == GraphDefFormat::kText) {
    google::protobuf::TextFormat::Parser parser;
    persistence::ProtoParseErrors errors;
    parser.RecordErrorsTo(&errors);
    if (!parser.ParseFromString(std::string(bytes), &def)) {
      return InvalidArgumentError("The GraphDef text does not parse: " + errors.first);
    }
  } else if (bytes.size() > static_cast<size_t>(INT32_MAX) ||
             !def.ParseFromArray(bytes.data(), static_cast<int>(bytes.size()))) {
    return InvalidArgumentError("The GraphDef does not parse (" + std::to_string(bytes.size()) +
                                " bytes of binary protobuf)");
  }
  return def;
}

}  // namespace persistence
}  // namespace tessera
