// The op builders of tessera/ops.h, one binding each: Python passes the graph,
// the input outputs, the attributes and the name; a failed builder raises.
#include <nanobind/stl/optional.h>
#include <nanobind/stl/pair.h>
#include <nanobind/stl/string.h>
#include <nanobind/stl/vector.h>

#include <string>
#include <vector>

#include "python/src/common.h"
#include "tessera/ops.h"

using namespace nanobind::literals;

namespace tessera::python {
namespace {

#define TESSERA_UNARY(NAME)                                      \
  m.def(#NAME, [](Graph& g, Output x, const std::string& name) { \
    PyName n(name);                                              \
    return Built(g, ops::NAME(g, x, n.name()));                  \
  });
#define TESSERA_BINARY(NAME)                                               \
  m.def(#NAME, [](Graph& g, Output x, Output y, const std::string& name) { \
    PyName n(name);                                                        \
    return Built(g, ops::NAME(g, x, y, n.name()));                         \
  });
#define TESSERA_REDUCE(NAME)                                                                                  \
  m.def(#NAME, [](Graph& g, Output x, const std::vector<int32_t>& axes, bool keep, const std::string& name) { \
    PyName n(name);                                                                                           \
    return Built(g, ops::NAME(g, x, axes, keep, n.name()));                                                   \
  });

void BindElementwise(nb::module_& m) {
  TESSERA_UNARY(Identity)
  TESSERA_UNARY(Neg)
  TESSERA_UNARY(Square)
  TESSERA_UNARY(Sqrt)
  TESSERA_UNARY(Exp)
  TESSERA_UNARY(Log)
  TESSERA_UNARY(Log1p)
  TESSERA_UNARY(Abs)
  TESSERA_UNARY(Tanh)
  TESSERA_UNARY(Sigmoid)
  TESSERA_UNARY(Relu)
  TESSERA_UNARY(Sign)
  TESSERA_UNARY(Floor)
  TESSERA_UNARY(Ceil)
  TESSERA_UNARY(Round)
  TESSERA_UNARY(Rsqrt)
  TESSERA_UNARY(Reciprocal)
  TESSERA_UNARY(StopGradient)
  TESSERA_UNARY(LogicalNot)
  TESSERA_UNARY(Softmax)
  TESSERA_UNARY(LogSoftmax)
  TESSERA_UNARY(L2Loss)
  TESSERA_UNARY(ZerosLike)
  TESSERA_UNARY(OnesLike)
  TESSERA_UNARY(Rank)
  TESSERA_BINARY(Add)
  TESSERA_BINARY(Sub)
  TESSERA_BINARY(Mul)
  TESSERA_BINARY(Div)
  TESSERA_BINARY(RealDiv)
  TESSERA_BINARY(Maximum)
  TESSERA_BINARY(Minimum)
  TESSERA_BINARY(Pow)
  TESSERA_BINARY(FloorDiv)
  TESSERA_BINARY(FloorMod)
  TESSERA_BINARY(Equal)
  TESSERA_BINARY(NotEqual)
  TESSERA_BINARY(Less)
  TESSERA_BINARY(LessEqual)
  TESSERA_BINARY(Greater)
  TESSERA_BINARY(GreaterEqual)
  TESSERA_BINARY(LogicalAnd)
  TESSERA_BINARY(LogicalOr)
  TESSERA_BINARY(ReluGrad)
  TESSERA_BINARY(TanhGrad)
  TESSERA_BINARY(SigmoidGrad)
  TESSERA_BINARY(SigmoidCrossEntropyWithLogits)
  m.def("Cast", [](Graph& g, Output x, int to, const std::string& name) {
    PyName n(name);
    return Built(g, ops::Cast(g, x, DtypeOf(to), n.name()));
  });
  m.def("ClipByValue", [](Graph& g, Output t, Output lo, Output hi, const std::string& name) {
    PyName n(name);
    return Built(g, ops::ClipByValue(g, t, lo, hi, n.name()));
  });
  m.def("Select", [](Graph& g, Output c, Output t, Output e, const std::string& name) {
    PyName n(name);
    return Built(g, ops::Select(g, c, t, e, n.name()));
  });
  m.def("SelectV2", [](Graph& g, Output c, Output t, Output e, const std::string& name) {
    PyName n(name);
    return Built(g, ops::Where(g, c, t, e, n.name()));
  });
  m.def("Where", [](Graph& g, Output c, const std::string& name) {
    PyName n(name);
    return Built(g, ops::Where(g, c, n.name()));
  });
}

