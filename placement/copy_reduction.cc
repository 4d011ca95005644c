// ReduceCopies (placer.h): soft placement leaves islands of nodes on the CPU
// between nodes that run elsewhere, and every edge into or out of an island
// is a copy. A neighbour of a small island whose other edges are cheap (a
// fed input, a small constant, a fetched output) costs fewer bytes on the
// island's device. Greedy: move any neighbour whose crossing bytes drop,
// until none does. TF's placer has nothing like it; ggml's scheduler expands
// CPU-only runs of nodes to their neighbours in a similar spirit.
#include <fmt/format.h>

#include <algorithm>
#include <optional>
#include <vector>

#include "placement/estimates.h"
#include "placement/placer.h"
#include "src/framework/op_registry.h"

namespace tessera {
namespace {

// Bytes of a tensor from its static shape (unknown dimensions as 1; unknown rank: 1).
int64_t StaticBytes(const Output& o) { return std::max<int64_t>(1, estimates::Bytes(o, 1)); }

struct Edge {
  int other;      // plan index of the node at the other end
  int64_t bytes;  // of the tensor on it
};

class CopyReducer {
 public:
  CopyReducer(const std::vector<const Node*>& nodes, const std::vector<DeviceName>& devices,
              const KernelRegistry& registry, Placement* p)
      : nodes_(nodes), devices_(devices), registry_(registry), p_(*p), edges_(nodes.size()) {
    std::vector<int> index_of_id;
    for (size_t i = 0; i < nodes.size(); ++i) {
      const auto id = static_cast<size_t>(nodes[i]->id());
      if (index_of_id.size() <= id) index_of_id.resize(id + 1, -1);
      index_of_id[id] = static_cast<int>(i);
    }
    for (size_t i = 0; i < nodes.size(); ++i) {
      for (const Output& in : nodes[i]->inputs()) {
        const auto id = static_cast<size_t>(in.node()->id());
        const int src = id < index_of_id.size() ? index_of_id[id] : -1;
        if (src < 0) continue;
        const int64_t b = StaticBytes(in);
        edges_[i].push_back({src, b});
        edges_[static_cast<size_t>(src)].push_back({static_cast<int>(i), b});
      }
    }
  }

  void Run() {
    for (bool changed = true; changed;) {
      changed = false;
      for (const std::vector<int>& island : Islands()) changed |= PullNeighbours(island);
    }
  }

 private:
  int Device(int i) const { return p_.device_index[static_cast<size_t>(i)]; }
  // On an island: soft-placed, or moved there by this pass.
  bool Soft(int i) const {
    const PlacementReason r = p_.records[static_cast<size_t>(i)].reason;
    return IsSoftFallback(r) || r == PlacementReason::kCopyReduction;
  }

  // Connected groups of soft-placed nodes on one device, at most kMaxCopyReductionIsland nodes.
  std::vector<std::vector<int>> Islands() const {
    std::vector<std::vector<int>> out;
    std::vector<bool> seen(nodes_.size(), false);
    for (size_t s = 0; s < nodes_.size(); ++s) {
      if (seen[s] || !Soft(static_cast<int>(s))) continue;
      std::vector<int> island, stack = {static_cast<int>(s)};
      seen[s] = true;
      while (!stack.empty()) {
        const int i = stack.back();
        stack.pop_back();
        island.push_back(i);
        for (const Edge& e : edges_[static_cast<size_t>(i)]) {
          if (!seen[static_cast<size_t>(e.other)] && Soft(e.other) && Device(e.other) == Device(i)) {
            seen[static_cast<size_t>(e.other)] = true;
            stack.push_back(e.other);
          }
        }
      }
      if (static_cast<int>(island.size()) <= kMaxCopyReductionIsland) out.push_back(std::move(island));
    }
    return out;
  }

  // Bytes on the edges of node i that cross devices if it ran on device d.
  int64_t CrossingBytes(int i, int d) const {
    int64_t b = 0;
    for (const Edge& e : edges_[static_cast<size_t>(i)]) b = estimates::Add(b, Device(e.other) != d ? e.bytes : 0);
    return b;
  }

  // A neighbour may move when it is alone (no colocation, no variable, no
  // reference edges) and the island's device type has a kernel for it.
  const KernelDef* Movable(int i, int d) const {
    const Node& n = *nodes_[static_cast<size_t>(i)];
    const PlacementReason r = p_.records[static_cast<size_t>(i)].reason;
    if (r == PlacementReason::kColocated || r == PlacementReason::kResourceDevice) return nullptr;
    if (n.op_def().is_variable || !n.colocate_with().empty()) return nullptr;
    for (int k = 0; k < n.num_inputs(); ++k) {
      if (n.op_def().is_ref_input(k)) return nullptr;
    }
    std::optional<DeviceType> type = ParseDeviceType(devices_[static_cast<size_t>(d)].type);
    return type ? registry_.Find(n, *type) : nullptr;
  }

  bool PullNeighbours(const std::vector<int>& island) {
    const int d = Device(island.front());
    bool changed = false;
    for (int i : island) {
      for (const Edge& e : edges_[static_cast<size_t>(i)]) {
        const int n = e.other;
        if (Device(n) == d) continue;
        const int64_t before = CrossingBytes(n, Device(n));
        const int64_t after = CrossingBytes(n, d);
        const KernelDef* k = after < before ? Movable(n, d) : nullptr;
        if (k == nullptr) continue;
        PlacementRecord& r = p_.records[static_cast<size_t>(n)];
        r.detail = fmt::format("moved from {} next to {} to copy {} fewer bytes per step", r.assigned,
                               nodes_[static_cast<size_t>(i)]->name(), before - after);
        r.reason = PlacementReason::kCopyReduction;
        r.assigned = devices_[static_cast<size_t>(d)].ToString();
        p_.device_index[static_cast<size_t>(n)] = d;
        p_.kernels[static_cast<size_t>(n)] = k;
        changed = true;
      }
    }
    return changed;
  }

  const std::vector<const Node*>& nodes_;
  const std::vector<DeviceName>& devices_;
  const KernelRegistry& registry_;
  Placement& p_;
  std::vector<std::vector<Edge>> edges_;  // both directions
};

}  // namespace

void ReduceCopies(const std::vector<const Node*>& nodes, const std::vector<DeviceName>& devices,
                  const KernelRegistry& registry, Placement* placement) {
  CopyReducer(nodes, devices, registry, placement).Run();
}

}  // namespace tessera
