#include "placement/placement_log.h"

#include <fmt/format.h>

#include <map>

namespace tessera {

std::string SoftPlacementWarning(const Placement& placement) {
  const PlacementRecord* first = nullptr;
  size_t n = 0;
  for (const PlacementRecord& r : placement.records) {
    if (!IsSoftFallback(r.reason)) continue;
    if (first == nullptr) first = &r;
    ++n;
  }
  if (first == nullptr) return "";
  return fmt::format(
      "Soft placement moved {} node{} off the device {} asked for, e.g. {} ({}) from {} to {}: {}. Set "
      "log_device_placement to see each one and why.",
      n, n == 1 ? "" : "s", n == 1 ? "it" : "they", first->node, first->op, first->requested, first->assigned,
      first->detail);
}

std::vector<std::string> PlacementLogLines(const Placement& placement) {
  std::vector<std::string> lines = placement.notes;
  std::map<std::string, int> per_device;
  int soft = 0;
  for (const PlacementRecord& r : placement.records) {
    ++per_device[r.assigned];
    soft += IsSoftFallback(r.reason);
    std::string line = fmt::format("{}: ({}): {}", r.node, r.op, r.assigned);
    if (r.reason != PlacementReason::kRequested && r.reason != PlacementReason::kDefaultPriority) {
      fmt::format_to(std::back_inserter(line), "  [{}: {}]", PlacementReasonName(r.reason), r.detail);
    }
    lines.push_back(std::move(line));
  }
  std::string summary = fmt::format("Placement summary: {} nodes", placement.records.size());
  for (const auto& [device, n] : per_device) fmt::format_to(std::back_inserter(summary), "; {} on {}", n, device);
  fmt::format_to(std::back_inserter(summary), "; {} soft fallback{}", soft, soft == 1 ? "" : "s");
  lines.push_back(std::move(summary));
  return lines;
}

}  // namespace tessera
