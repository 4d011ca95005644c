// What TensorFlow computes for the ops a ported TF1 program needs, case by
// case: tests/data/tf_ops.txt holds TF 2.21's inputs and outputs (written by
// tools/tf_op_fixtures.py); each case key maps to the tessera builder call
// with the same attributes, and the outputs must match in dtype, shape and
// value (floats bit for bit, NaN as NaN, the sign of zero included).
#include <gtest/gtest.h>
#include <tessera/tessera.h>

#include <cmath>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <functional>
#include <map>
#include <sstream>
#include <string>
#include <vector>

namespace tessera {
namespace {

using Builder = std::function<std::vector<Output>(Graph&, const std::vector<Output>&)>;

// One output from a one-output builder.
template <typename F>
Builder One(F f) {
  return [f](Graph& g, const std::vector<Output>& in) { return std::vector<Output>{f(g, in)}; };
}

using BinaryFn = Output (*)(Graph&, Output, Output, ops::Name);
Builder Binary(BinaryFn fn) {
  return One([fn](Graph& g, const std::vector<Output>& in) { return fn(g, in[0], in[1], {}); });
}

using ReduceFn = Output (*)(Graph&, Output, const std::vector<int32_t>&, bool, ops::Name);
Builder Reduce(ReduceFn fn, std::vector<int32_t> axes, bool keep = false) {
  return One([fn, axes, keep](Graph& g, const std::vector<Output>& in) { return fn(g, in[0], axes, keep, {}); });
}

// A builder of one input and no attributes beyond those baked in.
Builder Unary(Output (*fn)(Graph&, Output)) {
  return One([fn](Graph& g, const std::vector<Output>& in) { return fn(g, in[0]); });
}

Builder SliceGrad(ops::StridedSliceMasks m) {
  return One([m](Graph& g, const std::vector<Output>& in) {
    return ops::StridedSliceGrad(g, in[0], in[1], in[2], in[3], in[4], m);
  });
}

Builder Segments(int64_t n) {
  return One([n](Graph& g, const std::vector<Output>& in) { return ops::UnsortedSegmentSum(g, in[0], in[1], n); });
}

// x[spec...] of the one input.
Builder Sliced(std::vector<ops::SliceIndex> spec) {
  return One([spec](Graph& g, const std::vector<Output>& in) { return ops::Index(g, in[0], spec); });
}

// The case key's name before the first '/' names the op; the rest, its attributes.
const std::map<std::string, Builder>& Builders() {
  static const auto* m = new std::map<std::string, Builder>{
      {"FloorDiv", Binary(ops::FloorDiv)},
      {"FloorMod", Binary(ops::FloorMod)},
      {"NotEqual", Binary(ops::NotEqual)},
      {"GreaterEqual", Binary(ops::GreaterEqual)},
      {"LessEqual", Binary(ops::LessEqual)},
      {"LogicalAnd", Binary(ops::LogicalAnd)},
      {"LogicalOr", Binary(ops::LogicalOr)},
      {"LogicalNot", One([](Graph& g, const std::vector<Output>& in) { return ops::LogicalNot(g, in[0]); })},
      {"Prod/axis1", Reduce(ops::Prod, {1})},
      {"Prod/axis0_keep", Reduce(ops::Prod, {0}, true)},
      {"Prod/all", Reduce(ops::Prod, {})},
      {"All/axis1", Reduce(ops::All, {1})},
      {"All/all", Reduce(ops::All, {})},
      {"Any/axis0", Reduce(ops::Any, {0})},
      {"Any/axis1", Reduce(ops::Any, {1})},
      {"ArgMin/axis1", One([](Graph& g, const std::vector<Output>& in) { return ops::ArgMin(g, in[0], 1); })},
      {"ArgMin/axis0", One([](Graph& g, const std::vector<Output>& in) { return ops::ArgMin(g, in[0], 0); })},
      {"ArgMin/axis1_i32",
       One([](Graph& g, const std::vector<Output>& in) { return ops::ArgMin(g, in[0], 1, DataType::kInt32); })},
      {"ExpandDims/0", One([](Graph& g, const std::vector<Output>& in) { return ops::ExpandDims(g, in[0], 0); })},
      {"ExpandDims/-1", One([](Graph& g, const std::vector<Output>& in) { return ops::ExpandDims(g, in[0], -1); })},
      {"Squeeze/all", One([](Graph& g, const std::vector<Output>& in) { return ops::Squeeze(g, in[0]); })},
      {"Squeeze/2", One([](Graph& g, const std::vector<Output>& in) { return ops::Squeeze(g, in[0], {2}); })},
      {"Size", One([](Graph& g, const std::vector<Output>& in) { return ops::Size(g, in[0]); })},
      {"Size/i64", One([](Graph& g, const std::vector<Output>& in) { return ops::Size(g, in[0], DataType::kInt64); })},
      {"Rank", One([](Graph& g, const std::vector<Output>& in) { return ops::Rank(g, in[0]); })},
      {"StopGradient", One([](Graph& g, const std::vector<Output>& in) { return ops::StopGradient(g, in[0]); })},
      {"AddN", One([](Graph& g, const std::vector<Output>& in) { return ops::AddN(g, in); })},
      {"BroadcastGradientArgs",
       [](Graph& g, const std::vector<Output>& in) { return ops::BroadcastGradientArgs(g, in[0], in[1]); }},
      {"Stack/0", One([](Graph& g, const std::vector<Output>& in) { return ops::Stack(g, in); })},
      {"Stack/1", One([](Graph& g, const std::vector<Output>& in) { return ops::Stack(g, in, 1); })},
      {"Stack/-1", One([](Graph& g, const std::vector<Output>& in) { return ops::Stack(g, in, -1); })},
      {"Unstack/0", [](Graph& g, const std::vector<Output>& in) { return ops::Unstack(g, in[0]); }},
      {"Unstack/1", [](Graph& g, const std::vector<Output>& in) { return ops::Unstack(g, in[0], 1); }},
      {"Unstack/-1", [](Graph& g, const std::vector<Output>& in) { return ops::Unstack(g, in[0], -1); }},
      {"Zeros/2x3/f32", One([](Graph& g, const std::vector<Output>&) {
         return ops::Zeros(g, {2, 3});
       })},
      {"Ones/3/i32", One([](Graph& g, const std::vector<Output>&) { return ops::Ones(g, {3}, DataType::kInt32); })},
      {"Ones/2/bool", One([](Graph& g, const std::vector<Output>&) { return ops::Ones(g, {2}, DataType::kBool); })},
      {"ClipByValue",
       One([](Graph& g, const std::vector<Output>& in) { return ops::ClipByValue(g, in[0], in[1], in[2]); })},
      {"Tile/2x1", Unary([](Graph& g, Output x) {
         return ops::Tile(g, x, {2, 1});
       })},
      {"Tile/2x2", Unary([](Graph& g, Output x) {
         return ops::Tile(g, x, {2, 2});
       })},
      {"Tile/0x2", Unary([](Graph& g, Output x) {
         return ops::Tile(g, x, {0, 2});
       })},
      {"Tile/2x1x2", Unary([](Graph& g, Output x) {
         return ops::Tile(g, x, {2, 1, 2});
       })},
      {"Pad/1_0_0_2", Unary([](Graph& g, Output x) {
         return ops::Pad(g, x, {{1, 0}, {0, 2}});
       })},
      {"PadV2/1_1_2_0/7", Unary([](Graph& g, Output x) {
         return ops::Pad(g, x, {{1, 1}, {2, 0}}, Tensor::Scalar(7.0f));
       })},
      {"Split/3/1", [](Graph& g, const std::vector<Output>& in) { return ops::Split(g, in[0], 3, 1); }},
      {"Split/2/0", [](Graph& g, const std::vector<Output>& in) { return ops::Split(g, in[0], 2); }},
      {"SplitV/1_2/1", [](Graph& g, const std::vector<Output>& in) { return ops::SplitV(g, in[0], {1, 2}, 1); }},
      {"SplitV/-1_1/-1", [](Graph& g, const std::vector<Output>& in) { return ops::SplitV(g, in[0], {-1, 1}, -1); }},
      {"Index/:,1", Sliced({ops::SliceIndex::All(), 1})},
      {"Index/::-1,1:", Sliced({ops::SliceIndex::Range({}, {}, -1), ops::SliceIndex::Range(1, {})})},
      {"Index/...,newaxis", Sliced({ops::SliceIndex::Ellipsis(), ops::SliceIndex::NewAxis()})},
      {"Index/1:-1:2", Sliced({ops::SliceIndex::Range(1, -1, 2)})},
      {"Index/-1", Sliced({-1})},
      {"Index/newaxis,:,-2", Sliced({ops::SliceIndex::NewAxis(), ops::SliceIndex::All(), -2})},
      {"Index/...,::-2", Sliced({ops::SliceIndex::Ellipsis(), ops::SliceIndex::Range({}, {}, -2)})},
      {"Index/1,...,1:3", Sliced({1, ops::SliceIndex::Ellipsis(), ops::SliceIndex::Range(1, 3)})},
      {"Index/5:1:-2", Sliced({ops::SliceIndex::Range(5, 1, -2)})},
      {"Index/:,10:", Sliced({ops::SliceIndex::All(), ops::SliceIndex::Range(10, {})})},
      {"Index/-10:2", Sliced({ops::SliceIndex::Range(-10, 2)})},
      {"Gather/0", Binary([](Graph& g, Output p, Output i, ops::Name) { return ops::Gather(g, p, i); })},
      {"Gather/1", Binary([](Graph& g, Output p, Output i, ops::Name) { return ops::Gather(g, p, i, 1); })},
      {"StridedSliceGrad/", SliceGrad({})},
      {"StridedSliceGrad/shrink1", SliceGrad({0, 0, 0, 0, 1})},
      {"UnsortedSegmentSum/3", Segments(3)},
      {"UnsortedSegmentSum/2", Segments(2)},
      {"UnsortedSegmentSum/4", Segments(4)},
      {"UnsortedSegmentSum/1", Segments(1)},
      {"Gather/-1", Binary([](Graph& g, Output p, Output i, ops::Name) { return ops::Gather(g, p, i, -1); })},
      {"OneHot/3", Unary([](Graph& g, Output i) { return ops::OneHot(g, i, 3); })},
      {"OneHot/4/axis0",
       Unary([](Graph& g, Output i) { return ops::OneHot(g, i, 4, Tensor::Scalar(1.0f), Tensor::Scalar(0.0f), 0); })},
      {"OneHot/3/5_-1_i32",
       Unary([](Graph& g, Output i) { return ops::OneHot(g, i, 3, Tensor::Scalar<int32_t>(5), Tensor::Scalar(-1)); })},
      {"Range", One([](Graph& g, const std::vector<Output>& in) { return ops::Range(g, in[0], in[1], in[2]); })},
      {"Cumsum/1", Unary([](Graph& g, Output x) { return ops::Cumsum(g, x, 1); })},
      {"Cumsum/0", Unary([](Graph& g, Output x) { return ops::Cumsum(g, x, 0); })},
      {"Cumsum/0/excl", Unary([](Graph& g, Output x) { return ops::Cumsum(g, x, 0, true); })},
      {"Cumsum/1/rev", Unary([](Graph& g, Output x) { return ops::Cumsum(g, x, 1, false, true); })},
      {"Cumsum/-1/excl_rev", Unary([](Graph& g, Output x) { return ops::Cumsum(g, x, -1, true, true); })},
      {"Cumprod/1", Unary([](Graph& g, Output x) { return ops::Cumprod(g, x, 1); })},
      {"Cumprod/1/excl_rev", Unary([](Graph& g, Output x) { return ops::Cumprod(g, x, 1, true, true); })},
      {"Cumprod/0", Unary([](Graph& g, Output x) { return ops::Cumprod(g, x, 0); })},
      {"Cumprod/0/excl", Unary([](Graph& g, Output x) { return ops::Cumprod(g, x, 0, true); })},
      {"Where", One([](Graph& g, const std::vector<Output>& in) { return ops::Where(g, in[0], in[1], in[2]); })},
      {"WhereIndices", Unary([](Graph& g, Output c) { return ops::Where(g, c); })},
      {"Bool/Transpose", Unary([](Graph& g, Output x) { return ops::Transpose(g, x); })},
      {"Bool/Concat0", One([](Graph& g, const std::vector<Output>& in) { return ops::Concat(g, in, 0); })},
      {"Bool/Reshape-1", Unary([](Graph& g, Output x) { return ops::Reshape(g, x, std::vector<int64_t>{-1}); })},
      {"Bool/Slice", Unary([](Graph& g, Output x) {
         return ops::Slice(g, x, {0, 1}, {2, -1});
       })},
      {"Bool/Pad", Unary([](Graph& g, Output x) {
         return ops::Pad(g, x, {{1, 0}, {0, 1}});
       })},
      {"Bool/Gather1", Binary([](Graph& g, Output p, Output i, ops::Name) { return ops::Gather(g, p, i, 1); })},
      {"Bool/Equal", Binary(ops::Equal)},
      {"Bool/CastF32", Unary([](Graph& g, Output x) { return ops::Cast(g, x, DataType::kFloat); })},
      {"Bool/CastBool", Unary([](Graph& g, Output x) { return ops::Cast(g, x, DataType::kBool); })},
      {"Bool/Where", One([](Graph& g, const std::vector<Output>& in) { return ops::Where(g, in[0], in[1], in[2]); })},
      {"Bool/ZerosLike", Unary([](Graph& g, Output x) { return ops::ZerosLike(g, x); })},
  };
  return *m;
}

// The losses and gradient ops of training; keys under Approx/ compare within 1e-6.
void AddTrainingBuilders(std::map<std::string, Builder>& m) {
  m["ReluGrad"] = Binary(ops::ReluGrad);
  m["TanhGrad"] = Binary(ops::TanhGrad);
  m["Approx/SigmoidGrad"] = Binary(ops::SigmoidGrad);
  m["Approx/Log1p"] = Unary([](Graph& g, Output x) { return ops::Log1p(g, x); });
  m["Approx/SigmoidCrossEntropyWithLogits"] = Binary(ops::SigmoidCrossEntropyWithLogits);
  m["Dropout/0.5/seed3"] = One([](Graph& g, const std::vector<Output>& in) { return ops::Dropout(g, in[0], 0.5, 3); });
  m["Dropout/t/seed5"] = One([](Graph& g, const std::vector<Output>& in) { return ops::Dropout(g, in[0], in[1], 5); });
  m["Dropout/0.25/seed4"] =
      One([](Graph& g, const std::vector<Output>& in) { return ops::Dropout(g, in[0], 0.25, 4); });
  using V = std::vector<int64_t>;
  auto conv = [](V strides, std::string padding, V dilations = {1, 1, 1, 1}) {
    return One([=](Graph& g, const std::vector<Output>& in) {
      return ops::Conv2D(g, in[0], in[1], strides, padding, dilations);
    });
  };
  m["Approx/Conv2D/SAME/s1"] = conv({1, 1, 1, 1}, "SAME");
  m["Approx/Conv2D/VALID/s2"] = conv({1, 2, 2, 1}, "VALID");
  m["Approx/Conv2D/SAME/s2"] = conv({1, 2, 2, 1}, "SAME");
  m["Approx/Conv2D/VALID/d2"] = conv({1, 1, 1, 1}, "VALID", {1, 2, 1, 1});
  m["Approx/Conv2DBackpropInput/SAME/s2"] = One([](Graph& g, const std::vector<Output>& in) {
    return ops::Conv2DBackpropInput(g, in[0], in[1], in[2], {1, 2, 2, 1}, "SAME");
  });
  m["Approx/Conv2DBackpropFilter/SAME/s2"] = One([](Graph& g, const std::vector<Output>& in) {
    return ops::Conv2DBackpropFilter(g, in[0], in[1], in[2], {1, 2, 2, 1}, "SAME");
  });
  m["MaxPool/SAME/2"] = One([](Graph& g, const std::vector<Output>& in) {
    return ops::MaxPool(g, in[0], {1, 2, 2, 1}, {1, 2, 2, 1}, "SAME");
  });
  m["MaxPool/VALID/3s1"] = One([](Graph& g, const std::vector<Output>& in) {
    return ops::MaxPool(g, in[0], {1, 3, 3, 1}, {1, 1, 1, 1}, "VALID");
  });
  m["Approx/AvgPool/SAME/3s2"] = One([](Graph& g, const std::vector<Output>& in) {
    return ops::AvgPool(g, in[0], {1, 3, 3, 1}, {1, 2, 2, 1}, "SAME");
  });
  m["MaxPoolGrad/SAME/2"] = One([](Graph& g, const std::vector<Output>& in) {
    Output y = ops::MaxPool(g, in[0], {1, 2, 2, 1}, {1, 2, 2, 1}, "SAME");
    return ops::MaxPoolGrad(g, in[0], y, in[1], {1, 2, 2, 1}, {1, 2, 2, 1}, "SAME");
  });
  m["Approx/AvgPoolGrad/SAME/3s2"] = One([](Graph& g, const std::vector<Output>& in) {
    return ops::AvgPoolGrad(g, ops::Shape(g, in[0]), in[1], {1, 3, 3, 1}, {1, 2, 2, 1}, "SAME");
  });
  const auto nchw = ops::DataFormat::kNCHW;
  m["Approx/Conv2D/NCHW/SAME/s2"] = One([nchw](Graph& g, const std::vector<Output>& in) {
    return ops::Conv2D(g, in[0], in[1], {1, 1, 2, 2}, "SAME", {1, 1, 1, 1}, nchw);
  });
  m["Approx/Conv2DBackpropInput/NCHW/SAME/s2"] = One([nchw](Graph& g, const std::vector<Output>& in) {
    return ops::Conv2DBackpropInput(g, in[0], in[1], in[2], {1, 1, 2, 2}, "SAME", {1, 1, 1, 1}, nchw);
  });
  m["Approx/Conv2DBackpropFilter/NCHW/SAME/s2"] = One([nchw](Graph& g, const std::vector<Output>& in) {
    return ops::Conv2DBackpropFilter(g, in[0], in[1], in[2], {1, 1, 2, 2}, "SAME", {1, 1, 1, 1}, nchw);
  });
  m["MaxPool/NCHW/SAME/2"] = One([nchw](Graph& g, const std::vector<Output>& in) {
    return ops::MaxPool(g, in[0], {1, 1, 2, 2}, {1, 1, 2, 2}, "SAME", nchw);
  });
  m["Approx/AvgPool/NCHW/SAME/3s2"] = One([nchw](Graph& g, const std::vector<Output>& in) {
    return ops::AvgPool(g, in[0], {1, 1, 3, 3}, {1, 1, 2, 2}, "SAME", nchw);
  });
  m["MaxPoolGrad/NCHW/SAME/2"] = One([nchw](Graph& g, const std::vector<Output>& in) {
    Output y = ops::MaxPool(g, in[0], {1, 1, 2, 2}, {1, 1, 2, 2}, "SAME", nchw);
    return ops::MaxPoolGrad(g, in[0], y, in[1], {1, 1, 2, 2}, {1, 1, 2, 2}, "SAME", nchw);
  });
  m["Approx/AvgPoolGrad/NCHW/SAME/3s2"] = One([nchw](Graph& g, const std::vector<Output>& in) {
    return ops::AvgPoolGrad(g, ops::Shape(g, in[0]), in[1], {1, 1, 3, 3}, {1, 1, 2, 2}, "SAME", nchw);
  });
  m["BiasAdd/NCHW"] =
      One([nchw](Graph& g, const std::vector<Output>& in) { return ops::BiasAdd(g, in[0], in[1], nchw); });
  m["Approx/BiasAddGrad/NCHW"] =
      One([nchw](Graph& g, const std::vector<Output>& in) { return ops::BiasAddGrad(g, in[0], nchw); });
  m["Approx/BiasAddGrad/NCHW/rank3"] = m["Approx/BiasAddGrad/NCHW"];
  m["Approx/LogSoftmax"] = One([](Graph& g, const std::vector<Output>& in) { return ops::LogSoftmax(g, in[0]); });
  m["Approx/L2Loss"] = One([](Graph& g, const std::vector<Output>& in) { return ops::L2Loss(g, in[0]); });
  m["Approx/BiasAddGrad"] = One([](Graph& g, const std::vector<Output>& in) { return ops::BiasAddGrad(g, in[0]); });
  m["Approx/SoftmaxCrossEntropyWithLogits"] = [](Graph& g, const std::vector<Output>& in) {
    ops::XentOutputs o = ops::SoftmaxCrossEntropyWithLogits(g, in[0], in[1]);
    return std::vector<Output>{o.loss, o.backprop};
  };
  m["Approx/SparseSoftmaxCrossEntropyWithLogits"] = [](Graph& g, const std::vector<Output>& in) {
    ops::XentOutputs o = ops::SparseSoftmaxCrossEntropyWithLogits(g, in[0], in[1]);
    return std::vector<Output>{o.loss, o.backprop};
  };
}

const Builder* FindBuilder(const std::string& key) {
  static const auto* m_with_training = [] {
    auto* m = new std::map<std::string, Builder>(Builders());
    AddTrainingBuilders(*m);
    return m;
  }();
  const auto& m = *m_with_training;
  if (auto it = m.find(key); it != m.end()) return &it->second;
  // "FloorDiv/f32", "Size/i64": a dtype suffix does not change the call.
  const size_t slash = key.rfind('/');
  if (slash == std::string::npos) return nullptr;
  if (auto it = m.find(key.substr(0, slash)); it != m.end()) return &it->second;
  return nullptr;
}

DataType ParseDataType(const std::string& s) {
  for (DataType dt : {DataType::kFloat, DataType::kDouble, DataType::kInt32, DataType::kInt64, DataType::kBool}) {
    if (DataTypeString(dt) == s) return dt;
  }
  return DataType::kInvalid;
}

std::vector<std::string> SplitOn(const std::string& s, char sep) {
  std::vector<std::string> parts;
  if (s.empty()) return parts;
  std::stringstream in(s);
  for (std::string p; std::getline(in, p, sep);) parts.push_back(p);
  return parts;
}

// "dtype[d0,d1]:v0,v1" -> a host tensor.
Tensor ParseTensor(const std::string& text) {
  const size_t open = text.find('['), close = text.find(']');
  const DataType dt = ParseDataType(text.substr(0, open));
  std::vector<int64_t> dims;
  for (const std::string& d : SplitOn(text.substr(open + 1, close - open - 1), ',')) dims.push_back(std::stoll(d));
  const std::vector<std::string> vals = SplitOn(text.substr(close + 2), ',');
  StatusOr<Tensor> t = Tensor::Create(dt, TensorShape(dims));
  EXPECT_TRUE(t.ok() && t->num_elements() == static_cast<int64_t>(vals.size())) << text;
  if (!t.ok() || t->num_elements() != static_cast<int64_t>(vals.size())) return Tensor();
  for (size_t i = 0; i < vals.size(); ++i) {
    const char* v = vals[i].c_str();
    switch (dt) {
      case DataType::kFloat:
        static_cast<float*>(t->raw_data())[i] = static_cast<float>(std::strtod(v, nullptr));
        break;
      case DataType::kDouble:
        static_cast<double*>(t->raw_data())[i] = std::strtod(v, nullptr);
        break;
      case DataType::kInt32:
        static_cast<int32_t*>(t->raw_data())[i] = static_cast<int32_t>(std::strtoll(v, nullptr, 10));
        break;
      case DataType::kInt64:
        static_cast<int64_t*>(t->raw_data())[i] = std::strtoll(v, nullptr, 10);
        break;
      default:
        static_cast<bool*>(t->raw_data())[i] = std::strtoll(v, nullptr, 10) != 0;
    }
  }
  return *t;
}

// Same dtype, shape and values; floats compared by value and sign, NaN
// matching NaN; within `rel` (relative, and as much absolute) when it is set.
template <typename T>
void ExpectSameValues(const Tensor& got, const Tensor& want, const std::string& where, double rel = 0) {
  const std::vector<T> g = got.ToVector<T>(), w = want.ToVector<T>();
  for (size_t i = 0; i < w.size(); ++i) {
    if constexpr (std::is_floating_point_v<T>) {
      if (std::isnan(w[i])) {
        EXPECT_TRUE(std::isnan(g[i])) << where << " element " << i;
        continue;
      }
      if (rel > 0 && std::isfinite(w[i])) {  // infinities must match exactly
        EXPECT_NEAR(g[i], w[i], rel * std::max<double>(1.0, std::abs(w[i]))) << where << " element " << i;
        continue;
      }
      EXPECT_EQ(std::signbit(g[i]), std::signbit(w[i])) << where << " sign of element " << i;
    }
    EXPECT_EQ(g[i], w[i]) << where << " element " << i;
  }
}

void ExpectSameTensor(const Tensor& got, const Tensor& want, const std::string& where, double rel = 0) {
  ASSERT_EQ(got.dtype(), want.dtype()) << where;
  ASSERT_EQ(got.shape(), want.shape()) << where;
  switch (want.dtype()) {
    case DataType::kFloat:
      return ExpectSameValues<float>(got, want, where, rel);
    case DataType::kDouble:
      return ExpectSameValues<double>(got, want, where, rel);
    case DataType::kInt32:
      return ExpectSameValues<int32_t>(got, want, where);
    case DataType::kInt64:
      return ExpectSameValues<int64_t>(got, want, where);
    default:
      return ExpectSameValues<bool>(got, want, where);
  }
}

void RunCase(const std::string& line, int line_no) {
  std::istringstream in(line);
  std::string key, word;
  in >> key;
  std::vector<Tensor> inputs, outputs;
  bool after_arrow = false;
  while (in >> word) {
    if (word == "->") {
      after_arrow = true;
      continue;
    }
    (after_arrow ? outputs : inputs).push_back(ParseTensor(word));
  }
  const std::string where = "tf_ops.txt:" + std::to_string(line_no) + " " + key;
  const Builder* build = FindBuilder(key);
  ASSERT_NE(build, nullptr) << where << ": no builder for this case key";
  auto g = Graph::Create();
  std::vector<Output> consts;
  for (const Tensor& t : inputs) consts.push_back(ops::Const(*g, t));
  const std::vector<Output> fetches = (*build)(*g, consts);
  ASSERT_TRUE(g->status().ok()) << where << ": " << g->status();
  auto sess = Session::Create(g);
  ASSERT_TRUE(sess.ok()) << where << ": " << sess.status();
  auto got = (*sess)->Run({}, fetches);
  ASSERT_TRUE(got.ok()) << where << ": " << got.status();
  ASSERT_EQ(got->size(), outputs.size()) << where;
  const double rel = key.rfind("Approx/", 0) == 0 ? 1e-6 : 0;
  for (size_t i = 0; i < outputs.size(); ++i) ExpectSameTensor((*got)[i], outputs[i], where, rel);
}

TEST(TfOps, EveryCaseMatchesTensorFlow) {
  std::ifstream in(std::string(TESSERA_TEST_DATA_DIR) + "/tf_ops.txt");
  ASSERT_TRUE(in.good()) << "missing " << TESSERA_TEST_DATA_DIR << "/tf_ops.txt";
  int line_no = 0, cases = 0;
  for (std::string line; std::getline(in, line);) {
    ++line_no;
    if (line.empty() || line[0] == '#') continue;
    ++cases;
    RunCase(line, line_no);
  }
  EXPECT_GE(cases, 179);  // the file is not truncated
}

// Errors TF gives for the same inputs.
TEST(TfOps, IntegerFloorDivisionByZeroFails) {
  for (auto fn : {ops::FloorDiv, ops::FloorMod}) {
    auto g = Graph::Create();
    Output q = fn(*g, ops::Const(*g, Tensor::Vec<int32_t>({1, 2})), ops::Const(*g, Tensor::Vec<int32_t>({1, 0})), {});
    auto sess = Session::Create(g);
    ASSERT_TRUE(sess.ok()) << sess.status();
    Status s = (*sess)->Run({}, {q}).status();
    EXPECT_EQ(s.code(), Code::kInvalidArgument) << s;
    EXPECT_NE(s.message().find("Integer division by zero"), std::string::npos) << s;
  }
}

TEST(TfOps, LogicalOpsTakeOnlyBool) {
  auto g = Graph::Create();
  Output f = ops::Const(*g, Tensor::Vec<float>({1, 0}));
  Output bad = ops::LogicalAnd(*g, f, f, "and_floats");
  EXPECT_FALSE(bad.valid());
  EXPECT_EQ(g->status().code(), Code::kInvalidArgument);
  EXPECT_NE(g->status().message().find("and_floats"), std::string::npos) << g->status();
  EXPECT_NE(g->status().message().find("bool"), std::string::npos) << g->status();
  auto g2 = Graph::Create();
  Output any = ops::Any(*g2, ops::Const(*g2, Tensor::Vec<int32_t>({1})), {}, false, "any_ints");
  EXPECT_FALSE(any.valid());
  EXPECT_NE(g2->status().message().find("any_ints"), std::string::npos) << g2->status();
}

// The shape errors, when the graph is built (shapes known) and when a fed value shows them.
TEST(TfOps, ShapeOpsRejectWhatTensorFlowRejects) {
  auto g = Graph::Create();
  Output m = ops::Const(*g, Tensor::Matrix<float>({{1, 2, 3}, {4, 5, 6}}).value());
  EXPECT_FALSE(ops::ExpandDims(*g, m, 3, "expand").valid());
  EXPECT_NE(g->status().message().find("Tried to expand dim index 3 for tensor with 2 dimensions."), std::string::npos)
      << g->status();
  auto g2 = Graph::Create();
  Output m2 = ops::Const(*g2, Tensor::Matrix<float>({{1, 2, 3}, {4, 5, 6}}).value());
  EXPECT_FALSE(ops::Squeeze(*g2, m2, {1}, "squeeze").valid());
  EXPECT_NE(g2->status().message().find("Can not squeeze dim[1], expected a dimension of 1, got 3"), std::string::npos)
      << g2->status();
  auto g3 = Graph::Create();
  Output a = ops::Const(*g3, Tensor::Vec<int32_t>({1, 2}));
  Output b = ops::Const(*g3, Tensor::Vec<int32_t>({1, 2, 3}));
  EXPECT_FALSE(ops::Stack(*g3, {a, b}, 0, "stack").valid());
  EXPECT_NE(g3->status().message().find("Shapes of all inputs must match: values[0].shape = [2] != values[1].shape = "
                                        "[3]"),
            std::string::npos)
      << g3->status();
  auto g4 = Graph::Create();
  Output unknown = ops::Placeholder(*g4, DataType::kFloat, PartialShape({-1, 2}));
  EXPECT_TRUE(ops::Unstack(*g4, unknown, 0).empty());
  EXPECT_NE(g4->status().message().find("Cannot infer num from shape [?,2]"), std::string::npos) << g4->status();
}

// The message of the error `build` records in a fresh graph (with a [2,3] int32 matrix m).
std::string BuildError(const std::function<Output(Graph&, Output)>& build) {
  auto g = Graph::Create();
  Output m = ops::Const(*g, Tensor::Matrix<int32_t>({{1, 2, 3}, {4, 5, 6}}).value());
  EXPECT_FALSE(build(*g, m).valid());
  return g->status().message();
}

TEST(TfOps, LayoutOpsRejectConstantArgumentsAsTensorFlowDoes) {
  using S = ops::SliceIndex;
  auto has = [](const std::string& m, const std::string& want) { return m.find(want) != std::string::npos; };
  std::string m = BuildError([](Graph& g, Output x) { return ops::Tile(g, x, {1, -1}); });
  EXPECT_TRUE(has(m, "Expected multiples[1] >= 0, but got -1")) << m;
  m = BuildError([](Graph& g, Output x) { return ops::Tile(g, x, {2, 1, 1}); });
  EXPECT_TRUE(has(m, "Expected multiples argument to be a vector of length 2 but got length 3")) << m;
  m = BuildError([](Graph& g, Output x) { return ops::Pad(g, x, {{-1, 0}, {0, 0}}); });
  EXPECT_TRUE(has(m, "Paddings must be non-negative: -1 0")) << m;
  m = BuildError([](Graph& g, Output x) {
    std::vector<Output> parts = ops::Split(g, x, 2, 1);
    return parts.empty() ? Output() : parts[0];
  });
  EXPECT_TRUE(has(m,
                  "Number of ways to split should evenly divide the split dimension, but got split_dim 1 (size = "
                  "3) and num_split 2"))
      << m;
  m = BuildError([](Graph& g, Output x) {
    std::vector<Output> parts = ops::SplitV(g, x, {1, 1}, 1);
    return parts.empty() ? Output() : parts[0];
  });
  EXPECT_TRUE(has(m, "can't split axis of size 3 into pieces of size [1,1]")) << m;
  m = BuildError([](Graph& g, Output x) { return ops::Index(g, x, {5}); });
  EXPECT_TRUE(has(m, "slice index 5 of dimension 0 out of bounds.")) << m;
  m = BuildError([](Graph& g, Output x) { return ops::Index(g, x, {S::All(), S::Range({}, {}, 0)}); });
  EXPECT_TRUE(has(m, "strides[1] must be non-zero")) << m;
  m = BuildError([](Graph& g, Output x) { return ops::Index(g, x, {S::Ellipsis(), 1, S::Ellipsis()}); });
  EXPECT_TRUE(has(m, "Multiple ellipses in slice spec not allowed")) << m;
  m = BuildError([](Graph& g, Output x) { return ops::Index(g, x, {0, 0, 0}); });
  EXPECT_TRUE(has(m, "Index out of range using input dim 2")) << m;
  m = BuildError([](Graph& g, Output) { return ops::Range(g, 1, 5, 0); });
  EXPECT_TRUE(has(m, "Requires delta != 0: 0")) << m;
  m = BuildError([](Graph& g, Output x) { return ops::Gather(g, x, ops::Const(g, Tensor::Vec<int32_t>({0})), 2); });
  EXPECT_TRUE(has(m, "Expected axis in the range [-2, 2), but got 2")) << m;
  m = BuildError([](Graph& g, Output x) {
    return ops::Where(g, ops::Const(g, Tensor::Vec<bool>({true, false})), x, x);
  });
  EXPECT_TRUE(has(m, "condition [2], then [2,3], and else [2,3] must be broadcastable")) << m;
  m = BuildError([](Graph& g, Output x) { return ops::OneHot(g, x, -1); });
  EXPECT_TRUE(has(m, "depth must be non-negative, got: -1")) << m;
  m = BuildError([](Graph& g, Output x) {
    return ops::UnsortedSegmentSum(g, x, ops::Const(g, Tensor::Vec<int32_t>({0, 1, 2})), 2);
  });
  EXPECT_TRUE(has(m, "Dimensions must be equal, but are 2 and 3")) << m;
  m = BuildError([](Graph& g, Output x) {
    return ops::SigmoidCrossEntropyWithLogits(g, ops::Const(g, Tensor::Vec<int32_t>({0, 1})), x);
  });
  EXPECT_TRUE(has(m, "`logits` and `labels` must have the same shape, received ([2,3] vs [2]).")) << m;
  m = BuildError([](Graph& g, Output x) { return ops::UnsortedSegmentSum(g, x, ops::Const(g, 0), -3); });
  EXPECT_TRUE(has(m, "Input num_segments == -3 must not be negative.")) << m;
}

TEST(TfOps, LayoutOpsCheckFedArgumentsWhenTheyRun) {
  auto g = Graph::Create();
  Output m = ops::Const(*g, Tensor::Matrix<int32_t>({{1, 2, 3}, {4, 5, 6}}).value());
  Output ints = ops::Placeholder(*g, DataType::kInt32, PartialShape({-1}), "ints");
  Output scalar = ops::Placeholder(*g, DataType::kInt32, PartialShape(std::vector<int64_t>{}), "scalar");
  Output gather = ops::Gather(*g, m, ints);
  Output tile = g->AddNode(NodeSpec{"Tile", "tile", {m, ints}, {}, {}}).value().output(0);
  Output range = ops::Range(*g, scalar, ops::Const(*g, 1), ops::Const(*g, 1));
  Output pad = g->AddNode(NodeSpec{"Pad", "pad", {m, ops::Reshape(*g, ints, {2, 2})}, {}, {}}).value().output(0);
  Output slice = ops::StridedSlice(*g, ops::Placeholder(*g, DataType::kInt32, PartialShape({-1}), "v"), {5}, {6}, {1},
                                   ops::StridedSliceMasks{0, 0, 0, 0, 1});
  auto sess = Session::Create(g).value();
  auto fails = [&](Output o, const Session::FeedList& feeds, const std::string& want) {
    Status s = sess->Run(feeds, {o}).status();
    EXPECT_EQ(s.code(), Code::kInvalidArgument) << s;
    EXPECT_NE(s.message().find(want), std::string::npos) << s;
  };
  fails(gather, {{ints, Tensor::Vec<int32_t>({0, 2})}}, "indices[1] = 2 is not in [0, 2)");
  fails(gather, {{ints, Tensor::Vec<int32_t>({-1})}}, "indices[0] = -1 is not in [0, 2)");
  fails(tile, {{ints, Tensor::Vec<int32_t>({2, 1, 1})}},
        "Expected multiples argument to be a vector of length 2 but got length 3");
  fails(tile, {{ints, Tensor::Vec<int32_t>({1, -1})}}, "Expected multiples[1] >= 0, but got -1");
  fails(range, {{scalar, Tensor::Scalar<int32_t>(5)}}, "Requires start <= limit when delta > 0: 5/1");
  fails(pad, {{ints, Tensor::Vec<int32_t>({-1, 0, 0, 0})}}, "Paddings must be non-negative: -1 0");
  Output v = slice.node()->inputs()[0];
  fails(slice, {{v, Tensor::Vec<int32_t>({1, 2, 3})}}, "slice index 5 of dimension 0 out of bounds.");
  Output shape = ops::Placeholder(*g, DataType::kInt32, PartialShape::UnknownRank(), "shape");
  Output dy = ops::Placeholder(*g, DataType::kFloat, PartialShape::UnknownRank(), "dy");
  auto vec = [&g](std::initializer_list<int32_t> l) { return ops::Const(*g, Tensor::Vec<int32_t>(l)); };
  Output slice_grad = ops::StridedSliceGrad(*g, shape, vec({1, 0}), vec({4, 3}), vec({2, 1}), dy);
  const Tensor two_by_two = Tensor::FromVector<float>({1, 2, 3, 4}, TensorShape{2, 2}).value();
  fails(slice_grad, {{shape, Tensor::Vec<int32_t>({4, 3})}, {dy, two_by_two}},
        "shape of dy was [2,2] instead of [2,3]");
  fails(slice_grad, {{shape, Tensor::FromVector<int32_t>({4, 3}, TensorShape{1, 2}).value()}, {dy, two_by_two}},
        "shape must be 1-D, got shape.shape = [1,2]");
  Output ids = ops::Placeholder(*g, DataType::kInt32, PartialShape::UnknownRank(), "ids");
  Output n = ops::Placeholder(*g, DataType::kInt32, PartialShape::UnknownRank(), "n");
  Output seg = ops::UnsortedSegmentSum(*g, m, ids, n);
  const Tensor three = Tensor::Scalar<int32_t>(3), rows = Tensor::Vec<int32_t>({0, 1});
  fails(seg, {{ids, Tensor::Vec<int32_t>({0, 5})}, {n, three}}, "segment_ids[1] = 5 is out of range [0, 3)");
  fails(seg, {{ids, Tensor::FromVector<int32_t>({0, 1, 2, 0, 7, 1}, TensorShape{2, 3}).value()}, {n, three}},
        "segment_ids[1,1] = 7 is out of range [0, 3)");
  fails(seg, {{ids, Tensor::Vec<int32_t>({0})}, {n, three}},
        "data.shape = [2,3] does not start with segment_ids.shape = [1]");
  fails(seg, {{ids, rows}, {n, Tensor::Vec<int32_t>({3, 3})}}, "num_segments should be a scalar, not shape [2]");
  fails(seg, {{ids, rows}, {n, Tensor::Scalar<int32_t>(-3)}}, "Input num_segments == -3 must not be negative.");
  auto summed = sess->Run({{ids, Tensor::Vec<int32_t>({1, -1})}, {n, three}}, {seg});  // a negative id is dropped
  ASSERT_TRUE(summed.ok()) << summed.status();
  EXPECT_EQ((*summed)[0].DebugString(), "[[0 0 0]\n [1 2 3]\n [0 0 0]]");
  // And the good values run.
  auto r = sess->Run({{ints, Tensor::Vec<int32_t>({1, 1})}}, {gather, tile});
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ((*r)[0].DebugString(), "[[4 5 6]\n [4 5 6]]");
  EXPECT_EQ((*r)[1].shape(), TensorShape({2, 3}));
}

TEST(TfOps, OpTypeNamesAreTensorFlows) {
  auto g = Graph::Create();
  Output a = ops::Const(*g, 1.0f), b = ops::Const(*g, 2.0f);
  EXPECT_EQ(ops::Add(*g, a, b).node()->op(), "AddV2");  // tf.add and + in TF 2.21
  EXPECT_EQ(ops::Index(*g, ops::Const(*g, Tensor::Vec<float>({1, 2})), {0}).node()->name(), "strided_slice");
  EXPECT_TRUE(g->FindOperation("strided_slice/stack_2").ok());
  EXPECT_EQ(ops::Where(*g, ops::Const(*g, true), a, b).node()->op(), "SelectV2");
  EXPECT_EQ(ops::Range(*g, 0, 3).node()->name(), "range");
  EXPECT_EQ(ops::OneHot(*g, ops::Const(*g, Tensor::Vec<int64_t>({0})), 2).node()->name(), "one_hot");
  EXPECT_EQ(ops::Split(*g, ops::Const(*g, Tensor::Vec<float>({1, 2})), 2)[1].name(), "split:1");
  Output loss = ops::SigmoidCrossEntropyWithLogits(*g, a, b);
  EXPECT_EQ(loss.name(), "logistic_loss:0");
  EXPECT_EQ(loss.node()->op(), "AddV2");
  EXPECT_TRUE(g->FindOperation("logistic_loss/Log1p").ok());
  EXPECT_EQ(ops::SigmoidCrossEntropyWithLogits(*g, a, b).name(), "logistic_loss_1:0");
}

TEST(TfOps, FedValuesAreCheckedWhenTheyRun) {
  auto g = Graph::Create();
  Output x = ops::Placeholder(*g, DataType::kFloat);
  Output y = ops::Placeholder(*g, DataType::kFloat);
  Output sq = ops::Squeeze(*g, x, {0});
  Output st = ops::Stack(*g, {x, y});
  auto sess = Session::Create(g).value();
  Tensor two = Tensor::Vec<float>({1, 2}), three = Tensor::Vec<float>({1, 2, 3});
  Status s = sess->Run({{x, two}}, {sq}).status();
  EXPECT_EQ(s.code(), Code::kInvalidArgument) << s;
  EXPECT_NE(s.message().find("Can not squeeze dim[0], expected a dimension of 1, got 2"), std::string::npos) << s;
  s = sess->Run({{x, two}, {y, three}}, {st}).status();
  EXPECT_EQ(s.code(), Code::kInvalidArgument) << s;
  EXPECT_NE(s.message().find("Shapes of all inputs must match: values[0].shape = [2] != values[1].shape = [3]"),
            std::string::npos)
      << s;
  auto ok = sess->Run({{x, two}, {y, two}}, {st});
  ASSERT_TRUE(ok.ok()) << ok.status();
  EXPECT_EQ((*ok)[0].ToVector<float>(), (std::vector<float>{1, 2, 1, 2}));
}

}  // namespace
}  // namespace tessera
