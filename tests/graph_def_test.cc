// GraphDef export and import: every op of the conformance suite survives the
// round trip (same values), import options (prefix, input_map, devices),
// every bad file a user meets, and graphs TensorFlow wrote
// (tests/data/tf_graphs, made by tools/tf_graph_fixtures.py).
#include <gmock/gmock.h>

#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "tests/test_util.h"
#include "tools/conformance.h"

namespace tessera {
namespace {

using ::testing::HasSubstr;

// Runs `fetch` (by name) in a fresh session on `g`.
StatusOr<Tensor> RunByName(const std::shared_ptr<Graph>& g, const std::string& fetch,
                           const Session::NamedFeedList& feeds = {}) {
  TESSERA_ASSIGN_OR_RETURN(auto sess, Session::Create(g));
  std::vector<Tensor> out;
  TESSERA_RETURN_IF_ERROR(sess->Run(feeds, {fetch}, {}, &out));
  return out[0];
}

TEST(GraphDef, EveryConformanceCaseRoundTrips) {
  int checked = 0;
  for (const conformance::OpCase& c : conformance::AllCases()) {
    auto g = Graph::Create();
    std::vector<Output> inputs;
    for (const Tensor& t : c.inputs) inputs.push_back(ops::Const(*g, t));
    Output out = c.build(*g, inputs);
    ASSERT_TRUE(g->status().ok()) << c.name << ": " << g->status();
    for (GraphDefFormat format : {GraphDefFormat::kBinary, GraphDefFormat::kText}) {
      auto bytes = ExportGraphDef(*g, format);
      ASSERT_TRUE(bytes.ok()) << c.name << ": " << bytes.status();
      auto g2 = Graph::Create();
      auto imported = ImportGraphDef(*g2, *bytes, {}, format);
      ASSERT_TRUE(imported.ok()) << c.name << ": " << imported.status();
      ASSERT_EQ(g2->num_nodes(), g->num_nodes()) << c.name;
      // The same GraphDef again: export is deterministic.
      EXPECT_EQ(*ExportGraphDef(*g2, format), *bytes) << c.name;
      if (!c.expected_error.empty()) continue;
      StatusOr<Tensor> want = RunByName(g, out.name());
      StatusOr<Tensor> got = RunByName(g2, out.name());
      ASSERT_TRUE(want.ok() && got.ok()) << c.name << ": " << want.status() << " / " << got.status();
      EXPECT_EQ(got->DebugString(), want->DebugString()) << c.name;
    }
    ++checked;
  }
  EXPECT_GT(checked, 150);
}

// x (placeholder) -> h = Relu(MatMul(x, w) + b), on /gpu:0, colocated with w.
std::shared_ptr<Graph> SmallModel() {
  auto g = Graph::Create();
  Output x = ops::Placeholder(*g, DataType::kFloat, PartialShape({-1, 2}), "x");
  auto dev = g->Device("/gpu:0");
  Output w = ops::Const(*g, *Tensor::Matrix<float>({{1, -1}, {2, 0.5f}}), "w");
  Output b = ops::Const(*g, Tensor::Vec<float>({0.5f, -4}), "b");
  Output h = ops::Relu(*g, ops::BiasAdd(*g, ops::MatMul(*g, x, w, false, false, "mm"), b, "add"), "h");
  (void)h;
  return g;
}

TEST(GraphDef, ImportOptions) {
  auto model = SmallModel();
  auto bytes = ExportGraphDef(*model);
  ASSERT_TRUE(bytes.ok()) << bytes.status();
  EXPECT_EQ(*model->ToGraphDef(), *bytes);
  auto g = Graph::Create();
  Output mine = ops::Const(*g, *Tensor::Matrix<float>({{1, 1}}), "mine");
  ImportGraphDefOptions o;
  o.prefix = "net";
  o.input_map["x:0"] = mine;
  o.devices = ImportGraphDefOptions::Devices::kClear;
  auto r = ImportGraphDef(*g, *bytes, o);
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(r->by_name.at("h").name(), "net/h");
  EXPECT_EQ(r->by_name.at("mm").node()->inputs()[0], mine);
  EXPECT_EQ(r->by_name.at("mm").node()->requested_device(), "");
  auto h = RunByName(g, "net/h");
  ASSERT_TRUE(h.ok()) << h.status();
  EXPECT_EQ(h->DebugString(), "[[3.5 0. ]]");
  // Kept, and rewritten.
  auto g2 = Graph::Create();
  ASSERT_TRUE(ImportGraphDef(*g2, *bytes).ok());
  EXPECT_EQ((*g2->FindOperation("mm")).node()->requested_device(), "/device:GPU:0");
  auto g3 = Graph::Create();
  ImportGraphDefOptions rewrite;
  rewrite.device_rewrites["/device:GPU:0"] = "/device:CPU:0";
  ASSERT_TRUE(ImportGraphDef(*g3, *bytes, rewrite).ok());
  EXPECT_EQ((*g3->FindOperation("mm")).node()->requested_device(), "/device:CPU:0");
  // The same names again need a prefix.
  Status again = ImportGraphDef(*g2, *bytes).status();
  EXPECT_EQ(again.code(), Code::kInvalidArgument);
  EXPECT_THAT(again.message(), HasSubstr("the graph already has a node 'x'"));
}

TEST(GraphDef, BadFilesAreClearErrors) {
  auto g = Graph::Create();
  auto import = [&](const std::string& text) { return ImportGraphDef(*g, text, {}, GraphDefFormat::kText).status(); };
  Status s = import(
      "node { name: 'a' op: 'Matmul' } node { name: 'b' op: 'Frobnicate' } node { name: 'c' op: "
      "'Matmul' }");
  EXPECT_EQ(s.code(), Code::kNotFound);
  EXPECT_EQ(s.message(),
            "The GraphDef uses 2 op types tessera does not have:\n"
            "  'Frobnicate' (node 'b')\n"
            "  'Matmul' (nodes 'a', 'c'); the closest tessera op is 'MatMul'");
  s = import("node { name: 'a' op: 'Identity' input: 'nowhere:0' }");
  EXPECT_EQ(s.message(), "Node 'a': Unknown input node 'nowhere:0'");
  s = import("node { name: 'a' op: 'Identity' input: 'b' } node { name: 'b' op: 'Identity' input: 'a' }");
  EXPECT_THAT(s.message(), HasSubstr("The GraphDef has a cycle through node 'a'"));
  s = import("node { name: 'a' op: 'NoOp' } node { name: 'b' op: 'Identity' input: 'a:9z999999' }");
  EXPECT_EQ(s.message(), "Node 'b': malformed input 'a:9z999999'");
  s = import("node { name: 'a' op: 'NoOp' } node { name: 'a' op: 'NoOp' }");
  EXPECT_EQ(s.message(), "Node 'a' appears twice in the GraphDef");
  s = import("node { name: 'a' op: 'NoOp' } node { name: 'b' op: 'Identity' input: 'a:3' }");
  EXPECT_EQ(s.message(), "Node 'b': input 'a:3' names output 3 of 'a', which has 0 outputs");
  s = import(
      "node { name: 'a' op: 'Const' attr { key: 'value' value { tensor { dtype: DT_FLOAT tensor_shape { dim "
      "{ size: 2 } } tensor_content: 'abc' } } } }");
  EXPECT_EQ(s.message(), "Node 'a', attr 'value': tensor_content has 3 bytes, but a float tensor of shape [2] needs 8");
  s = import("node { name: 'a' op: 'Const' attr { key: 'value' value { tensor { dtype: DT_COMPLEX64 } } } }");
  EXPECT_EQ(s.code(), Code::kUnimplemented);
  EXPECT_THAT(s.message(), HasSubstr("has dtype DT_COMPLEX64, which tessera does not support"));
  s = import("node { name: 'a' op: 'NoOp' ");
  EXPECT_EQ(s.code(), Code::kInvalidArgument);
  EXPECT_THAT(s.message(), HasSubstr("The GraphDef text does not parse: line 1"));
  s = ImportGraphDef(*g, std::string("\xff\xff\xff", 3)).status();
  EXPECT_THAT(s.message(), HasSubstr("The GraphDef does not parse"));
  ImportGraphDefOptions o;
  o.input_map["missing:0"] = ops::Const(*g, 1.0f);
  s = ImportGraphDef(*g, "node { name: 'a' op: 'NoOp' }", o, GraphDefFormat::kText).status();
  EXPECT_EQ(s.message(), "Attempted to map inputs that were not found in graph_def: [missing:0]");
  // An attribute of the wrong kind.
  s = import(
      "node { name: 'p' op: 'Placeholder' attr { key: 'dtype' value { type: DT_FLOAT } } } "
      "node { name: 'm' op: 'MatMul' input: 'p' input: 'p' attr { key: 'transpose_a' value { i: 3 } } }");
  EXPECT_EQ(s.message(), "Node 'm', attr 'transpose_a': TensorFlow's op takes bool, the file has int");
  // Nothing of the files that failed their checks: the Const made above, and
  // 'a' of the file whose 'b' named an output 'a' turned out not to have.
  EXPECT_EQ(g->num_nodes(), 2);
  // A shape function's error names the node; the nodes before it stay, as in TF.
  s = import(
      "node { name: 'p' op: 'Placeholder' attr { key: 'dtype' value { type: DT_FLOAT } } } "
      "node { name: 'm' op: 'MatMul' input: 'p' input: 'p' attr { key: 'T' value { type: DT_INT32 } } } "
      "node { name: 'q' op: 'Const' attr { key: 'value' value { tensor { dtype: DT_FLOAT tensor_shape { dim "
      "{ size: 3 } } float_val: 1 float_val: 2 } } } } "
      "node { name: 'r' op: 'MatMul' input: 'q' input: 'q' }");
  EXPECT_EQ(s.code(), Code::kInvalidArgument);
  EXPECT_THAT(s.message(), HasSubstr("'r'"));
}

}  // namespace
}  // namespace tessera

