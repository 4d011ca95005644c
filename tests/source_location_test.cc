// Where each node came from: the line of user code that called the builder,
// in the node, its placement record, the placement log, the JSON, and the
// errors of graph building, placement and kernels.
#include <string>
#include <vector>

#include "tests/test_util.h"

namespace tessera {
namespace {

constexpr const char* kFile = "source_location_test.cc";

std::string Here(int line) { return std::string(kFile) + ":" + std::to_string(line); }

std::string Src(const Graph& g, std::string_view name) { return testing::SourceOf(g, name); }

// A user's helper: its nodes carry the helper's lines, not its caller's.
Output Dense(Graph& g, Output x, int* line) {
  *line = __LINE__ + 1;
  return ops::Relu(g, ops::MatMul(g, x, ops::Const(g, Tensor(DataType::kFloat, TensorShape{2, 2}), "w")), "dense");
}

TEST(SourceLocationTest, EveryNodeRecordsTheLineThatCalledItsBuilder) {
  auto g = Graph::Create();
  const int l1 = __LINE__ + 1;
  Output x = ops::Placeholder(*g, DataType::kFloat, PartialShape{-1, 2}, "x");
  const int l2 = __LINE__ + 1;
  Output y = ops::Neg(*g, x);  // default name
  const std::string name = "named";
  const int l3 = __LINE__ + 1;
  ops::Square(*g, y, name);  // a std::string name
  EXPECT_EQ(Src(*g, "x"), Here(l1));
  EXPECT_EQ(Src(*g, "Neg"), Here(l2));
  EXPECT_EQ(Src(*g, "named"), Here(l3));
  const Node* node = g->FindOperation("x")->node();
  EXPECT_NE(std::string(node->source().file).find("tests/source_location_test.cc"), std::string::npos)
      << "the file as the compiler saw it";
  EXPECT_EQ(node->source().line, l1);
  EXPECT_EQ(node->DefinedAt(), " (defined at " + Here(l1) + ")");
}

TEST(SourceLocationTest, NodesABuilderAddsForItselfCarryTheCallersLine) {
  auto g = Graph::Create();
  const int l1 = __LINE__ + 1;
  Variable v(*g, ops::RandomNormal(*g, {2, 2}, DataType::kFloat, 0.0, 1.0, 3), "v");
  for (const char* n : {"random_normal/shape", "random_normal/mul", "random_normal", "v", "v/Assign", "v/read"}) {
    EXPECT_EQ(Src(*g, n), Here(l1)) << n;
  }
  const int l2 = __LINE__ + 1;
  Operation init = GlobalVariablesInitializer(*g);
  EXPECT_EQ(Src(*g, init.name()), Here(l2));
  // Nested calls on one line, and a helper called as an argument of another builder.
  int dense_line = 0;
  Output x = ops::Placeholder(*g, DataType::kFloat, PartialShape{-1, 2}, "x");
  const int l3 = __LINE__ + 1;
  Output out = ops::Add(*g, Dense(*g, x, &dense_line), x, "out");
  EXPECT_EQ(Src(*g, "out"), Here(l3));
  EXPECT_EQ(Src(*g, "dense"), Here(dense_line));
  EXPECT_EQ(Src(*g, "MatMul"), Here(dense_line));
  EXPECT_EQ(Src(*g, "w"), Here(dense_line));
}

TEST(SourceLocationTest, RecordsLogJsonAndErrorsShowIt) {
  auto g = Graph::Create();
  Output y;
  int line = 0;
  {
    auto dev = g->Device("/gpu:0");
    line = __LINE__ + 1;
    y = ops::Neg(*g, ops::Const(*g, 1.0f, "c"), "y");
  }
  std::vector<std::string> log;
  SessionOptions o;
  o.allow_soft_placement = true;
  o.log_device_placement = true;
  o.log_sink = [&log](std::string_view l) { log.emplace_back(l); };
  auto sess = Session::Create(g, o).value();
  ASSERT_TRUE(sess->Run({}, {y}).ok());
  std::vector<PlacementRecord> records = sess->PlacementRecords();
  ASSERT_EQ(records.size(), 2u);
  EXPECT_EQ(records[1].source, Here(line));
  EXPECT_NE(PlacementRecordsToJson(records).find("\"source\": \"" + Here(line) + "\""), std::string::npos);
  bool logged = false;
  for (const std::string& l : log) {
    if (l.rfind("y: (Neg): ", 0) == 0) {
      logged = true;
      EXPECT_EQ(l.substr(l.size() - Here(line).size() - 2), "(" + Here(line) + ")") << l;
    }
  }
  EXPECT_TRUE(logged);

  // A kernel error names the node and the line.
  const int l2 = __LINE__ + 1;
  Output bad = ops::Reshape(*g, ops::Placeholder(*g, DataType::kFloat, PartialShape::UnknownRank(), "p"), {3}, "bad");
  auto r = sess->Run({{g->FindOutput("p:0").value(), Tensor::Vec<float>({1, 2})}}, {bad});
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("[[{{node bad}} (defined at " + Here(l2) + ")]]"), std::string::npos)
      << r.status();

  // A graph-building error ends with the line that made the bad node.
  const int l3 = __LINE__ + 1;
  Output mismatch = ops::MatMul(*g, ops::Const(*g, Tensor::Vec<float>({1, 2})), ops::Const(*g, 1.0f));
  EXPECT_FALSE(mismatch.valid());
  const std::string msg = g->status().message();
  EXPECT_EQ(msg.substr(msg.size() - Here(l3).size() - 14), " (defined at " + Here(l3) + ")") << msg;
}

TEST(SourceLocationTest, AFrontEndMayGiveTheLocationWithoutOneItIsUnknown) {
  auto g = Graph::Create();
  NodeSpec spec;
  spec.op = "NoOp";
  spec.name = "raw";
  spec.source = SourceLocation{"model.py", 12};  // a front end that knows better (Python)
  ASSERT_TRUE(g->AddNode(spec).ok());
  EXPECT_EQ(Src(*g, "raw"), "model.py:12");
  spec.name = "raw2";
  spec.source = SourceLocation();
  ASSERT_TRUE(g->AddNode(spec).ok());  // no Name on the stack: nothing to say
  EXPECT_EQ(Src(*g, "raw2"), "");
  EXPECT_EQ(g->FindOperation("raw2")->node()->DefinedAt(), "");
  EXPECT_EQ(SourceLocation().ToString(), "");
}

}  // namespace
}  // namespace tessera
