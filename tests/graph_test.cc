#include <gtest/gtest.h>

#include "tests/test_util.h"

namespace tessera {
namespace {

TEST(GraphTest, UniqueNamesAndScopes) {
  auto g = Graph::Create();
  Output a = ops::Const(*g, 1.0f, "a");
  Output a1 = ops::Const(*g, 2.0f, "a");
  Output a2 = ops::Const(*g, 3.0f, "a");
  EXPECT_EQ(a.node()->name(), "a");
  EXPECT_EQ(a1.node()->name(), "a_1");
  EXPECT_EQ(a2.node()->name(), "a_2");
  EXPECT_EQ(a.name(), "a:0");
  {
    auto s = g->NameScope("layer");
    Output c = ops::Add(*g, a, a1);
    EXPECT_EQ(c.node()->name(), "layer/Add");
    auto inner = g->NameScope("inner");
    EXPECT_EQ(ops::Neg(*g, c).node()->name(), "layer/inner/Neg");
  }
  {
    auto s = g->NameScope("layer");
    EXPECT_EQ(ops::Neg(*g, a).node()->name(), "layer_1/Neg");
    auto again = g->NameScope("layer/");  // TF: a name ending in "/" is that scope, as it is
    EXPECT_EQ(g->CurrentNameScope(), "layer");
    EXPECT_EQ(ops::Neg(*g, a).node()->name(), "layer/Neg");
    auto root = g->NameScope("");  // TF: "" is the root
    EXPECT_EQ(g->CurrentNameScope(), "");
    EXPECT_EQ(ops::Neg(*g, a).node()->name(), "Neg");
  }
  EXPECT_EQ(ops::Add(*g, a, a).node()->name(), "Add");
  // Unique regardless of case, as TF: after "mul", the default "Mul" is "Mul_1".
  EXPECT_EQ(ops::Mul(*g, a, a, "mul").node()->name(), "mul");
  EXPECT_EQ(ops::Mul(*g, a, a).node()->name(), "Mul_1");
  EXPECT_TRUE(g->FindOutput("a_1:0").ok());
  EXPECT_EQ(g->FindOutput("nope:0").status().code(), Code::kNotFound);
  EXPECT_EQ(g->FindOutput("a:3").status().code(), Code::kNotFound);
}

TEST(GraphTest, DeviceScopesMergeFieldByField) {
  auto g = Graph::Create();
  Output x;
  Output y;
  Output z;
  {
    auto outer = g->Device("/job:localhost");
    auto inner = g->Device("/device:GPU:0");
    x = ops::Const(*g, 1.0f);
    auto innermost = g->Device("/cpu:1");
    y = ops::Const(*g, 1.0f);
    auto cleared = g->Device(nullptr);
    z = ops::Const(*g, 1.0f);
  }
  EXPECT_EQ(x.node()->requested_device(), "/job:localhost/device:GPU:0");
  EXPECT_EQ(y.node()->requested_device(), "/job:localhost/device:CPU:1");
  EXPECT_EQ(z.node()->requested_device(), "");  // Device(nullptr) clears, as tf.device(None)
  EXPECT_EQ(ops::Const(*g, 1.0f).node()->requested_device(), "");
  { auto bad = g->Device("/gpu:zero"); }
  EXPECT_EQ(g->status().code(), Code::kInvalidArgument);
  EXPECT_NE(g->status().message().find("Malformed device specification '/gpu:zero'"), std::string::npos);
}

TEST(GraphTest, ControlDependenciesAndColocation) {
  auto g = Graph::Create();
  Output a = ops::Const(*g, 1.0f, "a");
  Operation n = ops::NoOp(*g, "n");
  Output b;
  {
    auto deps = g->ControlDependencies({n});
    b = ops::Neg(*g, a, "b");
  }
  ASSERT_EQ(b.node()->control_inputs().size(), 1u);
  EXPECT_EQ(b.node()->control_inputs()[0]->name(), "n");
  {
    auto d = g->Device("/gpu:0");
    auto c = g->ColocateWith(a);
    Output e = ops::Neg(*g, a, "e");
    EXPECT_EQ(e.node()->requested_device(), "");  // a's device (none): the /gpu:0 scope is ignored
    ASSERT_EQ(e.node()->colocate_with().size(), 1u);
    EXPECT_EQ(e.node()->colocate_with()[0], "a");
  }
}

TEST(GraphTest, ShapeFunctionsRejectBadInputsNamingTheOp) {
  auto g = Graph::Create();
  Output f = ops::Const(*g, Tensor::Vec<float>({1, 2}), "f");
  Output i = ops::Const(*g, Tensor::Vec<int32_t>({1, 2}), "i");
  Output bad = ops::Add(*g, f, i, "mixed");
  EXPECT_FALSE(bad.valid());
  EXPECT_EQ(g->status().code(), Code::kInvalidArgument);
  EXPECT_NE(g->status().message().find("'mixed' (op: 'AddV2')"), std::string::npos) << g->status();
  EXPECT_NE(g->status().message().find("int32"), std::string::npos);

  auto g2 = Graph::Create();
  Output m1 = ops::Const(*g2, Tensor::Matrix<float>({{1, 2, 3}}).value());
  Output m2 = ops::Const(*g2, Tensor::Matrix<float>({{1, 2}}).value());
  EXPECT_FALSE(ops::MatMul(*g2, m1, m2, false, false, "mm").valid());
  EXPECT_NE(g2->status().message().find("Dimensions must be equal, but are 3 and 1 for 'mm' (op: 'MatMul')"),
            std::string::npos)
      << g2->status();

  auto g3 = Graph::Create();
  Output v3 = ops::Const(*g3, Tensor::Vec<float>({1, 2, 3}));
  Output v2 = ops::Const(*g3, Tensor::Vec<float>({1, 2}));
  EXPECT_FALSE(ops::Add(*g3, v3, v2).valid());
  EXPECT_NE(g3->status().message().find("Dimensions must be equal, but are 3 and 2"), std::string::npos);

  auto g4 = Graph::Create();
  auto wrong_count = g4->AddNode(NodeSpec{"Add", "x", {ops::Const(*g4, 1.0f)}, {}, {}});
  EXPECT_EQ(wrong_count.status().code(), Code::kInvalidArgument);
  EXPECT_NE(wrong_count.status().message().find("Op 'Add' (node 'x') expects 2 input(s), got 1"), std::string::npos);
  EXPECT_EQ(g4->AddNode(NodeSpec{"Frobnicate", "y", {}, {}, {}}).status().code(), Code::kNotFound);
  // A later op on an invalid output says so.
  Output later = ops::Neg(*g, bad, "later");
  EXPECT_FALSE(later.valid());
}

TEST(GraphTest, ReshapeAndReductionShapesAtConstruction) {
  auto g = Graph::Create();
  Output x = ops::Const(*g, Tensor(DataType::kFloat, TensorShape{2, 3, 4}));
  EXPECT_EQ(ops::Reshape(*g, x, {6, -1}).shape(), PartialShape({6, 4}));
  EXPECT_EQ(ops::Sum(*g, x, {1}).shape(), PartialShape({2, 4}));
  EXPECT_EQ(ops::Sum(*g, x, {-1}, true).shape(), PartialShape({2, 3, 1}));
  EXPECT_EQ(ops::Transpose(*g, x).shape(), PartialShape({4, 3, 2}));
  EXPECT_EQ(ops::Concat(*g, {x, x}, 1).shape(), PartialShape({2, 6, 4}));
  EXPECT_EQ(ops::Slice(*g, x, {0, 1, 0}, {-1, 2, 3}).shape(), PartialShape({2, 2, 3}));
  EXPECT_EQ(ops::Shape(*g, x).shape(), PartialShape({3}));
  EXPECT_EQ(ops::ArgMax(*g, x, 2).shape(), PartialShape({2, 3}));
  EXPECT_TRUE(g->status().ok()) << g->status();
  EXPECT_FALSE(ops::Reshape(*g, x, {5, 5}).valid());
  EXPECT_NE(g->status().message().find("Cannot reshape a tensor with 24 elements to shape [5,5]"), std::string::npos);
  auto g2 = Graph::Create();
  EXPECT_FALSE(ops::Sum(*g2, ops::Const(*g2, Tensor::Vec<float>({1})), {3}).valid());
  EXPECT_NE(g2->status().message().find("Invalid reduction dimension 3 for input with 1 dimensions"),
            std::string::npos);
}

TEST(GraphTest, GraphOutlivesItsBuilderHandle) {
  std::unique_ptr<Session> sess;
  Output c;
  {
    auto g = Graph::Create();
    c = ops::Add(*g, ops::Const(*g, 1.0f), ops::Const(*g, 2.0f));
    sess = Session::Create(g).value();
  }  // the session keeps the graph alive
  auto out = sess->Run({}, {c});
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_EQ((*out)[0].scalar<float>().value(), 3.0f);
}

TEST(DeviceNameTest, ParseAndPrint) {
  struct Case {
    const char* spec;
    const char* canonical;
  };
  const Case cases[] = {
      {"/cpu:0", "/device:CPU:0"},
      {"/CPU:1", "/device:CPU:1"},
      {"/gpu:1", "/device:GPU:1"},
      {"/GPU:0", "/device:GPU:0"},
      {"/device:GPU:0", "/device:GPU:0"},
      {"/device:GPU", "/device:GPU:*"},
      {"/device:GPU:*", "/device:GPU:*"},
      {"/job:localhost/replica:0/task:0/device:CPU:0", "/job:localhost/replica:0/task:0/device:CPU:0"},
      {"/job:worker", "/job:worker"},
      {"/job:*/replica:*/task:*/device:*:*", ""},
      {"/", ""},
      {"", ""},
      {"gpu:0", "/device:GPU:0"},
  };
  for (const Case& c : cases) {
    auto d = DeviceName::Parse(c.spec);
    ASSERT_TRUE(d.ok()) << c.spec << ": " << d.status();
    EXPECT_EQ(d->ToString(), c.canonical) << c.spec;
  }
  for (const char* bad :
       {"/gpu:zero", "/device", "/job:1abc", "/foo:0", "/device:GPU:-1", "/cpu:0/blah", "/replica:x"}) {
    auto d = DeviceName::Parse(bad);
    EXPECT_EQ(d.status().code(), Code::kInvalidArgument) << bad;
    EXPECT_NE(d.status().message().find("Malformed device specification '" + std::string(bad) + "'"),
              std::string::npos);
  }
  EXPECT_EQ(DeviceName::Parse("/gpu:1")->ToShortString(), "/gpu:1");
}

TEST(DeviceNameTest, MatchAndMerge) {
  DeviceName gpu0 = DeviceName::Local(DeviceType::kGpu, 0);
  EXPECT_TRUE(gpu0.Matches(DeviceName::Parse("/gpu:0").value()));
  EXPECT_TRUE(gpu0.Matches(DeviceName::Parse("/device:GPU:*").value()));
  EXPECT_TRUE(gpu0.Matches(DeviceName::Parse("/job:localhost").value()));
  EXPECT_FALSE(gpu0.Matches(DeviceName::Parse("/gpu:1").value()));
  EXPECT_FALSE(gpu0.Matches(DeviceName::Parse("/job:worker").value()));
  DeviceName merged = DeviceName::Parse("/job:worker").value().MergedWith(DeviceName::Parse("/device:GPU:0").value());
  EXPECT_EQ(merged.ToString(), "/job:worker/device:GPU:0");
  auto conflict =
      DeviceName::MergeForColocation(DeviceName::Parse("/cpu:0").value(), DeviceName::Parse("/gpu:0").value(), false);
  EXPECT_EQ(conflict.status().message(),
            "Cannot merge devices with incompatible types: '/device:CPU:0' and '/device:GPU:0'");
  auto soft =
      DeviceName::MergeForColocation(DeviceName::Parse("/cpu:0").value(), DeviceName::Parse("/gpu:0").value(), true);
  ASSERT_TRUE(soft.ok());
  EXPECT_FALSE(soft->has_type);
  auto jobs =
      DeviceName::MergeForColocation(DeviceName::Parse("/job:a").value(), DeviceName::Parse("/job:b").value(), true);
  EXPECT_EQ(jobs.status().code(), Code::kInvalidArgument);
}

}  // namespace
}  // namespace tessera
