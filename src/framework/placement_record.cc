#include <fmt/format.h>

#include <array>
#include <string>

#include "src/framework/json.h"
#include "tessera/placement.h"

namespace tessera {
namespace {

constexpr std::array<std::string_view, 11> kReasonNames = {
    "requested",       "default_priority",      "colocated",
    "resource_device", "generator_heuristic",   "metadata_heuristic",
    "soft_no_kernel",  "soft_no_device",        "soft_colocation",
    "copy_reduction",  "soft_runtime_fallback",
};
static_assert(kReasonNames.size() == kNumPlacementReasons, "every PlacementReason needs a name");

}  // namespace

std::string JsonString(std::string_view s) {
  std::string out = "\"";
  for (char c : s) {
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\t':
        out += "\\t";
        break;
      default:
        if (static_cast<unsigned char>(c) < 0x20) {
          fmt::format_to(std::back_inserter(out), "\\u{:04x}", static_cast<unsigned>(c));
        } else {
          out += c;
        }
    }
  }
  return out + "\"";
}

std::string_view PlacementReasonName(PlacementReason r) { return kReasonNames[static_cast<size_t>(r)]; }

bool IsSoftFallback(PlacementReason r) {
  return r == PlacementReason::kSoftNoKernel || r == PlacementReason::kSoftNoDevice ||
         r == PlacementReason::kSoftColocation || r == PlacementReason::kSoftRuntimeFallback;
}

std::string PlacementRecordsToJson(const std::vector<PlacementRecord>& records) {
  std::string out = "[";
  for (size_t i = 0; i < records.size(); ++i) {
    const PlacementRecord& r = records[i];
    if (i) out += ",";
    out += "\n  {\"node\": " + JsonString(r.node) + ", \"op\": " + JsonString(r.op) + ", \"dtypes\": [";
    for (size_t k = 0; k < r.dtypes.size(); ++k) out += (k ? ", " : "") + JsonString(DataTypeString(r.dtypes[k]));
    out += "], \"requested\": " + JsonString(r.requested) + ", \"assigned\": " + JsonString(r.assigned) +
           ", \"reason\": " + JsonString(PlacementReasonName(r.reason)) + ", \"detail\": " + JsonString(r.detail) +
           ", \"no_kernel_on\": [";
    for (size_t k = 0; k < r.no_kernel_on.size(); ++k) out += (k ? ", " : "") + JsonString(r.no_kernel_on[k]);
    out += "], \"source\": " + JsonString(r.source) + "}";
  }
  return out + (records.empty() ? "]" : "\n]");
}

}  // namespace tessera