void BindNn(nb::module_& m) {
  m.def("MatMul", [](Graph& g, Output a, Output b, bool ta, bool tb, const std::string& name) {
    PyName n(name);
    return Built(g, ops::MatMul(g, a, b, ta, tb, n.name()));
  });
  m.def("BiasAdd", [](Graph& g, Output v, Output b, const std::string& fmt, const std::string& name) {
    PyName n(name);
    return Built(g, ops::BiasAdd(g, v, b, FormatOf(fmt), n.name()));
  });
  m.def("BiasAddGrad", [](Graph& g, Output dy, const std::string& fmt, const std::string& name) {
    PyName n(name);
    return Built(g, ops::BiasAddGrad(g, dy, FormatOf(fmt), n.name()));
  });
  m.def("AddN", [](Graph& g, const std::vector<Output>& xs, const std::string& name) {
    PyName n(name);
    return Built(g, ops::AddN(g, xs, n.name()));
  });
  m.def("SoftmaxCrossEntropyWithLogits", [](Graph& g, Output f, Output l, bool sparse, const std::string& name) {
    PyName n(name);
    ops::XentOutputs x = sparse ? ops::SparseSoftmaxCrossEntropyWithLogits(g, f, l, n.name())
                                : ops::SoftmaxCrossEntropyWithLogits(g, f, l, n.name());
    CheckBuilt(g, x.loss.valid());
    return std::make_pair(x.loss, x.backprop);
  });
  m.def("Conv2D", [](Graph& g, Output in, Output f, const std::vector<int64_t>& strides, const std::string& padding,
                     const std::vector<int64_t>& dilations, const std::string& fmt, const std::string& name) {
    PyName n(name);
    return Built(g, ops::Conv2D(g, in, f, strides, padding, dilations, FormatOf(fmt), n.name()));
  });
  m.def("Conv2DBackpropInput", [](Graph& g, Output sizes, Output f, Output dy, const std::vector<int64_t>& strides,
                                  const std::string& padding, const std::vector<int64_t>& dilations,
                                  const std::string& fmt, const std::string& name) {
    PyName n(name);
    return Built(g, ops::Conv2DBackpropInput(g, sizes, f, dy, strides, padding, dilations, FormatOf(fmt), n.name()));
  });
  m.def("Conv2DBackpropFilter", [](Graph& g, Output in, Output sizes, Output dy, const std::vector<int64_t>& strides,
                                   const std::string& padding, const std::vector<int64_t>& dilations,
                                   const std::string& fmt, const std::string& name) {
    PyName n(name);
    return Built(g, ops::Conv2DBackpropFilter(g, in, sizes, dy, strides, padding, dilations, FormatOf(fmt), n.name()));
  });
  m.def("Pool", [](Graph& g, Output v, bool max, const std::vector<int64_t>& ksize, const std::vector<int64_t>& strides,
                   const std::string& padding, const std::string& fmt, const std::string& name) {
    PyName n(name);
    return Built(g, max ? ops::MaxPool(g, v, ksize, strides, padding, FormatOf(fmt), n.name())
                        : ops::AvgPool(g, v, ksize, strides, padding, FormatOf(fmt), n.name()));
  });
}

void BindReductions(nb::module_& m) {
  TESSERA_REDUCE(Sum)
  TESSERA_REDUCE(Mean)
  TESSERA_REDUCE(Max)
  TESSERA_REDUCE(Min)
  TESSERA_REDUCE(Prod)
  TESSERA_REDUCE(All)
  TESSERA_REDUCE(Any)
  m.def("SumAlong", [](Graph& g, Output x, Output axes, bool keep, const std::string& name) {
    PyName n(name);
    return Built(g, ops::SumAlong(g, x, axes, keep, n.name()));
  });
  m.def("MeanAlong", [](Graph& g, Output x, Output axes, bool keep, const std::string& name) {
    PyName n(name);
    return Built(g, ops::MeanAlong(g, x, axes, keep, n.name()));
  });
  m.def("ArgMax", [](Graph& g, Output x, int32_t axis, int out, bool min, const std::string& name) {
    PyName n(name);
    return Built(
        g, min ? ops::ArgMin(g, x, axis, DtypeOf(out), n.name()) : ops::ArgMax(g, x, axis, DtypeOf(out), n.name()));
  });
  m.def("Cumulative",
        [](Graph& g, Output x, int32_t axis, bool exclusive, bool reverse, bool prod, const std::string& name) {
          PyName n(name);
          return Built(g, prod ? ops::Cumprod(g, x, axis, exclusive, reverse, n.name())
                               : ops::Cumsum(g, x, axis, exclusive, reverse, n.name()));
        });
}

}  // namespace

void BindOps(nb::module_& m) {
  BindElementwise(m);
  BindNn(m);
  BindReductions(m);
}

}  // namespace tessera::python
