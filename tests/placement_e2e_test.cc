// Placement end to end on this machine (no GPU): soft fallbacks with their
// records and log lines, the error without soft placement, two CPUs.
#include <cstdlib>
#include <set>

#include "tests/test_util.h"
#include "tools/demo_graphs.h"

namespace tessera {
namespace {

constexpr const char* kCpu0 = "/job:localhost/replica:0/task:0/device:CPU:0";

struct Captured {
  std::vector<std::string> lines;
  SessionOptions Options(bool soft, bool log) {
    SessionOptions o;
    o.allow_soft_placement = soft;
    o.log_device_placement = log;
    o.log_sink = [this](std::string_view l) { lines.emplace_back(l); };
    return o;
  }
  bool Has(const std::string& s) const {
    for (const auto& l : lines) {
      if (l.find(s) != std::string::npos) return true;
    }
    return false;
  }
};

TEST(PlacementE2ETest, GpuRequestsFallBackToCpuUnderSoftPlacement) {
  auto g = Graph::Create();
  Output y;
  {
    auto dev = g->Device("/gpu:0");
    Output a = ops::Const(*g, Tensor::Vec<float>({1, 2}), "a");
    y = ops::Mul(*g, a, a, "y");
  }
  Captured log;
  auto sess = Session::Create(g, log.Options(true, true)).value();
  EXPECT_TRUE(log.Has("Device mapping: no known devices."));
  RunMetadata md;
  auto out = sess->Run(RunOptions(), {}, {y}, {}, &md);
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_EQ((*out)[0].DebugString(), "[1. 4.]");
  ASSERT_EQ(md.placement.size(), 2u);
  for (const PlacementRecord& r : md.placement) {
    EXPECT_EQ(r.assigned, kCpu0);
    EXPECT_EQ(r.requested, "/device:GPU:0");
    EXPECT_EQ(r.reason, PlacementReason::kSoftNoDevice);
    EXPECT_NE(r.detail.find("/device:GPU:0 does not exist"), std::string::npos);
    // The reason the device manager recorded: CUDA-less build, or no driver/GPU in a CUDA build.
    ASSERT_FALSE(sess->NoGpuReason().empty());
    EXPECT_NE(r.detail.find(sess->NoGpuReason()), std::string::npos) << r.detail;
  }
  // The device-level cause once, in the header; the node lines say "no GPU".
  EXPECT_TRUE(log.Has("No GPU: " + sess->NoGpuReason()));
  EXPECT_TRUE(log.Has(std::string("y: (Mul): ") + kCpu0 + "  [soft: /device:GPU:0 does not exist: no GPU]"));
  EXPECT_TRUE(log.Has(std::string("a: (Const): ") + kCpu0));
  EXPECT_TRUE(log.Has("Placement summary: 2 nodes; 2 on " + std::string(kCpu0)));
  EXPECT_TRUE(log.Has("  2 nodes asked for /device:GPU:0 and run on " + std::string(kCpu0) +
                      ": /device:GPU:0 does not exist: no GPU"));
  // The log gives each fallback with its reason: no warning line repeats it.
  EXPECT_FALSE(log.Has("W tessera]"));
  // Logged once, not on every step.
  const size_t n = log.lines.size();
  ASSERT_TRUE(sess->Run({}, {y}).ok());
  EXPECT_EQ(log.lines.size(), n);
  EXPECT_EQ(sess->PlacementRecords().size(), 2u);
  EXPECT_NE(PlacementRecordsToJson(sess->PlacementRecords()).find("\"reason\": \"soft_no_device\""), std::string::npos);
}

// The demo's graph (tools/demo_graphs.cc, run by examples/mlp_inference.cc:
// an MLP pinned to /gpu:0, soft placement, the log on): one line per node, a two-line header, a summary of
// a few lines, and no text repeated, the CUDA error included.
TEST(PlacementE2ETest, TheDemoLogIsOneLinePerNodeWithNothingRepeated) {
  demo::MlpGraph m = demo::BuildMlp();  // the graph examples/mlp_inference.cc runs
  const std::shared_ptr<Graph>& g = m.graph;
  Output x = m.x, probs = m.probs;
  Operation init = m.init;
  Captured log;
  auto sess = Session::Create(g, log.Options(true, true)).value();
  ASSERT_TRUE(sess->Run({}, {}, {init}).ok());
  ASSERT_TRUE(sess->Run({{x, Tensor(DataType::kFloat, TensorShape{2, 784})}}, {probs}).ok());
  const size_t nodes = static_cast<size_t>(g->num_nodes());
  size_t node_lines = 0;
  for (const std::string& l : log.lines) node_lines += l.find(": (") != std::string::npos;
  EXPECT_EQ(node_lines, nodes);
  EXPECT_LE(log.lines.size(), nodes + 2 + 3) << "header: device mapping and no-GPU cause; summary: a few lines";
  std::set<std::string> distinct(log.lines.begin(), log.lines.end());
  EXPECT_EQ(distinct.size(), log.lines.size()) << "a line printed twice";
  if (!sess->NoGpuReason().empty()) {  // on a machine with a GPU nothing falls back
    size_t cause = 0;
    for (const std::string& l : log.lines) cause += l.find(sess->NoGpuReason()) != std::string::npos;
    EXPECT_EQ(cause, 1u) << "the no-GPU cause is stated once";
  }
  for (const std::string& l : log.lines) EXPECT_EQ(l.rfind("W tessera]", 0), std::string::npos) << l;
}

TEST(PlacementE2ETest, WithTheLogOffFallbacksAreOneWarningPerSession) {
  auto g = Graph::Create();
  Output y;
  {
    auto dev = g->Device("/gpu:0");
    y = ops::Neg(*g, ops::Const(*g, 1.0f, "c"), "y");
  }
  Captured log;
  auto sess = Session::Create(g, log.Options(true, false)).value();
  ASSERT_TRUE(sess->Run({}, {y}).ok());
  ASSERT_EQ(log.lines.size(), 1u);
  EXPECT_EQ(
      log.lines[0].rfind("W tessera] Soft placement moved 2 nodes off the device they asked for, e.g. c (Const, " +
                             tessera::testing::SourceOf(*g, "c") + ") from /device:GPU:0 to " + std::string(kCpu0) +
                             ": /device:GPU:0 does not exist",
                         0),
      0u)
      << log.lines[0];
  EXPECT_NE(log.lines[0].find("Set log_device_placement to see each one and why."), std::string::npos);
  // More fallbacks later in the session (new nodes, other plans) add nothing.
  {
    auto dev = g->Device("/gpu:0");
    y = ops::Neg(*g, y, "z");
  }
  ASSERT_TRUE(sess->Run({}, {y}).ok());
  EXPECT_EQ(log.lines.size(), 1u);
}

TEST(PlacementE2ETest, TheMinLogLevelSilencesTheWarningInTheSinkToo) {
  auto g = Graph::Create();
  {
    auto dev = g->Device("/gpu:0");
    ops::Neg(*g, ops::Const(*g, 1.0f), "y");
  }
  Output y = g->FindOutput("y").value();
  auto warnings = [&](int level, const char* env) {
    if (env != nullptr) setenv("TESSERA_MIN_LOG_LEVEL", env, 1);
    Captured log;
    SessionOptions o = log.Options(true, false);
    o.min_log_level = level;
    auto sess = Session::Create(g, o).value();
    unsetenv("TESSERA_MIN_LOG_LEVEL");
    EXPECT_TRUE(sess->Run({}, {y}).ok());
    return log.lines.size();
  };
  EXPECT_EQ(warnings(-1, nullptr), 1u);  // default: warnings and up
  EXPECT_EQ(warnings(1, nullptr), 1u);
  EXPECT_EQ(warnings(2, nullptr), 0u);  // errors only
  EXPECT_EQ(warnings(-1, "2"), 0u);     // from the environment
  EXPECT_EQ(warnings(1, "2"), 1u);      // the option wins
  EXPECT_EQ(warnings(-1, "x"), 1u);     // not a level: the default
  SessionOptions bad;
  bad.min_log_level = 4;
  auto s = Session::Create(g, bad);
  EXPECT_EQ(s.status().code(), Code::kInvalidArgument);
  EXPECT_NE(s.status().message().find("min_log_level must be in [-1, 3]"), std::string::npos) << s.status();
  // The placement log is printed whenever it is asked for.
  Captured log;
  SessionOptions quiet = log.Options(true, true);
  quiet.min_log_level = 3;
  auto sess = Session::Create(g, quiet).value();
  ASSERT_TRUE(sess->Run({}, {y}).ok());
  EXPECT_TRUE(log.Has("y: (Neg)"));
}

// Structured records: the same messages with kind, level and the node's
// record, for a program that routes them (the text sink sees them too).
TEST(PlacementE2ETest, TheRecordSinkGetsKindLevelAndNodeOfEveryMessage) {
  auto g = Graph::Create();
  Output y;
  {
    auto dev = g->Device("/gpu:0");
    y = ops::Neg(*g, ops::Const(*g, 1.0f, "c"), "y");
  }
  struct Seen {
    LogRecord::Kind kind;
    int level;
    std::string text, node, reason;
  };
  for (bool log_on : {true, false}) {
    std::vector<Seen> seen;
    Captured text;
    SessionOptions o = text.Options(true, log_on);
    o.log_record_sink = [&seen](const LogRecord& r) {
      seen.push_back({r.kind, r.level, std::string(r.text), r.placement ? r.placement->node : "",
                      r.placement ? std::string(PlacementReasonName(r.placement->reason)) : ""});
    };
    auto sess = Session::Create(g, o).value();
    ASSERT_TRUE(sess->Run({}, {y}).ok());
    ASSERT_EQ(seen.size(), text.lines.size()) << "every message reaches both sinks";
    if (!log_on) {
      ASSERT_EQ(seen.size(), 1u);
      EXPECT_EQ(seen[0].kind, LogRecord::Kind::kSoftPlacementWarning);
      EXPECT_EQ(seen[0].level, 1);
      EXPECT_EQ(seen[0].node, "c");
      EXPECT_EQ(seen[0].reason, "soft_no_device");
      EXPECT_EQ("W tessera] " + seen[0].text, text.lines[0]) << "the record's text has no prefix";
      continue;
    }
    ASSERT_GE(seen.size(), 4u);
    EXPECT_EQ(seen[0].kind, LogRecord::Kind::kDeviceMapping);
    std::vector<std::string> nodes;
    for (size_t i = 0; i < seen.size(); ++i) {
      EXPECT_EQ(seen[i].level, 0);
      EXPECT_EQ(seen[i].text, text.lines[i]);
      if (seen[i].kind != LogRecord::Kind::kNodePlacement) continue;
      nodes.push_back(seen[i].node);
      EXPECT_EQ(seen[i].reason, "soft_no_device");
    }
    EXPECT_EQ(nodes, (std::vector<std::string>{"c", "y"}));
    EXPECT_EQ(seen.back().kind, LogRecord::Kind::kPlacementSummary);
  }
}

TEST(PlacementE2ETest, WithoutSoftPlacementTheRunFailsWithTfMessage) {
  auto g = Graph::Create();
  Output y;
  {
    auto dev = g->Device("/gpu:0");
    y = ops::Neg(*g, ops::Const(*g, 1.0f, "c"), "y");
  }
  auto sess = Session::Create(g).value();
  auto r = sess->Run({}, {y});
  EXPECT_EQ(r.status().code(), Code::kInvalidArgument);
  const std::string& m = r.status().message();
  EXPECT_NE(m.find("Cannot assign a device for operation c" + tessera::testing::DefinedAt(*g, "c") +
                   ": Could not satisfy explicit device specification "
                   "'/device:GPU:0' because no devices matching that specification are registered in this process"),
            std::string::npos)
      << m;
  EXPECT_NE(m.find("The same holds for 1 more node: y (" + tessera::testing::SourceOf(*g, "y") + ")."),
            std::string::npos)
      << m;  // every node, once
  EXPECT_EQ(m.find("Cannot assign a device for operation y:"), std::string::npos) << m;
  EXPECT_NE(m.find("Available devices: [ " + std::string(kCpu0) + " ]"), std::string::npos);
}

TEST(PlacementE2ETest, DeviceCountTwoCpusPlacesPinnedNodesOnCpu1) {
  auto g = Graph::Create();
  Output y;
  {
    auto dev = g->Device("/cpu:1");
    y = ops::Add(*g, ops::Const(*g, 1.0f), ops::Const(*g, 2.0f), "y");
  }
  Captured log;
  SessionOptions o = log.Options(false, true);
  o.device_count = {{"CPU", 2}};
  auto sess = Session::Create(g, o).value();
  ASSERT_TRUE(sess->Run({}, {y}).ok());
  EXPECT_TRUE(log.Has("y: (AddV2): /job:localhost/replica:0/task:0/device:CPU:1"));
  // /cpu:1 on a one-CPU session is a missing device.
  auto one = Session::Create(g).value();
  EXPECT_NE(one->Run({}, {y}).status().message().find("'/device:CPU:1' because no devices matching"),
            std::string::npos);
}

TEST(PlacementE2ETest, BadDeviceOptions) {
  auto g = Graph::Create();
  SessionOptions o;
  o.gpu_options.visible_device_list = "0,x";
  auto s = Session::Create(g, o);
  EXPECT_EQ(s.status().code(), Code::kInvalidArgument);
  EXPECT_EQ(s.status().message(), "Could not parse entry in 'visible_device_list': 'x'. visible_device_list = 0,x");
  o.gpu_options.visible_device_list = "1,1";
  EXPECT_EQ(Session::Create(g, o).status().message(), "visible_device_list contained a duplicate entry: 1,1");
  SessionOptions c;
  c.device_count = {{"CPU", 0}};
  EXPECT_EQ(Session::Create(g, c).status().code(), Code::kInvalidArgument);
  SessionOptions t;
  t.device_count = {{"TPU", 1}};
  EXPECT_EQ(Session::Create(g, t).status().code(), Code::kInvalidArgument);
}

}  // namespace
}  // namespace tessera
