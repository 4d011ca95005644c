// MetaGraphDefs ("<prefix>.meta") and LoadModel (tessera/model.h).
#include <google/protobuf/io/coded_stream.h>
#include <google/protobuf/io/zero_copy_stream_impl_lite.h>

#include "src/persistence/attr_proto.h"
#include "src/persistence/file_util.h"
#include "src/persistence/graph.pb.h"
#include "src/persistence/proto_util.h"
#include "tessera/model.h"
#include "tessera/variable.h"

namespace tessera {
namespace persistence {
StatusOr<tfproto::GraphDef> ParseGraphDef(std::string_view bytes, GraphDefFormat format);
}  // namespace persistence

namespace {

// TF's collections of VariableDefs; the others hold operation names.
bool IsVariableCollection(std::string_view key) {
  return key == GraphKeys::kGlobalVariables || key == GraphKeys::kTrainableVariables ||
         key == GraphKeys::kLocalVariables || key == GraphKeys::kModelVariables;
}

std::string StripIndex(const std::string& name) {
  const size_t colon = name.rfind(':');
  return colon == std::string::npos ? name : name.substr(0, colon);
}

void ExportCollections(const Graph& g, tfproto::MetaGraphDef* meta) {
  for (const std::string& key : g.GetAllCollectionKeys()) {
    tfproto::CollectionDef& c = (*meta->mutable_collection_def())[key];
    for (const Operation& op : g.GetCollection(key)) {
      if (!op.valid()) continue;
      const Graph::VariableNodes* v = IsVariableCollection(key) ? g.FindVariableNodes(op.node()) : nullptr;
      if (v == nullptr) {
        c.mutable_node_list()->add_value(op.name());
        continue;
      }
      tfproto::VariableDef def;
      def.set_variable_name(v->ref.name());
      if (v->initializer.valid()) def.set_initializer_name(v->initializer.name());
      if (v->value.valid()) def.set_snapshot_name(v->value.name());
      if (v->initial_value.valid()) def.set_initial_value_name(v->initial_value.name());
      def.set_trainable(key == GraphKeys::kTrainableVariables);
      c.mutable_bytes_list()->add_value(def.SerializeAsString());
    }
  }
}

void ExportSignature(const Signature& s, tfproto::SignatureDef* out) {
  auto info = [](const Output& o, tfproto::TensorInfo* t) {
    t->set_name(o.name());
    t->set_dtype(persistence::ToProto(o.dtype()));
    const PartialShape shape = o.shape();
    if (!shape.known_rank()) {
      t->mutable_tensor_shape()->set_unknown_rank(true);
    } else {
      for (int64_t d : shape.dims()) t->mutable_tensor_shape()->add_dim()->set_size(d);
    }
  };
  for (const auto& [name, o] : s.inputs) info(o, &(*out->mutable_inputs())[name]);
  for (const auto& [name, o] : s.outputs) info(o, &(*out->mutable_outputs())[name]);
  out->set_method_name(s.method_name);
}

// The collections of `meta` in `g`, names prefixed as the import prefixed them.
void ImportCollections(const tfproto::MetaGraphDef& meta, const std::string& prefix, Graph& g) {
  auto find = [&](const std::string& name) -> Operation {
    if (name.empty()) return Operation();
    StatusOr<Operation> op = g.FindOperation(prefix.empty() ? name : prefix + "/" + name);
    return op.ok() ? *op : Operation();
  };
  auto output = [&](const std::string& name) -> Output {
    Operation op = find(StripIndex(name));
    const size_t colon = name.rfind(':');
    const int index = colon == std::string::npos ? 0 : std::atoi(name.c_str() + colon + 1);
    return op.valid() && index < op.node()->num_outputs() ? op.output(index) : Output();
  };
  for (const auto& [key, c] : meta.collection_def()) {
    for (const std::string& name : c.node_list().value()) {
      if (Operation op = find(StripIndex(name)); op.valid()) g.AddToCollection(key, op);
    }
    for (const std::string& bytes : c.bytes_list().value()) {
      tfproto::VariableDef def;
      if (!IsVariableCollection(key) || !def.ParseFromString(bytes)) continue;
      Output ref = output(def.variable_name());
      if (!ref.valid() || ref.node()->op() != "VariableV2") continue;
      if (g.FindVariableNodes(ref.node()) == nullptr) {
        Output value = output(def.snapshot_name());
        g.AddVariableNodes(Graph::VariableNodes{ref, value.valid() ? value : ref, find(def.initializer_name()),
                                                output(def.initial_value_name())});
      }
      g.AddToCollection(key, ref.node() ? Operation(ref.node()) : Operation());
    }
  }
}

StatusOr<Signature> ImportSignature(const tfproto::SignatureDef& s, const std::string& prefix, const Graph& g) {
  Signature out;
  out.method_name = s.method_name();
  auto resolve = [&](const std::string& key, const tfproto::TensorInfo& t) -> StatusOr<Output> {
    StatusOr<Output> o = g.FindOutput(prefix.empty() ? t.name() : prefix + "/" + t.name());
    if (!o.ok()) return NotFoundError("Signature tensor '" + key + "' names " + t.name() + ", which the graph lacks");
    return o;
  };
  for (const auto& [key, t] : s.inputs()) {
    TESSERA_ASSIGN_OR_RETURN(out.inputs[key], resolve(key, t));
  }
  for (const auto& [key, t] : s.outputs()) {
    TESSERA_ASSIGN_OR_RETURN(out.outputs[key], resolve(key, t));
  }
  return out;
}

}  // namespace

Status ExportMetaGraph(const Graph& g, const std::string& path, const train::Saver* saver,
                       const std::map<std::string, Signature>& signatures) {
  TESSERA_RETURN_IF_ERROR(g.status());
  tfproto::MetaGraphDef meta;
  meta.mutable_meta_info_def()->set_meta_graph_version("tessera");
  TESSERA_ASSIGN_OR_RETURN(std::string graph_bytes, ExportGraphDef(g));
  if (!meta.mutable_graph_def()->ParseFromString(graph_bytes)) return InternalError("Cannot re-read the GraphDef");
  if (saver != nullptr) {
    tfproto::SaverDef* s = meta.mutable_saver_def();
    s->set_filename_tensor_name(saver->filename_tensor().name());
    s->set_save_tensor_name(saver->save_tensor().name());
    s->set_restore_op_name(saver->restore_op().name());
    s->set_version(tfproto::SaverDef::V2);
  }
  ExportCollections(g, &meta);
  for (const auto& [name, sig] : signatures) ExportSignature(sig, &(*meta.mutable_signature_def())[name]);
  std::string out;
  {
    google::protobuf::io::StringOutputStream stream(&out);
    google::protobuf::io::CodedOutputStream coded(&stream);
    coded.SetSerializationDeterministic(true);
    if (!meta.SerializeToCodedStream(&coded)) return InternalError("Cannot serialize the MetaGraphDef");
  }
  return persistence::WriteFileAtomically(path, out);
}

StatusOr<LoadedModel> LoadModel(const std::string& path, const SessionOptions& options,
                                const ImportGraphDefOptions& import) {
  std::string prefix = path;
  if (persistence::IsDirectory(path)) {
    TESSERA_ASSIGN_OR_RETURN(prefix, train::LatestCheckpoint(path));
  }
  if (!train::CheckpointExists(prefix)) return NotFoundError("No checkpoint " + prefix + " (no " + prefix + ".index)");
  const std::string meta_path = prefix + ".meta";
  if (!persistence::FileExists(meta_path)) {
    return NotFoundError("The checkpoint " + prefix + " has no MetaGraph beside it (" + meta_path + ")");
  }
  TESSERA_ASSIGN_OR_RETURN(std::string bytes, persistence::ReadFileToString(meta_path));
  tfproto::MetaGraphDef meta;
  if (bytes.size() > static_cast<size_t>(INT32_MAX) || !meta.ParseFromString(bytes)) {
    return InvalidArgumentError("The MetaGraph " + meta_path + " does not parse");
  }
  LoadedModel m;
  m.graph = Graph::Create();
  m.checkpoint = prefix;
  TESSERA_RETURN_IF_ERROR(ImportGraphDef(*m.graph, meta.graph_def().SerializeAsString(), import).status());
  ImportCollections(meta, import.prefix, *m.graph);
  for (const auto& [name, sig] : meta.signature_def()) {
    TESSERA_ASSIGN_OR_RETURN(m.signatures[name], ImportSignature(sig, import.prefix, *m.graph));
  }
  TESSERA_ASSIGN_OR_RETURN(m.session, Session::Create(m.graph, options));
  const tfproto::SaverDef& s = meta.saver_def();
  if (s.restore_op_name().empty()) {
    return m;  // nothing to restore (a frozen graph)
  }
  auto scoped = [&](const std::string& name) { return import.prefix.empty() ? name : import.prefix + "/" + name; };
  std::vector<Tensor> unused;
  Status restored = m.session->Run({{scoped(s.filename_tensor_name()), Tensor::Scalar<std::string>(prefix)}}, {},
                                   {scoped(s.restore_op_name())}, &unused);
  if (!restored.ok()) {
    return Status(restored.code(), "Restoring the variables of " + prefix + ": " + restored.message());
  }
  return m;
}

}  // namespace tessera
