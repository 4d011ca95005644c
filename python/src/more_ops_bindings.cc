// The op builders of tessera/ops.h that make sources, shapes and layouts,
// random numbers and variable updates; gradients and the optimizers.
#include <nanobind/stl/optional.h>
#include <nanobind/stl/pair.h>
#include <nanobind/stl/string.h>
#include <nanobind/stl/tuple.h>
#include <nanobind/stl/vector.h>

#include <optional>
#include <string>
#include <tuple>
#include <vector>

#include "python/src/common.h"
#include "tessera/gradients.h"
#include "tessera/ops.h"
#include "tessera/train.h"

using namespace nanobind::literals;

namespace tessera::python {
namespace {

PartialShape ToPartialShape(const std::optional<std::vector<int64_t>>& dims) {
  return dims ? PartialShape(*dims) : PartialShape();
}

ops::Seed ToSeed(std::optional<int64_t> seed) { return seed ? ops::Seed(*seed) : ops::Seed(); }

void BindSources(nb::module_& m) {
  m.def("Const", [](Graph& g, nb::handle array, const std::string& name) {
    Tensor t = TensorFromArray(array);
    PyName n(name);
    return Built(g, ops::Const(g, t, n.name()));
  });
  m.def("Placeholder", [](Graph& g, int dtype, std::optional<std::vector<int64_t>> shape, const std::string& name) {
    PyName n(name);
    return Built(g, ops::Placeholder(g, DtypeOf(dtype), ToPartialShape(shape), n.name()));
  });
  m.def("PlaceholderWithDefault",
        [](Graph& g, Output in, std::optional<std::vector<int64_t>> shape, const std::string& name) {
          PyName n(name);
          return Built(g, ops::PlaceholderWithDefault(g, in, ToPartialShape(shape), n.name()));
        });
  m.def(
      "NoOp",
      [](Graph& g, const std::string& name) {
        PyName n(name);
        return Built(g, ops::NoOp(g, n.name())).node();
      },
      nb::rv_policy::reference);
  m.def(
      "Group",
      [](Graph& g, const std::vector<Node*>& nodes, const std::string& name) {
        std::vector<Operation> list(nodes.begin(), nodes.end());
        PyName n(name);
        return Built(g, ops::Group(g, list, n.name())).node();
      },
      nb::rv_policy::reference);
  m.def("Print", [](Graph& g, Output x, const std::string& message, int summarize, const std::string& name) {
    PyName n(name);
    return Built(g, ops::Print(g, x, message, summarize, n.name()));
  });
}

void BindShapes(nb::module_& m) {
  m.def("Reshape", [](Graph& g, Output x, Output shape, const std::string& name) {
    PyName n(name);
    return Built(g, ops::Reshape(g, x, shape, n.name()));
  });
  m.def("Transpose", [](Graph& g, Output x, const std::vector<int32_t>& perm, const std::string& name) {
    PyName n(name);
    return Built(g, ops::Transpose(g, x, perm, n.name()));
  });
  m.def("Shape", [](Graph& g, Output x, int out, bool size, const std::string& name) {
    PyName n(name);
    return Built(g, size ? ops::Size(g, x, DtypeOf(out), n.name()) : ops::Shape(g, x, DtypeOf(out), n.name()));
  });
  m.def("Fill", [](Graph& g, Output dims, Output value, const std::string& name) {
    PyName n(name);
    return Built(g, ops::Fill(g, dims, value, n.name()));
  });
  m.def("Filled", [](Graph& g, const std::vector<int64_t>& dims, int dtype, bool ones, const std::string& name) {
    PyName n(name);
    return Built(g,
                 ones ? ops::Ones(g, dims, DtypeOf(dtype), n.name()) : ops::Zeros(g, dims, DtypeOf(dtype), n.name()));
  });
  m.def("Concat", [](Graph& g, const std::vector<Output>& xs, int32_t axis, const std::string& name) {
    PyName n(name);
    return Built(g, ops::Concat(g, xs, axis, n.name()));
  });
  m.def("ExpandDims", [](Graph& g, Output x, int32_t axis, const std::string& name) {
    PyName n(name);
    return Built(g, ops::ExpandDims(g, x, axis, n.name()));
  });
  m.def("Squeeze", [](Graph& g, Output x, const std::vector<int64_t>& axes, const std::string& name) {
    PyName n(name);
    return Built(g, ops::Squeeze(g, x, axes, n.name()));
  });
  m.def("Stack", [](Graph& g, const std::vector<Output>& xs, int64_t axis, const std::string& name) {
    PyName n(name);
    return Built(g, ops::Stack(g, xs, axis, n.name()));
  });
  m.def("Unstack", [](Graph& g, Output x, int64_t axis, const std::string& name) {
    PyName n(name);
    std::vector<Output> outs = ops::Unstack(g, x, axis, n.name());
    CheckBuilt(g, !outs.empty() || !g.has_error());
    return outs;
  });
  m.def("Split", [](Graph& g, Output x, std::optional<int64_t> num, const std::vector<int64_t>& sizes, int64_t axis,
                    const std::string& name) {
    PyName n(name);
    std::vector<Output> outs = num ? ops::Split(g, x, *num, axis, n.name()) : ops::SplitV(g, x, sizes, axis, n.name());
    CheckBuilt(g, !outs.empty());
    return outs;
  });
  m.def("Tile", [](Graph& g, Output x, const std::vector<int64_t>& multiples, const std::string& name) {
    PyName n(name);
    return Built(g, ops::Tile(g, x, multiples, n.name()));
  });
  m.def("Pad", [](Graph& g, Output x, const std::vector<std::pair<int64_t, int64_t>>& paddings, nb::handle value,
                  const std::string& name) {
    Tensor v = value.is_none() ? Tensor() : TensorFromArray(value);
    PyName n(name);
    return Built(g, ops::Pad(g, x, paddings, v, n.name()));
  });
  m.def("Slice", [](Graph& g, Output x, const std::vector<int64_t>& begin, const std::vector<int64_t>& size,
                    const std::string& name) {
    PyName n(name);
    return Built(g, ops::Slice(g, x, begin, size, n.name()));
  });
}

// One entry of x[...]: (kind, begin, end, step), kind 0 index, 1 range, 2 newaxis, 3 ellipsis.
using SliceEntry = std::tuple<int, std::optional<int64_t>, std::optional<int64_t>, int64_t>;

void BindIndexing(nb::module_& m) {
  m.def("Index", [](Graph& g, Output x, const std::vector<SliceEntry>& entries, const std::string& name) {
    std::vector<ops::SliceIndex> spec;
    for (const auto& [kind, begin, end, step] : entries) {
      if (kind == 0) spec.emplace_back(*begin);
      if (kind == 1) spec.push_back(ops::SliceIndex::Range(begin, end, step));
      if (kind == 2) spec.push_back(ops::SliceIndex::NewAxis());
      if (kind == 3) spec.push_back(ops::SliceIndex::Ellipsis());
    }
    PyName n(name);
    return Built(g, ops::Index(g, x, spec, n.name()));
  });
  m.def("Gather", [](Graph& g, Output params, Output indices, int64_t axis, const std::string& name) {
    PyName n(name);
    return Built(g, ops::Gather(g, params, indices, axis, n.name()));
  });
  m.def("OneHot", [](Graph& g, Output indices, int32_t depth, nb::handle on, nb::handle off, int64_t axis,
                     const std::string& name) {
    Tensor on_t = TensorFromArray(on), off_t = TensorFromArray(off);
    PyName n(name);
    return Built(g, ops::OneHot(g, indices, depth, on_t, off_t, axis, n.name()));
  });
  m.def("Range", [](Graph& g, Output start, Output limit, Output delta, const std::string& name) {
    PyName n(name);
    return Built(g, ops::Range(g, start, limit, delta, n.name()));
  });
  m.def("UnsortedSegmentSum", [](Graph& g, Output data, Output ids, Output num, const std::string& name) {
    PyName n(name);
    return Built(g, ops::UnsortedSegmentSum(g, data, ids, num, n.name()));
  });
}

void BindRandom(nb::module_& m) {
  m.def("Random", [](Graph& g, int kind, std::optional<Output> shape_tensor, const std::vector<int64_t>& shape,
                     int dtype, double mean, double stddev, std::optional<int64_t> seed, const std::string& name) {
    PyName n(name);
    if (kind == 0 && shape_tensor) {
      return Built(g, ops::RandomUniform(g, *shape_tensor, DtypeOf(dtype), ToSeed(seed), n.name()));
    }
    if (kind == 0) return Built(g, ops::RandomUniform(g, shape, DtypeOf(dtype), ToSeed(seed), n.name()));
    if (kind == 1) return Built(g, ops::RandomNormal(g, shape, DtypeOf(dtype), mean, stddev, ToSeed(seed), n.name()));
    return Built(g, ops::TruncatedNormal(g, shape, DtypeOf(dtype), mean, stddev, ToSeed(seed), n.name()));
  });
  m.def("Dropout", [](Graph& g, Output x, Output keep_prob, std::optional<int64_t> seed, const std::string& name) {
    PyName n(name);
    return Built(g, ops::Dropout(g, x, keep_prob, ToSeed(seed), n.name()));
  });
  m.def("Assign", [](Graph& g, Output ref, Output value, int kind, const std::string& name) {
    PyName n(name);
    if (kind == 0) return Built(g, ops::Assign(g, ref, value, n.name()));
    if (kind == 1) return Built(g, ops::AssignAdd(g, ref, value, n.name()));
    return Built(g, ops::AssignSub(g, ref, value, n.name()));
  });
  m.def("IsVariableInitialized", [](Graph& g, Output ref, const std::string& name) {
    PyName n(name);
    return Built(g, ops::IsVariableInitialized(g, ref, n.name()));
  });
}

}  // namespace

void BindMoreOps(nb::module_& m) {
  BindSources(m);
  BindShapes(m);
  BindIndexing(m);
  BindRandom(m);
}

}  // namespace tessera::python
