// Element types and shapes.
//
// DataType lists the element types a Tensor can hold. float16 and bfloat16
// have names and sizes so that later kernels can be added without changing
// the enum; no kernel is registered for them yet.
//
// TensorShape is a fully known shape (scalar = rank 0; zero-size dims are
// allowed). PartialShape is what shape inference knows at graph-construction
// time: unknown rank, or known rank with some dims unknown (-1).
//
// Thread-safety: value types.
#pragma once

#include <cstdint>
#include <initializer_list>
#include <string>
#include <string_view>
#include <vector>

#include "tessera/status.h"

namespace tessera {

enum class DataType : uint8_t {
  kInvalid = 0,
  kFloat,   // float32
  kDouble,  // float64
  kInt32,
  kInt64,
  kBool,
  kHalf,      // float16: reserved, no kernels yet
  kBFloat16,  // bfloat16: reserved, no kernels yet
  kString,    // std::string elements, in host memory only (TF's DT_STRING): names and paths for SaveV2/RestoreV2
};
inline constexpr int kNumDataTypes = 9;

// TensorFlow's names: "float", "double", "int32", "int64", "bool", ...
std::string_view DataTypeString(DataType dt);
// TensorFlow's enum spelling, used in kernel listings: "DT_FLOAT".
std::string_view DataTypeEnumString(DataType dt);
// Bytes per element (0 for kInvalid). Inline: every allocation's size check reads it.
inline size_t DataTypeSize(DataType dt) {
  constexpr size_t kSizes[kNumDataTypes] = {0, 4, 8, 4, 8, 1, 2, 2, sizeof(std::string)};
  const auto i = static_cast<size_t>(dt);
  return i < static_cast<size_t>(kNumDataTypes) ? kSizes[i] : 0;
}
bool DataTypeIsFloating(DataType dt);
bool DataTypeIsInteger(DataType dt);

// Maps a C++ type to its DataType: DataTypeOf<float>() == DataType::kFloat.
template <typename T>
constexpr DataType DataTypeOf();
template <>
constexpr DataType DataTypeOf<float>() {
  return DataType::kFloat;
}
template <>
constexpr DataType DataTypeOf<double>() {
  return DataType::kDouble;
}
template <>
constexpr DataType DataTypeOf<int32_t>() {
  return DataType::kInt32;
}
template <>
constexpr DataType DataTypeOf<int64_t>() {
  return DataType::kInt64;
}
template <>
constexpr DataType DataTypeOf<bool>() {
  return DataType::kBool;
}
template <>
constexpr DataType DataTypeOf<std::string>() {
  return DataType::kString;
}

// Checked shape arithmetic, used by TensorShape, the allocator and every
// kernel that computes a size: a * b for element counts, or -1 when either is
// negative or the product does not fit in int64.
inline int64_t MultiplyDims(int64_t a, int64_t b) {
  int64_t r = 0;
  if (a < 0 || b < 0 || __builtin_mul_overflow(a, b, &r)) return -1;
  return r;
}
// The most dimensions a shape may have (TF's TensorShape::MaxDimensions()).
inline constexpr int kMaxRank = 254;
inline constexpr int64_t kMaxTensorBytes = int64_t{1} << 56;  // 64 PiB: more than any machine has
// Bytes of `num_elements` elements of `dt`, or -1 when num_elements is
// negative or the byte count exceeds kMaxTensorBytes.
inline int64_t TensorByteCount(DataType dt, int64_t num_elements) {
  const int64_t bytes = MultiplyDims(num_elements, static_cast<int64_t>(DataTypeSize(dt)));
  return bytes > kMaxTensorBytes ? -1 : bytes;
}

// A fully known shape.
// Shapes of up to kInlineRank dimensions are stored inline, so copying a
// Tensor (which every Run does) does not allocate.
//
// The constructors accept any dims; a shape with a negative dim, more than
// kMaxRank dims or more than 2^63-1 elements is invalid (valid() false, num_elements() -1), and nothing
// accepts it: Tensor, the allocator and every kernel report InvalidArgument.
// Make() returns the reason instead.
class TensorShape {
 public:
  TensorShape() = default;  // scalar
  TensorShape(std::initializer_list<int64_t> dims) {
    for (int64_t d : dims) AddDim(d);
  }
  explicit TensorShape(const std::vector<int64_t>& dims) {
    for (int64_t d : dims) AddDim(d);
  }

  // Validates dims (each >= 0) and the element count (fits in int64).
  static StatusOr<TensorShape> Make(std::vector<int64_t> dims);

  bool valid() const { return num_elements_ >= 0; }
  // OK, or InvalidArgument naming the negative dim or the overflow.
  Status Validate() const;
  int rank() const { return rank_; }
  int64_t dim(int i) const { return data()[i]; }
  std::vector<int64_t> dims() const { return std::vector<int64_t>(data(), data() + rank_); }
  // -1 for an invalid shape.
  int64_t num_elements() const { return num_elements_; }
  void AddDim(int64_t d);
  void set_dim(int i, int64_t d);

  // "[2,3]"; a scalar is "[]".
  std::string DebugString() const;

  friend bool operator==(const TensorShape& a, const TensorShape& b) {
    if (a.rank_ != b.rank_) return false;
    for (int i = 0; i < a.rank_; ++i) {
      if (a.data()[i] != b.data()[i]) return false;
    }
    return true;
  }

 private:
  static constexpr int kInlineRank = 6;
  const int64_t* data() const { return rank_ <= kInlineRank ? inline_ : heap_.data(); }
  int rank_ = 0;
  int64_t num_elements_ = 1;  // kept with the dims: read on every kernel's hot path
  int64_t inline_[kInlineRank] = {};
  std::vector<int64_t> heap_;  // all dims, when rank_ > kInlineRank
};

// A shape that may be partly unknown: unknown rank, or dims of -1.
class PartialShape {
 public:
  PartialShape() = default;  // unknown rank
  PartialShape(std::initializer_list<int64_t> dims) : known_rank_(true), dims_(dims) {}
  explicit PartialShape(std::vector<int64_t> dims) : known_rank_(true), dims_(std::move(dims)) {}
  PartialShape(const TensorShape& s) : known_rank_(true), dims_(s.dims()) {}  // NOLINT

  static PartialShape UnknownRank() { return PartialShape(); }
  static PartialShape UnknownDims(int rank) {
    return PartialShape(std::vector<int64_t>(static_cast<size_t>(rank), -1));
  }

  bool known_rank() const { return known_rank_; }
  int rank() const { return known_rank_ ? static_cast<int>(dims_.size()) : -1; }
  int64_t dim(int i) const { return dims_[static_cast<size_t>(i)]; }
  const std::vector<int64_t>& dims() const { return dims_; }
  bool fully_defined() const;
  // Precondition: fully_defined().
  TensorShape ToTensorShape() const { return TensorShape(dims_); }

  // True when a tensor of shape `s` could have this shape.
  bool IsCompatibleWith(const TensorShape& s) const;

  // "[2,?]", or "<unknown>" for unknown rank.
  std::string DebugString() const;

  friend bool operator==(const PartialShape& a, const PartialShape& b) {
    return a.known_rank_ == b.known_rank_ && a.dims_ == b.dims_;
  }

 private:
  bool known_rank_ = false;
  std::vector<int64_t> dims_;
};

}  // namespace tessera
