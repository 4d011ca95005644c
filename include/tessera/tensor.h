// Tensor: a typed, shaped, reference-counted n-d array.
//
//   Tensor a = Tensor::Vec<float>({1, 2});                 // [1. 2.]
//   Tensor m = *Tensor::FromVector<int32_t>({1, 2, 3, 4}, {2, 2});
//   std::cout << m.DebugString();                          // [[1 2]\n [3 4]]
//   float x = a.flat<float>()[1];                          // 2
//
// Copying a Tensor shares its buffer (like TF); use Clone() for a deep copy.
// Host buffers are 64-byte aligned. Buffers come from an Allocator, so a
// Tensor can also describe device memory (then flat<T>() is not readable on
// the host; see on_host()).
//
// Thread-safety: a Tensor may be read from many threads; writing the same
// buffer from several threads needs external synchronisation.
#pragma once

#include <algorithm>
#include <cstring>
#include <initializer_list>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "tessera/status.h"
#include "tessera/types.h"

namespace tessera {

class Allocator;

// A block of memory owned by an Allocator, released when the last Tensor
// referring to it goes away. A string tensor's buffer (host memory only)
// holds constructed std::string objects, destroyed with the buffer.
class Buffer {
 public:
  Buffer(Allocator* allocator, void* data, size_t bytes) : allocator_(allocator), data_(data), bytes_(bytes) {}
  ~Buffer();
  // Constructs `n` empty strings in the (host) memory; they are destroyed
  // with the buffer. Called once, by the allocation of a string tensor.
  void ConstructStrings(size_t n);
  Buffer(const Buffer&) = delete;
  Buffer& operator=(const Buffer&) = delete;

  void* data() const { return data_; }
  size_t bytes() const { return bytes_; }
  Allocator* allocator() const { return allocator_; }

 private:
  Allocator* allocator_;
  void* data_;
  size_t bytes_;
  size_t strings_ = 0;
};

class Tensor {
 public:
  // An empty, invalid tensor (dtype kInvalid). Fetching never returns one.
  Tensor() = default;
  // Allocates a zero-filled host tensor. When that is impossible (an invalid
  // dtype or shape, a byte count over kMaxTensorBytes, out of memory) the
  // result is an invalid tensor (valid() false), which every API rejects;
  // Create() says why.
  Tensor(DataType dtype, const TensorShape& shape);
  // Wraps an existing buffer. Invalid unless the shape is valid and the
  // buffer holds at least num_elements() elements.
  Tensor(DataType dtype, const TensorShape& shape, std::shared_ptr<Buffer> buffer);
  // The checked form of Tensor(dtype, shape): InvalidArgument for an invalid
  // dtype or shape (naming it), ResourceExhausted when memory runs out.
  static StatusOr<Tensor> Create(DataType dtype, const TensorShape& shape);

  template <typename T>
  static Tensor Scalar(T value);
  template <typename T>
  static Tensor Vec(std::initializer_list<T> values);
  // InvalidArgument if values.size() does not match the shape.
  template <typename T>
  static StatusOr<Tensor> FromVector(const std::vector<T>& values, const TensorShape& shape);
  // InvalidArgument if the rows have different lengths.
  template <typename T>
  static StatusOr<Tensor> Matrix(std::initializer_list<std::initializer_list<T>> rows);

  bool valid() const { return dtype_ != DataType::kInvalid; }
  DataType dtype() const { return dtype_; }
  const TensorShape& shape() const { return shape_; }
  int rank() const { return shape_.rank(); }
  int64_t dim(int i) const { return shape_.dim(i); }
  int64_t num_elements() const { return shape_.num_elements(); }
  size_t bytes() const { return static_cast<size_t>(num_elements()) * DataTypeSize(dtype_); }
  // True when the buffer is in host memory (always, for tensors users make).
  bool on_host() const;

  // Raw storage. Null for an invalid or zero-size tensor.
  void* raw_data() const { return buffer_ ? buffer_->data() : nullptr; }
  const std::shared_ptr<Buffer>& buffer() const { return buffer_; }

  // Typed views of the elements in row-major order. They are empty when T
  // does not match dtype() (check dtype() first when it may differ).
  template <typename T>
  std::span<T> flat();
  template <typename T>
  std::span<const T> flat() const;
  // The single element of a scalar (or one-element) tensor of type T.
  template <typename T>
  StatusOr<T> scalar() const;
  // A copy of the elements as a vector (empty on dtype mismatch).
  template <typename T>
  std::vector<T> ToVector() const;

