// libFuzzer target: the GraphDef importer. Byte 0 even: the rest is a binary
// GraphDef; odd: text. Import never crashes; a graph that imports exports,
// and that export imports again into a fresh graph with the same node count.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string_view>

#include "tessera/graph_def.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  const auto format = data[0] % 2 == 0 ? tessera::GraphDefFormat::kBinary : tessera::GraphDefFormat::kText;
  std::string_view bytes(reinterpret_cast<const char*>(data + 1), size - 1);
  auto g = tessera::Graph::Create();
  auto imported = tessera::ImportGraphDef(*g, bytes, {}, format);
  if (!imported.ok() || !g->status().ok()) return 0;
  auto exported = tessera::ExportGraphDef(*g);
  if (!exported.ok()) std::abort();
  auto g2 = tessera::Graph::Create();
  auto again = tessera::ImportGraphDef(*g2, *exported);
  if (!again.ok() || g2->num_nodes() != g->num_nodes()) {
    std::fprintf(stderr, "the export of an imported graph does not import: %s\n", again.status().ToString().c_str());
    std::abort();
  }
  return 0;
}
