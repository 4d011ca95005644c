#include "src/kernels/op_geometry.h"

#include <algorithm>
#include <string>

#include "src/framework/tensor_util.h"

namespace tessera {

StatusOr<MatMulDims> MatMulGeometry(const TensorShape& a, const TensorShape& b, bool ta, bool tb) {
  if (a.rank() != 2 || b.rank() != 2) {
    return InvalidArgumentError("In[0] and In[1] must be matrices, got shapes " + a.DebugString() + " and " +
                                b.DebugString());
  }
  MatMulDims d{a.dim(ta ? 1 : 0), b.dim(tb ? 0 : 1), a.dim(ta ? 0 : 1)};
  if (d.k != b.dim(tb ? 1 : 0)) {
    return InvalidArgumentError("Matrix size-incompatible: In[0]: " + a.DebugString() + ", In[1]: " + b.DebugString());
  }
  return d;
}

StatusOr<int64_t> SelectGeometry(const TensorShape& c, const TensorShape& t, const TensorShape& e) {
  if (!(t == e)) {
    return InvalidArgumentError("'then' and 'else' must have the same size.  but received: " + t.DebugString() +
                                " vs. " + e.DebugString());
  }
  if (c.rank() == 0) return int64_t{0};
  if (c == t) return int64_t{1};
  if (c.rank() == 1 && t.rank() >= 1 && c.dim(0) == t.dim(0))
    return t.dim(0) == 0 ? int64_t{1} : t.num_elements() / t.dim(0);
  return InvalidArgumentError(
      "'cond' must be a scalar, have the shape of 'then', or be a vector matching its first "
      "dimension, but received: " +
      c.DebugString() + " vs. " + t.DebugString());
}

StatusOr<int> BiasAddChannelAxis(const TensorShape& v, const TensorShape& b, bool channels_first) {
  if (v.rank() < 2) return InvalidArgumentError("Input tensor must be at least 2D: " + v.DebugString());
  if (b.rank() != 1) return InvalidArgumentError("Biases must be 1D: " + b.DebugString());
  const int axis = channels_first && v.rank() >= 3 ? 1 : v.rank() - 1;
  if (b.dim(0) != v.dim(axis)) {
    return InvalidArgumentError("Must provide as many biases as the last dimension of the input tensor: " +
                                b.DebugString() + " vs. " + v.DebugString());
  }
  return axis;
}

StatusOr<AxisSplit> ArgMaxGeometry(const TensorShape& x, const Tensor& dimension) {
  const std::vector<int64_t> d = IntTensorValues(dimension);
  if (d.size() != 1) return InvalidArgumentError("dimension must be a scalar, got " + dimension.shape().DebugString());
  int64_t axis = d[0];
  if (axis < -x.rank() || axis >= x.rank()) {
    return InvalidArgumentError("Expected dimension in the range [" + std::to_string(-x.rank()) + ", " +
                                std::to_string(x.rank()) + "), but got " + std::to_string(axis));
  }
  if (axis < 0) axis += x.rank();
  AxisSplit s;
  s.axis = static_cast<int>(axis);
  s.len = x.dim(s.axis);
  if (s.len == 0) {
    return InvalidArgumentError("Reduction axis " + std::to_string(s.axis) + " is empty in shape " + x.DebugString());
  }
  for (int i = 0; i < x.rank(); ++i) {
    if (i == s.axis) continue;
    s.out.AddDim(x.dim(i));
    (i < s.axis ? s.outer : s.inner) *= x.dim(i);
  }
  return s;
}

StatusOr<ConcatGeometry> ConcatGeometryOf(const std::vector<const Tensor*>& values, const Tensor& axis_t) {
  const std::vector<int64_t> axis_values = IntTensorValues(axis_t);
  if (axis_values.size() != 1) {
    return InvalidArgumentError("Concat axis must be a scalar, got a tensor of shape " + axis_t.shape().DebugString());
  }
  const TensorShape& first = values[0]->shape();
  const int rank = first.rank();
  if (rank == 0) return InvalidArgumentError("Can't concatenate scalars (use tf.stack instead)");
  int64_t axis = axis_values[0];
  if (axis < -rank || axis >= rank) {
    return InvalidArgumentError("ConcatOp : Expected concatenating dimensions in the range [" + std::to_string(-rank) +
                                ", " + std::to_string(rank) + "), but got " + std::to_string(axis));
  }
  if (axis < 0) axis += rank;
  ConcatGeometry g;
  g.axis = static_cast<int>(axis);
  g.out = first;
  int64_t total = 0;
  for (size_t i = 0; i < values.size(); ++i) {
    const TensorShape& s = values[i]->shape();
    if (s.rank() != rank) {
      return InvalidArgumentError("ConcatOp : Ranks of all input tensors should match: shape[0] = " +
                                  first.DebugString() + " vs. shape[" + std::to_string(i) + "] = " + s.DebugString());
    }
    for (int d = 0; d < rank; ++d) {
      if (d != g.axis && s.dim(d) != first.dim(d)) {
        return InvalidArgumentError("ConcatOp : Dimension " + std::to_string(d) +
                                    " in both shapes must be equal: shape[0] = " + first.DebugString() + " vs. shape[" +
                                    std::to_string(i) + "] = " + s.DebugString());
      }
    }
    if (__builtin_add_overflow(total, s.dim(g.axis), &total)) {
      return InvalidArgumentError("ConcatOp : the concatenated dimension " + std::to_string(g.axis) +
                                  " would have more than 2**63 - 1 entries");
    }
  }
  g.out.set_dim(g.axis, total);
  TESSERA_RETURN_IF_ERROR(g.out.Validate());
  if (g.out.num_elements() == 0) return g;  // nothing to copy; the products below could overflow
  for (int d = 0; d < g.axis; ++d) g.outer *= g.out.dim(d);
  for (int d = g.axis + 1; d < rank; ++d) g.inner *= g.out.dim(d);
  return g;
}

StatusOr<SliceGeometry> SliceGeometryOf(const TensorShape& x, const Tensor& begin_t, const Tensor& size_t_) {
  SliceGeometry g;
  g.begin = IntTensorValues(begin_t);
  g.size = IntTensorValues(size_t_);
  const int rank = x.rank();
  if (static_cast<int>(g.begin.size()) != rank || static_cast<int>(g.size.size()) != rank) {
    return InvalidArgumentError("Expected begin and size arguments to be 1-D tensors of size " + std::to_string(rank) +
                                ", but got shapes " + begin_t.shape().DebugString() + " and " +
                                size_t_.shape().DebugString() + " instead.");
  }
  for (int i = 0; i < rank; ++i) {
    const size_t iu = static_cast<size_t>(i);
    if (g.size[iu] == -1) g.size[iu] = x.dim(i) - g.begin[iu];
    // begin <= dim and size <= dim - begin: no sum that could overflow.
    if (g.begin[iu] < 0 || g.size[iu] < 0 || g.begin[iu] > x.dim(i) || g.size[iu] > x.dim(i) - g.begin[iu]) {
      return InvalidArgumentError("Expected begin[" + std::to_string(i) + "] in [0, " + std::to_string(x.dim(i)) +
                                  "] and size[" + std::to_string(i) + "] in [0, " +
                                  std::to_string(std::max<int64_t>(x.dim(i) - std::max<int64_t>(g.begin[iu], 0), 0)) +
                                  "], but got " + std::to_string(g.begin[iu]) + " and " + std::to_string(g.size[iu]));
    }
    g.out.AddDim(g.size[iu]);
  }
  return g;
}

}  // namespace tessera
