// GatherV2, UnsortedSegmentSum, OneHot, Cumsum and Cumprod on the CPU.
#include <cstring>

#include "kernels_cpu/cpu_math.h"
#include "src/framework/cwise_functors.h"
#include "src/framework/tensor_util.h"
#include "src/kernels/launch_config.h"

namespace tessera {
namespace {

// Rows of `inner` elements are copied whole; every index is checked first.
Status GatherRows(OpKernelContext&, const GatherRowsArgs& a) {
  const std::vector<int64_t> idx = IntTensorValues(a.indices);
  for (size_t k = 0; k < idx.size(); ++k) {
    if (idx[k] < 0 || idx[k] >= a.n) {
      return InvalidArgumentError("indices[" + std::to_string(k) + "] = " + std::to_string(idx[k]) + " is not in [0, " +
                                  std::to_string(a.n) + ")");
    }
  }
  const int64_t row = a.inner * static_cast<int64_t>(DataTypeSize(a.params.dtype()));
  const char* src = static_cast<const char*>(a.params.raw_data());
  char* dst = static_cast<char*>(a.out->raw_data());
  const int64_t k_count = static_cast<int64_t>(idx.size());
  for (int64_t o = 0; o < a.outer; ++o) {
    for (int64_t k = 0; k < k_count; ++k) {
      std::memcpy(dst + (o * k_count + k) * row, src + (o * a.n + idx[static_cast<size_t>(k)]) * row,
                  static_cast<size_t>(row));
    }
  }
  return Status::OK();
}

// An index outside [0, depth) matches no position: its vector is all off_value.
Status OneHot(OpKernelContext&, const OneHotArgs& a) {
  const std::vector<int64_t> idx = IntTensorValues(a.indices);
  const size_t es = DataTypeSize(a.out->dtype());
  char* dst = static_cast<char*>(a.out->raw_data());
  int64_t i = 0;
  for (int64_t o = 0; o < a.outer; ++o) {
    for (int64_t d = 0; d < a.depth; ++d) {
      for (int64_t in = 0; in < a.inner; ++in, ++i) {
        const bool hot = idx[static_cast<size_t>(o * a.inner + in)] == d;
        std::memcpy(dst + i * static_cast<int64_t>(es), hot ? a.on : a.off, es);
      }
    }
  }
  return Status::OK();
}

// Every id is checked first (TF's message names its position in segment_ids);
// negative ones are dropped.
Status SegmentSum(OpKernelContext&, const SegmentSumArgs& a) {
  const std::vector<int64_t> ids = IntTensorValues(a.segment_ids);
  for (size_t k = 0; k < ids.size(); ++k) {
    if (ids[k] < a.num_segments) continue;
    std::string at;
    int64_t rest = static_cast<int64_t>(k);
    for (int d = a.segment_ids.rank() - 1; d >= 0; --d) {
      at = std::to_string(rest % a.segment_ids.dim(d)) + (at.empty() ? "" : "," + at);
      rest /= a.segment_ids.dim(d);
    }
    return InvalidArgumentError("segment_ids[" + at + "] = " + std::to_string(ids[k]) + " is out of range [0, " +
                                std::to_string(a.num_segments) + ")");
  }
  std::memset(a.out->raw_data(), 0, static_cast<size_t>(a.out->num_elements()) * DataTypeSize(a.out->dtype()));
  const int64_t total = a.data.num_elements();
  return SwitchNumericTypes(a.data.dtype(), [&]<typename T>() {
    const T* src = a.data.flat<T>().data();
    T* dst = a.out->flat<T>().data();
    for (int64_t i = 0; i < total; ++i) {
      const int64_t to = SegmentSumTarget(i, ids.data(), a.num_segments, a.inner);
      if (to >= 0) dst[to] = functor::Add()(dst[to], src[i]);  // integers wrap, as TF's do
    }
  });
}

template <typename T, typename Op>
void CumulativeT(const Tensor& x, const AxisSplit& s, T start, Op op, CumulativeArgs how, Tensor* out) {
  const T* src = x.flat<T>().data();
  T* dst = out->flat<T>().data();
  for (int64_t o = 0; o < s.outer; ++o) {
    for (int64_t in = 0; in < s.inner; ++in) {
      T acc = start;
      for (int64_t j = 0; j < s.len; ++j) {
        const int64_t l = how.reverse ? s.len - 1 - j : j;
        const int64_t at = (o * s.len + l) * s.inner + in;
        if (how.exclusive) dst[at] = acc;
        acc = op(acc, src[at]);  // integers wrap, as TF's do
        if (!how.exclusive) dst[at] = acc;
      }
    }
  }
}

Status Cumsum(OpKernelContext&, const Tensor& x, const AxisSplit& s, CumulativeArgs how, Tensor* out) {
  return SwitchNumericTypes(x.dtype(), [&]<typename T>() {
    if (how.product) {
      CumulativeT<T>(x, s, T(1), functor::Mul(), how, out);
    } else {
      CumulativeT<T>(x, s, T(0), functor::Add(), how, out);
    }
  });
}

}  // namespace

void cpu::AddLayoutMath(BackendKernels& b) {
  b.gather_rows = {GatherRows, AllTypes()};
  b.gather_rows_index_types = IndexTypes();
  b.segment_sum = {SegmentSum, NumericTypes()};
  b.segment_sum_index_types = IndexTypes();
  b.one_hot = {OneHot, AllTypes()};
  b.one_hot_index_types = IndexTypes();
  b.cumsum = {Cumsum, NumericTypes()};
}

}  // namespace tessera
