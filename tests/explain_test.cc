// ExplainPlacement, tessera-explain's engine, and the DOT picture: the
// placer's decisions for a machine described in code (2 GPUs on this
// CPU-only machine), coverage, copies with bytes, and a picture Graphviz
// renders.
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "src/framework/kernel_registry.h"
#include "tests/test_util.h"
#include "tools/demo_graphs.h"

namespace tessera {
namespace {

constexpr const char* kCpu0 = "/job:localhost/replica:0/task:0/device:CPU:0";
constexpr const char* kGpu0 = "/job:localhost/replica:0/task:0/device:GPU:0";

// Whether this build registers GPU kernels (the CUDA backend is built).
bool BuildHasGpuKernels() {
  for (const auto& [op, type] : KernelRegistry::Global().Keys()) {
    if (op == "MatMul" && type == DeviceType::kGpu) return true;
  }
  return false;
}

const PlacementRecord& Rec(const PlacementExplanation& e, const std::string& node) {
  for (const PlacementRecord& r : e.records) {
    if (r.node == node) return r;
  }
  static PlacementRecord none;
  ADD_FAILURE() << "no record for " << node;
  return none;
}

TEST(ExplainTest, TheDemoMlpOnTwoGpusOfAMachineThatHasNone) {
  demo::MlpGraph m = demo::BuildMlp();
  ExplainOptions o;
  o.num_gpus = 2;
  o.allow_soft_placement = true;
  o.unknown_dim = 64;
  StatusOr<PlacementExplanation> e = ExplainPlacement(*m.graph, o);
  ASSERT_TRUE(e.ok()) << e.status();
  EXPECT_EQ(e->machine, "1 CPU, 2 GPUs");
  ASSERT_EQ(e->records.size(), static_cast<size_t>(m.graph->num_nodes()));
  ASSERT_EQ(e->devices.size(), 3u);
  // 2 * 64 * 784 * 256 + 2 * 64 * 256 * 10 for the MatMuls, plus elementwise work.
  EXPECT_GT(e->total_flops, 2 * 64 * 784 * 256 + 2 * 64 * 256 * 10);
  EXPECT_LT(e->total_flops, 2 * (2 * 64 * 784 * 256 + 2 * 64 * 256 * 10));
  int nodes = 0;
  int64_t flops = 0;
  for (const DeviceShare& d : e->devices) {
    nodes += d.nodes;
    flops += d.flops;
  }
  EXPECT_EQ(nodes, m.graph->num_nodes());
  EXPECT_EQ(flops, e->total_flops);
  EXPECT_EQ(e->devices[2].nodes, 0) << "nothing asks for GPU:1 or defaults to it";
  if (!BuildHasGpuKernels()) {
    // Without the CUDA backend no op has a GPU kernel: everything falls back.
    EXPECT_EQ(Rec(*e, "mlp/MatMul").assigned, kCpu0);
    EXPECT_EQ(Rec(*e, "mlp/MatMul").reason, PlacementReason::kSoftNoKernel);
    EXPECT_EQ(e->no_kernel.at("GPU").at("MatMul"), 2);
    return;
  }
  EXPECT_EQ(Rec(*e, "mlp/MatMul").assigned, kGpu0);
  EXPECT_EQ(Rec(*e, "mlp/MatMul").reason, PlacementReason::kRequested);
  EXPECT_EQ(Rec(*e, "probs").assigned, kGpu0);  // default priority: GPU before CPU
  EXPECT_EQ(e->devices[1].device, kGpu0);
  EXPECT_EQ(e->devices[1].flops, e->total_flops);
  EXPECT_TRUE(e->no_kernel.empty());
  const std::string table = e->ToTable();
  EXPECT_NE(table.find("Placement of 40 nodes on 1 CPU, 2 GPUs:"), std::string::npos) << table;
  EXPECT_NE(table.find("  mlp/MatMul  "), std::string::npos) << table;
  EXPECT_NE(table.find("GPU:0      40 nodes (100.0%)"), std::string::npos) << table;
  EXPECT_NE(table.find("GPU:1       0 nodes (  0.0%)"), std::string::npos) << table;
}

// "A GPU with only these kernels": the layers between two MatMuls fall back,
// and the explanation shows the copies that costs, with their bytes.
TEST(ExplainTest, AGpuWithOnlySomeKernelsShowsTheFallbacksAndTheirCopies) {
  if (!BuildHasGpuKernels()) GTEST_SKIP() << "this build has no GPU kernels (the CUDA backend is not built)";
  demo::MlpGraph m = demo::BuildMlp();
  ExplainOptions o;
  o.num_gpus = 1;
  o.allow_soft_placement = true;
  o.gpu_ops = std::vector<std::string>{"MatMul", "VariableV2", "Identity", "Assign"};
  o.fetches = {"prediction"};
  o.unknown_dim = 64;
  StatusOr<PlacementExplanation> e = ExplainPlacement(*m.graph, o);
  ASSERT_TRUE(e.ok()) << e.status();
  EXPECT_EQ(e->records.size(), 17u) << "the pruned graph: x, the four variables and reads, the layers, the head";
  EXPECT_EQ(Rec(*e, "mlp/MatMul").assigned, kGpu0);
  EXPECT_EQ(Rec(*e, "mlp/hidden").assigned, kCpu0);
  EXPECT_EQ(Rec(*e, "mlp/hidden").reason, PlacementReason::kSoftNoKernel);
  EXPECT_EQ(Rec(*e, "mlp/hidden").detail, "no GPU kernel for Relu with T=float");
  EXPECT_EQ(e->no_kernel.at("GPU").at("BiasAdd"), 2);
  std::vector<std::string> copies;
  for (const PlannedCopy& c : e->copies) {
    copies.push_back(c.tensor + " " + c.src_device.substr(c.src_device.size() - 5) + "->" +
                     c.dst_device.substr(c.dst_device.size() - 5) + " " + std::to_string(c.bytes));
  }
  EXPECT_EQ(copies, (std::vector<std::string>{
                        "x:0 CPU:0->GPU:0 200704",           // 64 x 784 floats
                        "mlp/MatMul:0 GPU:0->CPU:0 65536",   // 64 x 256
                        "mlp/b1/read:0 GPU:0->CPU:0 1024",   // 256
                        "mlp/hidden:0 CPU:0->GPU:0 65536",   // back to the GPU: a ping-pong
                        "mlp/MatMul_1:0 GPU:0->CPU:0 2560",  // 64 x 10
                        "mlp/b2/read:0 GPU:0->CPU:0 40",
                    }));
  EXPECT_EQ(e->copy_bytes, 200704 + 65536 + 1024 + 65536 + 2560 + 40);
  const std::string json = e->ToJson();
  EXPECT_EQ(json.rfind("{\"machine\": \"1 CPU, 1 GPU\", \"nodes\": [", 0), 0u) << json;
  EXPECT_NE(json.find("\"no_kernel\": {\"GPU\": {\"ArgMax\": 1, \"BiasAdd\": 2,"), std::string::npos) << json;
  EXPECT_NE(json.find("{\"tensor\": \"mlp/hidden:0\", \"src\": \"" + std::string(kCpu0) + "\", \"dst\": \"" +
                      std::string(kGpu0) + "\", \"bytes\": 65536}"),
            std::string::npos)
      << json;
  EXPECT_NE(json.find("\"copy_bytes\": 335400}"), std::string::npos) << json;
}

// The bytes reduce_copies saves on a constructed graph: a CPU-only op (Print)
// between two GPU ops, fed from the host.
TEST(ExplainTest, ReduceCopiesSavesTheCopiesAroundACpuOnlyIsland) {
  if (!BuildHasGpuKernels()) GTEST_SKIP() << "this build has no GPU kernels (the CUDA backend is not built)";
  auto g = Graph::Create();
  Output x = ops::Placeholder(*g, DataType::kFloat, PartialShape{-1, 256}, "x");
  {
    auto dev = g->Device("/gpu:0");
    Output a = ops::Neg(*g, x, "a");
    ops::Square(*g, ops::Print(*g, a, "a is", 3, "p"), "b");
  }
  ExplainOptions o;
  o.num_gpus = 1;
  o.allow_soft_placement = true;
  o.gpu_ops = std::vector<std::string>{"Neg", "Square"};
  o.unknown_dim = 64;
  StatusOr<PlacementExplanation> before = ExplainPlacement(*g, o);
  ASSERT_TRUE(before.ok()) << before.status();
  EXPECT_EQ(before->copies.size(), 3u);  // x to the GPU, a to the CPU, p back to the GPU
  EXPECT_EQ(before->copy_bytes, 3 * 64 * 256 * 4);
  o.reduce_copies = true;
  StatusOr<PlacementExplanation> after = ExplainPlacement(*g, o);
  ASSERT_TRUE(after.ok()) << after.status();
  EXPECT_EQ(Rec(*after, "a").reason, PlacementReason::kCopyReduction);
  EXPECT_EQ(Rec(*after, "b").reason, PlacementReason::kCopyReduction);
  EXPECT_TRUE(after->copies.empty()) << after->ToTable();
  EXPECT_EQ(after->copy_bytes, 0);
}

TEST(ExplainTest, CpuOnlyFailsAsTheSessionWouldUnlessSoftPlacementIsOn) {
  demo::MlpGraph m = demo::BuildMlp();
  StatusOr<PlacementExplanation> hard = ExplainPlacement(*m.graph);
  ASSERT_FALSE(hard.ok());
  EXPECT_EQ(hard.status().code(), Code::kInvalidArgument);
  const std::string& msg = hard.status().message();
  // Every node with the line of the demo that made it (RandomNormal's own nodes: the line that called it).
  EXPECT_EQ(msg.rfind("27 nodes cannot be placed:\nCannot assign a device for operation mlp/random_normal/shape "
                      "(defined at demo_graphs.cc:",
                      0),
            0u)
      << msg;
  EXPECT_NE(msg.find("mlp/random_normal/mul (" + tessera::testing::SourceOf(*m.graph, "mlp/w1") + ")"),
            std::string::npos)
      << msg;
  EXPECT_NE(msg.find("(the machine explained has no GPU)"), std::string::npos) << msg;
  EXPECT_NE(msg.find("The same holds for 26 more nodes: "), std::string::npos) << msg;
  ExplainOptions soft;
  soft.allow_soft_placement = true;
  StatusOr<PlacementExplanation> e = ExplainPlacement(*m.graph, soft);
  ASSERT_TRUE(e.ok()) << e.status();
  EXPECT_EQ(e->machine, "1 CPU");
  EXPECT_EQ(e->devices.size(), 1u);
  EXPECT_EQ(e->devices[0].nodes, m.graph->num_nodes());
  EXPECT_EQ(Rec(*e, "mlp/MatMul").reason, PlacementReason::kSoftNoDevice);
  EXPECT_TRUE(e->copies.empty());
}

TEST(ExplainTest, BadOptionsAreErrorsNamingTheOption) {
  demo::MlpGraph m = demo::BuildMlp();
  ExplainOptions o;
  o.num_cpus = 0;
  EXPECT_EQ(ExplainPlacement(*m.graph, o).status().message(), "ExplainOptions::num_cpus must be in [1, 256], got 0");
  o = ExplainOptions();
  o.num_gpus = -1;
  EXPECT_EQ(ExplainPlacement(*m.graph, o).status().code(), Code::kInvalidArgument);
  o = ExplainOptions();
  o.fetches = {"nope"};
  StatusOr<PlacementExplanation> e = ExplainPlacement(*m.graph, o);
  EXPECT_EQ(e.status().code(), Code::kNotFound);
  EXPECT_NE(e.status().message().find("nope"), std::string::npos) << e.status();
  o.fetches = {"probs:7"};
  EXPECT_EQ(ExplainPlacement(*m.graph, o).status().code(), Code::kNotFound);
}

TEST(ExplainTest, FlopEstimates) {
  auto g = Graph::Create();
  Output a = ops::Placeholder(*g, DataType::kFloat, PartialShape{-1, 3}, "a");
  Output b = ops::Placeholder(*g, DataType::kFloat, PartialShape{5, 3}, "b");
  Output mm = ops::MatMul(*g, a, b, false, true, "mm");  // [?, 3] x [5, 3]^T
  Output s = ops::Sum(*g, mm, {1}, false, "s");
  Output r = ops::Relu(*g, mm, "r");
  Output t = ops::Transpose(*g, mm, {1, 0}, "t");
  ASSERT_TRUE(g->status().ok()) << g->status();
  EXPECT_EQ(EstimateFlops(*mm.node(), 1), 2 * 1 * 5 * 3);
  EXPECT_EQ(EstimateFlops(*mm.node(), 8), 2 * 8 * 5 * 3);
  EXPECT_EQ(EstimateFlops(*s.node(), 8), 8 * 5);  // every input element once
  EXPECT_EQ(EstimateFlops(*r.node(), 8), 8 * 5);
  EXPECT_EQ(EstimateFlops(*t.node(), 8), 0);  // moves data only
  EXPECT_EQ(EstimateFlops(*a.node(), 8), 0);
}

// Estimates saturate instead of overflowing when unknown dimensions are filled in.
TEST(ExplainTest, HugeEstimatesSaturate) {
  auto g = Graph::Create();
  Output x = ops::Placeholder(*g, DataType::kFloat, PartialShape::UnknownDims(8), "x");
  Output y = ops::Relu(*g, ops::Neg(*g, x), "y");
  ops::MatMul(*g, ops::Reshape(*g, y, {-1, 1000000}), ops::Reshape(*g, y, {1000000, -1}), false, false, "mm");
  ASSERT_TRUE(g->status().ok()) << g->status();
  ExplainOptions o;
  o.unknown_dim = 1000000;
  StatusOr<PlacementExplanation> e = ExplainPlacement(*g, o);
  ASSERT_TRUE(e.ok()) << e.status();
  EXPECT_EQ(e->total_flops, INT64_MAX);
  EXPECT_EQ(EstimateFlops(*y.node(), 1000000), INT64_MAX);
  EXPECT_NE(PlacementToDot(*g, e->records, DotOptions{150, 1000000}).find("digraph"), std::string::npos);
}

// Runs a shell command, returning its exit status.
int Shell(const std::string& cmd) { return std::system(cmd.c_str()); }

std::string ReadFile(const std::filesystem::path& p) {
  std::ifstream in(p);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// Renders `dot` with Graphviz and returns the number of nodes it drew.
int RenderedNodes(const std::string& dot, const std::string& stem) {
  const std::filesystem::path dir = std::filesystem::temp_directory_path() / "tessera_explain_test";
  std::filesystem::create_directories(dir);
  const std::filesystem::path src = dir / (stem + ".dot");
  std::ofstream(src) << dot;
  const std::string png = (dir / (stem + ".png")).string();
  const std::string plain = (dir / (stem + ".plain")).string();
  EXPECT_EQ(Shell("dot -Tpng '" + src.string() + "' -o '" + png + "'"), 0) << dot;
  EXPECT_GT(std::filesystem::file_size(png), 1000u);
  EXPECT_EQ(Shell("dot -Tplain '" + src.string() + "' -o '" + plain + "'"), 0);
  std::istringstream lines(ReadFile(plain));
  int nodes = 0;
  for (std::string line; std::getline(lines, line);) nodes += line.rfind("node ", 0) == 0;
  return nodes;
}

TEST(ExplainTest, ThePictureRendersWithANodePerOpAndADeviceLegend) {
  if (Shell("command -v dot >/dev/null 2>&1") != 0) {
    GTEST_SKIP() << "graphviz's dot is not installed (scripts/install_deps.sh installs it)";
  }
  demo::MlpGraph m = demo::BuildMlp();
  ExplainOptions o;
  o.num_gpus = 1;
  o.allow_soft_placement = true;
  o.gpu_ops = std::vector<std::string>{"MatMul", "VariableV2", "Identity", "Assign"};
  StatusOr<PlacementExplanation> e = ExplainPlacement(*m.graph, o);
  ASSERT_TRUE(e.ok()) << e.status();
  DotOptions d;
  d.unknown_dim = 64;
  const std::string dot = PlacementToDot(*m.graph, e->records, d);
  const int devices = BuildHasGpuKernels() ? 2 : 1;
  EXPECT_EQ(RenderedNodes(dot, "mlp"), m.graph->num_nodes() + devices);
  EXPECT_NE(dot.find("subgraph cluster_"), std::string::npos);
  EXPECT_NE(dot.find("label=\"mlp\""), std::string::npos) << "name scopes are clusters";
  if (BuildHasGpuKernels()) {
    EXPECT_NE(dot.find("label=\"Relu\\nmlp/hidden\\nCPU:0\", fillcolor=\"#cfe2f3\", color=\"#d62728\""),
              std::string::npos)
        << dot;  // a fallback, outlined
    EXPECT_NE(dot.find("label=\"copy 65.5 KB\""), std::string::npos) << dot;
  }
  // Above the size limit, each top-level scope is one box per device.
  d.max_nodes = 10;
  const std::string small = PlacementToDot(*m.graph, e->records, d);
  const int boxes = RenderedNodes(small, "mlp_collapsed");
  EXPECT_LE(boxes, 4 + 2 * 2 + devices) << small;  // x, probs, prediction, init; mlp and prediction per device
  EXPECT_NE(small.find(" nodes\\n"), std::string::npos) << small;
}

}  // namespace
}  // namespace tessera
