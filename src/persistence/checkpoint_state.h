// Writing the "checkpoint" state file (reading it is public: tessera/checkpoint.h).
#pragma once

#include <string>

#include "tessera/checkpoint.h"

namespace tessera::persistence {

// Writes `state` to <dir>/<latest_filename> atomically (temp file, fsync, rename).
Status WriteCheckpointState(const std::string& dir, const train::CheckpointState& state,
                            const std::string& latest_filename);
// Deletes a checkpoint's files ("<prefix>.index", its data files, "<prefix>.meta").
void DeleteCheckpoint(const std::string& prefix);

}  // namespace tessera::persistence
