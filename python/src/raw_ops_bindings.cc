// The ops TF exposes only as tf.raw_ops (gradients, the optimizers' fused
// updates, checkpoints' SaveV2/RestoreV2) and StridedSlice with its masks.
#include <nanobind/stl/string.h>
#include <nanobind/stl/vector.h>

#include <string>
#include <vector>

#include "python/src/common.h"
#include "tessera/ops.h"

namespace tessera::python {
namespace {

ops::StridedSliceMasks Masks(const std::vector<int64_t>& m) {
  ops::StridedSliceMasks masks;
  if (m.size() == 5) {
    masks.begin_mask = m[0];
    masks.end_mask = m[1];
    masks.ellipsis_mask = m[2];
    masks.new_axis_mask = m[3];
    masks.shrink_axis_mask = m[4];
  }
  return masks;
}

void BindSlicing(nb::module_& m) {
  m.def("StridedSlice",
        [](Graph& g, Output x, const std::vector<int64_t>& begin, const std::vector<int64_t>& end,
           const std::vector<int64_t>& strides, const std::vector<int64_t>& masks, const std::string& name) {
          PyName n(name);
          return Built(g, ops::StridedSlice(g, x, begin, end, strides, Masks(masks), n.name()));
        });
  m.def("StridedSliceGrad", [](Graph& g, Output shape, Output begin, Output end, Output strides, Output dy,
                               const std::vector<int64_t>& masks, const std::string& name) {
    PyName n(name);
    return Built(g, ops::StridedSliceGrad(g, shape, begin, end, strides, dy, Masks(masks), n.name()));
  });
  m.def("BroadcastGradientArgs", [](Graph& g, Output s0, Output s1, const std::string& name) {
    PyName n(name);
    std::vector<Output> r = ops::BroadcastGradientArgs(g, s0, s1, n.name());
    CheckBuilt(g, r.size() == 2);
    return r;
  });
}

void BindPoolGrads(nb::module_& m) {
  m.def("MaxPoolGrad", [](Graph& g, Output in, Output out, Output grad, const std::vector<int64_t>& ksize,
                          const std::vector<int64_t>& strides, const std::string& padding, const std::string& fmt,
                          const std::string& name) {
    PyName n(name);
    return Built(g, ops::MaxPoolGrad(g, in, out, grad, ksize, strides, padding, FormatOf(fmt), n.name()));
  });
  m.def("AvgPoolGrad",
        [](Graph& g, Output shape, Output grad, const std::vector<int64_t>& ksize, const std::vector<int64_t>& strides,
           const std::string& padding, const std::string& fmt, const std::string& name) {
          PyName n(name);
          return Built(g, ops::AvgPoolGrad(g, shape, grad, ksize, strides, padding, FormatOf(fmt), n.name()));
        });
}

void BindApply(nb::module_& m) {
  m.def("ApplyGradientDescent",
        [](Graph& g, Output var, Output alpha, Output delta, bool locking, const std::string& name) {
          PyName n(name);
          return Built(g, ops::ApplyGradientDescent(g, var, alpha, delta, locking, n.name()));
        });
  m.def("ApplyMomentum", [](Graph& g, Output var, Output accum, Output lr, Output grad, Output momentum, bool locking,
                            bool nesterov, const std::string& name) {
    PyName n(name);
    return Built(g, ops::ApplyMomentum(g, var, accum, lr, grad, momentum, locking, nesterov, n.name()));
  });
  m.def("ApplyAdam", [](Graph& g, const std::vector<Output>& in, bool locking, bool nesterov, const std::string& name) {
    if (in.size() != 10) throw nb::value_error("ApplyAdam takes 10 inputs");
    PyName n(name);
    return Built(g, ops::ApplyAdam(g, in[0], in[1], in[2], in[3], in[4], in[5], in[6], in[7], in[8], in[9], locking,
                                   nesterov, n.name()));
  });
  m.def("ApplyRMSProp", [](Graph& g, const std::vector<Output>& in, bool locking, const std::string& name) {
    if (in.size() != 8) throw nb::value_error("ApplyRMSProp takes 8 inputs");
    PyName n(name);
    return Built(g, ops::ApplyRMSProp(g, in[0], in[1], in[2], in[3], in[4], in[5], in[6], in[7], locking, n.name()));
  });
}

void BindIo(nb::module_& m) {
  m.def(
      "SaveV2",
      [](Graph& g, Output prefix, Output names, Output slices, const std::vector<Output>& tensors,
         const std::string& name) {
        PyName n(name);
        return Built(g, ops::SaveV2(g, prefix, names, slices, tensors, n.name())).node();
      },
      nb::rv_policy::reference);
  m.def("RestoreV2", [](Graph& g, Output prefix, Output names, Output slices, const std::vector<int>& dtypes,
                        const std::string& name) {
    std::vector<DataType> types;
    for (int d : dtypes) types.push_back(static_cast<DataType>(d));
    PyName n(name);
    std::vector<Output> r = ops::RestoreV2(g, prefix, names, slices, types, n.name());
    CheckBuilt(g, r.size() == types.size());
    return r;
  });
}

}  // namespace

void BindRawOps(nb::module_& m) {
  BindSlicing(m);
  BindPoolGrads(m);
  BindApply(m);
  BindIo(m);
}

}  // namespace tessera::python
