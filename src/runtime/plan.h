// Plan: everything decided once per (feeds, fetches, targets) signature —
// the pruned node list, each node's device and kernel, where every input
// comes from, and the placement records. Executed many times by Executor.
//
// Thread-safety: immutable once built; shared by concurrent Runs.
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "src/framework/op_kernel.h"
#include "src/runtime/device.h"
#include "src/runtime/resource_mgr.h"
#include "tessera/graph.h"
#include "tessera/placement.h"
#include "tessera/session.h"

namespace tessera {

struct PlanNode {
  // The graph node, or for a copy step the node whose output it copies.
  const Node* node = nullptr;
  std::string name;  // the node's name, or "x:0 -> CPU:1" for a copy step
  bool is_copy = false;
  Device* copy_source = nullptr;           // a copy step: the device the tensor comes from
  int copy_index = -1;                     // a copy step: its entry in Plan::copies
  std::vector<const Node*> input_sources;  // the node producing each input (for messages)
  // For an input that is a live read of a variable (the VariableV2 output or
  // an Identity of one, such as "v/read"; not a ref input), the variable: its
  // value is read when this node runs, as TF's consumers of a ref variable's
  // buffer see it. Empty when the node has none.
  std::vector<std::shared_ptr<Var>> input_vars;
  Device* device = nullptr;
  std::shared_ptr<const OpKernel> kernel;
  std::vector<int> input_slots;    // one per data input
  std::vector<bool> input_is_ref;  // inputs that take a variable by reference
  int output_base = 0;             // the node's outputs are slots [base, base + num_outputs)
  std::vector<int> consumers;      // plan nodes to notify (one entry per edge)
  int initial_pending = 0;         // data + control inputs inside the plan
  bool expensive = true;
};

// Per-run state sized for a plan (slots and pending counts), kept in a free
// list on the plan so a Run does not allocate it again.
struct RunBuffers {
  std::vector<Tensor> slots;
  std::unique_ptr<std::atomic<int>[]> pending;
  std::unique_ptr<std::atomic<int>[]> uses;  // reads of each slot still to come
};

// A round trip of a plan's copies: tensors copied from `device` to an island
// of nodes on `via`, whose results are copied back to `device`.
struct RoundTrip {
  std::string device;  // full names
  std::string via;
  std::vector<std::string> nodes;  // the island, in plan order
  std::vector<int> copies;         // indices into Plan::copies: in, then out
};

struct Plan {
  std::vector<PlanNode> nodes;  // topological order
  int num_slots = 0;
  // Per slot, how many inputs read it (+1 for a fetch): a tensor is released
  // as soon as its last reader ran, so memory is recycled within a run.
  std::vector<int> slot_uses;
  std::vector<int> feed_slots;     // per feed, the slot it is written to
  std::vector<int> fetch_slots;    // per fetch, the slot it is read from
  std::vector<int> fetch_sources;  // per fetch, the node producing it (for messages)
  std::vector<const Node*> fetch_nodes;
  // Per fetch that is a live read of a variable on the host, the variable: the
  // fetch returns its value at the end of the run. Empty when there is none.
  std::vector<std::shared_ptr<Var>> fetch_vars;
  std::vector<int> roots;  // plan nodes with no pending inputs
  std::vector<PlacementRecord> placement;
  std::vector<CopyRecord> copies;  // the copy steps on cross-device edges
  // Tensors copied from a device to an island of soft-placed nodes on another
  // and back (src/runtime/copy_cost.h); checked against the session's
  // round_trip_warning_bytes at the plan's first Run.
  std::vector<RoundTrip> round_trips;
  mutable std::atomic<bool> round_trips_checked{false};

  // Reusable run buffers (any number of concurrent runs take their own).
  std::unique_ptr<RunBuffers> AcquireBuffers() const;
  void ReleaseBuffers(std::unique_ptr<RunBuffers> buffers) const;

 private:
  mutable std::mutex buffers_mu_;
  mutable std::vector<std::unique_ptr<RunBuffers>> free_buffers_;
};

}  // namespace tessera
