// Execution across devices, exercised with two CPU devices (device_count
// {"CPU": 2}): copy steps on cross-device edges, one per tensor and
// destination, ordering, errors on either side, and concurrency.
#include <atomic>
#include <set>
#include <thread>

#include "src/runtime/copy_kernel.h"
#include "src/runtime/cpu_device.h"
#include "tests/test_util.h"

namespace tessera {
namespace {

using testing::ExpectValues;

constexpr const char* kCpu0 = "/job:localhost/replica:0/task:0/device:CPU:0";
constexpr const char* kCpu1 = "/job:localhost/replica:0/task:0/device:CPU:1";

SessionOptions TwoCpus() {
  SessionOptions o;
  o.device_count = {{"CPU", 2}};
  return o;
}

struct Split {
  std::shared_ptr<Graph> g = Graph::Create();
  Output x, a, b1, b2, c;
};

// x (fed, host) -> a = x * 2 on cpu:0 -> b1 = a + 1, b2 = a * a on cpu:1 -> c = b1 - b2 + a on cpu:0
Split MakeSplit() {
  Split s;
  Graph& g = *s.g;
  s.x = ops::Placeholder(g, DataType::kFloat, PartialShape{-1}, "x");
  {
    auto d = g.Device("/cpu:0");
    s.a = ops::Mul(g, s.x, ops::Const(g, 2.0f, "two"), "a");
  }
  {
    auto d = g.Device("/cpu:1");
    s.b1 = ops::Add(g, s.a, ops::Const(g, 1.0f, "one"), "b1");
    s.b2 = ops::Mul(g, s.a, s.a, "b2");
  }
  {
    auto d = g.Device("/cpu:0");
    s.c = ops::Add(g, ops::Sub(g, s.b1, s.b2, "diff"), s.a, "c");
  }
  return s;
}

TEST(CrossDeviceTest, CopiesOnCrossDeviceEdgesOnePerTensorAndDestination) {
  Split s = MakeSplit();
  auto sess = Session::Create(s.g, TwoCpus()).value();
  RunMetadata md;
  auto out = sess->Run(RunOptions(), {{s.x, Tensor::Vec<float>({1, 2})}}, {s.c}, {}, &md);
  ASSERT_TRUE(out.ok()) << out.status();
  // a = [2, 4]; b1 = [3, 5]; b2 = [4, 16]; c = b1 - b2 + a = [1, -7]
  ExpectValues<float>((*out)[0], {1, -7}, {2});
  // a:0 goes to cpu:1 once (two consumers there); b1:0 and b2:0 come back.
  std::multiset<std::string> copies;
  for (const CopyRecord& r : md.copies) copies.insert(r.tensor + " " + r.src_device + " -> " + r.dst_device);
  EXPECT_EQ(copies, (std::multiset<std::string>{
                        std::string("a:0 ") + kCpu0 + " -> " + kCpu1,
                        std::string("b1:0 ") + kCpu1 + " -> " + kCpu0,
                        std::string("b2:0 ") + kCpu1 + " -> " + kCpu0,
                    }));
}

TEST(CrossDeviceTest, FeedsConsumedOnAnotherDeviceAreCopiedThere) {
  auto g = Graph::Create();
  Output x = ops::Placeholder(*g, DataType::kInt32, PartialShape{2}, "x");
  Output y;
  {
    auto d = g->Device("/cpu:1");
    y = ops::Neg(*g, x, "y");
  }
  auto sess = Session::Create(g, TwoCpus()).value();
  RunMetadata md;
  auto out = sess->Run(RunOptions(), {{x, Tensor::Vec<int32_t>({3, -4})}}, {y}, {}, &md);
  ASSERT_TRUE(out.ok()) << out.status();
  ExpectValues<int32_t>((*out)[0], {-3, 4}, {2});
  ASSERT_EQ(md.copies.size(), 1u);
  EXPECT_EQ(md.copies[0].tensor, "x:0");
  EXPECT_EQ(md.copies[0].dst_device, kCpu1);
}

TEST(CrossDeviceTest, OrderingThroughVariablesAndControlEdges) {
  auto g = Graph::Create();
  Variable v;
  {
    auto d = g->Device("/cpu:1");
    v = Variable(*g, ops::Const(*g, 10), "v");
  }
  Output bumped = v.AssignAdd(ops::Const(*g, 5), "bump");
  Output read_after;
  {
    auto d = g->Device("/cpu:0");
    auto deps = g->ControlDependencies({Operation(bumped)});
    // read_value() under the control dependency sees the bumped value; the
    // read is colocated with v on cpu:1, and its result crosses to cpu:0.
    read_after = ops::Neg(*g, v.ReadValue(), "read_after");
  }
  auto sess = Session::Create(g, TwoCpus()).value();
  ASSERT_TRUE(sess->Run({}, {}, {v.initializer()}).ok());
  for (int i = 1; i <= 3; ++i) {
    auto out = sess->Run({}, {read_after});
    ASSERT_TRUE(out.ok()) << out.status();
    EXPECT_EQ((*out)[0].scalar<int32_t>().value(), -(10 + 5 * i));
  }
  for (const PlacementRecord& r : sess->PlacementRecords()) {
    if (r.node == "bump" || r.node == "v" || r.node == "read") EXPECT_EQ(r.assigned, kCpu1) << r.node;
    if (r.node == "read_after") EXPECT_EQ(r.assigned, kCpu0);
  }
}

TEST(CrossDeviceTest, ErrorsOnEitherSideNameTheNode) {
  auto g = Graph::Create();
  Output x = ops::Placeholder(*g, DataType::kInt32, PartialShape{-1}, "x");
  Output d0, d1;
  {
    auto d = g->Device("/cpu:1");
    d1 = ops::Div(*g, ops::Const(*g, 10), x, "div_on_cpu1");
  }
  {
    auto d = g->Device("/cpu:0");
    d0 = ops::Div(*g, d1, x, "div_on_cpu0");
  }
  auto sess = Session::Create(g, TwoCpus()).value();
  auto bad1 = sess->Run({{x, Tensor::Vec<int32_t>({0})}}, {d0});
  EXPECT_EQ(bad1.status().code(), Code::kInvalidArgument);
  EXPECT_NE(bad1.status().message().find("{{node div_on_cpu1}}"), std::string::npos) << bad1.status();
  // 10 / 20 = 0 on cpu:1, then 0 / 20 is fine; an uneven feed fails on cpu:0 instead.
  auto ok = sess->Run({{x, Tensor::Vec<int32_t>({20})}}, {d0});
  ASSERT_TRUE(ok.ok()) << ok.status();
  Output z;
  {
    auto d = g->Device("/cpu:0");
    z = ops::Div(*g, d1, ops::Const(*g, 0), "div_by_zero_on_cpu0");
  }
  auto bad0 = sess->Run({{x, Tensor::Vec<int32_t>({1})}}, {z});
  EXPECT_NE(bad0.status().message().find("{{node div_by_zero_on_cpu0}}"), std::string::npos) << bad0.status();
}

TEST(CrossDeviceTest, ConcurrentRunsAcrossDevices) {
  Split s = MakeSplit();
  SessionOptions o = TwoCpus();
  o.inter_op_parallelism_threads = 2;
  auto sess = Session::Create(s.g, o).value();
  std::atomic<int> wrong{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 300; ++i) {
        const float v = static_cast<float>(t + i);
        auto r = sess->Run({{s.x, Tensor::Vec<float>({v})}}, {s.c});
        const float a = 2 * v, expected = (a + 1) - a * a + a;
        if (!r.ok() || (*r)[0].flat<float>()[0] != expected) ++wrong;
      }
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_EQ(wrong.load(), 0);
}

TEST(CrossDeviceTest, CopyStepsFollowTheEventProtocol) {
  // CPU:0 produces; a copy step on CPU:1 records an event on CPU:0's compute
  // stream, waits on it on CPU:1's copy-in stream, copies, and CPU:1's
  // compute stream waits for the copy. (On a GPU the same calls are CUDA
  // events and stream waits.)
  CpuContext ctx(1);
  CpuDevice cpu0(0, &ctx), cpu1(1, &ctx);
  auto g = Graph::Create();
  Output c = ops::Const(*g, Tensor::Vec<float>({1, 2, 3}));
  CopyKernel copy(*c.node(), &cpu0);
  Tensor in = Tensor::Vec<float>({1, 2, 3});
  const Tensor* inputs[] = {&in};
  Tensor out[1];
  OpKernelContext kctx(*c.node(), &cpu1, inputs, 1, out);
  ASSERT_TRUE(copy.Compute(kctx).ok());
  ExpectValues<float>(out[0], {1, 2, 3}, {3});
  EXPECT_NE(out[0].raw_data(), in.raw_data());  // a real copy, into CPU:1's memory
  EXPECT_EQ(cpu0.cpu_stream(StreamRole::kCompute).records(), 1);
  EXPECT_EQ(cpu0.cpu_stream(StreamRole::kDeviceToHost).waits(), 1);
  EXPECT_EQ(cpu1.cpu_stream(StreamRole::kHostToDevice).waits(), 1);
  EXPECT_EQ(cpu1.cpu_stream(StreamRole::kHostToDevice).records(), 1);
  EXPECT_EQ(cpu1.cpu_stream(StreamRole::kCompute).waits(), 1);
  EXPECT_EQ(cpu1.cpu_stream(StreamRole::kCompute).records(), 0);
}

}  // namespace
}  // namespace tessera
