// CRC32C (Castagnoli), as TensorFlow's checkpoints and LevelDB's tables
// checksum their bytes: Extend(0, data, n) is the CRC of data; Mask and
// Unmask are the rotation TF stores instead of the raw CRC (a CRC of data
// that holds CRCs is otherwise weak).
//
// The x86-64-v2 baseline has SSE4.2, whose crc32 instruction computes it
// (about 8 bytes per 3 cycles); other targets use a table.
#pragma once

#include <cstddef>
#include <cstdint>

namespace tessera::crc32c {

uint32_t Extend(uint32_t crc, const void* data, size_t n);
inline uint32_t Value(const void* data, size_t n) { return Extend(0, data, n); }

inline constexpr uint32_t kMaskDelta = 0xa282ead8u;
inline uint32_t Mask(uint32_t crc) { return ((crc >> 15) | (crc << 17)) + kMaskDelta; }
inline uint32_t Unmask(uint32_t masked) {
  const uint32_t rot = masked - kMaskDelta;
  return (rot >> 17) | (rot << 15);
}

}  // namespace tessera::crc32c
