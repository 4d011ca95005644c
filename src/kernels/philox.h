// Philox4x32-10 (Salmon et al., "Parallel random numbers: as easy as 1, 2, 3")
// and the element mappings used by RandomUniform / RandomStandardNormal.
//
// Counter-based: element i of a draw depends only on (key, base counter, i),
// so CPU and GPU kernels produce identical values for the same seed.
#pragma once

#include <cmath>
#include <cstdint>

#include "src/framework/cwise_functors.h"  // TESSERA_HD

namespace tessera::random {

struct Block {
  uint32_t v[4];
};

TESSERA_HD inline Block Philox4x32(uint64_t key64, uint64_t counter64) {
  uint32_t key[2] = {static_cast<uint32_t>(key64), static_cast<uint32_t>(key64 >> 32)};
  uint32_t c[4] = {static_cast<uint32_t>(counter64), static_cast<uint32_t>(counter64 >> 32), 0x6b2fb38fu, 0x1b5e1d2du};
  constexpr uint32_t kM0 = 0xD2511F53u, kM1 = 0xCD9E8D57u, kW0 = 0x9E3779B9u, kW1 = 0xBB67AE85u;
  for (int round = 0; round < 10; ++round) {
    const uint64_t p0 = static_cast<uint64_t>(kM0) * c[0];
    const uint64_t p1 = static_cast<uint64_t>(kM1) * c[2];
    const uint32_t hi0 = static_cast<uint32_t>(p0 >> 32), lo0 = static_cast<uint32_t>(p0);
    const uint32_t hi1 = static_cast<uint32_t>(p1 >> 32), lo1 = static_cast<uint32_t>(p1);
    const uint32_t n0 = hi1 ^ c[1] ^ key[0];
    const uint32_t n2 = hi0 ^ c[3] ^ key[1];
    c[0] = n0;
    c[1] = lo1;
    c[2] = n2;
    c[3] = lo0;
    key[0] += kW0;
    key[1] += kW1;
  }
  return Block{{c[0], c[1], c[2], c[3]}};
}

// [0, 1) from 23 random bits (float) or 52 (double).
TESSERA_HD inline float UniformFloat(uint32_t x) {
  const uint32_t bits = (x & 0x7fffffu) | 0x3f800000u;
  float f;
  __builtin_memcpy(&f, &bits, sizeof(f));
  return f - 1.0f;
}
TESSERA_HD inline double UniformDouble(uint32_t a, uint32_t b) {
  const uint64_t bits = ((static_cast<uint64_t>(a) << 32 | b) & 0xfffffffffffffull) | 0x3ff0000000000000ull;
  double d;
  __builtin_memcpy(&d, &bits, sizeof(d));
  return d - 1.0;
}

// Element i of a uniform draw starting at block `base`.
template <typename T>
TESSERA_HD inline T UniformAt(uint64_t key, uint64_t base, int64_t i) {
  if constexpr (sizeof(T) == 4) {
    Block b = Philox4x32(key, base + static_cast<uint64_t>(i / 4));
    return UniformFloat(b.v[i % 4]);
  } else {
    Block b = Philox4x32(key, base + static_cast<uint64_t>(i / 2));
    return UniformDouble(b.v[2 * (i % 2)], b.v[2 * (i % 2) + 1]);
  }
}

// Element i of a standard normal draw (Box-Muller on one block per element).
template <typename T>
TESSERA_HD inline T NormalAt(uint64_t key, uint64_t base, int64_t i) {
  Block b = Philox4x32(key, base + static_cast<uint64_t>(i));
  const double u1 = 1.0 - UniformDouble(b.v[0], b.v[1]);  // (0, 1]
  const double u2 = UniformDouble(b.v[2], b.v[3]);
  return static_cast<T>(std::sqrt(-2.0 * std::log(u1)) * std::cos(6.283185307179586 * u2));
}

// Blocks a draw of n elements consumes (the counter advances by this much).
TESSERA_HD inline uint64_t BlocksFor(int64_t n) { return static_cast<uint64_t>(n); }

// The Philox key of an op from its seeds.
inline uint64_t KeyFromSeeds(int64_t seed, int64_t seed2) {
  return static_cast<uint64_t>(seed) * 0x9E3779B97F4A7C15ull ^ static_cast<uint64_t>(seed2);
}

}  // namespace tessera::random
