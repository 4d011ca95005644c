// Convolution and pooling (NHWC or NCHW): Conv2D, Conv2DBackpropInput,
// Conv2DBackpropFilter, MaxPool, MaxPoolGrad, AvgPool, AvgPoolGrad, with
// TF's attributes (strides, padding, dilations, ksize, data_format).
#include "src/framework/conv_shape.h"
#include "src/framework/op_registry.h"
#include "src/ops/builder.h"

namespace tessera {
namespace {

using ops_internal::Build;
using ops_internal::HelperConst;
using ops_internal::OpName;

constexpr DataType F32 = DataType::kFloat, F64 = DataType::kDouble;

std::vector<int64_t> Dims4(const PartialShape& s) {
  if (!s.known_rank()) return {-1, -1, -1, -1};
  return s.dims();
}

// The attributes every window op has, with TF's defaults filled in.
struct WindowAttrs {
  std::vector<int64_t> strides, dilations = {1, 1, 1, 1}, ksize;
  std::string padding, data_format = "NHWC";
};
Status ReadAttrs(InferenceContext& c, bool conv, WindowAttrs* a) {
  TESSERA_RETURN_IF_ERROR(c.GetAttr("strides", &a->strides));
  TESSERA_RETURN_IF_ERROR(c.GetAttr("padding", &a->padding));
  if (const auto* f = c.attr<std::string>("data_format")) a->data_format = *f;
  if (a->data_format != "NHWC" && a->data_format != "NCHW") {
    return c.Error("Value for attr 'data_format' of \"" + a->data_format +
                   "\" is not in the list of allowed values: \"NHWC\", \"NCHW\"");
  }
  c.SetAttr("data_format", a->data_format);
  if (conv) {
    if (const auto* d = c.attr<std::vector<int64_t>>("dilations")) a->dilations = *d;
    c.SetAttr("dilations", a->dilations);
  } else {
    TESSERA_RETURN_IF_ERROR(c.GetAttr("ksize", &a->ksize));
  }
  return Status::OK();
}

Status FloatInputs(InferenceContext& c, int first, int last, DataType* dt) {
  TESSERA_RETURN_IF_ERROR(c.ExpectSameTypes(first, last, dt));
  TESSERA_RETURN_IF_ERROR(c.ExpectTypeIn(*dt, {F32, F64}, "T"));
  c.SetAttr("T", *dt);
  return Status::OK();
}

Status WithError(InferenceContext& c, const Status& s) { return s.ok() ? s : c.Error(s.message()); }

// Conv2D(input, filter).
Status Conv2DShape(InferenceContext& c) {
  DataType dt;
  TESSERA_RETURN_IF_ERROR(FloatInputs(c, 0, 2, &dt));
  TESSERA_RETURN_IF_ERROR(c.ExpectRank(0, 4));
  TESSERA_RETURN_IF_ERROR(c.ExpectRank(1, 4));
  WindowAttrs a;
  TESSERA_RETURN_IF_ERROR(ReadAttrs(c, true, &a));
  auto s =
      Conv2DShapeOf(Dims4(c.input_shape(0)), Dims4(c.input_shape(1)), a.strides, a.dilations, a.padding, a.data_format);
  TESSERA_RETURN_IF_ERROR(WithError(c, s.status()));
  c.AddOutput(dt, PartialShape(s->output_dims()));
  return Status::OK();
}

// Conv2DBackpropInput(input_sizes, filter, out_backprop) and
// Conv2DBackpropFilter(input, filter_sizes, out_backprop): the output's
// shape is the sizes argument (a constant when it can be read).
ShapeFn ConvBackpropShape(int sizes_input) {
  return [sizes_input](InferenceContext& c) -> Status {
    const int value_input = sizes_input == 0 ? 1 : 0;
    DataType dt;
    TESSERA_RETURN_IF_ERROR(c.ExpectSameTypes(value_input, value_input + 1, &dt));
    TESSERA_RETURN_IF_ERROR(FloatInputs(c, 2, 3, &dt));
    if (c.input_type(value_input) != dt) return c.Error("filter/input and out_backprop must have one dtype");
    TESSERA_RETURN_IF_ERROR(c.ExpectTypeIn(c.input_type(sizes_input), {DataType::kInt32}, "sizes"));
    TESSERA_RETURN_IF_ERROR(c.ExpectRank(sizes_input, 1));
    WindowAttrs a;
    TESSERA_RETURN_IF_ERROR(ReadAttrs(c, true, &a));
    std::vector<int64_t> sizes;
    if (c.input_constant_ints(sizes_input, &sizes)) {
      if (sizes.size() != 4) return c.Error("sizes must be 4-dimensional, got " + std::to_string(sizes.size()));
      c.AddOutput(dt, PartialShape(sizes));
    } else {
      c.AddOutput(dt, PartialShape({-1, -1, -1, -1}));
    }
    return Status::OK();
  };
}

Status PoolShape(InferenceContext& c) {
  DataType dt;
  TESSERA_RETURN_IF_ERROR(FloatInputs(c, 0, 1, &dt));
  TESSERA_RETURN_IF_ERROR(c.ExpectRank(0, 4));
  WindowAttrs a;
  TESSERA_RETURN_IF_ERROR(ReadAttrs(c, false, &a));
  auto s = PoolShapeOf(Dims4(c.input_shape(0)), a.ksize, a.strides, a.padding, a.data_format);
  TESSERA_RETURN_IF_ERROR(WithError(c, s.status()));
  c.AddOutput(dt, PartialShape(s->output_dims()));
  return Status::OK();
}

// MaxPoolGrad(orig_input, orig_output, grad) -> orig_input's shape.
Status MaxPoolGradShape(InferenceContext& c) {
  DataType dt;
  TESSERA_RETURN_IF_ERROR(FloatInputs(c, 0, 3, &dt));
  for (int i = 0; i < 3; ++i) TESSERA_RETURN_IF_ERROR(c.ExpectRank(i, 4));
  WindowAttrs a;
  TESSERA_RETURN_IF_ERROR(ReadAttrs(c, false, &a));
  c.AddOutput(dt, c.input_shape(0));
  return Status::OK();
}

// AvgPoolGrad(orig_input_shape, grad) -> that shape.
Status AvgPoolGradShape(InferenceContext& c) {
  DataType dt;
  TESSERA_RETURN_IF_ERROR(FloatInputs(c, 1, 2, &dt));
  TESSERA_RETURN_IF_ERROR(c.ExpectTypeIn(c.input_type(0), {DataType::kInt32}, "orig_input_shape"));
  WindowAttrs a;
  TESSERA_RETURN_IF_ERROR(ReadAttrs(c, false, &a));
  std::vector<int64_t> sizes;
  c.AddOutput(dt, c.input_constant_ints(0, &sizes) ? PartialShape(sizes) : PartialShape({-1, -1, -1, -1}));
  return Status::OK();
}

AttrMap ConvAttrs(const std::vector<int64_t>& strides, const std::string& padding,
                  const std::vector<int64_t>& dilations, const std::string& data_format) {
  return AttrMap{{"strides", strides},
                 {"padding", padding},
                 {"dilations", dilations},
                 {"data_format", data_format},
                 {"use_cudnn_on_gpu", true}};
}
AttrMap PoolAttrs(const std::vector<int64_t>& ksize, const std::vector<int64_t>& strides, const std::string& padding,
                  const std::string& data_format) {
  return AttrMap{{"ksize", ksize}, {"strides", strides}, {"padding", padding}, {"data_format", data_format}};
}

}  // namespace

void RegisterConvOps(OpRegistry& r) {
  r.Register(OpDef("Conv2D").Inputs(2).TypeAttr("T").SetShapeFn(Conv2DShape));
  r.Register(OpDef("Conv2DBackpropInput").Inputs(3).TypeAttr("T").SetShapeFn(ConvBackpropShape(0)));
  r.Register(OpDef("Conv2DBackpropFilter").Inputs(3).TypeAttr("T").SetShapeFn(ConvBackpropShape(1)));
  r.Register(OpDef("MaxPool").Inputs(1).TypeAttr("T").SetShapeFn(PoolShape));
  r.Register(OpDef("AvgPool").Inputs(1).TypeAttr("T").SetShapeFn(PoolShape));
  r.Register(OpDef("MaxPoolGrad").Inputs(3).TypeAttr("T").SetShapeFn(MaxPoolGradShape));
  r.Register(OpDef("AvgPoolGrad").Inputs(2).TypeAttr("T").SetShapeFn(AvgPoolGradShape));
}

namespace ops {
namespace {
std::string FormatName(DataFormat f) { return f == DataFormat::kNCHW ? "NCHW" : "NHWC"; }
}  // namespace

Output Conv2D(Graph& g, Output input, Output filter, const std::vector<int64_t>& strides, const std::string& padding,
              const std::vector<int64_t>& dilations, DataFormat data_format, Name name) {
  return Build(g, "Conv2D", OpName(name, "Conv2D"), {input, filter},
               ConvAttrs(strides, padding, dilations, FormatName(data_format)));
}
Output Conv2D(Graph& g, Output input, Output filter, const std::vector<int64_t>& strides, const std::string& padding,
              const std::vector<int64_t>& dilations, Name name) {
  return Conv2D(g, input, filter, strides, padding, dilations, DataFormat::kNHWC, std::move(name));
}
Output Conv2DBackpropInput(Graph& g, Output input_sizes, Output filter, Output out_backprop,
                           const std::vector<int64_t>& strides, const std::string& padding,
                           const std::vector<int64_t>& dilations, DataFormat data_format, Name name) {
  return Build(g, "Conv2DBackpropInput", OpName(name, "Conv2DBackpropInput"), {input_sizes, filter, out_backprop},
               ConvAttrs(strides, padding, dilations, FormatName(data_format)));
}
Output Conv2DBackpropInput(Graph& g, Output input_sizes, Output filter, Output out_backprop,
                           const std::vector<int64_t>& strides, const std::string& padding,
                           const std::vector<int64_t>& dilations, Name name) {
  return Conv2DBackpropInput(g, input_sizes, filter, out_backprop, strides, padding, dilations, DataFormat::kNHWC,
                             std::move(name));
}
Output Conv2DBackpropFilter(Graph& g, Output input, Output filter_sizes, Output out_backprop,
                            const std::vector<int64_t>& strides, const std::string& padding,
                            const std::vector<int64_t>& dilations, DataFormat data_format, Name name) {
  return Build(g, "Conv2DBackpropFilter", OpName(name, "Conv2DBackpropFilter"), {input, filter_sizes, out_backprop},
               ConvAttrs(strides, padding, dilations, FormatName(data_format)));
}
Output Conv2DBackpropFilter(Graph& g, Output input, Output filter_sizes, Output out_backprop,
                            const std::vector<int64_t>& strides, const std::string& padding,
                            const std::vector<int64_t>& dilations, Name name) {
  return Conv2DBackpropFilter(g, input, filter_sizes, out_backprop, strides, padding, dilations, DataFormat::kNHWC,
                              std::move(name));
}
Output MaxPool(Graph& g, Output value, const std::vector<int64_t>& ksize, const std::vector<int64_t>& strides,
               const std::string& padding, DataFormat data_format, Name name) {
  return Build(g, "MaxPool", OpName(name, "MaxPool"), {value},
               PoolAttrs(ksize, strides, padding, FormatName(data_format)));
}
Output MaxPool(Graph& g, Output value, const std::vector<int64_t>& ksize, const std::vector<int64_t>& strides,
               const std::string& padding, Name name) {
  return MaxPool(g, value, ksize, strides, padding, DataFormat::kNHWC, std::move(name));
}
Output AvgPool(Graph& g, Output value, const std::vector<int64_t>& ksize, const std::vector<int64_t>& strides,
               const std::string& padding, DataFormat data_format, Name name) {
  return Build(g, "AvgPool", OpName(name, "AvgPool"), {value},
               PoolAttrs(ksize, strides, padding, FormatName(data_format)));
}
Output AvgPool(Graph& g, Output value, const std::vector<int64_t>& ksize, const std::vector<int64_t>& strides,
               const std::string& padding, Name name) {
  return AvgPool(g, value, ksize, strides, padding, DataFormat::kNHWC, std::move(name));
}
Output MaxPoolGrad(Graph& g, Output orig_input, Output orig_output, Output grad, const std::vector<int64_t>& ksize,
                   const std::vector<int64_t>& strides, const std::string& padding, DataFormat data_format, Name name) {
  return Build(g, "MaxPoolGrad", OpName(name, "MaxPoolGrad"), {orig_input, orig_output, grad},
               PoolAttrs(ksize, strides, padding, FormatName(data_format)));
}
Output MaxPoolGrad(Graph& g, Output orig_input, Output orig_output, Output grad, const std::vector<int64_t>& ksize,
                   const std::vector<int64_t>& strides, const std::string& padding, Name name) {
  return MaxPoolGrad(g, orig_input, orig_output, grad, ksize, strides, padding, DataFormat::kNHWC, std::move(name));
}
Output AvgPoolGrad(Graph& g, Output orig_input_shape, Output grad, const std::vector<int64_t>& ksize,
                   const std::vector<int64_t>& strides, const std::string& padding, DataFormat data_format, Name name) {
  return Build(g, "AvgPoolGrad", OpName(name, "AvgPoolGrad"), {orig_input_shape, grad},
               PoolAttrs(ksize, strides, padding, FormatName(data_format)));
}
Output AvgPoolGrad(Graph& g, Output orig_input_shape, Output grad, const std::vector<int64_t>& ksize,
                   const std::vector<int64_t>& strides, const std::string& padding, Name name) {
  return AvgPoolGrad(g, orig_input_shape, grad, ksize, strides, padding, DataFormat::kNHWC, std::move(name));
}
}  // namespace ops
}  // namespace tessera
