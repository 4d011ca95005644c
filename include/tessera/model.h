// A model on disk in TF1's form: a checkpoint and, beside it, "<prefix>.meta"
// (TF's MetaGraphDef: the GraphDef, the Saver's node names, the variable
// collections and named signatures). tf.train.Saver writes these by default
// and so does train::Saver; LoadModel reads either in one call:
//
//   auto m = LoadModel("/tmp/run").value();     // the newest checkpoint there
//   auto out = m.session->Run({{m.signatures["serving_default"].inputs["x"], x}},
//                             {m.signatures["serving_default"].outputs["probs"]});
//
// Thread-safety: as for graph construction.
#pragma once

#include <map>
#include <memory>
#include <string>

#include "tessera/checkpoint.h"
#include "tessera/graph.h"
#include "tessera/graph_def.h"
#include "tessera/session.h"

namespace tessera {

// TF's SignatureDef: named inputs and outputs of a model.
struct Signature {
  std::map<std::string, Output> inputs;
  std::map<std::string, Output> outputs;
  std::string method_name = "tensorflow/serving/predict";
};

struct LoadedModel {
  std::shared_ptr<Graph> graph;
  std::unique_ptr<Session> session;  // the variables restored
  std::string checkpoint;            // the prefix they came from
  std::map<std::string, Signature> signatures;
};

// Writes `g` as a MetaGraphDef to `path` (atomically): the GraphDef, the
// saver's names when `saver` is given, the variable collections (as
// VariableDefs) and the other collections of operations, and `signatures`.
Status ExportMetaGraph(const Graph& g, const std::string& path, const train::Saver* saver = nullptr,
                       const std::map<std::string, Signature>& signatures = {});

// `path` is a checkpoint prefix, or a directory whose "checkpoint" state file
// names the newest one. Imports "<prefix>.meta" into a new graph, opens a
// session with `options`, and restores the variables through the saver the
// file names. NotFound when there is no checkpoint or no .meta beside it;
// the import's errors (unknown ops listed all at once...) as they are.
StatusOr<LoadedModel> LoadModel(const std::string& path, const SessionOptions& options = {},
                                const ImportGraphDefOptions& import = {});

}  // namespace tessera
