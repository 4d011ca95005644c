// The placement log: TF's "name: (Op): device" lines for a Placement, with the
// reason where the decision was not simply the request or the default, and a
// summary; and the soft-placement warnings, which are logged even with
// log_device_placement off. Formatting only: the session decides where the
// lines go (its log_sink or stderr).
//
// Thread-safety: pure functions.
#pragma once

#include <string>
#include <vector>

#include "placement/placer.h"

namespace tessera {

// One warning per soft fallback:
// "Soft placement moved mlp/MatMul (MatMul) from /device:GPU:0 to <device>: <detail>".
std::vector<std::string> SoftPlacementWarnings(const Placement& placement);

// The log_device_placement lines: the placer's notes, one line per node, and
// "Placement summary: N nodes; k on <device>; s soft fallbacks".
std::vector<std::string> PlacementLogLines(const Placement& placement);

}  // namespace tessera
