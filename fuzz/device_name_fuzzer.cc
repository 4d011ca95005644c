// libFuzzer target: the device-name parser. Any input parses or fails with
// InvalidArgument; a parsed name prints to a form that parses back to itself,
// and merging two parsed names never fails.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "tessera/device_name.h"

using tessera::DeviceName;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  // Two specs separated by a NUL byte: parse both, merge them.
  const size_t nul = text.find('\0');
  std::string_view first = text.substr(0, nul);
  tessera::StatusOr<DeviceName> a = DeviceName::Parse(first);
  if (!a.ok()) {
    if (a.status().code() != tessera::Code::kInvalidArgument) std::abort();
    return 0;
  }
  tessera::StatusOr<DeviceName> again = DeviceName::Parse(a->ToString());
  if (!again.ok() || again->ToString() != a->ToString()) std::abort();
  if (nul != std::string_view::npos) {
    tessera::StatusOr<DeviceName> b = DeviceName::Parse(text.substr(nul + 1));
    if (b.ok()) {
      DeviceName merged = a->MergedWith(*b);
      if (!DeviceName::Parse(merged.ToString()).ok()) std::abort();
    }
  }
  return 0;
}
