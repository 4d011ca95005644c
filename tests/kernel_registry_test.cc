// The kernel tables, and the device-neutral pieces the CUDA kernels share
// with the CPU (functors, Philox, launch geometry), tested on the CPU.
#include "src/framework/kernel_registry.h"

#include <gtest/gtest.h>

#include <cmath>
#include <set>

#include "src/framework/cwise_functors.h"
#include "src/framework/op_registry.h"
#include "src/kernels/launch_config.h"
#include "src/kernels/philox.h"
#include "src/runtime/gpu_backend.h"
#include "tessera/tessera.h"
#include "tools/conformance.h"

namespace tessera {
namespace {

TEST(KernelRegistryTest, EveryOpHasACpuKernel) {
  std::set<std::string> cpu_ops;
  for (const auto& [op, type] : KernelRegistry::Global().Keys()) {
    if (type == DeviceType::kCpu) cpu_ops.insert(op);
  }
  for (const std::string& op : OpRegistry::Global().ListOps()) EXPECT_EQ(cpu_ops.count(op), 1u) << op;
}

TEST(KernelRegistryTest, GpuKernelsFollowTheBackend) {
  auto g = Graph::Create();
  Output f = ops::Const(*g, Tensor::Matrix<float>({{1}}).value());
  Output i = ops::Const(*g, Tensor::Matrix<int32_t>({{1}}).value());
  Output mm_f = ops::MatMul(*g, f, f);
  Output mm_i = ops::MatMul(*g, i, i);
  Output print = ops::Print(*g, f);
  Output sum = ops::Sum(*g, f, {0});
  const KernelRegistry& r = KernelRegistry::Global();
  // Never on a GPU: Print (on purpose) and int32 MatMul.
  EXPECT_EQ(r.Find(*print.node(), DeviceType::kGpu), nullptr);
  EXPECT_EQ(r.Find(*mm_i.node(), DeviceType::kGpu), nullptr);
  EXPECT_EQ(r.SupportedDeviceTypes(*mm_i.node()), std::vector<DeviceType>{DeviceType::kCpu});
  if (CudaBackendBuilt()) {
    ASSERT_NE(r.Find(*mm_f.node(), DeviceType::kGpu), nullptr);
    EXPECT_EQ(r.SupportedDeviceTypes(*mm_f.node()), (std::vector<DeviceType>{DeviceType::kGpu, DeviceType::kCpu}));
    const KernelDef* s = r.Find(*sum.node(), DeviceType::kGpu);
    ASSERT_NE(s, nullptr);
    EXPECT_TRUE(s->IsHostMemoryInput(1, 2));  // the axes are read on the host
    EXPECT_NE(r.ListKernels("MatMul").find("device='GPU'; T in [DT_FLOAT, DT_DOUBLE]"), std::string::npos);
  } else {
    for (const auto& [op, type] : r.Keys()) {
      EXPECT_EQ(type, DeviceType::kCpu) << op << " has a " << DeviceTypeString(type) << " kernel";
    }
    EXPECT_FALSE(ProbeGpus().no_gpu_reason.empty());
  }
}

TEST(KernelRegistryTest, RegisterRejectsAnOverlappingKernel) {
  KernelRegistry r;
  ASSERT_TRUE(r.Register(KernelDef("Add", DeviceType::kGpu).TypeConstraint("T", {DataType::kFloat})).ok());
  // Another dtype, or another device type: fine.
  EXPECT_TRUE(r.Register(KernelDef("Add", DeviceType::kGpu).TypeConstraint("T", {DataType::kInt64})).ok());
  EXPECT_TRUE(r.Register(KernelDef("Add", DeviceType::kCpu).TypeConstraint("T", {DataType::kFloat})).ok());
  // The same (op, device type) for a dtype already taken: which one would run?
  Status s = r.Register(KernelDef("Add", DeviceType::kGpu).TypeConstraint("T", {DataType::kDouble, DataType::kFloat}));
  EXPECT_EQ(s.code(), Code::kAlreadyExists);
  EXPECT_EQ(s.message(), "A kernel for Add on GPU is already registered for an overlapping set of dtypes");
  EXPECT_EQ(r.Keys().size(), 3u);
}

// Adding a kernel means adding its conformance case: every (op, device type)
// pair of the registry has a case that device type has a kernel for.
TEST(KernelRegistryTest, EveryKernelHasAConformanceCase) {
  const KernelRegistry& r = KernelRegistry::Global();
  std::set<std::pair<std::string, DeviceType>> covered;
  for (const conformance::OpCase& c : conformance::AllCases()) {
    auto g = Graph::Create();
    std::vector<Output> inputs;
    for (size_t i = 0; i < c.inputs.size(); ++i) inputs.push_back(ops::Const(*g, c.inputs[i]));
    Output out = c.build(*g, inputs);
    ASSERT_TRUE(g->status().ok()) << c.name << ": " << g->status();
    // The op under test and every helper node the case builds.
    for (Node* n : g->nodes()) {
      for (DeviceType t : r.SupportedDeviceTypes(*n)) covered.insert({n->op(), t});
    }
  }
  for (const auto& [op, type] : r.Keys()) {
    EXPECT_EQ(covered.count({op, type}), 1u) << op << " on " << DeviceTypeString(type) << " has no conformance case";
  }
}

TEST(KernelRegistryTest, MemoryTypes) {
  EXPECT_TRUE(InHostMemory(true, DataType::kFloat));
  EXPECT_TRUE(InHostMemory(false, DataType::kInt32));
  EXPECT_FALSE(InHostMemory(false, DataType::kFloat));
  KernelDef d;
  d.host_memory_inputs = {-1};
  EXPECT_TRUE(d.IsHostMemoryInput(2, 3));
  EXPECT_FALSE(d.IsHostMemoryInput(1, 3));
}

TEST(DeviceNeutralTest, LaunchConfig) {
  EXPECT_EQ(GetLaunchConfig(0).blocks, 0);
  LaunchConfig c = GetLaunchConfig(1000);
  EXPECT_EQ(c.blocks, 4);
  EXPECT_EQ(c.threads, 256);
  EXPECT_EQ(GetLaunchConfig(int64_t{1} << 40).blocks, 4096);  // grid-stride loops cover the rest
  EXPECT_EQ(GetLaunchConfig(129, 128).blocks, 2);
  StridedDims d;
  d.rank = 2;
  d.dims[0] = 2;
  d.dims[1] = 3;
  d.a_strides[0] = 1;  // a transposed [3, 2] read as [2, 3]
  d.a_strides[1] = 2;
  d.b_strides[0] = 0;  // b broadcast over rows
  d.b_strides[1] = 1;
  int64_t a, b;
  StridedOffsets(d, 4, &a, &b);  // element (1, 1)
  EXPECT_EQ(a, 3);
  EXPECT_EQ(b, 1);
}

TEST(DeviceNeutralTest, Functors) {
  EXPECT_FLOAT_EQ(functor::Sigmoid()(-100.0f), std::exp(-100.0f) / (1 + std::exp(-100.0f)));
  EXPECT_FLOAT_EQ(functor::Sigmoid()(100.0f), 1.0f);
  EXPECT_TRUE(std::isnan(functor::Maximum()(NAN, 1.0f)));
  EXPECT_TRUE(std::isnan(functor::Minimum()(1.0f, NAN)));
  EXPECT_EQ(functor::Pow()(int64_t{3}, int64_t{13}), 1594323);
  EXPECT_EQ(functor::Pow()(int32_t{-2}, int32_t{3}), -8);
  EXPECT_EQ(functor::Cast<bool>()(0.5f), true);
  EXPECT_EQ(functor::Cast<int32_t>()(-1.7), -1);
  EXPECT_EQ(functor::Relu()(int64_t{-4}), 0);
  EXPECT_EQ(functor::Div()(-7, 2), -3);  // truncation toward zero
}

TEST(DeviceNeutralTest, PhiloxKnownAnswers) {
  // Random123's known-answer vectors for Philox4x32-10 (counter words, key words -> output).
  auto block = [](uint32_t c0, uint32_t c1, uint32_t c2, uint32_t c3, uint32_t k0, uint32_t k1) {
    random::PhiloxStart s{(uint64_t{k1} << 32) | k0, (uint64_t{c1} << 32) | c0, (uint64_t{c3} << 32) | c2};
    random::Block b = random::Philox4x32(s);
    return std::vector<uint32_t>(b.v, b.v + 4);
  };
  EXPECT_EQ(block(0, 0, 0, 0, 0, 0), (std::vector<uint32_t>{0x6627e8d5, 0xe169c58d, 0xbc57ac4c, 0x9b00dbd8}));
  const uint32_t f = 0xffffffffu;
  EXPECT_EQ(block(f, f, f, f, f, f), (std::vector<uint32_t>{0x408f276d, 0x41c83b0e, 0xa20bc7c6, 0x6d5451fd}));
  EXPECT_EQ(block(0x243f6a88, 0x85a308d3, 0x13198a2e, 0x03707344, 0xa4093822, 0x299f31d0),
            (std::vector<uint32_t>{0xd16cfe09, 0x94fdcceb, 0x5001e420, 0x24126ea1}));
}

TEST(DeviceNeutralTest, PhiloxSkipCarriesIntoTheHighCounterWords) {
  random::PhiloxStart s{1, ~uint64_t{0} - 1, 7};
  random::PhiloxStart t = random::Skip(s, 3);
  EXPECT_EQ(t.counter_lo, 1u);
  EXPECT_EQ(t.counter_hi, 8u);
}

TEST(DeviceNeutralTest, DistributionsStayInTheirRanges) {
  const random::PhiloxStart start = random::FromSeeds(42, 7);
  std::set<float> seen;
  for (int i = 0; i < 1000; ++i) {
    const float u = random::ValueAt<float>(random::Distribution::kUniform, start, i);
    EXPECT_GE(u, 0.0f);
    EXPECT_LT(u, 1.0f);
    seen.insert(u);
    EXPECT_TRUE(std::isfinite(random::ValueAt<double>(random::Distribution::kNormal, start, i)));
    EXPECT_LT(std::abs(random::ValueAt<float>(random::Distribution::kTruncatedNormal, start, i)), 2.0f);
    EXPECT_LT(std::abs(random::ValueAt<double>(random::Distribution::kTruncatedNormal, start, i)), 2.0);
  }
  EXPECT_GT(seen.size(), 990u);
}

}  // namespace
}  // namespace tessera
