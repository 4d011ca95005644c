#include "placement/placement_log.h"

#include <fmt/format.h>

#include <algorithm>
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
      "Soft placement moved {} node{} off the device {} asked for, e.g. {} ({}{}{}) from {} to {}: {}. Set "
      "log_device_placement to see each one and why.",
      n, n == 1 ? "" : "s", n == 1 ? "it" : "they", first->node, first->op, first->source.empty() ? "" : ", ",
      first->source, first->requested, first->assigned, first->detail);
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

namespace {

// "  2 op types have no GPU kernel for their dtypes: Neg ×3, Print ×1" per
// device type some nodes have no kernel on, most frequent op first.
void AppendMissingKernelLines(const Placement& placement, std::vector<PlacementLogLine>* lines) {
  std::map<std::string, std::map<std::string, int>> per_type;
  for (const PlacementRecord& r : placement.records) {
    for (const std::string& t : r.no_kernel_on) ++per_type[t][r.op];
  }
  for (const auto& [type, ops] : per_type) {
    std::vector<std::pair<std::string, int>> sorted(ops.begin(), ops.end());
    std::stable_sort(sorted.begin(), sorted.end(), [](const auto& a, const auto& b) { return a.second > b.second; });
    std::string line =
        fmt::format("  {} op type{} {} no {} kernel for {} dtypes:", sorted.size(), sorted.size() == 1 ? "" : "s",
                    sorted.size() == 1 ? "has" : "have", type, sorted.size() == 1 ? "its" : "their");
    for (size_t i = 0; i < sorted.size(); ++i) {
      fmt::format_to(std::back_inserter(line), "{} {} \u00d7{}", i ? "," : "", sorted[i].first, sorted[i].second);
    }
    lines->push_back({LogRecord::Kind::kPlacementSummary, std::move(line)});
  }
}

}  // namespace

std::vector<PlacementLogLine> PlacementLog(const Placement& placement, std::string_view no_gpu_reason) {
  std::vector<PlacementLogLine> lines;
  for (const std::string& note : placement.notes) lines.push_back({LogRecord::Kind::kPlacementNote, note});
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
      // Where the user's code made it: the line to change.
      if (!r.source.empty()) fmt::format_to(std::back_inserter(line), " ({})", r.source);
      if (IsSoftFallback(r.reason)) {
        const std::string key = fmt::format("asked for {} and run on {}: {}", r.requested, r.assigned,
                                            why.substr(std::string("soft: ").size()));
        auto [it, added] = group_of.emplace(key, groups.size());
        if (added) groups.emplace_back(key, 0);
        ++groups[it->second].second;
      }
    }
    lines.push_back({LogRecord::Kind::kNodePlacement, std::move(line), &r});
  }
  std::string summary =
      fmt::format("Placement summary: {} node{}", placement.records.size(), placement.records.size() == 1 ? "" : "s");
  for (const auto& [device, n] : per_device) fmt::format_to(std::back_inserter(summary), "; {} on {}", n, device);
  lines.push_back({LogRecord::Kind::kPlacementSummary, std::move(summary)});
  for (const auto& [key, n] : groups) {
    lines.push_back({LogRecord::Kind::kPlacementSummary, fmt::format("  {} node{} {}", n, n == 1 ? "" : "s", key)});
  }
  AppendMissingKernelLines(placement, &lines);
  return lines;
}

}  // namespace tessera
