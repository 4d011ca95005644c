// Reads a LevelDB-format table (the format of TF's checkpoint index) held
// in memory: every key and value, in order, each block's checksum checked.
//
// Why not LevelDB's own Table reader (whose TableBuilder writes the index):
// it allocates a buffer of the size a block handle claims before checking it
// against the file, so a corrupt or hostile index of a few hundred bytes
// makes it allocate petabytes and the process die (std::bad_alloc; found by
// fuzz/checkpoint_fuzzer). This reader checks every handle, length and
// offset against the bytes it has, and reports DataLoss naming the file.
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "tessera/status.h"

namespace tessera::persistence {

// `table` is the whole file; `name` names it in errors. Keys must increase.
StatusOr<std::vector<std::pair<std::string, std::string>>> ReadTable(std::string_view table, const std::string& name);

}  // namespace tessera::persistence
