// The placer as pure logic over synthetic device lists (GPUs included).
#include "placement/placer.h"

#include <gtest/gtest.h>

#include "placement/placement_log.h"
#include "tests/test_util.h"

namespace tessera {
namespace {

std::vector<DeviceName> Devices(int cpus, int gpus) {
  std::vector<DeviceName> d;
  for (int i = 0; i < cpus; ++i) d.push_back(DeviceName::Local(DeviceType::kCpu, i));
  for (int i = 0; i < gpus; ++i) d.push_back(DeviceName::Local(DeviceType::kGpu, i));
  return d;
}

std::vector<const Node*> All(const Graph& g) {
  std::vector<const Node*> v;
  for (Node* n : g.nodes()) v.push_back(n);
  return v;
}

// A registry with CPU kernels for everything and GPU kernels for float math,
// like a CUDA build's.
const KernelRegistry& FakeGpuRegistry() {
  static KernelRegistry* r = [] {
    auto* reg = new KernelRegistry();
    EXPECT_TRUE(RegisterCpuKernels(*reg).ok());
    const std::vector<DataType> f = {DataType::kFloat, DataType::kDouble};
    for (const char* op : {"Add", "AddV2", "Mul", "MatMul", "Neg", "Identity"}) {
      EXPECT_TRUE(reg->Register(KernelDef(op, DeviceType::kGpu).TypeConstraint("T", f)).ok());
    }
    EXPECT_TRUE(
        reg->Register(
               KernelDef("Const", DeviceType::kGpu).TypeConstraint("dtype", {DataType::kFloat, DataType::kInt32}))
            .ok());
    EXPECT_TRUE(reg->Register(KernelDef("VariableV2", DeviceType::kGpu).TypeConstraint("dtype", f)).ok());
    EXPECT_TRUE(reg->Register(KernelDef("Assign", DeviceType::kGpu).TypeConstraint("T", f)).ok());
    EXPECT_TRUE(reg->Register(KernelDef("Shape", DeviceType::kGpu).TypeConstraint("T", f)).ok());
    return reg;
  }();
  return *r;
}

const PlacementRecord& Rec(const Placement& p, const std::string& node) {
  for (const PlacementRecord& r : p.records) {
    if (r.node == node) return r;
  }
  static PlacementRecord none;
  ADD_FAILURE() << "no record for " << node;
  return none;
}

const char* kCpu0 = "/job:localhost/replica:0/task:0/device:CPU:0";
const char* kCpu1 = "/job:localhost/replica:0/task:0/device:CPU:1";
const char* kGpu0 = "/job:localhost/replica:0/task:0/device:GPU:0";
const char* kGpu1 = "/job:localhost/replica:0/task:0/device:GPU:1";

TEST(PlacerTest, DefaultPriorityPrefersGpu) {
  auto g = Graph::Create();
  Output a = ops::Const(*g, Tensor::Vec<float>({1}), "a");
  Output b = ops::Neg(*g, a, "b");
  Output c = ops::Print(*g, b, "", 3, "c");  // CPU only
  auto p = Place(All(*g), Devices(1, 2), FakeGpuRegistry(), {});
  ASSERT_TRUE(p.ok()) << p.status();
  EXPECT_EQ(Rec(*p, "b").assigned, kGpu0);
  EXPECT_EQ(Rec(*p, "b").reason, PlacementReason::kDefaultPriority);
  EXPECT_EQ(Rec(*p, "c").assigned, kCpu0);
  EXPECT_EQ(Rec(*p, "a").assigned, kGpu0);
  // CPU-only machine: everything on CPU:0 by default.
  auto cpu = Place(All(*g), Devices(1, 0), FakeGpuRegistry(), {});
  ASSERT_TRUE(cpu.ok());
  for (const PlacementRecord& r : cpu->records) EXPECT_EQ(r.assigned, kCpu0);
}

TEST(PlacerTest, ExplicitRequestsAreHonoured) {
  auto g = Graph::Create();
  Output a = ops::Const(*g, Tensor::Vec<float>({1}), "a");
  Output b, c, d;
  {
    auto dev = g->Device("/gpu:1");
    b = ops::Neg(*g, a, "b");
  }
  {
    auto dev = g->Device("/cpu:1");
    c = ops::Neg(*g, a, "c");
  }
  {
    auto dev = g->Device("/device:GPU:*");
    d = ops::Neg(*g, a, "d");
  }
  auto p = Place(All(*g), Devices(2, 2), FakeGpuRegistry(), {});
  ASSERT_TRUE(p.ok()) << p.status();
  EXPECT_EQ(Rec(*p, "b").assigned, kGpu1);
  EXPECT_EQ(Rec(*p, "b").reason, PlacementReason::kRequested);
  EXPECT_EQ(Rec(*p, "c").assigned, kCpu1);
  EXPECT_EQ(Rec(*p, "d").assigned, kGpu0);
}

TEST(PlacerTest, HardPlacementErrorsAreGroupedByCauseWithTheAdviceOncePerCause) {
  auto g = Graph::Create();
  {
    auto dev = g->Device("/gpu:0");  // exists, but has no int32 Neg kernel
    Output i = ops::Const(*g, Tensor::Vec<int32_t>({1}), "i");
    ops::Neg(*g, i, "n1");
    ops::Neg(*g, i, "n2");
    ops::Neg(*g, i, "n3");
  }
  {
    auto dev = g->Device("/gpu:5");  // does not exist
    ops::Const(*g, 1.0f, "f");
  }
  auto p = Place(All(*g), Devices(1, 1), FakeGpuRegistry(), PlacerOptions());
  ASSERT_FALSE(p.ok());
  const std::string& m = p.status().message();
  const std::string cpu0(kCpu0), gpu0(kGpu0);
  EXPECT_EQ(m,
            "4 nodes cannot be placed:\n"
            "Cannot assign a device for operation n1" +
                tessera::testing::DefinedAt(*g, "n1") +
                ": Could not satisfy explicit device specification "
                "'/device:GPU:0' because no supported kernel for GPU devices is available (no GPU kernel for Neg "
                "with T=int32). Available devices: [ " +
                cpu0 + ", " + gpu0 +
                " ].\n"
                "The same holds for 2 more nodes: n2 (" +
                tessera::testing::SourceOf(*g, "n2") + "), n3 (" + tessera::testing::SourceOf(*g, "n3") +
                ").\n"
                "To fix it: pass allow_soft_placement=true (they would run on " +
                cpu0 +
                "), or pin them to /cpu:0, or cast their inputs to a dtype with a GPU kernel.\n"
                "Cannot assign a device for operation f" +
                tessera::testing::DefinedAt(*g, "f") +
                ": Could not satisfy explicit device specification "
                "'/device:GPU:5' because no devices matching that specification are registered in this process. "
                "Available devices: [ " +
                cpu0 + ", " + gpu0 +
                " ]. To fix it: pass allow_soft_placement=true (it "
                "would run on " +
                gpu0 + "), or pin it to /cpu:0.")
      << m;
}

TEST(PlacerTest, MissingDeviceFailsWithoutSoftPlacementAndReportsAllNodes) {
  auto g = Graph::Create();
  {
    auto dev = g->Device("/gpu:0");
    Output a = ops::Const(*g, Tensor::Vec<float>({1}), "a");
    ops::Neg(*g, a, "b");
  }
  PlacerOptions o;
  o.no_gpu_reason = "no CUDA driver";
  auto p = Place(All(*g), Devices(1, 0), FakeGpuRegistry(), o);
  ASSERT_FALSE(p.ok());
  const std::string& m = p.status().message();
  EXPECT_EQ(p.status().code(), Code::kInvalidArgument);
  // One cause: the first node's full text, the others by name, the advice once.
  EXPECT_EQ(m,
            "2 nodes cannot be placed:\n"
            "Cannot assign a device for operation a" +
                tessera::testing::DefinedAt(*g, "a") +
                ": Could not satisfy explicit device specification "
                "'/device:GPU:0' because no devices matching that specification are registered in this process "
                "(no CUDA driver). Available devices: [ " +
                std::string(kCpu0) +
                " ].\n"
                "The same holds for 1 more node: b (" +
                tessera::testing::SourceOf(*g, "b") +
                ").\n"
                "To fix it: pass allow_soft_placement=true (they would run on " +
                std::string(kCpu0) + "), or pin them to /cpu:0.");

  o.allow_soft_placement = true;
  auto soft = Place(All(*g), Devices(1, 0), FakeGpuRegistry(), o);
  ASSERT_TRUE(soft.ok()) << soft.status();
  EXPECT_EQ(Rec(*soft, "b").assigned, kCpu0);
  EXPECT_EQ(Rec(*soft, "b").reason, PlacementReason::kSoftNoDevice);
  EXPECT_EQ(Rec(*soft, "b").detail, "/device:GPU:0 does not exist (no CUDA driver)");
}

TEST(PlacerTest, SoftPlacementKeepsTheTypeWhenOnlyTheIdIsMissing) {
  auto g = Graph::Create();
  {
    auto dev = g->Device("/gpu:1");
    ops::Neg(*g, ops::Const(*g, Tensor::Vec<float>({1})), "b");
  }
  PlacerOptions o;
  o.allow_soft_placement = true;
  auto p = Place(All(*g), Devices(1, 1), FakeGpuRegistry(), o);
  ASSERT_TRUE(p.ok());
  EXPECT_EQ(Rec(*p, "b").assigned, kGpu0);  // TF: type and id dropped, GPU still preferred
  EXPECT_EQ(Rec(*p, "b").reason, PlacementReason::kSoftNoDevice);
}

TEST(PlacerTest, NoKernelForDtypeOnRequestedType) {
  auto g = Graph::Create();
  {
    auto dev = g->Device("/gpu:0");
    Output i = ops::Const(*g, Tensor::Matrix<int32_t>({{1}}).value(), "i");
    ops::MatMul(*g, i, i, false, false, "int_matmul");
  }
  auto p = Place(All(*g), Devices(1, 1), FakeGpuRegistry(), {});
  ASSERT_FALSE(p.ok());
  EXPECT_NE(p.status().message().find(
                "Cannot assign a device for operation int_matmul" + tessera::testing::DefinedAt(*g, "int_matmul") +
                ": Could not satisfy explicit device specification "
                "'/device:GPU:0' because no supported kernel for GPU devices is available (no GPU kernel for MatMul "
                "with T=int32)"),
            std::string::npos)
      << p.status();
  EXPECT_NE(p.status().message().find("or cast its inputs"), std::string::npos);
  PlacerOptions o;
  o.allow_soft_placement = true;
  auto soft = Place(All(*g), Devices(1, 1), FakeGpuRegistry(), o);
  ASSERT_TRUE(soft.ok());
  EXPECT_EQ(Rec(*soft, "int_matmul").assigned, kCpu0);
  EXPECT_EQ(Rec(*soft, "int_matmul").reason, PlacementReason::kSoftNoKernel);
  EXPECT_EQ(Rec(*soft, "int_matmul").detail, "no GPU kernel for MatMul with T=int32");
  EXPECT_EQ(Rec(*soft, "i").assigned, kGpu0);  // int32 Const has a GPU kernel here
}

TEST(PlacerTest, VariablesAndTheirUsersAreColocated) {
  auto g = Graph::Create();
  Variable v;
  {
    auto dev = g->Device("/gpu:0");
    v = Variable(*g, ops::Const(*g, Tensor::Vec<float>({1}), "init"), "v");
  }
  Output printed;
  {
    auto dev = g->Device("/cpu:0");
    Output upd = v.Assign(ops::Const(*g, Tensor::Vec<float>({2})), "upd");  // request ignored: ref edge
    (void)upd;
  }
  auto p = Place(All(*g), Devices(1, 1), FakeGpuRegistry(), {});
  ASSERT_TRUE(p.ok()) << p.status();
  EXPECT_EQ(Rec(*p, "v").assigned, kGpu0);
  EXPECT_EQ(Rec(*p, "v").reason, PlacementReason::kRequested);
  EXPECT_EQ(Rec(*p, "upd").assigned, kGpu0);
  EXPECT_EQ(Rec(*p, "upd").reason, PlacementReason::kColocated);
  EXPECT_EQ(Rec(*p, "upd").detail, "colocated with v");
  EXPECT_EQ(Rec(*p, "v/read").assigned, kGpu0);
  ASSERT_FALSE(p->notes.empty());
  EXPECT_NE(p->notes[0].find("Ignoring device specification /device:CPU:0 for node 'upd' because the input edge from "
                             "'v' is a reference connection"),
            std::string::npos);
}

TEST(PlacerTest, ColocationWithCpuOnlyMemberMovesTheGroupUnderSoftPlacement) {
  auto g = Graph::Create();
  Output a;
  {
    auto dev = g->Device("/gpu:0");
    a = ops::Neg(*g, ops::Const(*g, Tensor::Vec<float>({1})), "a");
  }
  {
    auto c = g->ColocateWith(a);
    ops::Print(*g, a, "", 3, "p");
  }
  auto strict = Place(All(*g), Devices(1, 1), FakeGpuRegistry(), {});
  ASSERT_FALSE(strict.ok());
  EXPECT_NE(strict.status().message().find("no GPU kernel for Print with T=float (node p, colocated with a)"),
            std::string::npos)
      << strict.status();
  PlacerOptions o;
  o.allow_soft_placement = true;
  auto soft = Place(All(*g), Devices(1, 1), FakeGpuRegistry(), o);
  ASSERT_TRUE(soft.ok()) << soft.status();
  EXPECT_EQ(Rec(*soft, "a").assigned, kCpu0);
  EXPECT_EQ(Rec(*soft, "a").reason, PlacementReason::kSoftNoKernel);
  EXPECT_EQ(Rec(*soft, "p").assigned, kCpu0);
  // p took a's request (/gpu:0) with the colocation, as in TF, so it too fell back.
  EXPECT_EQ(Rec(*soft, "p").reason, PlacementReason::kSoftNoKernel);
}

TEST(PlacerTest, ConflictingColocatedRequests) {
  auto g = Graph::Create();
  Output a;
  {
    auto dev = g->Device("/gpu:0");
    a = ops::Neg(*g, ops::Const(*g, Tensor::Vec<float>({1})), "a");
  }
  Output c;
  {
    auto dev = g->Device("/cpu:0");
    c = ops::Const(*g, Tensor::Vec<float>({1}), "c");
  }
  {
    // b joins both groups (as in TF, nested colocation scopes accumulate) and
    // takes a's device: a wants the GPU, c the CPU.
    auto with_c = g->ColocateWith(c);
    auto with_a = g->ColocateWith(a);
    ops::Neg(*g, a, "b");
  }
  auto strict = Place(All(*g), Devices(1, 1), FakeGpuRegistry(), {});
  ASSERT_FALSE(strict.ok());
  EXPECT_NE(strict.status().message().find("Cannot colocate nodes {{colocation_node a}} and {{colocation_node c}}: "
                                           "Cannot merge devices with incompatible types: '/device:GPU:0' and "
                                           "'/device:CPU:0'"),
            std::string::npos)
      << strict.status();
  PlacerOptions o;
  o.allow_soft_placement = true;
  auto soft = Place(All(*g), Devices(1, 1), FakeGpuRegistry(), o);
  ASSERT_TRUE(soft.ok()) << soft.status();
  EXPECT_EQ(Rec(*soft, "a").assigned, Rec(*soft, "b").assigned);
  EXPECT_EQ(Rec(*soft, "b").reason, PlacementReason::kSoftColocation);
}

TEST(PlacerTest, Heuristics) {
  auto g = Graph::Create();
  Output x = ops::Const(*g, Tensor::Vec<float>({1, 2}), "x");
  Output p = ops::Print(*g, x, "", 3, "p");  // CPU-only consumer pulls its generator
  Output y;
  {
    auto dev = g->Device("/cpu:0");
    y = ops::Neg(*g, ops::Const(*g, Tensor::Vec<float>({1}), "z"), "y");
  }
  Output s = ops::Shape(*g, y, DataType::kInt32, "s");
  auto pl = Place(All(*g), Devices(1, 1), FakeGpuRegistry(), {});
  ASSERT_TRUE(pl.ok()) << pl.status();
  EXPECT_EQ(Rec(*pl, "x").assigned, kCpu0);
  EXPECT_EQ(Rec(*pl, "x").reason, PlacementReason::kGeneratorHeuristic);
  EXPECT_EQ(Rec(*pl, "s").assigned, kCpu0);
  EXPECT_EQ(Rec(*pl, "s").reason, PlacementReason::kMetadataHeuristic);
}

TEST(PlacerTest, OpWithoutAnyKernel) {
  auto g = Graph::Create();
  Output b = ops::Const(*g, Tensor::Vec<bool>({true}), "b");
  ops::Neg(*g, ops::Cast(*g, b, DataType::kInt32), "n");
  KernelRegistry empty;
  auto p = Place(All(*g), Devices(1, 0), empty, {});
  ASSERT_FALSE(p.ok());
  EXPECT_NE(p.status().message().find("No OpKernel was registered to support Op 'Const' used by {{node b}}" +
                                      tessera::testing::DefinedAt(*g, "b") +
                                      " with these "
                                      "attrs: [dtype=bool]\nRegistered devices: [CPU]\nRegistered kernels:\n  <no "
                                      "registered kernels>"),
            std::string::npos)
      << p.status();
}

TEST(PlacerTest, PinnedStatefulNodesKeepTheirDevice) {
  auto g = Graph::Create();
  Variable v(*g, ops::Const(*g, Tensor::Vec<float>({1})), "v");
  PlacerOptions o;
  o.pinned["v"] = kCpu1;
  auto p = Place(All(*g), Devices(2, 1), FakeGpuRegistry(), o);
  ASSERT_TRUE(p.ok());
  EXPECT_EQ(Rec(*p, "v").assigned, kCpu1);
  EXPECT_EQ(Rec(*p, "v").reason, PlacementReason::kResourceDevice);
  EXPECT_EQ(Rec(*p, "v/read").assigned, kCpu1);
}

// A CPU-only op between GPU ops: with reduce_copies its light neighbours join
// it on the CPU, and the copies around it go away; a neighbour whose other
// edge is heavy (a large weight on the GPU) stays.
TEST(PlacerTest, ReduceCopiesPullsTheNeighboursOfACpuOnlyIslandWhenThatSavesBytes) {
  auto g = Graph::Create();
  Output x = ops::Placeholder(*g, DataType::kFloat, PartialShape{64, 256}, "x");  // CPU only here
  {
    auto dev = g->Device("/gpu:0");
    Output a = ops::Neg(*g, x, "a");
    Output p = ops::Print(*g, a, "p", 3, "p");  // no GPU kernel
    Output b = ops::Neg(*g, p, "b");
    Output w = ops::Const(*g, Tensor(DataType::kFloat, TensorShape{256, 1024}), "w");
    ops::MatMul(*g, b, w, false, false, "mm");  // 1 MB of weight on the GPU: stays
  }
  PlacerOptions o;
  o.allow_soft_placement = true;
  auto plain = Place(All(*g), Devices(1, 1), FakeGpuRegistry(), o);
  ASSERT_TRUE(plain.ok()) << plain.status();
  EXPECT_EQ(Rec(*plain, "a").assigned, kGpu0);
  EXPECT_EQ(Rec(*plain, "p").assigned, kCpu0);
  EXPECT_EQ(Rec(*plain, "b").assigned, kGpu0);
  o.reduce_copies = true;
  auto reduced = Place(All(*g), Devices(1, 1), FakeGpuRegistry(), o);
  ASSERT_TRUE(reduced.ok()) << reduced.status();
  EXPECT_EQ(Rec(*reduced, "a").assigned, kCpu0);
  EXPECT_EQ(Rec(*reduced, "a").reason, PlacementReason::kCopyReduction);
  EXPECT_EQ(Rec(*reduced, "a").detail,
            std::string("moved from ") + kGpu0 + " next to p to copy 131072 fewer bytes per step");
  EXPECT_EQ(Rec(*reduced, "p").assigned, kCpu0);
  // b: its input from p (64 KB) against its output to mm (64 KB): no gain, it stays.
  EXPECT_EQ(Rec(*reduced, "b").assigned, kGpu0);
  EXPECT_EQ(Rec(*reduced, "mm").assigned, kGpu0);
  EXPECT_EQ(Rec(*reduced, "w").assigned, kGpu0);
  const std::vector<const Node*> all = All(*g);
  const auto a = static_cast<size_t>(
      std::find_if(all.begin(), all.end(), [](const Node* n) { return n->name() == "a"; }) - all.begin());
  ASSERT_NE(reduced->kernels[a], nullptr);
  EXPECT_EQ(reduced->kernels[a]->device_type, DeviceType::kCpu);
}

TEST(PlacerTest, RecordsAsJson) {
  PlacementRecord r{"a",
                    "MatMul",
                    {DataType::kInt32},
                    "/device:GPU:0",
                    kCpu0,
                    PlacementReason::kSoftNoKernel,
                    "no GPU kernel for MatMul with T=int32",
                    {"GPU"},
                    "x.cc:7"};
  EXPECT_EQ(PlacementRecordsToJson({r}),
            "[\n  {\"node\": \"a\", \"op\": \"MatMul\", \"dtypes\": [\"int32\"], \"requested\": \"/device:GPU:0\", "
            "\"assigned\": \"" +
                std::string(kCpu0) +
                "\", \"reason\": \"soft_no_kernel\", \"detail\": \"no GPU "
                "kernel for MatMul with T=int32\", \"no_kernel_on\": [\"GPU\"], \"source\": \"x.cc:7\"}\n]");
}

TEST(PlacerTest, RecordsListTheDeviceTypesWithoutAKernelAndTheLogSummarisesThem) {
  auto g = Graph::Create();
  Output i = ops::Const(*g, Tensor::Vec<int32_t>({1}), "i");
  ops::Neg(*g, i, "n1");
  ops::Neg(*g, i, "n2");
  ops::Neg(*g, ops::Const(*g, 1.0f, "f"), "n3");
  ops::Print(*g, i, "i", 3, "p");
  auto p = Place(All(*g), Devices(1, 1), FakeGpuRegistry(), PlacerOptions());
  ASSERT_TRUE(p.ok()) << p.status();
  EXPECT_EQ(Rec(*p, "n1").no_kernel_on, std::vector<std::string>{"GPU"});
  EXPECT_EQ(Rec(*p, "n1").assigned, kCpu0);
  EXPECT_TRUE(Rec(*p, "n3").no_kernel_on.empty());
  EXPECT_EQ(Rec(*p, "n3").assigned, kGpu0);
  EXPECT_EQ(Rec(*p, "p").no_kernel_on, std::vector<std::string>{"GPU"});
  std::vector<PlacementLogLine> lines = PlacementLog(*p);
  ASSERT_FALSE(lines.empty());
  EXPECT_EQ(lines.back().text, "  2 op types have no GPU kernel for their dtypes: Neg \u00d72, Print \u00d71");
  EXPECT_EQ(lines.back().kind, LogRecord::Kind::kPlacementSummary);
  int node_lines = 0;
  for (const PlacementLogLine& l : lines) {
    if (l.kind != LogRecord::Kind::kNodePlacement) continue;
    ++node_lines;
    ASSERT_NE(l.record, nullptr);
    EXPECT_EQ(l.text.rfind(l.record->node + ": (" + l.record->op + "): ", 0), 0u) << l.text;
  }
  EXPECT_EQ(node_lines, 6);
}

}  // namespace
}  // namespace tessera
