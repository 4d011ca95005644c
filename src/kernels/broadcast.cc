#include "src/kernels/broadcast.h"

namespace tessera {

StatusOr<BroadcastGeometry> ComputeBroadcast(const TensorShape& x, const TensorShape& y) {
  const int rank = std::max(x.rank(), y.rank());
  std::vector<int64_t> out(static_cast<size_t>(rank)), xd(static_cast<size_t>(rank)), yd(static_cast<size_t>(rank));
  for (int i = 0; i < rank; ++i) {
    const int ix = x.rank() - rank + i, iy = y.rank() - rank + i;
    const int64_t a = ix >= 0 ? x.dim(ix) : 1, b = iy >= 0 ? y.dim(iy) : 1;
    if (a != b && a != 1 && b != 1) {
      return InvalidArgumentError("Incompatible shapes: " + x.DebugString() + " vs. " + y.DebugString());
    }
    out[static_cast<size_t>(i)] = a == 1 ? b : a;
    xd[static_cast<size_t>(i)] = a;
    yd[static_cast<size_t>(i)] = b;
  }
  BroadcastGeometry g;
  g.out_shape = TensorShape(out);
  if (g.out_shape.num_elements() == 0) {
    // Nothing to walk; the other dims may be huge (their product, and the
    // strides, could overflow), so no geometry is computed.
    g.dims = {0};
    g.x_strides = g.y_strides = {0};
    return g;
  }
  // Collapse dims: drop size-1 output dims, merge neighbours with the same pattern.
  std::vector<int64_t> dims, xb, yb;  // xb/yb: 1 if the input spans the dim, 0 if broadcast
  for (int i = 0; i < rank; ++i) {
    const int64_t d = out[static_cast<size_t>(i)];
    if (d == 1) continue;
    const int64_t sx = xd[static_cast<size_t>(i)] == d ? 1 : 0, sy = yd[static_cast<size_t>(i)] == d ? 1 : 0;
    if (!dims.empty() && xb.back() == sx && yb.back() == sy) {
      dims.back() *= d;
    } else {
      dims.push_back(d);
      xb.push_back(sx);
      yb.push_back(sy);
    }
  }
  if (dims.empty()) {
    dims.push_back(1);
    xb.push_back(1);
    yb.push_back(1);
  }
  g.dims = dims;
  g.x_strides.assign(dims.size(), 0);
  g.y_strides.assign(dims.size(), 0);
  int64_t sx = 1, sy = 1;
  for (int i = static_cast<int>(dims.size()) - 1; i >= 0; --i) {
    if (xb[static_cast<size_t>(i)]) {
      g.x_strides[static_cast<size_t>(i)] = sx;
      sx *= dims[static_cast<size_t>(i)];
    }
    if (yb[static_cast<size_t>(i)]) {
      g.y_strides[static_cast<size_t>(i)] = sy;
      sy *= dims[static_cast<size_t>(i)];
    }
  }
  return g;
}

void BroadcastOffsets(const BroadcastGeometry& g, int64_t i, int64_t* xo, int64_t* yo) {
  *xo = *yo = 0;
  for (int d = static_cast<int>(g.dims.size()) - 1; d >= 0; --d) {
    const int64_t idx = i % g.dims[static_cast<size_t>(d)];
    i /= g.dims[static_cast<size_t>(d)];
    *xo += idx * g.x_strides[static_cast<size_t>(d)];
    *yo += idx * g.y_strides[static_cast<size_t>(d)];
  }
}

}  // namespace tessera
