// Philox4x32-10 (Salmon et al., "Parallel random numbers: as easy as 1, 2, 3")
// and the distributions of RandomUniform, RandomStandardNormal and
// TruncatedNormal, laid out as TensorFlow lays them out, so that the same
// (seed, seed2) draws TensorFlow's values bit for bit (tests/data/tf_random.txt).
//
// The public facts this follows (TF's philox_random.h, random_distributions.h):
//  - key = seed (64 bits, low word first); the 128-bit counter starts at
//    seed2 << 64, and one Philox call (four 32-bit words) advances it by one.
//  - Values come in groups: 4 per call for float, 2 for double. Uniform maps
//    23 (52) random bits into [1, 2) and subtracts 1; the normal is Box-Muller
//    on pairs (float: sincosf, the angle 2*pi*u computed in double) with u1
//    clamped to 1e-7.
//  - TruncatedNormal draws group g from its own generator skipped by
//    g * 256 (float) or g * 128 (double) calls, taking 32-bit words one at a
//    time and keeping Box-Muller values with |x| < 2.
//  - Each execution of a seeded op reserves n * 256 calls, so the next
//    execution of the node continues after them.
//
// Counter-based: a group depends only on (key, counter, group index), so CPU
// and GPU kernels compute the same uniform values. Normal values use the
// device's logf/sincosf (glibc on the CPU, CUDA's libdevice on the GPU) as TF
// does, so they may differ in the last bit between CPU and GPU, as TF's do.
#pragma once

#include <cmath>
#include <cstdint>

#include "src/framework/cwise_functors.h"  // TESSERA_HD

namespace tessera::random {

struct Block {
  uint32_t v[4];
};

// Where a draw starts: the key and the 128-bit counter.
struct PhiloxStart {
  uint64_t key = 0;
  uint64_t counter_lo = 0;
  uint64_t counter_hi = 0;
};

// TF's PhiloxRandom(seed, seed2).
inline PhiloxStart FromSeeds(int64_t seed, int64_t seed2) {
  return PhiloxStart{static_cast<uint64_t>(seed), 0, static_cast<uint64_t>(seed2)};
}

// Advances the counter by `n` calls (TF's PhiloxRandom::Skip).
TESSERA_HD inline PhiloxStart Skip(PhiloxStart s, uint64_t n) {
  s.counter_lo += n;
  if (s.counter_lo < n) ++s.counter_hi;
  return s;
}

TESSERA_HD inline Block Philox4x32(const PhiloxStart& s) {
  uint32_t key[2] = {static_cast<uint32_t>(s.key), static_cast<uint32_t>(s.key >> 32)};
  uint32_t c[4] = {static_cast<uint32_t>(s.counter_lo), static_cast<uint32_t>(s.counter_lo >> 32),
                   static_cast<uint32_t>(s.counter_hi), static_cast<uint32_t>(s.counter_hi >> 32)};
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
TESSERA_HD inline float Uint32ToFloat(uint32_t x) {
  const uint32_t bits = (x & 0x7fffffu) | 0x3f800000u;
  float f;
  __builtin_memcpy(&f, &bits, sizeof(f));
  return f - 1.0f;
}
TESSERA_HD inline double Uint64ToDouble(uint32_t hi, uint32_t lo) {
  const uint64_t bits = ((static_cast<uint64_t>(hi & 0xfffffu) << 32) | lo) | 0x3ff0000000000000ull;
  double d;
  __builtin_memcpy(&d, &bits, sizeof(d));
  return d - 1.0;
}

constexpr double kTwoPi = 6.283185307179586476925286766559;

TESSERA_HD inline void BoxMullerFloat(uint32_t x0, uint32_t x1, float* f0, float* f1) {
  float u1 = Uint32ToFloat(x0);
  if (u1 < 1.0e-7f) u1 = 1.0e-7f;
  const float v1 = static_cast<float>(kTwoPi * static_cast<double>(Uint32ToFloat(x1)));
  const float u2 = sqrtf(-2.0f * logf(u1));
  sincosf(v1, f0, f1);
  *f0 *= u2;
  *f1 *= u2;
}

TESSERA_HD inline void BoxMullerDouble(uint32_t x0, uint32_t x1, uint32_t x2, uint32_t x3, double* d0, double* d1) {
  double u1 = Uint64ToDouble(x0, x1);
  if (u1 < 1.0e-7) u1 = 1.0e-7;
  const double v1 = kTwoPi * Uint64ToDouble(x2, x3);
  const double u2 = sqrt(-2.0 * log(u1));
  sincos(v1, d0, d1);
  *d0 *= u2;
  *d1 *= u2;
}

enum class Distribution { kUniform, kNormal, kTruncatedNormal };

// Values per group: one Philox call's worth.
template <typename T>
inline constexpr int kGroupSize = sizeof(T) == 4 ? 4 : 2;

// Philox calls reserved per value by one execution, and skipped per
// TruncatedNormal group (TF's kReservedSamplesPerOutput).
inline constexpr uint64_t kReservedPerValue = 256;

// 32-bit words one at a time (TF's SingleSampleAdapter).
struct WordStream {
  PhiloxStart at;
  Block block{};
  int used = 4;
  TESSERA_HD uint32_t Next() {
    if (used == 4) {
      block = Philox4x32(at);
      at = Skip(at, 1);
      used = 0;
    }
    return block.v[used++];
  }
};

// Group `g` of a draw starting at `start`: kGroupSize<T> values into out.
template <typename T>
TESSERA_HD inline void GroupAt(Distribution dist, const PhiloxStart& start, uint64_t g, T* out) {
  if (dist == Distribution::kTruncatedNormal) {
    WordStream words{Skip(start, g * (kGroupSize<T> * kReservedPerValue / 4))};
    int n = 0;
    while (true) {
      T v[2];
      if constexpr (sizeof(T) == 4) {
        const uint32_t x0 = words.Next(), x1 = words.Next();
        BoxMullerFloat(x0, x1, &v[0], &v[1]);
      } else {
        const uint32_t x0 = words.Next(), x1 = words.Next(), x2 = words.Next(), x3 = words.Next();
        BoxMullerDouble(x0, x1, x2, x3, &v[0], &v[1]);
      }
      for (T x : v) {
        if (fabs(x) < T(2)) {
          out[n++] = x;
          if (n == kGroupSize<T>) return;
        }
      }
    }
  }
  const Block b = Philox4x32(Skip(start, g));
  if constexpr (sizeof(T) == 4) {
    if (dist == Distribution::kUniform) {
      for (int k = 0; k < 4; ++k) out[k] = Uint32ToFloat(b.v[k]);
    } else {
      BoxMullerFloat(b.v[0], b.v[1], &out[0], &out[1]);
      BoxMullerFloat(b.v[2], b.v[3], &out[2], &out[3]);
    }
  } else {
    if (dist == Distribution::kUniform) {
      out[0] = Uint64ToDouble(b.v[0], b.v[1]);
      out[1] = Uint64ToDouble(b.v[2], b.v[3]);
    } else {
      BoxMullerDouble(b.v[0], b.v[1], b.v[2], b.v[3], &out[0], &out[1]);
    }
  }
}

// Element i of a draw (one thread per element on the GPU).
template <typename T>
TESSERA_HD inline T ValueAt(Distribution dist, const PhiloxStart& start, int64_t i) {
  T group[kGroupSize<T>];
  GroupAt<T>(dist, start, static_cast<uint64_t>(i / kGroupSize<T>), group);
  return group[i % kGroupSize<T>];
}

}  // namespace tessera::random