  // Deep copy into a fresh host buffer. Precondition: on_host().
  Tensor Clone() const;
  // Same buffer, new shape with the same number of elements.
  StatusOr<Tensor> Reshaped(const TensorShape& shape) const;

  // numpy-style printing: "[3. 5.]", "[[1 2]\n [3 4]]", "True", "[ True False]".
  // Arrays over 1000 elements are summarised with "...".
  std::string DebugString() const;
  // TensorFlow's SummarizeValue form used by Print: "[1 2 3...]", at most
  // `max_entries` elements.
  std::string SummarizeValue(int64_t max_entries) const;

 private:
  DataType dtype_ = DataType::kInvalid;
  TensorShape shape_;
  std::shared_ptr<Buffer> buffer_;
};

// ---- implementation of the templates ----

template <typename T>
Tensor Tensor::Scalar(T value) {
  Tensor t(DataTypeOf<T>(), TensorShape{});
  if (t.valid()) t.flat<T>()[0] = value;
  return t;
}

template <typename T>
Tensor Tensor::Vec(std::initializer_list<T> values) {
  Tensor t(DataTypeOf<T>(), TensorShape{static_cast<int64_t>(values.size())});
  std::span<T> out = t.flat<T>();
  if (out.size() == values.size()) std::copy(values.begin(), values.end(), out.begin());
  return t;
}

template <typename T>
StatusOr<Tensor> Tensor::FromVector(const std::vector<T>& values, const TensorShape& shape) {
  TESSERA_ASSIGN_OR_RETURN(TensorShape checked, TensorShape::Make(shape.dims()));
  if (static_cast<int64_t>(values.size()) != checked.num_elements()) {
    return InvalidArgumentError("Tensor::FromVector: " + std::to_string(values.size()) + " values do not fill shape " +
                                checked.DebugString() + " (" + std::to_string(checked.num_elements()) + " elements)");
  }
  TESSERA_ASSIGN_OR_RETURN(Tensor t, Create(DataTypeOf<T>(), checked));
  std::span<T> out = t.flat<T>();
  for (size_t i = 0; i < values.size(); ++i) out[i] = values[i];
  return t;
}

template <typename T>
StatusOr<Tensor> Tensor::Matrix(std::initializer_list<std::initializer_list<T>> rows) {
  std::vector<T> values;
  const int64_t cols = rows.size() == 0 ? 0 : static_cast<int64_t>(rows.begin()->size());
  int64_t r = 0;
  for (const auto& row : rows) {
    if (static_cast<int64_t>(row.size()) != cols) {
      return InvalidArgumentError("Tensor::Matrix: row " + std::to_string(r) + " has " + std::to_string(row.size()) +
                                  " elements but row 0 has " + std::to_string(cols));
    }
    values.insert(values.end(), row.begin(), row.end());
    ++r;
  }
  return FromVector<T>(values, TensorShape{static_cast<int64_t>(rows.size()), cols});
}

template <typename T>
std::span<T> Tensor::flat() {
  if (dtype_ != DataTypeOf<T>() || !buffer_) return {};
  return std::span<T>(static_cast<T*>(buffer_->data()), static_cast<size_t>(num_elements()));
}

template <typename T>
std::span<const T> Tensor::flat() const {
  if (dtype_ != DataTypeOf<T>() || !buffer_) return {};
  return std::span<const T>(static_cast<const T*>(buffer_->data()), static_cast<size_t>(num_elements()));
}

template <typename T>
StatusOr<T> Tensor::scalar() const {
  if (dtype_ != DataTypeOf<T>()) {
    return InvalidArgumentError("Tensor::scalar: tensor has dtype " + std::string(DataTypeString(dtype_)) + ", not " +
                                std::string(DataTypeString(DataTypeOf<T>())));
  }
  if (num_elements() != 1) {
    return InvalidArgumentError("Tensor::scalar: tensor of shape " + shape_.DebugString() + " is not a scalar");
  }
  if (!on_host()) return FailedPreconditionError("Tensor::scalar: tensor is not in host memory");
  return flat<T>()[0];
}

template <typename T>
std::vector<T> Tensor::ToVector() const {
  std::span<const T> s = flat<T>();
  return std::vector<T>(s.begin(), s.end());
}

}  // namespace tessera
