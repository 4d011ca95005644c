// Layout math on the CPU: strided gathers (Transpose, Slice), ConcatV2, Fill
// (and ZerosLike, OnesLike), Select. Bytes are moved, whatever the dtype.
#include <cstring>

#include "kernels_cpu/cpu_math.h"

namespace tessera {
namespace {

// Rows of the innermost dimension are copied whole when they are contiguous
// in the input and the output (Slice, Pad); otherwise element by element
// (Transpose).
Status Gather(OpKernelContext&, const GatherArgs& a) {
  const int64_t es = static_cast<int64_t>(DataTypeSize(a.in.dtype()));
  const int rank = static_cast<int>(a.dims.size());
  const bool boxed = !a.dst_strides.empty();
  int64_t n = 1;
  for (int64_t d : a.dims) n *= d;
  const bool rows = a.src_strides.back() == 1 && (!boxed || a.dst_strides.back() == 1);
  const int64_t row = rows ? a.dims.back() : 1;
  const int walk = rows ? rank - 1 : rank;  // dimensions walked by the index
  const char* src = static_cast<const char*>(a.in.raw_data());
  char* dst = static_cast<char*>(a.out->raw_data());
  std::vector<int64_t> idx(static_cast<size_t>(rank), 0);
  int64_t off = a.base, dst_off = a.dst_base;
  for (int64_t i = 0; i < n; i += row) {
    std::memcpy(dst + (boxed ? dst_off : i) * es, src + off * es, static_cast<size_t>(row * es));
    for (int d = walk - 1; d >= 0; --d) {
      const size_t du = static_cast<size_t>(d);
      off += a.src_strides[du];
      if (boxed) dst_off += a.dst_strides[du];
      if (++idx[du] < a.dims[du]) break;
      off -= a.src_strides[du] * a.dims[du];
      if (boxed) dst_off -= a.dst_strides[du] * a.dims[du];
      idx[du] = 0;
    }
  }
  return Status::OK();
}

Status Concat(OpKernelContext&, const std::vector<const Tensor*>& values, const ConcatGeometry& g, Tensor* out) {
  const int64_t es = static_cast<int64_t>(DataTypeSize(out->dtype()));
  const int64_t out_row = g.out.dim(g.axis) * g.inner;
  char* dst = static_cast<char*>(out->raw_data());
  int64_t col = 0;
  for (const Tensor* t : values) {
    const int64_t chunk = t->dim(g.axis) * g.inner;
    const char* src = static_cast<const char*>(t->raw_data());
    for (int64_t o = 0; o < g.outer && chunk > 0; ++o) {
      std::memcpy(dst + (o * out_row + col) * es, src + o * chunk * es, static_cast<size_t>(chunk * es));
    }
    col += chunk;
  }
  return Status::OK();
}

Status Fill(OpKernelContext&, const void* value, Tensor* out) {
  const size_t es = DataTypeSize(out->dtype());
  char* dst = static_cast<char*>(out->raw_data());
  for (int64_t i = 0; i < out->num_elements(); ++i) std::memcpy(dst + i * static_cast<int64_t>(es), value, es);
  return Status::OK();
}

Status Select(OpKernelContext&, const Tensor& cond, int64_t inner, const Tensor& then_t, const Tensor& else_t,
              Tensor* out) {
  const int64_t es = static_cast<int64_t>(DataTypeSize(then_t.dtype()));
  const bool* cp = cond.flat<bool>().data();
  const char* tp = static_cast<const char*>(then_t.raw_data());
  const char* ep = static_cast<const char*>(else_t.raw_data());
  char* op = static_cast<char*>(out->raw_data());
  for (int64_t i = 0; i < out->num_elements(); ++i) {
    const bool take_then = cp[inner == 0 ? 0 : i / inner];
    std::memcpy(op + i * es, (take_then ? tp : ep) + i * es, static_cast<size_t>(es));
  }
  return Status::OK();
}

}  // namespace

void cpu::AddArrayMath(BackendKernels& b) {
  b.gather = {Gather, AllTypes()};
  b.concat = {Concat, AllTypes()};
  b.fill = {Fill, AllTypes()};
  b.select = {Select, AllTypes()};
}

}  // namespace tessera
