#include <charconv>
#include <cstring>
#include <string>
#include <utility>
#include <vector>

#include "tessera/name.h"

#ifndef TESSERA_SOURCE_DIR
#error "TESSERA_SOURCE_DIR must name the source tree (CMake defines it)"
#endif

namespace tessera {
namespace {

struct Live {
  uint64_t token;
  SourceLocation loc;
};
thread_local std::vector<Live> tls_names;
thread_local uint64_t tls_next_token = 0;

// A file of tessera itself (its library sources or public headers, wherever
// they were installed): Names made there are the library's own.
bool IsLibraryFile(const char* file) {
  static const std::string kRoot = std::string(TESSERA_SOURCE_DIR) + "/";
  const size_t n = kRoot.size();
  if (std::strncmp(file, kRoot.c_str(), n) == 0) {
    const char* rest = file + n;
    for (const char* dir : {"src/", "placement/", "kernels_cpu/", "kernels_cuda/", "include/tessera/"}) {
      if (std::strncmp(rest, dir, std::strlen(dir)) == 0) return true;
    }
    return false;
  }
  return std::strstr(file, "include/tessera/") != nullptr;
}

}  // namespace

std::string SourceLocation::ToString() const {
  if (file == nullptr) return "";
  const char* slash = std::strrchr(file, '/');
  const char* base = slash == nullptr ? file : slash + 1;
  char digits[16];
  const char* end = std::to_chars(digits, digits + sizeof(digits), line).ptr;
  std::string out;  // one allocation: placement formats one per node
  out.reserve(std::strlen(base) + 1 + static_cast<size_t>(end - digits));
  out.append(base).append(1, ':').append(digits, static_cast<size_t>(end - digits));
  return out;
}

namespace name_internal {

uint64_t Enter(const SourceLocation& loc) {
  if (loc.file == nullptr || IsLibraryFile(loc.file)) return 0;  // nothing to remember
  tls_names.push_back(Live{++tls_next_token, loc});
  return tls_next_token;
}

void Leave(uint64_t token) {
  if (token == 0) return;
  for (size_t i = tls_names.size(); i-- > 0;) {
    if (tls_names[i].token == token) {
      tls_names.erase(tls_names.begin() + static_cast<std::ptrdiff_t>(i));
      return;
    }
  }
}

}  // namespace name_internal

SourceLocation CurrentSourceLocation() { return tls_names.empty() ? SourceLocation() : tls_names.back().loc; }

}  // namespace tessera