namespace tessera {
namespace {

Status WriteValues(const std::string& path, const Tensor& t) {
  std::ofstream f(path);
  const char* names[] = {"invalid", "float32", "float64", "int32", "int64", "bool"};
  if (static_cast<size_t>(t.dtype()) >= std::size(names)) return InvalidArgumentError("dtype");
  f << names[static_cast<size_t>(t.dtype())];
  for (int i = 0; i < t.rank(); ++i) f << " " << t.dim(i);
  f << "\n";
  f.precision(17);
  auto write = [&]<typename T>() {
    for (T v : t.flat<T>()) f << +v << "\n";
  };
  switch (t.dtype()) {
    case DataType::kFloat:
      write.operator()<float>();
      break;
    case DataType::kDouble:
      write.operator()<double>();
      break;
    case DataType::kInt32:
      write.operator()<int32_t>();
      break;
    case DataType::kInt64:
      write.operator()<int64_t>();
      break;
    case DataType::kBool:
      write.operator()<bool>();
      break;
    default:
      break;
  }
  return Status::OK();
}

TEST(TensorFlowGraphs, FrozenGraphsReproduceTensorFlowsOutputs) {
  const std::string dir = std::string(TESSERA_TEST_DATA_DIR) + "/tf_graphs/";
  for (const char* name : {"frozen_mlp", "frozen_cnn"}) {
    SCOPED_TRACE(name);
    auto g = Graph::Create();
    ImportGraphDefOptions o;
    o.devices = ImportGraphDefOptions::Devices::kClear;  // the MLP's nodes are pinned to /gpu:0
    auto r = ImportGraphDefFile(*g, dir + name + ".pb", o);
    ASSERT_TRUE(r.ok()) << r.status();
    auto x = testing::ReadValuesFile(dir + name + ".x");
    auto want = testing::ReadValuesFile(dir + name + ".expected");
    ASSERT_TRUE(x.ok() && want.ok());
    std::ifstream fetch_file(dir + name + ".fetch");
    std::string fetch;
    fetch_file >> fetch;
    auto got = RunByName(g, fetch, {{"x:0", *x}});
    ASSERT_TRUE(got.ok()) << got.status();
    ASSERT_EQ(got->shape(), want->shape());
    for (int64_t i = 0; i < want->num_elements(); ++i) {
      const float a = got->flat<float>()[static_cast<size_t>(i)], b = want->flat<float>()[static_cast<size_t>(i)];
      EXPECT_LE(std::fabs(a - b), 1e-6f * std::fabs(b) + 1e-9f) << i << ": " << a << " vs TF's " << b;
    }
  }
  // Kept, the MLP's pins name the GPU; rewritten, the CPU.
  auto kept = Graph::Create();
  ASSERT_TRUE(ImportGraphDefFile(*kept, dir + "frozen_mlp.pb").ok());
  EXPECT_EQ((*kept->FindOperation("dense/Relu")).node()->requested_device(), "/device:GPU:0");
  EXPECT_EQ((*kept->FindOperation("x")).node()->requested_device(), "");
}

TEST(TensorFlowGraphs, TensorFlowImportsAndRunsEveryGraphExportedHere) {
  const char* python = std::getenv("TESSERA_TF_PYTHON");
  if (python == nullptr || *python == '\0') {
    GTEST_SKIP() << "TensorFlow is not installed here: set TESSERA_TF_PYTHON to a Python with tensorflow-cpu "
                    "(CI does) to check that TF imports tessera's GraphDefs";
  }
  testing::ScratchDir scratch;
  const std::string& tmpl = scratch.path();
  int exported = 0;
  for (const conformance::OpCase& c : conformance::AllCases()) {
    // Not TF ops: InitializedValue (TF builds a cond); errors only: Placeholder.
    if (!c.expected_error.empty() || c.name.rfind("InitializedValue", 0) == 0) continue;
    // TF's CPU computes double convolution gradients on its Eigen path, which
    // refuses NCHW at run time (the import itself succeeds).
    if (c.name.find("Backprop") != std::string::npos && c.name.find("NCHW/f64") != std::string::npos) continue;
    auto g = Graph::Create();
    std::vector<Output> inputs;
    for (const Tensor& t : c.inputs) inputs.push_back(ops::Const(*g, t));
    Output out = c.build(*g, inputs);
    StatusOr<Tensor> value = RunByName(g, out.name());
    ASSERT_TRUE(value.ok()) << c.name << ": " << value.status();
    std::string base = tmpl + "/" + c.name;
    std::replace(base.begin() + static_cast<std::ptrdiff_t>(tmpl.size()) + 1, base.end(), '/', '_');
    ASSERT_TRUE(WriteGraphDef(*g, base + ".pb").ok());
    ASSERT_TRUE(WriteValues(base + ".expected", *value).ok());
    std::ofstream(base + ".fetch") << out.name() << "\n";
    ++exported;
  }
  const std::string script = std::string(TESSERA_TEST_DATA_DIR) + "/../../tools/tf_graph_fixtures.py";
  const std::string cmd = std::string(python) + " " + script + " verify " + tmpl + " 2>&1";
  FILE* p = ::popen(cmd.c_str(), "r");
  ASSERT_NE(p, nullptr);
  std::string log;
  char buf[512];
  while (std::fgets(buf, sizeof(buf), p) != nullptr) log += buf;
  EXPECT_EQ(::pclose(p), 0) << log;
  EXPECT_THAT(log, HasSubstr("imported and ran " + std::to_string(exported) + " of " + std::to_string(exported)))
      << log;
}

}  // namespace
}  // namespace tessera
