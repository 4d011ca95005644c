// libFuzzer target: the node-name validator, and the graph and lookups that
// rely on it. A name CheckNodeName accepts can be used for a node and then
// found by name (as "name" and "name:0"); one it rejects is never added.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>

#include "tessera/tessera.h"

using namespace tessera;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string name(reinterpret_cast<const char*>(data), size);
  if (name.empty()) return 0;  // an empty name means "the op's name", not a name to check
  const bool valid = CheckNodeName(name).ok();
  std::shared_ptr<Graph> g = Graph::Create();
  Output c = ops::Const(*g, 1.0f, name);
  if (c.valid() != valid) std::abort();
  if (!valid) {
    if (g->status().code() != Code::kInvalidArgument) std::abort();
    // The lookup of a bad name fails cleanly too.
    if (g->FindOutput(name).ok()) std::abort();
    return 0;
  }
  if (c.node()->name() != name) std::abort();
  StatusOr<Operation> op = g->FindOperation(name);
  StatusOr<Output> out = g->FindOutput(name + ":0");
  if (!op.ok() || !out.ok() || op->node() != c.node() || out->node() != c.node()) std::abort();
  // A scope of the same name makes a valid scoped name.
  auto scope = g->NameScope(name);
  Output d = ops::Const(*g, 2.0f, "d");
  if (!d.valid()) std::abort();
  return 0;
}
