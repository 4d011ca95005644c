// Symbolic gradients against float64 central differences, table-driven, with
// broadcasting shapes; and tf.gradients' semantics (names, unconnected xs,
// StopGradient, grad_ys, AddN aggregation, missing gradients, colocation).
#include <cmath>
#include <functional>

#include "tests/test_util.h"

namespace tessera {
namespace {

using Fn = std::function<Output(Graph&, const std::vector<Output>&)>;

struct GradCase {
  const char* name;
  std::vector<TensorShape> shapes;
  Fn f;
  double lo = 0.5, hi = 1.5;  // input values (away from kinks and poles)
};

Tensor Values(const TensorShape& s, double lo, double hi, uint64_t seed) {
  Tensor t(DataType::kDouble, s);
  uint64_t x = seed * 6364136223846793005ull + 1442695040888963407ull;
  for (int64_t i = 0; i < t.num_elements(); ++i) {
    x = x * 6364136223846793005ull + 1442695040888963407ull;
    const double u = static_cast<double>(x >> 11) / static_cast<double>(uint64_t{1} << 53);
    double v = lo + (hi - lo) * u;
    if (lo < 0 && std::abs(v) < 0.1) v = v < 0 ? -0.3 : 0.3;  // keep away from 0 (Relu, Abs)
    t.flat<double>()[i] = v;
  }
  return t;
}

// loss = sum(f(xs) * w) with fixed weights w, so each output element has its own weight.
Output Loss(Graph& g, Output y) {
  Output flat = ops::Reshape(g, y, {-1});
  const int64_t n = y.shape().fully_defined() ? y.shape().ToTensorShape().num_elements() : 1;
  Output w = ops::Const(g, Values(TensorShape{n}, -1.0, 1.0, 99));
  return ops::Sum(g, ops::Mul(g, flat, w), {0});
}

void CheckCase(const GradCase& c) {
  SCOPED_TRACE(c.name);
  auto g = Graph::Create();
  std::vector<Output> xs;
  for (size_t i = 0; i < c.shapes.size(); ++i) {
    xs.push_back(ops::Placeholder(*g, DataType::kDouble, PartialShape(c.shapes[i]), "x" + std::to_string(i)));
  }
  Output loss = Loss(*g, c.f(*g, xs));
  StatusOr<std::vector<Output>> grads = AddSymbolicGradients(*g, {loss}, xs);
  ASSERT_TRUE(grads.ok()) << grads.status();
  ASSERT_TRUE(g->status().ok()) << g->status();
  std::vector<Tensor> values;
  for (size_t i = 0; i < xs.size(); ++i) values.push_back(Values(c.shapes[i], c.lo, c.hi, i + 1));
  auto sess = Session::Create(g).value();
  auto feeds = [&] {
    Session::FeedList f;
    for (size_t i = 0; i < xs.size(); ++i) f.emplace_back(xs[i], values[i]);
    return f;
  };
  auto symbolic = sess->Run(feeds(), *grads);
  ASSERT_TRUE(symbolic.ok()) << symbolic.status();
  const double eps = 1e-6;
  for (size_t i = 0; i < xs.size(); ++i) {
    ASSERT_EQ((*symbolic)[i].shape(), c.shapes[i]) << "x" << i;
    for (int64_t j = 0; j < values[i].num_elements(); ++j) {
      const double v = values[i].flat<double>()[j];
      auto at = [&](double d) {
        values[i] = values[i].Clone();
        values[i].flat<double>()[j] = v + d;
        return sess->Run(feeds(), {loss}).value()[0].flat<double>()[0];
      };
      const double numeric = (at(eps) - at(-eps)) / (2 * eps);
      values[i].flat<double>()[j] = v;
      const double got = (*symbolic)[i].flat<double>()[j];
      EXPECT_NEAR(got, numeric, 1e-6 * std::max(1.0, std::abs(numeric))) << "x" << i << "[" << j << "]";
    }
  }
}

Fn Unary(Output (*op)(Graph&, Output, ops::Name)) {
  return [op](Graph& g, const std::vector<Output>& x) { return op(g, x[0], {}); };
}
Fn Binary(Output (*op)(Graph&, Output, Output, ops::Name)) {
  return [op](Graph& g, const std::vector<Output>& x) { return op(g, x[0], x[1], {}); };
}
Fn MatMulT(bool ta, bool tb) {
  return [ta, tb](Graph& g, const std::vector<Output>& x) { return ops::MatMul(g, x[0], x[1], ta, tb); };
}

TEST(GradientsTest, EveryGradientMatchesCentralDifferences) {
  using S = TensorShape;
  const std::vector<GradCase> cases = {
      {"Add/broadcast", {S{2, 3}, S{3}}, Binary(ops::Add)},
      {"Sub/both broadcast", {S{2, 1}, S{1, 3}}, Binary(ops::Sub)},
      {"Mul/broadcast", {S{2, 3}, S{2, 1}}, Binary(ops::Mul)},
      {"Mul/same", {S{2, 3}, S{2, 3}}, Binary(ops::Mul)},
      {"Div/broadcast", {S{3}, S{2, 3}}, Binary(ops::Div)},
      {"Div/scalar", {S{2, 2}, S{}}, Binary(ops::Div)},
      {"RealDiv/broadcast", {S{3}, S{2, 3}}, Binary(ops::RealDiv)},
      {"Neg", {S{4}}, Unary(ops::Neg)},
      {"Square", {S{2, 2}}, Unary(ops::Square)},
      {"Sqrt", {S{3}}, Unary(ops::Sqrt)},
      {"Rsqrt", {S{3}}, Unary(ops::Rsqrt)},
      {"Exp", {S{3}}, Unary(ops::Exp)},
      {"Log", {S{3}}, Unary(ops::Log)},
      {"Reciprocal", {S{3}}, Unary(ops::Reciprocal)},
      {"Log1p", {S{3}}, Unary(ops::Log1p)},
      {"SigmoidCrossEntropyWithLogits (labels and logits)",
       {S{2, 3}, S{2, 3}},
       [](Graph& g, const std::vector<Output>& x) { return ops::SigmoidCrossEntropyWithLogits(g, x[0], x[1]); },
       -1.5, 1.5},
      {"Abs", {S{4}}, Unary(ops::Abs), -1.5, 1.5},
      {"Tanh", {S{3}}, Unary(ops::Tanh), -1.5, 1.5},
      {"Sigmoid", {S{3}}, Unary(ops::Sigmoid), -1.5, 1.5},
      {"Relu", {S{2, 3}}, Unary(ops::Relu), -1.5, 1.5},
      {"MatMul", {S{2, 3}, S{3, 4}}, MatMulT(false, false)},
      {"MatMul/tb", {S{2, 3}, S{4, 3}}, MatMulT(false, true)},
      {"MatMul/ta", {S{3, 2}, S{3, 4}}, MatMulT(true, false)},
      {"MatMul/ta tb", {S{3, 2}, S{4, 3}}, MatMulT(true, true)},
      {"Sum/axis1", {S{2, 3}}, [](Graph& g, const std::vector<Output>& x) { return ops::Sum(g, x[0], {1}); }},
      {"Sum/keep", {S{2, 3}}, [](Graph& g, const std::vector<Output>& x) { return ops::Sum(g, x[0], {0}, true); }},
      {"Sum/all",
       {S{2, 3}},
       [](Graph& g, const std::vector<Output>& x) {
         return ops::Sum(g, x[0], {0, 1});
       }},
      {"Mean/axis0", {S{4, 2}}, [](Graph& g, const std::vector<Output>& x) { return ops::Mean(g, x[0], {0}); }},
      {"Mean/-1", {S{2, 2, 3}}, [](Graph& g, const std::vector<Output>& x) { return ops::Mean(g, x[0], {-1}); }},
      {"Max/axis1", {S{2, 3}}, [](Graph& g, const std::vector<Output>& x) { return ops::Max(g, x[0], {1}); }},
      {"Min/all keep", {S{2, 3}},
       [](Graph& g, const std::vector<Output>& x) { return ops::Min(g, x[0], {0, 1}, true); }},
      {"Max/ties share", {S{2, 2}},
       [](Graph& g, const std::vector<Output>& x) {
         // The 1.7s tie with each other: their gradient is split; x's elements below 1.7 get none.
         Output floor = ops::Maximum(g, x[0], ops::Const(g, 1.7));
         return ops::Max(g, ops::Concat(g, {floor, ops::Fill(g, {2, 1}, Tensor::Scalar<double>(1.7))}, 1), {1});
       }},
      {"AddN", {S{2, 2}, S{2, 2}, S{2, 2}}, [](Graph& g, const std::vector<Output>& x) { return ops::AddN(g, x); }},
      {"Identity", {S{3}}, [](Graph& g, const std::vector<Output>& x) { return ops::Identity(g, x[0]); }},
      {"Reshape",
       {S{2, 3}},
       [](Graph& g, const std::vector<Output>& x) {
         return ops::Reshape(g, x[0], {3, 2});
       }},
      {"ExpandDims", {S{2, 3}}, [](Graph& g, const std::vector<Output>& x) { return ops::ExpandDims(g, x[0], 1); }},
      {"Squeeze", {S{2, 1, 3}}, [](Graph& g, const std::vector<Output>& x) { return ops::Squeeze(g, x[0]); }},
      {"Transpose",
       {S{2, 3, 4}},
       [](Graph& g, const std::vector<Output>& x) {
         return ops::Transpose(g, x[0], {1, 2, 0});
       }},
      {"BiasAdd", {S{2, 3}, S{3}}, Binary(ops::BiasAdd)},
      {"BiasAdd/NCHW",
       {S{2, 3, 2, 2}, S{3}},
       [](Graph& g, const std::vector<Output>& x) { return ops::BiasAdd(g, x[0], x[1], ops::DataFormat::kNCHW); }},
      {"Softmax", {S{2, 4}}, Unary(ops::Softmax), -1.5, 1.5},
      {"Maximum/broadcast", {S{2, 3}, S{3}}, Binary(ops::Maximum), -1.5, 1.5},
      {"Minimum", {S{2, 3}, S{2, 3}}, Binary(ops::Minimum), -1.5, 1.5},
      {"Pow", {S{3}, S{3}}, Binary(ops::Pow)},
      {"FloorMod", {S{4}, S{4}}, Binary(ops::FloorMod), 1.1, 1.9},
      {"Where/SelectV2 broadcast",
       {S{2, 3}, S{3}},
       [](Graph& g, const std::vector<Output>& x) {
         Output cond = ops::Const(g, Tensor::FromVector<bool>({true, false, true, false, false, true}, {2, 3}).value());
         return ops::Where(g, cond, x[0], x[1]);
       }},
      {"Select",
       {S{2, 2}, S{2, 2}},
       [](Graph& g, const std::vector<Output>& x) {
         return ops::Select(g, ops::Const(g, Tensor::Vec<bool>({true, false})), x[0], x[1]);
       }},
      {"Concat", {S{2, 1}, S{2, 3}}, [](Graph& g, const std::vector<Output>& x) { return ops::Concat(g, x, 1); }},
      {"Stack", {S{2}, S{2}}, [](Graph& g, const std::vector<Output>& x) { return ops::Stack(g, x, 1); }},
      {"Unstack",
       {S{3, 2}},
       [](Graph& g, const std::vector<Output>& x) {
         std::vector<Output> p = ops::Unstack(g, x[0], 1);
         return ops::Mul(g, p[0], ops::Exp(g, p[1]));
       }},
      {"Split",
       {S{4, 2}},
       [](Graph& g, const std::vector<Output>& x) {
         std::vector<Output> p = ops::Split(g, x[0], 2, 0);
         return ops::Sub(g, p[0], ops::Square(g, p[1]));
       }},
      {"SplitV (one piece unused)",
       {S{5}},
       [](Graph& g, const std::vector<Output>& x) {
         return ops::Square(g, ops::SplitV(g, x[0], {2, 3})[1]);
       }},
      {"Tile", {S{2, 3}}, [](Graph& g, const std::vector<Output>& x) { return ops::Tile(g, x[0], {2, 3}); }},
      {"Slice", {S{3, 4}}, [](Graph& g, const std::vector<Output>& x) { return ops::Slice(g, x[0], {1, 1}, {2, 2}); }},
      {"Pad", {S{2, 2}}, [](Graph& g, const std::vector<Output>& x) { return ops::Pad(g, x[0], {{1, 0}, {0, 2}}); }},
      {"Cumsum", {S{2, 3}}, [](Graph& g, const std::vector<Output>& x) { return ops::Cumsum(g, x[0], 1); }},
      {"Cumsum/exclusive reverse",
       {S{4}},
       [](Graph& g, const std::vector<Output>& x) { return ops::Cumsum(g, x[0], 0, true, true); }},
      {"Cumprod", {S{2, 3}}, [](Graph& g, const std::vector<Output>& x) { return ops::Cumprod(g, x[0], 1); }},
      {"Cumprod/exclusive reverse",
       {S{4}},
       [](Graph& g, const std::vector<Output>& x) { return ops::Cumprod(g, x[0], 0, true, true); }},
      {"Prod/axis 1", {S{2, 3, 4}}, [](Graph& g, const std::vector<Output>& x) { return ops::Prod(g, x[0], {1}); }},
      {"Prod/axes -1 and 0, keep_dims",
       {S{2, 3, 4}},
       [](Graph& g, const std::vector<Output>& x) { return ops::Prod(g, x[0], {-1, 0}, true); }},
      {"Prod/all", {S{2, 3}}, [](Graph& g, const std::vector<Output>& x) { return ops::Prod(g, x[0]); }},
      // x[0, 1] is shifted to exactly 0 at the point checked: its column's
      // other gradients are 0 and its own is the product of the others.
      {"Prod/a zero in the column",
       {S{2, 3}},
       [](Graph& g, const std::vector<Output>& x) {
         Tensor shift(DataType::kDouble, TensorShape{2, 3});
         for (int64_t i = 0; i < 6; ++i) shift.flat<double>()[i] = i == 1 ? Values(TensorShape{2, 3}, 0.5, 1.5, 1).flat<double>()[1] : 0;
         return ops::Prod(g, ops::Sub(g, x[0], ops::Const(g, shift)), {0});
       }},
      {"StridedSlice/x[1:4:2, ::-1]",
       {S{4, 5}},
       [](Graph& g, const std::vector<Output>& x) {
         using I = ops::SliceIndex;
         return ops::Index(g, x[0], {I::Range(1, 4, 2), I::Range({}, {}, -1)});
       }},
      {"StridedSlice/x[..., 1] and x[newaxis, :, 0:3, -2]",
       {S{2, 3, 4}},
       [](Graph& g, const std::vector<Output>& x) {
         using I = ops::SliceIndex;
         Output a = ops::Index(g, x[0], {I::Ellipsis(), 1});
         Output b = ops::Index(g, x[0], {I::NewAxis(), I::All(), I::Range(0, 3), -2});
         return ops::Mul(g, ops::Reshape(g, a, {-1}), ops::Reshape(g, b, {-1}));
       }},
      {"StridedSliceGrad",
       {S{2, 3}},
       [](Graph& g, const std::vector<Output>& x) {
         auto v = [&g](std::initializer_list<int32_t> l) { return ops::Const(g, Tensor::Vec<int32_t>(l)); };
         return ops::StridedSliceGrad(g, v({4, 3}), v({1, 0}), v({4, 3}), v({2, 1}), x[0]);
       }},
      {"GatherV2/axis 0, a row twice",
       {S{4, 3}},
       [](Graph& g, const std::vector<Output>& x) {
         return ops::Gather(g, x[0], ops::Const(g, Tensor::Vec<int32_t>({1, 3, 1})), 0);
       }},
      {"GatherV2/axis 1, 2-D indices",
       {S{2, 3, 4}},
       [](Graph& g, const std::vector<Output>& x) {
         Tensor idx = Tensor::FromVector<int64_t>({2, 0, 2, 2}, TensorShape{2, 2}).value();
         return ops::Gather(g, x[0], ops::Const(g, idx), 1);
       }},
      {"GatherV2/axis -1",
       {S{3, 4}},
       [](Graph& g, const std::vector<Output>& x) {
         return ops::Gather(g, x[0], ops::Const(g, Tensor::Vec<int32_t>({3, 0})), -1);
       }},
      {"UnsortedSegmentSum/a negative id dropped",
       {S{4, 2}},
       [](Graph& g, const std::vector<Output>& x) {
         return ops::UnsortedSegmentSum(g, x[0], ops::Const(g, Tensor::Vec<int32_t>({1, -1, 1, 0})), 3);
       }},
      {"UnsortedSegmentSum/2-D ids",
       {S{2, 2, 3}},
       [](Graph& g, const std::vector<Output>& x) {
         Tensor ids = Tensor::FromVector<int64_t>({0, 2, 2, -1}, TensorShape{2, 2}).value();
         return ops::UnsortedSegmentSum(g, x[0], ops::Const(g, ids), 4);
       }},
      {"x used twice (AddN of two paths)",
       {S{3}},
       [](Graph& g, const std::vector<Output>& x) { return ops::Mul(g, ops::Exp(g, x[0]), ops::Square(g, x[0])); }},
      {"LogSoftmax", {S{3, 4}}, Unary(ops::LogSoftmax), -1.5, 1.5},
      {"L2Loss", {S{2, 3}}, Unary(ops::L2Loss), -1.5, 1.5},
      // The labels are a distribution per row, as the op's backprop assumes (as in TF).
      {"SoftmaxCrossEntropyWithLogits (logits and labels)",
       {S{3, 4}, S{3, 4}},
       [](Graph& g, const std::vector<Output>& x) {
         return ops::SoftmaxCrossEntropyWithLogits(g, x[0], ops::Softmax(g, x[1])).loss;
       },
       -1.5,
       1.5},
      {"SparseSoftmaxCrossEntropyWithLogits",
       {S{3, 4}},
       [](Graph& g, const std::vector<Output>& x) {
         return ops::SparseSoftmaxCrossEntropyWithLogits(g, x[0], ops::Const(g, Tensor::Vec<int64_t>({3, 0, 1}))).loss;
       },
       -1.5,
       1.5},
      {"Sparse cross-entropy, second order (through backprop)",
       {S{2, 3}},
       [](Graph& g, const std::vector<Output>& x) {
         ops::XentOutputs o = ops::SparseSoftmaxCrossEntropyWithLogits(g, x[0], ops::Const(g, Tensor::Vec<int32_t>({2, 0})));
         return ops::Add(g, ops::ExpandDims(g, o.loss, 1), ops::Square(g, o.backprop));
       },
       -1.5,
       1.5},
      {"ReluGrad (second order)", {S{2, 3}, S{2, 3}}, Binary(ops::ReluGrad), -1.5, 1.5},
      {"TanhGrad (second order)", {S{4}, S{4}}, Binary(ops::TanhGrad), -0.9, 0.9},
      {"SigmoidGrad (second order)", {S{4}, S{4}}, Binary(ops::SigmoidGrad), 0.1, 0.9},
      {"Conv2D/SAME stride 1",
       {S{2, 5, 4, 3}, S{3, 3, 3, 2}},
       [](Graph& g, const std::vector<Output>& x) { return ops::Conv2D(g, x[0], x[1], {1, 1, 1, 1}, "SAME"); },
       -1.5,
       1.5},
      {"Conv2D/VALID stride 2 dilation",
       {S{1, 7, 6, 2}, S{2, 3, 2, 3}},
       [](Graph& g, const std::vector<Output>& x) {
         return ops::Conv2D(g, x[0], x[1], {1, 2, 1, 1}, "VALID", {1, 2, 1, 1});
       },
       -1.5,
       1.5},
      {"Conv2D/SAME stride 2 (uneven padding)",
       {S{1, 6, 5, 1}, S{4, 3, 1, 2}},
       [](Graph& g, const std::vector<Output>& x) { return ops::Conv2D(g, x[0], x[1], {1, 2, 2, 1}, "SAME"); },
       -1.5,
       1.5},
      {"MaxPool/SAME 2x2 stride 2",
       {S{2, 5, 4, 2}},
       [](Graph& g, const std::vector<Output>& x) {
         return ops::MaxPool(g, x[0], {1, 2, 2, 1}, {1, 2, 2, 1}, "SAME");
       },
       -1.5,
       1.5},
      {"MaxPool/VALID 3x3 stride 1 (overlapping)",
       {S{1, 5, 5, 1}},
       [](Graph& g, const std::vector<Output>& x) {
         return ops::MaxPool(g, x[0], {1, 3, 3, 1}, {1, 1, 1, 1}, "VALID");
       },
       -1.5,
       1.5},
      {"AvgPool/SAME 3x3 stride 2",
       {S{2, 5, 4, 2}},
       [](Graph& g, const std::vector<Output>& x) {
         return ops::AvgPool(g, x[0], {1, 3, 3, 1}, {1, 2, 2, 1}, "SAME");
       }},
      {"Conv2D/NCHW SAME stride 2 dilation",
       {S{2, 3, 6, 5}, S{3, 2, 3, 2}},
       [](Graph& g, const std::vector<Output>& x) {
         return ops::Conv2D(g, x[0], x[1], {1, 1, 2, 1}, "SAME", {1, 1, 1, 2}, ops::DataFormat::kNCHW);
       },
       -1.5,
       1.5},
      {"MaxPool/NCHW SAME 2x2 stride 2",
       {S{2, 2, 5, 4}},
       [](Graph& g, const std::vector<Output>& x) {
         return ops::MaxPool(g, x[0], {1, 1, 2, 2}, {1, 1, 2, 2}, "SAME", ops::DataFormat::kNCHW);
       },
       -1.5,
       1.5},
      {"AvgPool/NCHW SAME 3x3 stride 2",
       {S{2, 2, 5, 4}},
       [](Graph& g, const std::vector<Output>& x) {
         return ops::AvgPool(g, x[0], {1, 1, 3, 3}, {1, 1, 2, 2}, "SAME", ops::DataFormat::kNCHW);
       }},
      {"dense layer",
       {S{2, 3}, S{3, 4}, S{4}},
       [](Graph& g,
          const std::vector<Output>&
              x) { return ops::Softmax(g, ops::Relu(g, ops::BiasAdd(g, ops::MatMul(g, x[0], x[1]), x[2]))); }},
  };
  for (const GradCase& c : cases) CheckCase(c);
}

TEST(GradientsTest, TfGradientsSemantics) {
  auto g = Graph::Create();
  Output a = ops::Placeholder(*g, DataType::kFloat, PartialShape{2}, "a");
  Output b = ops::Placeholder(*g, DataType::kFloat, PartialShape{2}, "b");
  Output unused = ops::Placeholder(*g, DataType::kFloat, PartialShape{2}, "unused");
  Output y = ops::Mul(*g, a, ops::StopGradient(*g, b), "y");
  auto d = AddSymbolicGradients(*g, {y}, {a, b, unused});
  ASSERT_TRUE(d.ok()) << d.status();
  EXPECT_TRUE((*d)[0].valid());
  EXPECT_FALSE((*d)[1].valid()) << "StopGradient stops it";
  EXPECT_FALSE((*d)[2].valid()) << "unconnected: None";
  EXPECT_EQ((*d)[0].node()->name().rfind("gradients/y_grad/", 0), 0u) << (*d)[0].node()->name();
  GradientOptions zero;
  zero.unconnected_gradients = UnconnectedGradients::kZero;
  auto z = AddSymbolicGradients(*g, {y}, {unused}, {}, zero);
  ASSERT_TRUE(z.ok()) << z.status();
  // grad_ys weights y's gradient.
  Output gy = ops::Const(*g, Tensor::Vec<float>({10, 100}));
  auto w = AddSymbolicGradients(*g, {y}, {a}, {gy});
  ASSERT_TRUE(w.ok()) << w.status();
  auto sess = Session::Create(g).value();
  auto out = sess->Run(
      {{a, Tensor::Vec<float>({1, 2})}, {b, Tensor::Vec<float>({3, 4})}, {unused, Tensor::Vec<float>({0, 0})}},
      {(*d)[0], (*z)[0], (*w)[0]});
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_EQ((*out)[0].DebugString(), "[3. 4.]");
  EXPECT_EQ((*out)[1].DebugString(), "[0. 0.]");
  EXPECT_EQ((*out)[2].DebugString(), "[ 30. 400.]");
}

TEST(GradientsTest, ErrorsNameTheProblem) {
  auto g = Graph::Create();
  Output x = ops::Placeholder(*g, DataType::kFloat, PartialShape{2, 2}, "x");
  Output y = ops::BiasAddGrad(*g, x, "bias_grad");  // no gradient (of a gradient) yet
  auto d = AddSymbolicGradients(*g, {ops::Sum(*g, y, {0})}, {x});
  EXPECT_EQ(d.status().code(), Code::kNotFound);
  EXPECT_NE(d.status().message().find("No gradient defined for operation 'bias_grad' (op type: BiasAddGrad)"),
            std::string::npos)
      << d.status();
  EXPECT_EQ(AddSymbolicGradients(*g, {Output()}, {x}).status().code(), Code::kInvalidArgument);
  auto other = Graph::Create();
  Output foreign = ops::Placeholder(*other, DataType::kFloat, PartialShape{2}, "f");
  EXPECT_NE(AddSymbolicGradients(*g, {x}, {foreign}).status().message().find("belongs to a different Graph"),
            std::string::npos);
  auto mismatch = AddSymbolicGradients(*g, {x}, {x}, {ops::Const(*g, 1.0)});
  EXPECT_EQ(mismatch.status().code(), Code::kInvalidArgument);
  EXPECT_NE(mismatch.status().message().find("must be the same type"), std::string::npos) << mismatch.status();
  // A perm the shape function could not check (unknown rank) is an error, not a crash.
  Output unknown = ops::Placeholder(*g, DataType::kFloat, PartialShape::UnknownRank(), "unknown");
  Output t = ops::Transpose(*g, unknown, {5, 0}, "bad_perm");
  ASSERT_TRUE(t.valid()) << g->status();
  auto perm = AddSymbolicGradients(*g, {t}, {unknown});
  EXPECT_EQ(perm.status().code(), Code::kInvalidArgument);
  EXPECT_NE(perm.status().message().find("The gradient of Transpose 'bad_perm' got an invalid perm"), std::string::npos)
      << perm.status();
  // An integer path carries no gradient.
  Output i = ops::Placeholder(*g, DataType::kInt32, PartialShape{2}, "i");
  auto none = AddSymbolicGradients(*g, {ops::Cast(*g, ops::Add(*g, i, i), DataType::kFloat)}, {i});
  ASSERT_TRUE(none.ok()) << none.status();
  EXPECT_FALSE((*none)[0].valid());
}

TEST(GradientsTest, ColocateGradientsWithOps) {
  auto g = Graph::Create();
  Output x = ops::Placeholder(*g, DataType::kFloat, PartialShape{2}, "x");
  Output y;
  {
    auto dev = g->Device("/cpu:1");
    y = ops::Square(*g, x, "sq");
  }
  GradientOptions o;
  o.colocate_gradients_with_ops = true;
  auto d = AddSymbolicGradients(*g, {y}, {x}, {}, o);
  ASSERT_TRUE(d.ok()) << d.status();
  const Node* n = (*d)[0].node();
  ASSERT_EQ(n->colocate_with().size(), 1u) << n->name();
  EXPECT_EQ(n->colocate_with()[0], "sq");
  EXPECT_EQ(n->requested_device(), "/device:CPU:1");
  SessionOptions two;
  two.device_count["CPU"] = 2;
  auto sess = Session::Create(g, two).value();
  auto out = sess->Run({{x, Tensor::Vec<float>({1, 3})}}, {(*d)[0]});
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_EQ((*out)[0].DebugString(), "[2. 6.]");
}

}  // namespace
}  // namespace tessera
