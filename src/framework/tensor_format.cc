// numpy-style printing of tensors (Tensor::DebugString) and TensorFlow's
// SummarizeValue (what Print writes).
#include <algorithm>
#include <charconv>
#include <cmath>
#include <functional>
#include <string>
#include <vector>

#include "src/framework/dtype_switch.h"
#include "tessera/tensor.h"

namespace tessera {
namespace {

constexpr int64_t kSummariseThreshold = 1000;  // numpy's default threshold
constexpr int64_t kEdgeItems = 3;
constexpr size_t kLineWidth = 75;

template <typename T>
std::string ShortestRepr(T v, std::chars_format fmt) {
  char buf[64];
  auto r = std::to_chars(buf, buf + sizeof(buf), v, fmt);
  return std::string(buf, r.ptr);
}

// Splits a scientific repr "1.5e-5" into mantissa "1.5" and numpy's exponent "e-05".
void SplitScientific(const std::string& s, std::string* mantissa, std::string* exponent) {
  const size_t e = s.find('e');
  const int exp = std::stoi(s.substr(e + 1));
  char eb[16];
  std::snprintf(eb, sizeof(eb), "e%c%02d", exp < 0 ? '-' : '+', std::abs(exp));
  *mantissa = s.substr(0, e);
  *exponent = eb;
}

// Formats every element of a floating-point array the way numpy does with
// its default options: a common number of fractional digits (the most any
// element needs), integer parts right-aligned, short fractions padded with
// spaces; scientific notation when magnitudes are very large, very small or
// far apart.
template <typename T>
std::vector<std::string> FormatFloats(const std::vector<T>& vals) {
  double max_abs = 0, min_abs = 0;
  bool any = false;
  for (T v : vals) {
    if (!std::isfinite(v) || v == 0) continue;
    double a = std::fabs(static_cast<double>(v));
    if (!any) {
      max_abs = min_abs = a;
      any = true;
    }
    max_abs = std::max(max_abs, a);
    min_abs = std::min(min_abs, a);
  }
  const bool sci = any && (max_abs >= 1e8 || min_abs < 1e-4 || max_abs / min_abs > 1e3);
  std::vector<std::string> ints(vals.size()), fracs(vals.size()), exps(vals.size());
  size_t max_int = 0, max_frac = 0, max_exp = 0;
  for (size_t i = 0; i < vals.size(); ++i) {
    T v = vals[i];
    if (!std::isfinite(v)) {
      ints[i] = std::isnan(v) ? "nan" : (v > 0 ? "inf" : "-inf");
      continue;
    }
    std::string mant = ShortestRepr(v, sci ? std::chars_format::scientific : std::chars_format::fixed);
    if (sci) {
      SplitScientific(mant, &mant, &exps[i]);
      max_exp = std::max(max_exp, exps[i].size());
    }
    size_t dot = mant.find('.');
    ints[i] = mant.substr(0, dot);
    fracs[i] = dot == std::string::npos ? "" : mant.substr(dot + 1);
    max_frac = std::max(max_frac, fracs[i].size());
  }
  for (auto& s : ints) max_int = std::max(max_int, s.size());
  std::vector<std::string> out(vals.size());
  for (size_t i = 0; i < vals.size(); ++i) {
    if (!std::isfinite(vals[i])) {
      size_t width = max_int + 1 + max_frac + max_exp;
      out[i] = std::string(width > ints[i].size() ? width - ints[i].size() : 0, ' ') + ints[i];
      continue;
    }
    std::string s(max_int - ints[i].size(), ' ');
    s += ints[i] + "." + fracs[i];
    if (sci) {
      s += std::string(max_frac - fracs[i].size(), '0') + exps[i];
    } else {
      s += std::string(max_frac - fracs[i].size(), ' ');
    }
    out[i] = s;
  }
  return out;
}

// Python's repr of bytes, as numpy prints TF's string values: b'a\\n\\x00'.
std::string BytesRepr(const std::string& v) {
  const bool double_quote = v.find('\'') != std::string::npos && v.find('"') == std::string::npos;
  const char quote = double_quote ? '"' : '\'';
  std::string out = "b";
  out += quote;
  for (unsigned char c : v) {
    if (c == '\\' || c == static_cast<unsigned char>(quote)) {
      out += '\\';
      out += static_cast<char>(c);
    } else if (c == '\n') {
      out += "\\n";
    } else if (c == '\t') {
      out += "\\t";
    } else if (c == '\r') {
      out += "\\r";
    } else if (c < 0x20 || c >= 0x7f) {
      char buf[5];
      std::snprintf(buf, sizeof(buf), "\\x%02x", c);
      out += buf;
    } else {
      out += static_cast<char>(c);
    }
  }
  out += quote;
  return out;
}

template <typename T>
std::vector<std::string> FormatValues(const std::vector<T>& vals) {
  if constexpr (std::is_floating_point_v<T>) {
    return FormatFloats(vals);
  } else if constexpr (std::is_same_v<T, std::string>) {
    std::vector<std::string> out;
    for (const std::string& v : vals) out.push_back(BytesRepr(v));
    return out;
  } else {
    std::vector<std::string> out;
    size_t width = 0;
    for (T v : vals) {
      if constexpr (std::is_same_v<T, bool>) {
        out.push_back(v ? "True" : "False");
      } else {
        out.push_back(std::to_string(v));
      }
      width = std::max(width, out.back().size());
    }
    if constexpr (std::is_same_v<T, bool>) width = 5;
    for (auto& s : out) s.insert(0, width - s.size(), ' ');
    return out;
  }
}

// Which indices along a dimension of size n are shown.
std::vector<int64_t> ShownIndices(int64_t n, bool summarise) {
  std::vector<int64_t> idx;
  if (summarise && n > 2 * kEdgeItems) {
    for (int64_t i = 0; i < kEdgeItems; ++i) idx.push_back(i);
    idx.push_back(-1);  // the "..." marker
    for (int64_t i = n - kEdgeItems; i < n; ++i) idx.push_back(i);
  } else {
    for (int64_t i = 0; i < n; ++i) idx.push_back(i);
  }
  return idx;
}

struct Printer {
  const std::vector<int64_t>& dims;
  std::vector<int64_t> strides;
  const std::vector<std::string>& cells;  // formatted, indexed by flat position of shown elements
  const std::vector<int64_t>& cell_of;    // flat index -> index into cells (or -1)
  bool summarise;

