#include "src/runtime/copy_cost.h"

#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <set>
#include <unordered_map>

namespace tessera {

std::vector<RoundTrip> FindRoundTrips(const Plan& plan) {
  if (plan.copies.empty()) return {};
  // The plan node writing each slot (feeds: none).
  std::vector<int> producer(static_cast<size_t>(plan.num_slots), -1);
  for (size_t j = 0; j < plan.nodes.size(); ++j) {
    const PlanNode& pn = plan.nodes[j];
    const int outputs = pn.is_copy ? 1 : pn.node->num_outputs();
    for (int k = 0; k < outputs; ++k) producer[static_cast<size_t>(pn.output_base + k)] = static_cast<int>(j);
  }
  std::unordered_map<std::string, const PlacementRecord*> record;
  for (const PlacementRecord& r : plan.placement) record.emplace(r.node, &r);
  std::map<std::vector<int>, RoundTrip> trips;  // by island
  for (size_t y = 0; y < plan.nodes.size(); ++y) {
    const PlanNode& out = plan.nodes[y];
    if (!out.is_copy || out.copy_source == out.device) continue;
    const Device* via = out.copy_source;  // the island's device
    const Device* home = out.device;      // where the tensors come from and return to
    // The island: nodes on `via` whose results flow into this copy, back to copies from `home`.
    std::vector<int> island, entries, stack = {producer[static_cast<size_t>(out.input_slots[0])]};
    std::set<int> seen;
    bool soft = false;
    while (!stack.empty()) {
      const int j = stack.back();
      stack.pop_back();
      if (j < 0 || !seen.insert(j).second) continue;
      const PlanNode& pn = plan.nodes[static_cast<size_t>(j)];
      if (pn.is_copy) {
        if (pn.device == via && pn.copy_source == home) entries.push_back(pn.copy_index);
        continue;
      }
      if (pn.device != via) continue;
      island.push_back(j);
      auto r = record.find(pn.name);
      soft |= r != record.end() && IsSoftFallback(r->second->reason);
      for (int s : pn.input_slots) stack.push_back(producer[static_cast<size_t>(s)]);
    }
    if (entries.empty() || !soft) continue;
    std::sort(island.begin(), island.end());
    RoundTrip& t = trips[island];
    if (t.nodes.empty()) {
      t.device = home->name();
      t.via = via->name();
      for (int j : island) t.nodes.push_back(plan.nodes[static_cast<size_t>(j)].name);
    }
    for (int c : entries) {
      if (std::find(t.copies.begin(), t.copies.end(), c) == t.copies.end()) t.copies.push_back(c);
    }
    t.copies.push_back(out.copy_index);
  }
  std::vector<RoundTrip> out;
  for (auto& [island, t] : trips) out.push_back(std::move(t));
  return out;
}

std::string RoundTripWarning(const Plan& plan, const RoundTrip& trip, int64_t bytes) {
  std::unordered_map<std::string, const PlacementRecord*> record;
  for (const PlacementRecord& r : plan.placement) record.emplace(r.node, &r);
  std::string nodes;
  for (const std::string& n : trip.nodes) {
    nodes += (nodes.empty() ? "" : ", ") + n;
    auto r = record.find(n);
    if (r == record.end()) continue;
    if (!r->second->source.empty()) nodes += " (" + r->second->source + ")";
    if (IsSoftFallback(r->second->reason)) nodes += ": " + r->second->detail;
  }
  const std::string home = ShortDeviceName(trip.device), via = ShortDeviceName(trip.via);
  return fmt::format(
      "Soft placement makes a round trip {} -> {} -> {} through {} node{} ({}): {} copies moved {} bytes this step. "
      "Give {} a {} kernel, pin the neighbours to {}, or set SessionOptions::reduce_copies.",
      home, via, home, trip.nodes.size(), trip.nodes.size() == 1 ? "" : "s", nodes, trip.copies.size(), bytes,
      trip.nodes.size() == 1 ? "it" : "them", home.substr(0, home.find(':')), via);
}

}  // namespace tessera
