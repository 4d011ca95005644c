// Placer: assigns every node of a plan to a device and records why.
//
// Pure logic over a device list and the kernel registry, so it can be tested
// with any devices, GPUs included, on a machine with none. The passes:
//   1. Colocation groups: a variable with every op that uses it by
//      reference, and explicit ColocateWith requests (union-find).
//   2. Group constraints: merge the members' device requests (a variable's
//      own request wins) and intersect their supported device types.
//   3. Explicit requests: honoured when a matching device has a kernel.
//   4. Soft placement: otherwise, with allow_soft_placement, drop the type and
//      id of the request and take the best device that can run the group;
//      without it, an InvalidArgument that reports every such node at once.
//   5. Default priority: unconstrained groups take the highest-priority type
//      with a kernel (GPU before CPU), then the lowest device name.
//   6. Heuristics: Shape-like metadata ops go to their input's device, and a
//      lone source node goes to its consumers' device when they agree.
//
// Thread-safety: Place is a pure function.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "src/framework/kernel_registry.h"
#include "tessera/device_name.h"
#include "tessera/graph.h"
#include "tessera/placement.h"

namespace tessera {

struct PlacerOptions {
  bool allow_soft_placement = false;
  // Why the device list has no GPU, for error messages ("" when it has some).
  std::string no_gpu_reason;
  // Nodes already placed by an earlier plan of the session (variables), by
  // node name: they keep their device.
  std::map<std::string, std::string> pinned;
  // After placement, move the device-placed neighbours of small islands of
  // soft-placed nodes (on the CPU, say) onto the island's device when that
  // lowers the bytes copied between devices (static shapes, unknown
  // dimensions counted as 1). Their records say kCopyReduction and how much.
  bool reduce_copies = false;
};

struct Placement {
  // One per input node, in the same order: an index into the device list.
  std::vector<int> device_index;
  // One per input node: the kernel that runs it there.
  std::vector<const KernelDef*> kernels;
  std::vector<PlacementRecord> records;
  // INFO lines TF logs under log_device_placement ("Ignoring device specification ...").
  std::vector<std::string> notes;
};

// `nodes` must be in topological order. `devices` are full device names,
// CPU:0 first.
// The reduce_copies pass over a finished placement of `nodes` (Place runs it
// when asked). Islands of at most kMaxCopyReductionIsland nodes are considered.
inline constexpr int kMaxCopyReductionIsland = 16;
void ReduceCopies(const std::vector<const Node*>& nodes, const std::vector<DeviceName>& devices,
                  const KernelRegistry& registry, Placement* placement);

StatusOr<Placement> Place(const std::vector<const Node*>& nodes, const std::vector<DeviceName>& devices,
                          const KernelRegistry& registry, const PlacerOptions& options);

}  // namespace tessera
