#include <gtest/gtest.h>

#include "src/framework/allocator.h"
#include "tests/test_util.h"

namespace tessera {
namespace {

TEST(TensorTest, DebugStringLikeNumpy) {
  EXPECT_EQ(Tensor::Vec<float>({3, 5}).DebugString(), "[3. 5.]");
  EXPECT_EQ(Tensor::Vec<float>({-2, -1}).DebugString(), "[-2. -1.]");
  EXPECT_EQ(Tensor::Matrix<int32_t>({{1, 2}, {3, 4}}).value().DebugString(), "[[1 2]\n [3 4]]");
  EXPECT_EQ(Tensor::Vec<float>({1.5f, 2.25f}).DebugString(), "[1.5  2.25]");
  EXPECT_EQ(Tensor::Vec<int64_t>({1, 10, -3}).DebugString(), "[ 1 10 -3]");
  EXPECT_EQ(Tensor::Vec<bool>({true, false}).DebugString(), "[ True False]");
  EXPECT_EQ(Tensor::Scalar<float>(42.0f).DebugString(), "42.0");
  EXPECT_EQ(Tensor::Scalar<int32_t>(7).DebugString(), "7");
  EXPECT_EQ(Tensor::Scalar<bool>(true).DebugString(), "True");
  EXPECT_EQ(Tensor(DataType::kFloat, TensorShape{0}).DebugString(), "[]");
  EXPECT_EQ(Tensor(DataType::kFloat, TensorShape{2, 0}).DebugString(), "[]");  // numpy: str(np.zeros((2, 0)))
  Tensor cube = Tensor::FromVector<int32_t>({1, 2, 3, 4, 5, 6, 7, 8}, {2, 2, 2}).value();
  EXPECT_EQ(cube.DebugString(), "[[[1 2]\n  [3 4]]\n\n [[5 6]\n  [7 8]]]");
  EXPECT_EQ(Tensor::Vec<float>({1e-5f, 1.0f}).DebugString(), "[1.e-05 1.e+00]");
}

TEST(TensorTest, LargeTensorsAreSummarised) {
  Tensor t(DataType::kInt32, TensorShape{2000});
  std::string s = t.DebugString();
  EXPECT_EQ(s, "[0 0 0 ... 0 0 0]");
}

TEST(TensorTest, SummarizeValueAsTfPrint) {
  EXPECT_EQ(Tensor::Vec<int32_t>({1, 2, 3, 4}).SummarizeValue(3), "[1 2 3...]");
  EXPECT_EQ(Tensor::Matrix<float>({{1, 2}, {3, 4}}).value().SummarizeValue(10), "[[1 2][3 4]]");
}

// Fuzz finding: an empty tensor with huge other dims overflowed the strides.
TEST(TensorTest, SummarizeValueOfEmptyTensorWithHugeDims) {
  Tensor t(DataType::kFloat, TensorShape({0, int64_t{1} << 62, 5}));
  ASSERT_TRUE(t.valid());
  EXPECT_EQ(t.SummarizeValue(3), "[]");
  EXPECT_EQ(t.DebugString(), "[]");
  EXPECT_EQ(Tensor(DataType::kInt32, TensorShape({2, 0})).SummarizeValue(3), "[]");
}

TEST(TensorTest, ConstructionAndAccess) {
  Tensor t = Tensor::FromVector<float>({1, 2, 3, 4, 5, 6}, {2, 3}).value();
  EXPECT_EQ(t.num_elements(), 6);
  EXPECT_EQ(t.bytes(), 24u);
  EXPECT_EQ(t.flat<float>()[4], 5.0f);
  EXPECT_TRUE(t.flat<int32_t>().empty());                         // dtype mismatch: empty view
  EXPECT_EQ(reinterpret_cast<uintptr_t>(t.raw_data()) % 64, 0u);  // 64-byte aligned host buffers
  EXPECT_EQ(Tensor::Scalar<double>(2.5).scalar<double>().value(), 2.5);
  EXPECT_EQ(t.scalar<float>().status().code(), Code::kInvalidArgument);
  EXPECT_EQ(t.scalar<int32_t>().status().code(), Code::kInvalidArgument);
}

TEST(TensorTest, BadConstructionIsAnError) {
  auto bad = Tensor::FromVector<float>({1, 2, 3}, {2, 2});
  EXPECT_EQ(bad.status().code(), Code::kInvalidArgument);
  EXPECT_NE(bad.status().message().find("3 values do not fill shape [2,2]"), std::string::npos);
  auto ragged = Tensor::Matrix<int32_t>({{1, 2}, {3}});
  EXPECT_EQ(ragged.status().code(), Code::kInvalidArgument);
  EXPECT_EQ(TensorShape::Make({2, -1}).status().code(), Code::kInvalidArgument);
}

TEST(TensorTest, CopiesShareBuffersAndCloneDoesNot) {
  Tensor a = Tensor::Vec<int32_t>({1, 2});
  Tensor b = a;
  Tensor c = a.Clone();
  a.flat<int32_t>()[0] = 9;
  EXPECT_EQ(b.flat<int32_t>()[0], 9);
  EXPECT_EQ(c.flat<int32_t>()[0], 1);
  auto r = a.Reshaped(TensorShape{2, 1});
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->raw_data(), a.raw_data());
  EXPECT_EQ(a.Reshaped(TensorShape{3}).status().code(), Code::kInvalidArgument);
}

TEST(TensorTest, ShapesOfAnyRank) {
  TensorShape s{1, 2, 3, 4, 1, 2, 2, 1};  // beyond the inline storage
  EXPECT_EQ(s.rank(), 8);
  EXPECT_EQ(s.num_elements(), 96);
  TensorShape copy = s;
  copy.set_dim(7, 5);
  EXPECT_EQ(copy.dim(7), 5);
  EXPECT_EQ(s.dim(7), 1);
  EXPECT_FALSE(copy == s);
  EXPECT_EQ(s.DebugString(), "[1,2,3,4,1,2,2,1]");
  Tensor t(DataType::kInt32, s);
  auto r = t.Reshaped(TensorShape{96});
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->rank(), 1);
  auto g = Graph::Create();
  Output x = ops::Const(*g, t);
  tessera::testing::ExpectValues<int32_t>(tessera::testing::RunOne(g, ops::Sum(*g, ops::OnesLike(*g, x))), {96}, {});
}

