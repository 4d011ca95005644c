// The placement log: TF's "name: (Op): device" lines for a Placement, with the
// reason where the decision was not simply the request or the default, and a
// summary; and the one-line soft-placement warning a session prints when
// log_device_placement is off. Formatting only: the session decides where the
// lines go (its log_sink or stderr).
//
// Thread-safety: pure functions.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "placement/placer.h"
#include "tessera/session.h"

namespace tessera {

// One line for all the soft fallbacks of a placement, "" when there are none:
// "Soft placement moved 12 nodes off the device they asked for, e.g. mlp/MatMul
// (MatMul) from /device:GPU:0 to <device>: <detail>. Set log_device_placement
// to see each one and why." A session prints it once, and only with the log
// off (the log itself gives every fallback with its reason).
std::string SoftPlacementWarning(const Placement& placement);

// The log_device_placement lines: the placer's notes; one line per node, TF's
// "name: (Op): device", then "  [why]" where the decision was not simply the
// request or the default ("[soft: /device:GPU:0 does not exist: no GPU]",
// "[colocated with mlp/w1]"); and a summary: "Placement summary: N nodes; k on
// <device>", then one line per group of soft fallbacks with the same request,
// device and cause. `no_gpu_reason` (the session header states it once) is
// never repeated per node: it reads "no GPU" there.
// A summary line "  2 op types have no GPU kernel for their dtypes: Print ×1,
// Neg ×3" follows, per device type of the machine some nodes have no kernel on.
struct PlacementLogLine {
  LogRecord::Kind kind;
  std::string text;
  const PlacementRecord* record = nullptr;  // kNodePlacement: points into `placement`
};
std::vector<PlacementLogLine> PlacementLog(const Placement& placement, std::string_view no_gpu_reason = {});

}  // namespace tessera