  void Print(int axis, int64_t offset, const std::string& indent, std::string* out) const {
    const int rank = static_cast<int>(dims.size());
    *out += "[";
    std::vector<int64_t> idx = ShownIndices(dims[static_cast<size_t>(axis)], summarise);
    if (axis == rank - 1) {
      size_t line_len = indent.size() + 1;
      for (size_t k = 0; k < idx.size(); ++k) {
        std::string cell =
            idx[k] < 0 ? "..." : cells[static_cast<size_t>(cell_of[static_cast<size_t>(offset + idx[k])])];
        if (k > 0) {
          if (line_len + 1 + cell.size() + 1 > kLineWidth) {
            *out += "\n" + indent + " ";
            line_len = indent.size() + 1;
          } else {
            *out += " ";
            ++line_len;
          }
        }
        *out += cell;
        line_len += cell.size();
      }
    } else {
      const std::string sep = "\n" + std::string(static_cast<size_t>(rank - axis - 2), '\n') + indent + " ";
      for (size_t k = 0; k < idx.size(); ++k) {
        if (k > 0) *out += sep;
        if (idx[k] < 0) {
          *out += "...";
          continue;
        }
        Print(axis + 1, offset + idx[k] * strides[static_cast<size_t>(axis)], indent + " ", out);
      }
    }
    *out += "]";
  }
};

// Marks which flat indices are printed (all, or the summarised corners).
void MarkShown(const std::vector<int64_t>& dims, const std::vector<int64_t>& strides, bool summarise, int axis,
               int64_t offset, std::vector<int64_t>* shown) {
  if (axis == static_cast<int>(dims.size())) {
    shown->push_back(offset);
    return;
  }
  for (int64_t i : ShownIndices(dims[static_cast<size_t>(axis)], summarise)) {
    if (i >= 0) MarkShown(dims, strides, summarise, axis + 1, offset + i * strides[static_cast<size_t>(axis)], shown);
  }
}

template <typename T>
std::string DebugStringImpl(const Tensor& t) {
  std::span<const T> data = t.flat<T>();
  const std::vector<int64_t> dims = t.shape().dims();
  if (dims.empty()) {
    T v = data[0];
    if constexpr (std::is_same_v<T, std::string>) {
      return BytesRepr(v);
    } else if constexpr (std::is_same_v<T, bool>) {
      return v ? "True" : "False";
    } else if constexpr (std::is_floating_point_v<T>) {
      if (std::isnan(v)) return "nan";
      if (std::isinf(v)) return v > 0 ? "inf" : "-inf";
      double a = std::fabs(static_cast<double>(v));
      if (a != 0 && (a >= 1e16 || a < 1e-4)) {
        std::string mantissa, exponent;
        SplitScientific(ShortestRepr(v, std::chars_format::scientific), &mantissa, &exponent);
        return mantissa + exponent;
      }
      std::string s = ShortestRepr(v, std::chars_format::fixed);
      if (s.find('.') == std::string::npos) s += ".0";
      return s;
    } else {
      return std::to_string(v);
    }
  }
  if (t.num_elements() == 0) return "[]";  // as numpy prints every empty array
  std::vector<int64_t> strides(dims.size(), 1);
  for (int i = static_cast<int>(dims.size()) - 2; i >= 0; --i) {
    strides[static_cast<size_t>(i)] = strides[static_cast<size_t>(i) + 1] * dims[static_cast<size_t>(i) + 1];
  }
  const bool summarise = t.num_elements() > kSummariseThreshold;
  std::vector<int64_t> shown;
  MarkShown(dims, strides, summarise, 0, 0, &shown);
  std::vector<T> vals;
  vals.reserve(shown.size());
  std::vector<int64_t> cell_of(static_cast<size_t>(t.num_elements()), -1);
  for (size_t k = 0; k < shown.size(); ++k) {
    vals.push_back(data[static_cast<size_t>(shown[k])]);
    cell_of[static_cast<size_t>(shown[k])] = static_cast<int64_t>(k);
  }
  std::vector<std::string> cells = FormatValues(vals);
  Printer p{dims, strides, cells, cell_of, summarise};
  std::string out;
  p.Print(0, 0, "", &out);
  return out;
}

template <typename T>
std::string SummarizeImpl(const Tensor& t, int64_t max_entries) {
  std::span<const T> data = t.flat<T>();
  auto value = [&](int64_t i) -> std::string {
    T v = data[static_cast<size_t>(i)];
    if constexpr (std::is_same_v<T, std::string>) {
      return v;
    } else if constexpr (std::is_same_v<T, bool>) {
      return v ? "1" : "0";
    } else if constexpr (std::is_floating_point_v<T>) {
      char buf[64];
      std::snprintf(buf, sizeof(buf), "%.*g", std::is_same_v<T, float> ? 6 : 10, static_cast<double>(v));
      return buf;
    } else {
      return std::to_string(v);
    }
  };
  const int64_t n = t.num_elements();
  const int64_t limit = std::min(n, max_entries < 0 ? n : max_entries);
  if (t.rank() == 0) return value(0);
  // Nothing to print; the strides below could overflow for [0, 2^62, 5].
  if (n == 0) return "[]";
  // TF prints nested brackets, elements separated by spaces, and "..." when truncated.
  const std::vector<int64_t> dims = t.shape().dims();
  std::string out;
  int64_t printed = 0;
  std::vector<int64_t> strides(dims.size(), 1);
  for (int i = static_cast<int>(dims.size()) - 2; i >= 0; --i) {
    strides[static_cast<size_t>(i)] = strides[static_cast<size_t>(i) + 1] * dims[static_cast<size_t>(i) + 1];
  }
  std::function<void(size_t, int64_t)> rec = [&](size_t axis, int64_t offset) {
    out += "[";
    for (int64_t i = 0; i < dims[axis]; ++i) {
      if (printed >= limit) break;
      if (axis + 1 == dims.size()) {
        if (i > 0) out += " ";
        out += value(offset + i);
        ++printed;
      } else {
        rec(axis + 1, offset + i * strides[axis]);
      }
    }
    if (printed >= limit && limit < n && axis + 1 == dims.size()) out += "...";
    out += "]";
  };
  rec(0, 0);
  return out;
}

}  // namespace

std::string Tensor::DebugString() const {
  if (!valid()) return "<invalid tensor>";
  if (!on_host()) return "<device tensor " + std::string(DataTypeString(dtype_)) + " " + shape_.DebugString() + ">";
  if (dtype_ == DataType::kString) return DebugStringImpl<std::string>(*this);
  std::string s;
  Status st = SwitchAllTypes(dtype_, [&]<typename T>() { s = DebugStringImpl<T>(*this); });
  if (!st.ok()) return "<" + std::string(DataTypeString(dtype_)) + " tensor " + shape_.DebugString() + ">";
  return s;
}

std::string Tensor::SummarizeValue(int64_t max_entries) const {
  if (!valid()) return "<invalid tensor>";
  if (dtype_ == DataType::kString) return SummarizeImpl<std::string>(*this, max_entries);
  std::string s;
  Status st = SwitchAllTypes(dtype_, [&]<typename T>() { s = SummarizeImpl<T>(*this, max_entries); });
  if (!st.ok()) return "<" + std::string(DataTypeString(dtype_)) + " tensor>";
  return s;
}

}  // namespace tessera
