// Denormal floats flushed to zero while tessera computes, as TensorFlow does
// (its ScopedFlushDenormal around every step and in its pool threads):
// optimizer slots that decay toward 0 (Adam's m and v of a weight whose
// gradient stays 0) would otherwise reach denormals, which are ~100x slower
// on x86, and TF's numbers are those of flushed arithmetic.
#pragma once

#include <cstdint>

#if defined(__SSE__) || defined(__x86_64__)
#include <xmmintrin.h>
#define TESSERA_HAS_MXCSR 1
#endif

namespace tessera {

#if defined(TESSERA_HAS_MXCSR)
inline constexpr uint32_t kFlushDenormalBits = 0x8040;  // FTZ (bit 15) | DAZ (bit 6)
#endif

// Sets flush-to-zero and denormals-are-zero on the calling thread for good
// (the pools' own threads, at start).
inline void FlushDenormalsOnThisThread() {
#if defined(TESSERA_HAS_MXCSR)
  _mm_setcsr(_mm_getcsr() | kFlushDenormalBits);
#endif
}

// The same for a scope on the caller's thread, restoring its mode after.
class ScopedFlushDenormal {
 public:
#if defined(TESSERA_HAS_MXCSR)
  ScopedFlushDenormal() : saved_(_mm_getcsr()) {
    if ((saved_ & kFlushDenormalBits) != kFlushDenormalBits) _mm_setcsr(saved_ | kFlushDenormalBits);
  }
  ~ScopedFlushDenormal() {
    if ((saved_ & kFlushDenormalBits) != kFlushDenormalBits) _mm_setcsr(saved_);
  }

 private:
  uint32_t saved_;
#else
  ScopedFlushDenormal() = default;
#endif
  ScopedFlushDenormal(const ScopedFlushDenormal&) = delete;
  ScopedFlushDenormal& operator=(const ScopedFlushDenormal&) = delete;
};

}  // namespace tessera
