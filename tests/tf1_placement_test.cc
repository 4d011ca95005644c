// Issue 10 item 2: a session places the whole graph once, as TensorFlow 1.x
// does (TF 2.21, tf.compat.v1 graph mode), and place_pruned_graph keeps
// per-plan placement.
#include <gtest/gtest.h>
#include <tessera/tessera.h>

#include <string>
#include <vector>

#include "tests/test_util.h"

namespace tessera {
namespace {

constexpr const char* kCpu0 = "/job:localhost/replica:0/task:0/device:CPU:0";
constexpr const char* kCpu1 = "/job:localhost/replica:0/task:0/device:CPU:1";

struct PlacementLog {
  std::vector<std::string> lines;
  SessionOptions Options(bool pruned = false) {
    SessionOptions o;
    o.log_device_placement = true;
    o.place_pruned_graph = pruned;
    o.log_sink = [this](std::string_view l) {
      if (l.find(": (") != std::string_view::npos) lines.emplace_back(l);
    };
    return o;
  }
  // The node names of the per-node lines logged since `from`.
  std::vector<std::string> NodesSince(size_t from) const {
    std::vector<std::string> names;
    for (size_t i = from; i < lines.size(); ++i) names.push_back(lines[i].substr(0, lines[i].find(": (")));
    return names;
  }
};

TEST(Tf1Placement, TheFirstRunPlacesAndLogsEveryNodeOnce) {
  auto g = Graph::Create();
  Output x = ops::Placeholder(*g, DataType::kFloat, PartialShape(), "x");
  Output y = ops::Neg(*g, x, "y");
  Output c = ops::Const(*g, 2.0f, "c");
  Output unused = ops::Mul(*g, c, c, "unused");
  PlacementLog log;
  auto sess = Session::Create(g, log.Options()).value();
  auto r = sess->Run({{x, Tensor::Scalar(3.0f)}}, {y});
  ASSERT_TRUE(r.ok()) << r.status();
  // TF logs the fed placeholder and the nodes this fetch does not need.
  EXPECT_EQ(log.NodesSince(0), (std::vector<std::string>{"x", "y", "c", "unused"}));
  EXPECT_EQ(log.lines[0], std::string("x: (Placeholder): ") + kCpu0);
  // Other fetch patterns log nothing more.
  ASSERT_TRUE(sess->Run({}, {c, unused}).ok());
  ASSERT_TRUE(sess->Run({{x, Tensor::Scalar(1.0f)}}, {y, unused}).ok());
  EXPECT_EQ(log.lines.size(), 4u);
  std::vector<PlacementRecord> records = sess->PlacementRecords();
  ASSERT_EQ(records.size(), 4u);
  EXPECT_EQ(records[3].node, "unused");
  EXPECT_EQ(records[3].assigned, kCpu0);
}

TEST(Tf1Placement, PlacePrunedGraphPlacesAndLogsEachPlan) {
  auto g = Graph::Create();
  Output x = ops::Placeholder(*g, DataType::kFloat, PartialShape(), "x");
  Output y = ops::Neg(*g, x, "y");
  Output c = ops::Const(*g, 2.0f, "c");
  PlacementLog log;
  auto sess = Session::Create(g, log.Options(/*pruned=*/true)).value();
  ASSERT_TRUE(sess->Run({{x, Tensor::Scalar(3.0f)}}, {y}).ok());
  EXPECT_EQ(log.NodesSince(0), (std::vector<std::string>{"y"}));  // the fed placeholder is not run
  ASSERT_TRUE(sess->Run({}, {c}).ok());
  EXPECT_EQ(log.NodesSince(1), (std::vector<std::string>{"c"}));
  EXPECT_EQ(sess->PlacementRecords().size(), 1u);  // the last plan's
}

TEST(Tf1Placement, AnUnplaceableNodeFailsEveryRunEvenWhenNotFetched) {
  auto g = Graph::Create();
  Output a = ops::Const(*g, 1.0f, "a");
  Output ok = ops::Neg(*g, a, "ok");
  {
    auto dev = g->Device("/gpu:0");
    ops::Neg(*g, a, "pinned");
  }
  auto sess = Session::Create(g).value();
  for (int i = 0; i < 2; ++i) {
    auto r = sess->Run({}, {ok});
    EXPECT_EQ(r.status().code(), Code::kInvalidArgument);
    EXPECT_NE(r.status().message().find("Cannot assign a device for operation pinned" +
                                        tessera::testing::DefinedAt(*g, "pinned") +
                                        ": Could not satisfy explicit "
                                        "device specification '/device:GPU:0'"),
              std::string::npos)
        << r.status();
  }
  // TF's place_pruned_graph places only what a fetch needs.
  SessionOptions pruned;
  pruned.place_pruned_graph = true;
  auto p = Session::Create(g, pruned).value();
  auto r = p->Run({}, {ok});
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ((*r)[0].scalar<float>().value(), -1.0f);
  // With soft placement it runs on the CPU.
  SessionOptions soft;
  soft.allow_soft_placement = true;
  EXPECT_TRUE(Session::Create(g, soft).value()->Run({}, {ok}).ok());
}

TEST(Tf1Placement, AGrowingGraphPlacesAndLogsOnlyItsNewNodes) {
  auto g = Graph::Create();
  Output c = ops::Const(*g, 2.0f, "c");
  PlacementLog log;
  SessionOptions o = log.Options();
  o.device_count = {{"CPU", 2}};
  auto sess = Session::Create(g, o).value();
  ASSERT_TRUE(sess->Run({}, {c}).ok());
  EXPECT_EQ(log.lines, (std::vector<std::string>{std::string("c: (Const): ") + kCpu0}));
  Output y;
  {
    // Placed afresh, c would follow its only consumer to CPU:1; it keeps CPU:0.
    auto dev = g->Device("/cpu:1");
    y = ops::Neg(*g, c, "y");
  }
  auto r = sess->Run({}, {y});
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ((*r)[0].scalar<float>().value(), -2.0f);
  EXPECT_EQ(log.NodesSince(1), (std::vector<std::string>{"y"}));
  std::vector<PlacementRecord> records = sess->PlacementRecords();
  ASSERT_EQ(records.size(), 2u);
  EXPECT_EQ(records[0].assigned, kCpu0);
  EXPECT_EQ(records[1].assigned, kCpu1);
  // A node added later that cannot be placed fails the plans built before it too.
  {
    auto dev = g->Device("/gpu:0");
    ops::Neg(*g, c, "late");
  }
  auto bad = sess->Run({}, {c});
  EXPECT_NE(bad.status().message().find("Cannot assign a device for operation late" +
                                        tessera::testing::DefinedAt(*g, "late") + ":"),
            std::string::npos)
      << bad.status();
  EXPECT_EQ(log.lines.size(), 2u);
}

}  // namespace
}  // namespace tessera
