// BuildPlan: turns (feeds, fetches, targets) of a graph into a Plan, in named
// passes (TF's GraphExecutionState + Partition + EnsureMemoryTypes +
// CreateKernels, in one place):
//   1. Prune:   the nodes the fetches and targets need, stopping at feeds.
//   2. Place:   each node's device and kernel, from the session (PlanEnv::place).
//   3. Slots:   where each output, feed and copy lives (its device's memory).
//   4. Edges:   data and control edges; a copy step on each edge whose tensor
//               is not in the memory its consumer reads (one per tensor and
//               destination), variables read at their consumers.
//   5. Kernels: each node's kernel, created from the placement's KernelDef.
//   6. Fetches: device tensors copied back to the host; slot uses and roots.
//
// Thread-safety: a PlanBuilder is used by one thread; the session serialises
// nothing here beyond its own callbacks.
#pragma once

#include <functional>
#include <memory>
#include <vector>

#include "placement/placer.h"
#include "src/runtime/device_mgr.h"
#include "src/runtime/plan.h"
#include "src/runtime/resource_mgr.h"

namespace tessera {

struct PlanEnv {
  const DeviceMgr* devices = nullptr;
  ResourceMgr* resources = nullptr;
  // The device and kernel of each pruned node, in the same order (the session
  // looks them up in its whole-graph placement, or places them afresh).
  std::function<StatusOr<Placement>(const std::vector<const Node*>& nodes)> place;
  // The kernel of `node` on `device` (the session keeps stateful ones).
  std::function<StatusOr<std::shared_ptr<const OpKernel>>(const Node& node, Device* device, const KernelDef& def)>
      get_kernel;
};

StatusOr<std::shared_ptr<Plan>> BuildPlan(const PlanEnv& env, const Graph& graph, const std::vector<Output>& feeds,
                                          const std::vector<Output>& fetches, const std::vector<Operation>& targets);

}  // namespace tessera
