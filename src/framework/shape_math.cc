#include "src/framework/shape_math.h"

#include <algorithm>
#include <cmath>
#include <sstream>
#include <string>

#include "src/framework/dtype_switch.h"

namespace tessera {

StridedSliceMasks StridedSliceMasksOf(const Node& node) {
  StridedSliceMasks m;
  for (const StridedSliceMaskAttr& a : kStridedSliceMaskAttrs) {
    if (const int64_t* v = node.attr<int64_t>(a.name)) m.*a.field = *v;
  }
  return m;
}
namespace {

bool Bit(int64_t mask, size_t i) { return ((mask >> i) & 1) != 0; }

// One entry of the dense spec: what happens to one input dimension.
struct DenseEntry {
  size_t spec = 0;    // the entry of begin/end/strides it came from
  bool full = false;  // from an ellipsis (or past the end of the spec): the whole dimension
};

// The elements taken by b:e:s of a dimension of size d (Python's slice
// rules). Any int64 b, e, s != 0 and d >= 0: the span is computed in 128 bits.
void ResolveRange(int64_t d, int64_t b, int64_t e, int64_t s, bool b_masked, bool e_masked, int64_t* begin,
                  int64_t* length) {
  const int64_t lo = s > 0 ? 0 : -1, hi = s > 0 ? d : d - 1;
  auto clamp = [&](int64_t v) { return std::clamp(v < 0 ? v + d : v, lo, hi); };
  const int64_t first = b_masked ? (s > 0 ? lo : hi) : clamp(b);
  const int64_t last = e_masked ? (s > 0 ? hi : lo) : clamp(e);
  const __int128 span = s > 0 ? static_cast<__int128>(last) - first : static_cast<__int128>(first) - last;
  const __int128 step = s > 0 ? static_cast<__int128>(s) : -static_cast<__int128>(s);
  *begin = first;
  *length = span > 0 ? static_cast<int64_t>((span + step - 1) / step) : 0;
}

// The dense spec: one entry per input dimension, and where new axes and
// shrunk dimensions fall in the output.
Status Densify(int rank, const std::vector<int64_t>& begin, const StridedSliceMasks& m, std::vector<DenseEntry>* dense,
               std::vector<int>* layout) {
  const size_t k = begin.size();
  int consuming = 0, ellipses = 0;
  for (size_t i = 0; i < k; ++i) {
    if (Bit(m.ellipsis_mask, i)) {
      ++ellipses;
    } else if (!Bit(m.new_axis_mask, i)) {
      ++consuming;
    }
  }
  if (ellipses > 1) return InvalidArgumentError("Multiple ellipses in slice spec not allowed");
  // layout: per output-building step, -1 for a new axis, else the dense entry.
  for (size_t i = 0; i < k; ++i) {
    if (Bit(m.ellipsis_mask, i)) {
      for (int f = 0; f < rank - consuming; ++f) {
        layout->push_back(static_cast<int>(dense->size()));
        dense->push_back({i, true});
      }
    } else if (Bit(m.new_axis_mask, i)) {
      layout->push_back(-1);
    } else {
      layout->push_back(static_cast<int>(dense->size()));
      dense->push_back({i, false});
    }
  }
  if (static_cast<int>(dense->size()) > rank) {
    return InvalidArgumentError("Index out of range using input dim " + std::to_string(rank) + "; input has only " +
                                std::to_string(rank) + " dims");
  }
  while (static_cast<int>(dense->size()) < rank) {  // an implicit ellipsis at the end
    layout->push_back(static_cast<int>(dense->size()));
    dense->push_back({k, true});
  }
  return Status::OK();
}

}  // namespace

StatusOr<StridedSliceGeometry> ComputeStridedSlice(const std::vector<int64_t>& in_dims,
                                                   const std::vector<int64_t>& begin, const std::vector<int64_t>& end,
                                                   const std::vector<int64_t>& strides, const StridedSliceMasks& m) {
  const size_t k = begin.size();
  if (end.size() != k || strides.size() != k) {
    return InvalidArgumentError("Expected begin, end, and strides to be 1D equal size tensors, but got shapes [" +
                                std::to_string(k) + "], [" + std::to_string(end.size()) + "], and [" +
                                std::to_string(strides.size()) + "] instead.");
  }
  if (k > 64) return InvalidArgumentError("A slice spec has at most 64 entries, got " + std::to_string(k));
  for (size_t i = 0; i < k; ++i) {
    if (strides[i] == 0) return InvalidArgumentError("strides[" + std::to_string(i) + "] must be non-zero");
  }
  const int rank = static_cast<int>(in_dims.size());
  std::vector<DenseEntry> dense;
  std::vector<int> layout;
  TESSERA_RETURN_IF_ERROR(Densify(rank, begin, m, &dense, &layout));
  const bool known = std::all_of(in_dims.begin(), in_dims.end(), [](int64_t d) { return d >= 0; });
  StridedSliceGeometry g;
  for (int step : layout) {
    if (step < 0) {
      g.out_dims.push_back(1);
      continue;
    }
    const DenseEntry& e = dense[static_cast<size_t>(step)];
    const int64_t d = in_dims[static_cast<size_t>(step)];
    int64_t first = 0, length = d, stride = 1;
    if (!e.full && Bit(m.shrink_axis_mask, e.spec)) {
      first = begin[e.spec] < 0 && d >= 0 ? begin[e.spec] + d : begin[e.spec];
      if (d >= 0 && (first < 0 || first >= d)) {
        return InvalidArgumentError("slice index " + std::to_string(begin[e.spec]) + " of dimension " +
                                    std::to_string(step) + " out of bounds.");
      }
      length = 1;
    } else {
      if (!e.full) {
        stride = strides[e.spec];
        if (d >= 0) {
          ResolveRange(d, begin[e.spec], end[e.spec], stride, Bit(m.begin_mask, e.spec), Bit(m.end_mask, e.spec),
                       &first, &length);
        } else {
          length = -1;
        }
      }
      g.out_dims.push_back(length);
    }
    if (known) {
      g.begin.push_back(first);
      g.length.push_back(length);
      g.stride.push_back(length > 1 ? stride : 1);  // a step never taken stays small
    }
  }
  return g;
}

namespace {

template <typename T>
std::string RangeValue(T v) {
  std::ostringstream os;
  os << v;
  return os.str();
}

template <typename T>
StatusOr<int64_t> RangeSize(T start, T limit, T delta) {
  if (delta == 0) return InvalidArgumentError("Requires delta != 0: " + RangeValue(delta));
  if (delta > 0 && start > limit) {
    return InvalidArgumentError("Requires start <= limit when delta > 0: " + RangeValue(start) + "/" +
                                RangeValue(limit));
  }
  if (delta < 0 && start < limit) {
    return InvalidArgumentError("Requires start >= limit when delta < 0: " + RangeValue(start) + "/" +
                                RangeValue(limit));
  }
  double n;
  if constexpr (std::is_floating_point_v<T>) {
    n = static_cast<double>(std::ceil(std::abs((limit - start) / delta)));  // in T, as TF computes it
  } else {
    const double span = std::abs(static_cast<double>(limit) - static_cast<double>(start));
    n = std::ceil(span / std::abs(static_cast<double>(delta)));
  }
  if (!(n < 9.2e18)) return InvalidArgumentError("Range has too many elements: " + RangeValue(n));
  return static_cast<int64_t>(n);
}

}  // namespace

std::string IntListString(const std::vector<int64_t>& v) {
  std::string s = "[";
  for (size_t i = 0; i < v.size(); ++i) {
    if (i > 0) s += ',';
    s += std::to_string(v[i]);
  }
  return s + "]";
}

StatusOr<int64_t> RangeSizeOf(const Tensor& start, const Tensor& limit, const Tensor& delta) {
  if (start.dtype() != limit.dtype() || start.dtype() != delta.dtype()) {
    return InvalidArgumentError("start, limit and delta must have one dtype");
  }
  if (start.rank() != 0 || limit.rank() != 0 || delta.rank() != 0) {
    return InvalidArgumentError("start, limit and delta must be scalars, got " + start.shape().DebugString() + ", " +
                                limit.shape().DebugString() + " and " + delta.shape().DebugString());
  }
  StatusOr<int64_t> n = InvalidArgumentError("Range: unsupported dtype " + std::string(DataTypeString(start.dtype())));
  Status s = SwitchNumericTypes(start.dtype(), [&]<typename T>() {
    n = RangeSize<T>(start.scalar<T>().value(), limit.scalar<T>().value(), delta.scalar<T>().value());
  });
  if (!s.ok()) return s;
  return n;
}

}  // namespace tessera
