// Placement records: where each node of a plan runs, and why.
//
// The placer produces one record per node when a plan is built. Records are
// available from RunMetadata::placement after a Run, from
// Session::PlacementRecords(), and as JSON (PlacementRecordsToJson).
//
// Thread-safety: value types.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "tessera/types.h"

namespace tessera {

enum class PlacementReason {
  kRequested,            // the explicit device request was honoured
  kDefaultPriority,      // no request: highest-priority device type with a kernel
  kColocated,            // placed with its colocation group (detail names the group's node)
  kResourceDevice,       // a variable, pinned where the session first placed it
  kGeneratorHeuristic,   // a source node placed with its only consumer's device
  kMetadataHeuristic,    // Shape and friends placed on their input's device
  kSoftNoKernel,         // soft placement: no kernel for the op/dtype on the requested type
  kSoftNoDevice,         // soft placement: the requested device does not exist
  kSoftColocation,       // soft placement: a colocation conflict was merged away
  kCopyReduction,        // moved next to a soft-placed island to save copies (reduce_copies)
  kSoftRuntimeFallback,  // soft placement: its kernel failed as unsupported at run time; moved to the CPU
};
inline constexpr int kNumPlacementReasons = 11;

// Short machine name, e.g. "requested", "soft_no_kernel".
std::string_view PlacementReasonName(PlacementReason r);
bool IsSoftFallback(PlacementReason r);

struct PlacementRecord {
  std::string node;
  std::string op;
  std::vector<DataType> dtypes;  // the dtypes the kernel is chosen by
  std::string requested;         // as merged from scopes; "" when none
  std::string assigned;          // full device name
  PlacementReason reason = PlacementReason::kDefaultPriority;
  std::string detail;  // human-readable why, e.g. "no GPU kernel for MatMul with T=int32"
  // Device types of the machine with no kernel for this node's op and
  // dtypes, e.g. {"GPU"} for Print on a machine with GPUs.
  std::vector<std::string> no_kernel_on;
  // Where the user's code made the node ("mlp_inference.cc:42"; "" unknown).
  std::string source;
};

// A JSON array of objects with keys node, op, dtypes, requested, assigned,
// reason, detail, no_kernel_on, source.
std::string PlacementRecordsToJson(const std::vector<PlacementRecord>& records);

}  // namespace tessera
