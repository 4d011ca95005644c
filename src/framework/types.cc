#include "tessera/types.h"

#include <array>
#include <limits>

namespace tessera {
namespace {

struct DataTypeInfo {
  std::string_view name;
  std::string_view enum_name;
};

// Names, indexed by DataType; the static_assert keeps a new dtype from missing
// its row. Sizes live in DataTypeSize (types.h), inline for the allocation checks.
constexpr std::array<DataTypeInfo, kNumDataTypes> kInfo = {{
    {"invalid", "DT_INVALID"},
    {"float", "DT_FLOAT"},
    {"double", "DT_DOUBLE"},
    {"int32", "DT_INT32"},
    {"int64", "DT_INT64"},
    {"bool", "DT_BOOL"},
    {"half", "DT_HALF"},
    {"bfloat16", "DT_BFLOAT16"},
    {"string", "DT_STRING"},
}};
static_assert(kInfo.size() == kNumDataTypes, "every DataType needs a row in kInfo");

const DataTypeInfo& Info(DataType dt) {
  auto i = static_cast<size_t>(dt);
  return i < kInfo.size() ? kInfo[i] : kInfo[0];
}

}  // namespace

std::string_view DataTypeString(DataType dt) { return Info(dt).name; }
std::string_view DataTypeEnumString(DataType dt) { return Info(dt).enum_name; }

bool DataTypeIsFloating(DataType dt) {
  return dt == DataType::kFloat || dt == DataType::kDouble || dt == DataType::kHalf || dt == DataType::kBFloat16;
}
bool DataTypeIsInteger(DataType dt) { return dt == DataType::kInt32 || dt == DataType::kInt64; }

Status TensorShape::Validate() const {
  if (rank_ > kMaxRank) {
    return InvalidArgumentError("Shape has " + std::to_string(rank_) + " dimensions; at most " +
                                std::to_string(kMaxRank) + " are supported");
  }
  int64_t n = 1;
  for (int i = 0; i < rank_; ++i) {
    if (dim(i) < 0) {
      return InvalidArgumentError("Dimension " + std::to_string(i) + " must be >= 0, got " + std::to_string(dim(i)) +
                                  " in shape " + DebugString());
    }
    n = MultiplyDims(n, dim(i));
    if (n < 0) {
      return InvalidArgumentError("Shape " + DebugString() + " would have more than 2**63 - 1 elements");
    }
  }
  return Status::OK();
}

StatusOr<TensorShape> TensorShape::Make(std::vector<int64_t> dims) {
  TensorShape s(dims);
  TESSERA_RETURN_IF_ERROR(s.Validate());
  return s;
}

void TensorShape::set_dim(int i, int64_t d) {
  (rank_ <= kInlineRank ? inline_ : heap_.data())[i] = d;
  num_elements_ = rank_ > kMaxRank ? -1 : 1;
  for (int k = 0; k < rank_; ++k) num_elements_ = MultiplyDims(num_elements_, data()[k]);
}

void TensorShape::AddDim(int64_t d) {
  num_elements_ = rank_ >= kMaxRank ? -1 : MultiplyDims(num_elements_, d);
  if (rank_ < kInlineRank) {
    inline_[rank_++] = d;
    return;
  }
  if (rank_ == kInlineRank) heap_.assign(inline_, inline_ + kInlineRank);
  heap_.push_back(d);
  ++rank_;
}

static std::string DimsString(const std::vector<int64_t>& dims) {
  std::string s = "[";
  for (size_t i = 0; i < dims.size(); ++i) {
    if (i) s += ",";
    s += dims[i] < 0 ? "?" : std::to_string(dims[i]);
  }
  return s + "]";
}

std::string TensorShape::DebugString() const {
  // Raw values: a TensorShape has no unknown dims, so a negative one is shown as given.
  std::string s = "[";
  for (int i = 0; i < rank_; ++i) {
    if (i) s += ",";
    s += std::to_string(dim(i));
  }
  return s + "]";
}

bool PartialShape::fully_defined() const {
  if (!known_rank_) return false;
  for (int64_t d : dims_) {
    if (d < 0) return false;
  }
  return true;
}

bool PartialShape::IsCompatibleWith(const TensorShape& s) const {
  if (!known_rank_) return true;
  if (s.rank() != rank()) return false;
  for (int i = 0; i < rank(); ++i) {
    if (dims_[static_cast<size_t>(i)] >= 0 && dims_[static_cast<size_t>(i)] != s.dim(i)) return false;
  }
  return true;
}

std::string PartialShape::DebugString() const { return known_rank_ ? DimsString(dims_) : "<unknown>"; }

}  // namespace tessera
