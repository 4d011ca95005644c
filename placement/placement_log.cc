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

namespace {

// A record's reason as the log shows it: the detail, "soft: " before a
// fallback's, with the session-wide no-GPU reason shortened to "no GPU".
std::string ShortReason(const PlacementRecord& r, std::string_view no_gpu_reason) {
  std::string detail = r.detail;
  if (!no_gpu_reason.empty()) {
    const std::string full = " (" + std::string(no_gpu_reason) + ")";
    if (size_t at = detail.find(full); at != std::string::npos) detail.replace(at, full.size(), ": no GPU");
  }
  return IsSoftFallback(r.reason) ? "soft: " + detail : detail;
}

}  // namespace

std::vector<std::string> PlacementLogLines(const Placement& placement, std::string_view no_gpu_reason) {
  std::vector<std::string> lines = placement.notes;
  std::map<std::string, int> per_device;
  // Soft fallbacks grouped by (request, device, cause), in first-seen order.
  std::vector<std::pair<std::string, int>> groups;
  std::map<std::string, size_t> group_of;
  for (const PlacementRecord& r : placement.records) {
    ++per_device[r.assigned];
    std::string line = fmt::format("{}: ({}): {}", r.node, r.op, r.assigned);
    if (r.reason != PlacementReason::kRequested && r.reason != PlacementReason::kDefaultPriority) {
      const std::string why = ShortReason(r, no_gpu_reason);
      fmt::format_to(std::back_inserter(line), "  [{}]", why);
      if (IsSoftFallback(r.reason)) {
        const std::string key = fmt::format("asked for {} and run on {}: {}", r.requested, r.assigned,
                                            why.substr(std::string("soft: ").size()));
        auto [it, added] = group_of.emplace(key, groups.size());
        if (added) groups.emplace_back(key, 0);
        ++groups[it->second].second;
      }
    }
    lines.push_back(std::move(line));
  }
  std::string summary =
      fmt::format("Placement summary: {} node{}", placement.records.size(), placement.records.size() == 1 ? "" : "s");
  for (const auto& [device, n] : per_device) fmt::format_to(std::back_inserter(summary), "; {} on {}", n, device);
  lines.push_back(std::move(summary));
  for (const auto& [key, n] : groups) lines.push_back(fmt::format("  {} node{} {}", n, n == 1 ? "" : "s", key));
  return lines;
}

}  // namespace tessera
