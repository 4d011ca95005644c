// Op numerics against hand-checked values (the same numbers numpy gives).
#include <cmath>

#include "tests/test_util.h"

namespace tessera {
namespace {

using testing::ExpectValues;
using testing::RunOne;
using testing::RunStatus;

TEST(OpsTest, BinaryElementwise) {
  auto g = Graph::Create();
  Output x = ops::Const(*g, Tensor::Vec<float>({1, 4, 9}));
  Output y = ops::Const(*g, Tensor::Vec<float>({2, 2, 3}));
  ExpectValues<float>(RunOne(g, ops::Add(*g, x, y)), {3, 6, 12}, {3});
  ExpectValues<float>(RunOne(g, ops::Sub(*g, x, y)), {-1, 2, 6}, {3});
  ExpectValues<float>(RunOne(g, ops::Mul(*g, x, y)), {2, 8, 27}, {3});
  ExpectValues<float>(RunOne(g, ops::Div(*g, x, y)), {0.5f, 2, 3}, {3});
  ExpectValues<float>(RunOne(g, ops::Maximum(*g, x, y)), {2, 4, 9}, {3});
  ExpectValues<float>(RunOne(g, ops::Minimum(*g, x, y)), {1, 2, 3}, {3});
  ExpectValues<float>(RunOne(g, ops::Pow(*g, x, y)), {1, 16, 729}, {3});
  ExpectValues<bool>(RunOne(g, ops::Equal(*g, x, y)), {false, false, false}, {3});
  ExpectValues<bool>(RunOne(g, ops::Less(*g, x, y)), {true, false, false}, {3});
  ExpectValues<bool>(RunOne(g, ops::Greater(*g, x, y)), {false, true, true}, {3});
}

TEST(OpsTest, IntegerArithmetic) {
  auto g = Graph::Create();
  Output a = ops::Const(*g, Tensor::Vec<int32_t>({7, -7, 9}));
  Output b = ops::Const(*g, Tensor::Vec<int32_t>({2, 2, 3}));
  ExpectValues<int32_t>(RunOne(g, ops::Div(*g, a, b)), {3, -3, 3}, {3});
  ExpectValues<int32_t>(RunOne(g, ops::Pow(*g, b, b)), {4, 4, 27}, {3});
  ExpectValues<int64_t>(RunOne(g, ops::Mul(*g, ops::Const(*g, int64_t{1} << 40), ops::Const(*g, int64_t{4}))),
                        {int64_t{1} << 42}, {});
  Output zero = ops::Const(*g, Tensor::Vec<int32_t>({1, 0, 1}));
  Status s = RunStatus(g, ops::Div(*g, a, zero, "div0"));
  EXPECT_EQ(s.code(), Code::kInvalidArgument);
  EXPECT_NE(s.message().find("Integer division by zero"), std::string::npos);
  EXPECT_NE(s.message().find("{{node div0}}"), std::string::npos);
  Status p = RunStatus(g, ops::Pow(*g, a, ops::Const(*g, -1)));
  EXPECT_NE(p.message().find("Integers to negative integer powers are not allowed"), std::string::npos);
}

TEST(OpsTest, Broadcasting) {
  auto g = Graph::Create();
  Output m = ops::Const(*g, Tensor::Matrix<float>({{1, 2, 3}, {4, 5, 6}}).value());
  Output row = ops::Const(*g, Tensor::Vec<float>({10, 20, 30}));
  Output col = ops::Const(*g, Tensor::Matrix<float>({{100}, {200}}).value());
  ExpectValues<float>(RunOne(g, ops::Add(*g, m, row)), {11, 22, 33, 14, 25, 36}, {2, 3});
  ExpectValues<float>(RunOne(g, ops::Add(*g, m, col)), {101, 102, 103, 204, 205, 206}, {2, 3});
  ExpectValues<float>(RunOne(g, ops::Add(*g, col, row)), {110, 120, 130, 210, 220, 230}, {2, 3});
  ExpectValues<float>(RunOne(g, ops::Mul(*g, ops::Const(*g, 2.0f), m)), {2, 4, 6, 8, 10, 12}, {2, 3});
  // 3-D against 2-D with a broadcast middle dimension.
  Output t = ops::Const(*g, Tensor::FromVector<int32_t>({1, 2, 3, 4}, {2, 1, 2}).value());
  Output u = ops::Const(*g, Tensor::FromVector<int32_t>({10, 20, 30, 40, 50, 60}, {3, 2}).value());
  ExpectValues<int32_t>(RunOne(g, ops::Add(*g, t, u)), {11, 22, 31, 42, 51, 62, 13, 24, 33, 44, 53, 64}, {2, 3, 2});
  // Incompatible shapes only known at run time.
  Output p = ops::Placeholder(*g, DataType::kFloat, PartialShape(), "p");
  Status s = RunStatus(g, ops::Add(*g, p, row, "late"), {{p, Tensor::Vec<float>({1, 2})}});
  EXPECT_EQ(s.code(), Code::kInvalidArgument);
  EXPECT_NE(s.message().find("Incompatible shapes: [2] vs. [3]"), std::string::npos) << s;
}

TEST(OpsTest, UnaryElementwise) {
  auto g = Graph::Create();
  Output x = ops::Const(*g, Tensor::Vec<double>({-1, 0, 4}));
  ExpectValues<double>(RunOne(g, ops::Neg(*g, x)), {1, 0, -4}, {3});
  ExpectValues<double>(RunOne(g, ops::Square(*g, x)), {1, 0, 16}, {3});
  ExpectValues<double>(RunOne(g, ops::Abs(*g, x)), {1, 0, 4}, {3});
  ExpectValues<double>(RunOne(g, ops::Relu(*g, x)), {0, 0, 4}, {3});
  ExpectValues<double>(RunOne(g, ops::Exp(*g, x)), {std::exp(-1.0), 1, std::exp(4.0)}, {3});
  ExpectValues<double>(RunOne(g, ops::Tanh(*g, x)), {std::tanh(-1.0), 0, std::tanh(4.0)}, {3});
  ExpectValues<double>(RunOne(g, ops::Sigmoid(*g, x)), {1 / (1 + std::exp(1.0)), 0.5, 1 / (1 + std::exp(-4.0))}, {3});
  Output pos = ops::Const(*g, Tensor::Vec<float>({1, 4, 9}));
  ExpectValues<float>(RunOne(g, ops::Sqrt(*g, pos)), {1, 2, 3}, {3});
  ExpectValues<float>(RunOne(g, ops::Log(*g, pos)), {0, std::log(4.0f), std::log(9.0f)}, {3});
  ExpectValues<int32_t>(RunOne(g, ops::Neg(*g, ops::Const(*g, Tensor::Vec<int32_t>({3, -2})))), {-3, 2}, {2});
  EXPECT_FALSE(ops::Sqrt(*g, ops::Const(*g, 4)).valid());  // int32 Sqrt is not an op
}

TEST(OpsTest, Cast) {
  auto g = Graph::Create();
  Output x = ops::Const(*g, Tensor::Vec<float>({1.7f, -1.7f, 0.0f}));
  ExpectValues<int32_t>(RunOne(g, ops::Cast(*g, x, DataType::kInt32)), {1, -1, 0}, {3});
  ExpectValues<bool>(RunOne(g, ops::Cast(*g, x, DataType::kBool)), {true, true, false}, {3});
  ExpectValues<double>(RunOne(g, ops::Cast(*g, ops::Const(*g, Tensor::Vec<bool>({true, false})), DataType::kDouble)),
                       {1, 0}, {2});
}

TEST(OpsTest, Select) {
  auto g = Graph::Create();
  Output c = ops::Const(*g, Tensor::Vec<bool>({true, false}));
  Output t = ops::Const(*g, Tensor::Matrix<int32_t>({{1, 2}, {3, 4}}).value());
  Output e = ops::Const(*g, Tensor::Matrix<int32_t>({{5, 6}, {7, 8}}).value());
  ExpectValues<int32_t>(RunOne(g, ops::Select(*g, c, t, e)), {1, 2, 7, 8}, {2, 2});
  Output full = ops::Const(*g, Tensor::Matrix<bool>({{true, false}, {false, true}}).value());
  ExpectValues<int32_t>(RunOne(g, ops::Select(*g, full, t, e)), {1, 6, 7, 4}, {2, 2});
  ExpectValues<int32_t>(RunOne(g, ops::Select(*g, ops::Const(*g, false), t, e)), {5, 6, 7, 8}, {2, 2});
}

TEST(OpsTest, MatMulWithTransposes) {
  auto g = Graph::Create();
  Output a = ops::Const(*g, Tensor::Matrix<float>({{1, 2, 3}, {4, 5, 6}}).value());       // 2x3
  Output b = ops::Const(*g, Tensor::Matrix<float>({{7, 8}, {9, 10}, {11, 12}}).value());  // 3x2
  ExpectValues<float>(RunOne(g, ops::MatMul(*g, a, b)), {58, 64, 139, 154}, {2, 2});
  ExpectValues<float>(RunOne(g, ops::MatMul(*g, a, a, false, true)), {14, 32, 32, 77}, {2, 2});
  ExpectValues<float>(RunOne(g, ops::MatMul(*g, a, a, true, false)), {17, 22, 27, 22, 29, 36, 27, 36, 45}, {3, 3});
  ExpectValues<float>(RunOne(g, ops::MatMul(*g, b, a, true, true)), {58, 139, 64, 154}, {2, 2});
  Output ia = ops::Const(*g, Tensor::Matrix<int32_t>({{1, 2}, {3, 4}}).value());
  ExpectValues<int32_t>(RunOne(g, ops::MatMul(*g, ia, ia)), {7, 10, 15, 22}, {2, 2});
  Output empty = ops::Const(*g, Tensor(DataType::kFloat, TensorShape{2, 0}));
  Output empty2 = ops::Const(*g, Tensor(DataType::kFloat, TensorShape{0, 3}));
  ExpectValues<float>(RunOne(g, ops::MatMul(*g, empty, empty2)), {0, 0, 0, 0, 0, 0}, {2, 3});
}

TEST(OpsTest, BiasAddAndSoftmax) {
  auto g = Graph::Create();
  Output v = ops::Const(*g, Tensor::Matrix<float>({{1, 2}, {3, 4}}).value());
  Output b = ops::Const(*g, Tensor::Vec<float>({10, 20}));
  ExpectValues<float>(RunOne(g, ops::BiasAdd(*g, v, b)), {11, 22, 13, 24}, {2, 2});
  Output logits = ops::Const(*g, Tensor::Matrix<double>({{1, 2, 3}, {1000, 1000, 1000}}).value());
  const double e1 = std::exp(1.0), e2 = std::exp(2.0), e3 = std::exp(3.0), s = e1 + e2 + e3;
  ExpectValues<double>(RunOne(g, ops::Softmax(*g, logits)), {e1 / s, e2 / s, e3 / s, 1 / 3.0, 1 / 3.0, 1 / 3.0},
                       {2, 3});
  EXPECT_FALSE(ops::BiasAdd(*g, v, ops::Const(*g, Tensor::Vec<float>({1, 2, 3}))).valid());
}

TEST(OpsTest, Reductions) {
  auto g = Graph::Create();
  Output x = ops::Const(*g, Tensor::FromVector<float>({1, 2, 3, 4, 5, 6}, {2, 3}).value());
  ExpectValues<float>(RunOne(g, ops::Sum(*g, x)), {21}, {});
  ExpectValues<float>(RunOne(g, ops::Sum(*g, x, {0})), {5, 7, 9}, {3});
  ExpectValues<float>(RunOne(g, ops::Sum(*g, x, {1}, true)), {6, 15}, {2, 1});
  ExpectValues<float>(RunOne(g, ops::Mean(*g, x, {-1})), {2, 5}, {2});
  ExpectValues<float>(RunOne(g, ops::Max(*g, x, {0})), {4, 5, 6}, {3});
  ExpectValues<float>(RunOne(g, ops::Min(*g, x, {1})), {1, 4}, {2});
  Output c = ops::Const(*g, Tensor::FromVector<int32_t>({1, 2, 3, 4, 5, 6, 7, 8}, {2, 2, 2}).value());
  ExpectValues<int32_t>(RunOne(g, ops::Sum(*g, c, {0, 2})), {14, 22}, {2});
  ExpectValues<int32_t>(RunOne(g, ops::Mean(*g, c, {0, 2}, true)), {3, 5}, {1, 2, 1});
  // Axes from a fed tensor.
  Output axes = ops::Placeholder(*g, DataType::kInt32, PartialShape{-1}, "axes");
  ExpectValues<float>(RunOne(g, ops::SumAlong(*g, x, axes), {{axes, Tensor::Vec<int32_t>({1})}}), {6, 15}, {2});
  Status bad = RunStatus(g, ops::SumAlong(*g, x, axes), {{axes, Tensor::Vec<int32_t>({5})}});
  EXPECT_EQ(bad.code(), Code::kInvalidArgument);
  EXPECT_NE(bad.message().find("Invalid reduction dimension"), std::string::npos);
  // Empty reductions: Sum of nothing is 0, Max of nothing is -inf.
  Output e = ops::Const(*g, Tensor(DataType::kFloat, TensorShape{0, 2}));
  ExpectValues<float>(RunOne(g, ops::Sum(*g, e, {0})), {0, 0}, {2});
  EXPECT_EQ(RunOne(g, ops::Max(*g, e, {0})).flat<float>()[0], -INFINITY);
}

TEST(OpsTest, ArgMax) {
  auto g = Graph::Create();
  Output x = ops::Const(*g, Tensor::Matrix<float>({{1, 9, 3}, {7, 2, 7}}).value());
  ExpectValues<int64_t>(RunOne(g, ops::ArgMax(*g, x, 1)), {1, 0}, {2});
  ExpectValues<int32_t>(RunOne(g, ops::ArgMax(*g, x, 0, DataType::kInt32)), {1, 0, 1}, {3});
}

TEST(OpsTest, ShapesAndLayout) {
  auto g = Graph::Create();
  Output x = ops::Const(*g, Tensor::FromVector<int32_t>({1, 2, 3, 4, 5, 6}, {2, 3}).value());
  ExpectValues<int32_t>(RunOne(g, ops::Reshape(*g, x, {3, -1})), {1, 2, 3, 4, 5, 6}, {3, 2});
  ExpectValues<int32_t>(RunOne(g, ops::Transpose(*g, x)), {1, 4, 2, 5, 3, 6}, {3, 2});
  ExpectValues<int32_t>(RunOne(g, ops::Shape(*g, x)), {2, 3}, {2});
  ExpectValues<int64_t>(RunOne(g, ops::Shape(*g, x, DataType::kInt64)), {2, 3}, {2});
  ExpectValues<float>(RunOne(g, ops::Fill(*g, {2, 2}, Tensor::Scalar<float>(7))), {7, 7, 7, 7}, {2, 2});
  ExpectValues<int32_t>(RunOne(g, ops::ZerosLike(*g, x)), {0, 0, 0, 0, 0, 0}, {2, 3});
  ExpectValues<int32_t>(RunOne(g, ops::OnesLike(*g, x)), {1, 1, 1, 1, 1, 1}, {2, 3});
  ExpectValues<int32_t>(RunOne(g, ops::Concat(*g, {x, x}, 0)), {1, 2, 3, 4, 5, 6, 1, 2, 3, 4, 5, 6}, {4, 3});
  ExpectValues<int32_t>(RunOne(g, ops::Concat(*g, {x, x}, -1)), {1, 2, 3, 1, 2, 3, 4, 5, 6, 4, 5, 6}, {2, 6});
  ExpectValues<int32_t>(RunOne(g, ops::Slice(*g, x, {0, 1}, {2, -1})), {2, 3, 5, 6}, {2, 2});
  ExpectValues<int32_t>(RunOne(g, ops::Slice(*g, x, {1, 0}, {1, 2})), {4, 5}, {1, 2});
  Output t3 = ops::Const(*g, Tensor::FromVector<int32_t>({0, 1, 2, 3, 4, 5, 6, 7}, {2, 2, 2}).value());
  ExpectValues<int32_t>(RunOne(g, ops::Transpose(*g, t3, {1, 2, 0})), {0, 4, 1, 5, 2, 6, 3, 7}, {2, 2, 2});
  ExpectValues<int32_t>(RunOne(g, ops::Identity(*g, x)), {1, 2, 3, 4, 5, 6}, {2, 3});
  // A fed axis that is not a scalar is an error, not a crash.
  Output axis = ops::Placeholder(*g, DataType::kInt32, PartialShape(), "axis");
  auto concat = g->AddNode(NodeSpec{"ConcatV2", "fed_axis_concat", {x, x, axis}, {}, {}});
  ASSERT_TRUE(concat.ok()) << concat.status();
  Status ax = RunStatus(g, concat->output(0), {{axis, Tensor(DataType::kInt32, TensorShape{0})}});
  EXPECT_EQ(ax.code(), Code::kInvalidArgument);
  EXPECT_NE(ax.message().find("Concat axis must be a scalar, got a tensor of shape [0]"), std::string::npos) << ax;
  // A fed shape that does not fit.
  Output shape = ops::Placeholder(*g, DataType::kInt32, PartialShape{-1}, "shape");
  Status s = RunStatus(g, ops::Reshape(*g, x, shape), {{shape, Tensor::Vec<int32_t>({4, 2})}});
  EXPECT_NE(s.message().find("Input to reshape is a tensor with 6 values, but the requested shape has 8"),
            std::string::npos)
      << s;
}

TEST(OpsTest, RandomOpsAreSeeded) {
  auto g = Graph::Create();
  Output u = ops::RandomUniform(*g, {1000}, DataType::kFloat, /*seed=*/7);
  Output n = ops::RandomNormal(*g, {2000}, DataType::kDouble, 0.0, 1.0, /*seed=*/7);
  Output other = ops::RandomUniform(*g, {1000}, DataType::kFloat, /*seed=*/8);
  auto s1 = Session::Create(g).value();
  auto s2 = Session::Create(g).value();
  auto a = s1->Run({}, {u, n, other}).value();
  auto b = s2->Run({}, {u, n, other}).value();
  EXPECT_EQ(a[0].ToVector<float>(), b[0].ToVector<float>());  // same seed, same values
  EXPECT_EQ(a[1].ToVector<double>(), b[1].ToVector<double>());
  EXPECT_NE(a[0].ToVector<float>(), a[2].ToVector<float>());  // another seed differs
  auto again = s1->Run({}, {u}).value();
  EXPECT_NE(a[0].ToVector<float>(), again[0].ToVector<float>());  // the sequence continues
  double mean = 0, var = 0;
  for (float v : a[0].flat<float>()) {
    EXPECT_GE(v, 0.0f);
    EXPECT_LT(v, 1.0f);
    mean += v;
  }
  EXPECT_NEAR(mean / 1000, 0.5, 0.05);
  mean = 0;
  for (double v : a[1].flat<double>()) mean += v;
  mean /= 2000;
  for (double v : a[1].flat<double>()) var += (v - mean) * (v - mean);
  EXPECT_NEAR(mean, 0.0, 0.1);
  EXPECT_NEAR(var / 2000, 1.0, 0.1);
  Output scaled = ops::RandomNormal(*g, {3}, DataType::kFloat, 10.0, 0.001, 3);
  Tensor shifted = testing::RunOne(g, scaled);
  ASSERT_EQ(shifted.num_elements(), 3);
  for (float v : shifted.flat<float>()) EXPECT_NEAR(v, 10.0f, 0.01f);
}

TEST(OpsTest, PrintPassesThroughAndWritesStderr) {
  auto g = Graph::Create();
  Output x = ops::Const(*g, Tensor::Vec<int32_t>({1, 2, 3, 4}));
  Output p = ops::Print(*g, x, "x = ", 3);
  ::testing::internal::CaptureStderr();
  Tensor t = RunOne(g, p);
  std::string err = ::testing::internal::GetCapturedStderr();
  ExpectValues<int32_t>(t, {1, 2, 3, 4}, {4});
  EXPECT_NE(err.find("x = [1 2 3...]"), std::string::npos) << err;
}

}  // namespace
}  // namespace tessera
