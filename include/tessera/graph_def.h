// GraphDefs: TensorFlow's graph files, in and out.
//
//   std::string pb = ExportGraphDef(*g).value();              // binary; GraphDefFormat::kText for .pbtxt
//   auto g2 = Graph::Create();
//   ImportGraphDefOptions o;
//   o.prefix = "imported";                                     // "imported/dense/MatMul", ...
//   o.input_map["x:0"] = my_input;                             // replaces what the file computes
//   o.devices = ImportGraphDefOptions::Devices::kClear;        // drop the file's "/gpu:0" pins
//   auto result = ImportGraphDef(*g2, pb, o);
//
// Nodes keep TF's op names and attributes (AddV2, MatMul's transpose_a,
// Conv2D's data_format...); the exporter adds the type attributes TF's
// OpDefs require that tessera infers (Tidx, Tshape, N, out_type...), so TF's
// tf.import_graph_def reads what tessera writes. Frozen graphs (variables
// folded into Consts) run as they are. Colocations travel as TF's "_class"
// attributes ("loc:@name").
//
// Thread-safety: as for graph construction (one thread builds a graph).
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "tessera/graph.h"
#include "tessera/status.h"

namespace tessera {

enum class GraphDefFormat { kBinary, kText };

// The whole graph as a GraphDef. InvalidArgument when the graph holds an
// error (Graph::status()).
StatusOr<std::string> ExportGraphDef(const Graph& g, GraphDefFormat format = GraphDefFormat::kBinary);
// Writes it to `path` (text for a ".pbtxt" or ".txt" name), atomically.
Status WriteGraphDef(const Graph& g, const std::string& path);

struct ImportGraphDefOptions {
  // Prepended to every imported name ("prefix/name"); empty: the names as
  // they are (then they must not exist in the graph yet).
  std::string prefix;
  // Inputs of the file's nodes replaced by tensors of the graph ("x:0", or
  // "x" for "x:0"): TF's input_map. Every key must name a tensor the file has.
  std::map<std::string, Output> input_map;
  // What happens to the device each node of the file requests: kept, cleared,
  // or rewritten by `device_rewrites` (a requested device string, as written
  // in the file, -> its replacement; "" clears it). Rewrites apply in every mode but kClear.
  enum class Devices { kKeep, kClear };
  Devices devices = Devices::kKeep;
  std::map<std::string, std::string> device_rewrites;
};

struct ImportGraphDefResults {
  // The operations made, in the file's order; by their names in the file.
  std::vector<Operation> operations;
  std::map<std::string, Operation> by_name;
};

// Adds the GraphDef's nodes to `g`. Errors name the node: a GraphDef that
// does not parse (InvalidArgument, with the line and column for text), ops
// tessera does not have (NotFound, all of them listed at once, each with its
// nodes and the closest tessera op), an input that names no node or output,
// a cycle, attributes of the wrong kind, the shape functions' errors. Nothing
// is added to `g` when the import fails before the first node; a failure
// after it leaves the nodes made so far (as TF does) and the error in
// g.status().
StatusOr<ImportGraphDefResults> ImportGraphDef(Graph& g, std::string_view graph_def,
                                               const ImportGraphDefOptions& options = {},
                                               GraphDefFormat format = GraphDefFormat::kBinary);
// Reads `path` (text for ".pbtxt"/".txt") and imports it.
StatusOr<ImportGraphDefResults> ImportGraphDefFile(Graph& g, const std::string& path,
                                                   const ImportGraphDefOptions& options = {});

}  // namespace tessera
