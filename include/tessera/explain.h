// Placement explained before running: the placer's decisions for a machine
// you describe ("2 GPUs", "CPU only", "a GPU with only these kernels"),
// without a session and without touching CUDA, with what they imply: how
// much of the graph (nodes and estimated FLOPs) each device gets, which op
// types have no kernel on each device type, and the copies between devices
// the plan would need, with their bytes where shapes are known.
//
//   ExplainOptions o;
//   o.num_gpus = 2;
//   o.allow_soft_placement = true;
//   StatusOr<PlacementExplanation> e = ExplainPlacement(*graph, o);
//   std::cout << e->ToTable();
//
// The GPU kernels are the ones this build registers (none in a build without
// the CUDA backend). A graph that cannot be placed on the machine returns the
// placer's error, as a Session's first Run would.
//
// Thread-safety: ExplainPlacement reads the graph; call it while no thread
// adds nodes.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "tessera/graph.h"
#include "tessera/placement.h"
#include "tessera/status.h"

namespace tessera {

struct ExplainOptions {
  int num_cpus = 1;  // the machine: CPU:0 .. CPU:num_cpus-1
  int num_gpus = 0;  // and GPU:0 .. GPU:num_gpus-1
  // When set, the GPUs have kernels only for these op types (a GPU build
  // without some kernels); otherwise every GPU kernel of this build.
  std::optional<std::vector<std::string>> gpu_ops;
  bool allow_soft_placement = false;
  bool reduce_copies = false;  // as SessionOptions::reduce_copies
  // Node or tensor names ("mlp/probs", "x:0"): only what they need is placed,
  // as with place_pruned_graph. Empty: the whole graph, as a Session does.
  std::vector<std::string> fetches;
  // Stands for each unknown dimension (-1) in FLOP and byte estimates, e.g.
  // the batch size of a placeholder [?, 784].
  int64_t unknown_dim = 1;
};

// A cross-device copy the plan would make (one per tensor and destination).
struct PlannedCopy {
  std::string tensor;  // "mlp/MatMul:0"
  std::string src_device;
  std::string dst_device;
  int64_t bytes = -1;  // -1: the shape is not known
};

struct DeviceShare {
  std::string device;  // full name
  int nodes = 0;
  int64_t flops = 0;  // estimated
};

struct PlacementExplanation {
  std::string machine;  // "1 CPU, 2 GPUs"
  std::vector<PlacementRecord> records;
  std::vector<DeviceShare> devices;  // every device of the machine, in its order
  int64_t total_flops = 0;
  // Device type -> op type -> nodes of that op with no kernel of that type.
  std::map<std::string, std::map<std::string, int>> no_kernel;
  std::vector<PlannedCopy> copies;
  int64_t copy_bytes = 0;  // of the copies with known bytes

  // A table for people: a line per node (device, reason), then coverage per
  // device (% of nodes and of FLOPs), op types without a kernel, and copies.
  std::string ToTable() const;
  // The same as JSON: {"machine", "nodes": [...records], "devices": [...],
  // "no_kernel": {...}, "copies": [...], "total_flops", "copy_bytes"}.
  std::string ToJson() const;
};

StatusOr<PlacementExplanation> ExplainPlacement(const Graph& graph, const ExplainOptions& options = {});

// The placed graph as a Graphviz DOT picture: one box per node (op, name,
// device) filled with its device's colour, soft fallbacks outlined in red,
// edges that cross devices drawn red with the bytes they copy (where shapes
// are known), control edges dashed, name scopes as clusters, and a legend of
// the devices. Above `max_nodes` nodes, the nodes of each top-level name
// scope are collapsed into one box per device. `records` are a placement of
// `graph`'s nodes (Session::PlacementRecords(), RunMetadata::placement or
// PlacementExplanation::records); nodes without a record are left out.
struct DotOptions {
  int max_nodes = 150;
  int64_t unknown_dim = 1;  // stands for unknown dimensions in byte counts
};
std::string PlacementToDot(const Graph& graph, const std::vector<PlacementRecord>& records,
                           const DotOptions& options = {});

// A rough FLOP count of one node from its static shapes (2mnk for MatMul,
// an element count for elementwise math and reductions, 0 for ops that only
// move or describe data); unknown dimensions count as `unknown_dim`.
int64_t EstimateFlops(const Node& node, int64_t unknown_dim = 1);

}  // namespace tessera
