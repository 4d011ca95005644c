#include "placement/placement_log.h"

#include <fmt/format.h>

#include <map>

namespace tessera {

std::vector<std::string> SoftPlacementWarnings(const Placement& placement) {
  std::vector<std::string> lines;
  for (const PlacementRecord& r : placement.records) {
    if (!IsSoftFallback(r.reason)) continue;
    lines.push_back(
        fmt::format("Soft placement moved {} ({}) from {} to {}: {}", r.node, r.op, r.requested, r.assigned, r.detail));
  }
  return lines;
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
