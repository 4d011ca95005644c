// Size estimates from static shapes, for the placer's copy reduction,
// ExplainPlacement and the placement picture. Unknown dimensions count as a
// given size; products and sums saturate at INT64_MAX (a graph may declare
// shapes whose element count overflows once unknown dimensions are filled in).
#pragma once

#include <fmt/format.h>

#include <cstdint>
#include <iterator>
#include <limits>
#include <string>

#include "tessera/graph.h"

namespace tessera::estimates {

inline int64_t Mul(int64_t a, int64_t b) {
  int64_t r = 0;
  return __builtin_mul_overflow(a, b, &r) ? std::numeric_limits<int64_t>::max() : r;
}
inline int64_t Add(int64_t a, int64_t b) {
  int64_t r = 0;
  return __builtin_add_overflow(a, b, &r) ? std::numeric_limits<int64_t>::max() : r;
}

// Elements of `s` with each unknown dimension as `unknown_dim` (>= 0); -1 for an unknown rank.
inline int64_t Elements(const PartialShape& s, int64_t unknown_dim) {
  if (!s.known_rank()) return -1;
  int64_t n = 1;
  for (int64_t d : s.dims()) n = Mul(n, d < 0 ? unknown_dim : d);
  return n;
}

// Bytes of the tensor `o` (as Elements); -1 for an unknown rank.
inline int64_t Bytes(const Output& o, int64_t unknown_dim) {
  const int64_t n = Elements(o.shape(), unknown_dim);
  return n < 0 ? -1 : Mul(n, static_cast<int64_t>(DataTypeSize(o.dtype())));
}

// "1.5 MFLOP", "65.5 KB", "40 B": a count with a metric prefix; "? B" for -1.
inline std::string Human(int64_t v, const char* unit) {
  if (v < 0) return fmt::format("? {}", unit);
  static constexpr const char* kPrefixes[] = {"", "K", "M", "G", "T", "P", "E"};
  double x = static_cast<double>(v);
  size_t p = 0;
  while (x >= 1000.0 && p + 1 < std::size(kPrefixes)) {
    x /= 1000.0;
    ++p;
  }
  return p == 0 ? fmt::format("{} {}", v, unit) : fmt::format("{:.1f} {}{}", x, kPrefixes[p], unit);
}

}  // namespace tessera::estimates