TEST(StatusTest, CodesAndText) {
  Status s = InvalidArgumentError("bad");
  EXPECT_EQ(s.ToString(), "Invalid argument: bad");
  EXPECT_EQ(static_cast<int>(Code::kDeadlineExceeded), 4);
  EXPECT_EQ(static_cast<int>(Code::kFailedPrecondition), 9);
  EXPECT_TRUE(Status::OK().ok());
  StatusOr<int> v = 3;
  EXPECT_EQ(*v, 3);
  StatusOr<int> e = NotFoundError("x");
  EXPECT_EQ(e.status().code(), Code::kNotFound);
  EXPECT_EQ(e.value_or(7), 7);
}

TEST(TypesTest, NamesAndSizes) {
  EXPECT_EQ(DataTypeString(DataType::kFloat), "float");
  EXPECT_EQ(DataTypeString(DataType::kBFloat16), "bfloat16");
  EXPECT_EQ(DataTypeSize(DataType::kInt64), 8u);
  EXPECT_EQ(DataTypeSize(DataType::kHalf), 2u);
  EXPECT_TRUE(PartialShape({-1, 3}).IsCompatibleWith(TensorShape{5, 3}));
  EXPECT_FALSE(PartialShape({-1, 3}).IsCompatibleWith(TensorShape{5, 4}));
  EXPECT_EQ(PartialShape({-1, 3}).DebugString(), "[?,3]");
}

}  // namespace
}  // namespace tessera
