// Copy cost of a plan: the round trips soft placement makes (a tensor copied
// from a GPU to an island of CPU-placed nodes, and their results copied
// back), found when the plan is built and reported with the bytes they
// moved at the plan's first Run.
//
// Thread-safety: pure functions.
#pragma once

#include <string>
#include <vector>

#include "src/runtime/plan.h"

namespace tessera {

// The round trips of `plan` through islands that hold at least one
// soft-placed node (per plan.placement), one per island.
std::vector<RoundTrip> FindRoundTrips(const Plan& plan);

// "Soft placement makes a round trip GPU:0 -> CPU:0 -> GPU:0 through 2 nodes
// (mlp/BiasAdd (mlp.cc:12): no GPU kernel ..., mlp/hidden ...): 3 copies,
// 131072 bytes this step. ..." for a round trip that moved `bytes`.
std::string RoundTripWarning(const Plan& plan, const RoundTrip& trip, int64_t bytes);

}  // namespace tessera
