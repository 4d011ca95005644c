// Per-row math of the softmax family, shared by the CPU loops and the CUDA
// kernels (one row each), so the CPU tests check the code the GPU runs:
// Softmax, LogSoftmax, and the two softmax cross-entropies.
#pragma once

#include <cmath>
#include <cstdint>

#include "src/framework/cwise_functors.h"

namespace tessera::rowmath {

template <typename T>
TESSERA_HD T RowMax(const T* x, int64_t n) {
  T mx = x[0];
  for (int64_t i = 1; i < n; ++i) mx = x[i] > mx ? x[i] : mx;
  return mx;
}

// out = softmax(x) (or log_softmax with `log`) over n >= 1 elements, stable:
// x - max(x) first. out may not alias x.
template <typename T>
TESSERA_HD void SoftmaxRow(const T* x, T* out, int64_t n, bool log) {
  const T mx = RowMax(x, n);
  T sum = 0;
  for (int64_t i = 0; i < n; ++i) {
    const T e = std::exp(x[i] - mx);
    sum += e;
    out[i] = log ? x[i] - mx : e;
  }
  if (log) {
    const T lse = std::log(sum);
    for (int64_t i = 0; i < n; ++i) out[i] -= lse;
  } else {
    for (int64_t i = 0; i < n; ++i) out[i] /= sum;
  }
}

// Softmax cross-entropy of one row of n >= 1 logits (TF's algorithm):
// with s = logits - max and lse = log(sum(exp(s))),
//   loss = sum_j p_j * (lse - s_j),  backprop_j = exp(s_j) / sum - p_j,
// where p is the row of `labels` (dense) or the one-hot of `label` (sparse:
// labels == nullptr). A sparse label outside [0, n) makes the row NaN (TF's
// GPU answer; the CPU host half rejects such labels before).
template <typename T>
TESSERA_HD void XentRow(const T* logits, const T* labels, int64_t label, int64_t n, T* loss, T* backprop) {
  const T mx = RowMax(logits, n);
  T sum = 0;
  for (int64_t i = 0; i < n; ++i) {
    backprop[i] = logits[i] - mx;
    sum += std::exp(backprop[i]);
  }
  const T lse = std::log(sum);
  if (labels == nullptr && (label < 0 || label >= n)) {
    const T nan = static_cast<T>(NAN);
    *loss = nan;
    for (int64_t i = 0; i < n; ++i) backprop[i] = nan;
    return;
  }
  T l = 0;
  for (int64_t i = 0; i < n; ++i) {
    const T p = labels != nullptr ? labels[i] : T(i == label ? 1 : 0);
    l += p * (lse - backprop[i]);
    backprop[i] = std::exp(backprop[i]) / sum - p;
  }
  *loss = l;
}

}  // namespace tessera::rowmath
