// Sessions over a fake GPU whose kernels run on the host, so the behaviours
// that need a GPU in the placement run here: the copy-cost warning for
// round trips soft placement makes, reduce_copies in a session, bytes per
// copy in RunMetadata, and run-time fallback of a kernel that reports its
// configuration unsupported.
#include <chrono>
#include <cmath>
#include <set>

#include "src/framework/kernel_registry.h"
#include "src/runtime/cpu_context.h"
#include "src/runtime/device_mgr.h"
#include "src/runtime/direct_session.h"
#include "tessera/checkpoint.h"
#include "tests/test_util.h"

namespace tessera {
namespace {

constexpr const char* kCpu0 = "/job:localhost/replica:0/task:0/device:CPU:0";
constexpr const char* kGpu0 = "/job:localhost/replica:0/task:0/device:GPU:0";

// A GPU in name whose memory is the host's: the CPU kernels run on it.
class HostBackedGpu final : public Device {
 public:
  explicit HostBackedGpu(int id) : Device(DeviceName::Local(DeviceType::kGpu, id), Attributes(id)), context_(1) {}
  Allocator* allocator() override { return HostAllocator(); }
  CpuContext* cpu_context() override { return &context_; }
  Stream* stream(StreamRole role) override { return &streams_[static_cast<int>(role)]; }
  // Timing marks as a GPU's events would be, on the host's clock.
  struct Mark final : Event {
    std::chrono::steady_clock::time_point at = std::chrono::steady_clock::now();
    Status HostWait() const override { return Status::OK(); }
  };
  StatusOr<std::shared_ptr<Event>> RecordTimingMark() override { return std::shared_ptr<Event>(new Mark()); }
  StatusOr<int64_t> NanosBetween(const Event& from, const Event& to) override {
    return std::chrono::duration_cast<std::chrono::nanoseconds>(static_cast<const Mark&>(to).at -
                                                                static_cast<const Mark&>(from).at)
        .count();
  }

 private:
  static DeviceAttributes Attributes(int id) {
    DeviceAttributes a;
    a.name = DeviceName::Local(DeviceType::kGpu, id).ToString();
    a.device_type = "GPU";
    a.physical_device_desc = "device: " + std::to_string(id) + ", name: host-backed test GPU";
    return a;
  }
  CpuContext context_;
  CpuStream streams_[3] = {CpuStream("compute"), CpuStream("h2d"), CpuStream("d2h")};
};

// A GPU kernel that rejects its configuration at run time, as cuDNN does.
class Unsupported final : public OpKernel {
 public:
  explicit Unsupported(const KernelConstruction& c) : OpKernel(c.node) {}
  Status Compute(OpKernelContext&) const override {
    ++calls;
    return UnimplementedError("the GPU kernel does not support this configuration");
  }
  static inline std::atomic<int> calls{0};
};

// CPU kernels for everything; on the GPU, the CPU kernels of a few ops, and
// a Sqrt that fails as unsupported.
const KernelRegistry& Registry() {
  static KernelRegistry* r = [] {
    auto* reg = new KernelRegistry();
    EXPECT_TRUE(RegisterCpuKernels(*reg).ok());
    const std::set<std::string> on_gpu = {"Neg", "Square", "Const", "Identity", "MatMul", "Add", "AddV2"};
    KernelRegistry cpu;
    EXPECT_TRUE(RegisterCpuKernels(cpu).ok());
    cpu.Subset([&](const KernelDef& d) {
      if (on_gpu.count(d.op)) {
        KernelDef g = d;
        g.device_type = DeviceType::kGpu;
        EXPECT_TRUE(reg->Register(g).ok());
      }
      return false;
    });
    EXPECT_TRUE(reg->Register(KernelDef("Sqrt", DeviceType::kGpu)
                                  .TypeConstraint("T", {DataType::kFloat})
                                  .Factory(MakeKernelFactory<Unsupported>()))
                    .ok());
    return reg;
  }();
  return *r;
}

struct Log {
  std::vector<std::string> lines;
  std::vector<LogRecord::Kind> kinds;
};

std::shared_ptr<DirectSession> FakeGpuSession(std::shared_ptr<Graph> g, SessionOptions o, Log* log) {
  o.log_record_sink = [log](const LogRecord& r) {
    log->lines.emplace_back(r.text);
    log->kinds.push_back(r.kind);
  };
  GpuProbe one;
  one.gpus.push_back(GpuInfo{0, "test", "0000:00:00.0", 9, 0, int64_t{1} << 30});
  auto devices = DeviceMgr::CreateWith(o, one, [](int id, const GpuInfo&, const GPUOptions&) {
    return StatusOr<std::unique_ptr<Device>>(std::unique_ptr<Device>(std::make_unique<HostBackedGpu>(id)));
  });
  EXPECT_TRUE(devices.ok()) << devices.status();
  auto s = DirectSession::CreateWith(std::move(g), o, std::move(*devices), &Registry());
  EXPECT_TRUE(s.ok()) << s.status();
  return *s;
}

// x (fed) -> a = Neg (GPU) -> p = Print (no GPU kernel: CPU) -> b = Square (GPU).
struct Island {
  std::shared_ptr<Graph> g = Graph::Create();
  Output x, a, p, b;
  Island() {
    x = ops::Placeholder(*g, DataType::kFloat, PartialShape{-1, 256}, "x");
    auto dev = g->Device("/gpu:0");
    a = ops::Neg(*g, x, "a");
    p = ops::Print(*g, a, "a is", 3, "p");
    b = ops::Square(*g, p, "b");
  }
  Tensor Batch() const { return Tensor::FromVector<float>(std::vector<float>(4 * 256, 2.0f), {4, 256}).value(); }
};

Status RunB(DirectSession& s, const Island& m, std::vector<Tensor>* out, RunMetadata* md = nullptr) {
  return s.Run(RunOptions(), {{m.x, m.Batch()}}, {m.b}, {}, out, md);
}

TEST(FakeGpuSessionTest, ARoundTripThroughACpuIslandIsOneWarningWithItsBytes) {
  Island m;
  Log log;
  SessionOptions o;
  o.allow_soft_placement = true;
  o.round_trip_warning_bytes = 0;  // report any round trip
  auto s = FakeGpuSession(m.g, o, &log);
  std::vector<Tensor> out;
  RunMetadata md;
  ASSERT_TRUE(RunB(*s, m, &out, &md).ok());
  EXPECT_EQ(out[0].SummarizeValue(3), "[[4 4 4...]]");
  ASSERT_EQ(log.lines.size(), 2u) << "the soft-placement warning, then the round trip";
  EXPECT_EQ(log.kinds[1], LogRecord::Kind::kRoundTripWarning);
  EXPECT_EQ(log.lines[1], "Soft placement makes a round trip GPU:0 -> CPU:0 -> GPU:0 through 1 node (p (" +
                              testing::SourceOf(*m.g, "p") +
                              "): no GPU kernel for Print with T=float): 2 copies moved " +
                              std::to_string(2 * 4 * 256 * 4) +
                              " bytes this step. Give it a GPU kernel, pin the neighbours to CPU:0, or set "
                              "SessionOptions::reduce_copies.");
  // Bytes per copy in RunMetadata: x to the GPU, a to the CPU, p back.
  std::map<std::string, int64_t> bytes;
  for (const CopyRecord& c : md.copies) bytes[c.tensor] = c.bytes;
  EXPECT_EQ(bytes, (std::map<std::string, int64_t>{{"x:0", 4096}, {"a:0", 4096}, {"p:0", 4096}}));
  // Once per plan.
  ASSERT_TRUE(RunB(*s, m, &out).ok());
  EXPECT_EQ(log.lines.size(), 2u);
}

// A traced step: GPU work carries device times (from the device's timing
// marks), and the Chrome trace shows it on the device's compute-stream track.
TEST(FakeGpuSessionTest, TracesCarryDeviceTimesOfGpuWork) {
  Island m;
  Log log;
  SessionOptions o;
  o.allow_soft_placement = true;
  auto s = FakeGpuSession(m.g, o, &log);
  RunOptions traced;
  traced.trace_level = RunOptions::TraceLevel::kFullTrace;
  RunMetadata md;
  std::vector<Tensor> out;
  ASSERT_TRUE(s->Run(traced, {{m.x, m.Batch()}}, {m.b}, {}, &out, &md).ok());
  int gpu_nodes = 0;
  for (const NodeExecStats& st : md.step_stats) {
    const bool on_gpu = st.device == kGpu0 && st.kind == NodeExecStats::Kind::kNode;
    if (!on_gpu) {
      EXPECT_EQ(st.device_start_nanos, -1) << st.node_name;
      continue;
    }
    ++gpu_nodes;
    EXPECT_GE(st.device_start_nanos, 0) << st.node_name;
    EXPECT_LE(st.device_start_nanos, st.device_end_nanos) << st.node_name;
    EXPECT_LE(st.device_end_nanos, md.step_stats.back().end_nanos + 1000000) << st.node_name;
  }
  EXPECT_EQ(gpu_nodes, 2) << "a and b";
  const std::string trace = RunMetadataToChromeTrace(md);
  EXPECT_NE(trace.find("\"compute stream (device time)\""), std::string::npos) << trace;
  size_t device_events = 0;
  for (size_t at = trace.find("\"cat\": \"device\""); at != std::string::npos;
       at = trace.find("\"cat\": \"device\"", at + 1)) {
    ++device_events;
  }
  EXPECT_EQ(device_events, 2u);
}

TEST(FakeGpuSessionTest, TheThresholdKeepsSmallRoundTripsQuiet) {
  for (int64_t threshold : {int64_t{1} << 16, int64_t{-1}}) {
    Island m;
    Log log;
    SessionOptions o;
    o.allow_soft_placement = true;
    o.round_trip_warning_bytes = threshold;
    auto s = FakeGpuSession(m.g, o, &log);
    std::vector<Tensor> out;
    ASSERT_TRUE(RunB(*s, m, &out).ok());
    for (LogRecord::Kind k : log.kinds) EXPECT_NE(k, LogRecord::Kind::kRoundTripWarning) << threshold;
  }
  SessionOptions bad;
  bad.round_trip_warning_bytes = -2;
  EXPECT_EQ(Session::Create(Graph::Create(), bad).status().code(), Code::kInvalidArgument);
}

TEST(FakeGpuSessionTest, ReduceCopiesInASessionRemovesTheRoundTrip) {
  Island m;
  Log log;
  SessionOptions o;
  o.allow_soft_placement = true;
  o.round_trip_warning_bytes = 0;
  o.reduce_copies = true;
  auto s = FakeGpuSession(m.g, o, &log);
  std::vector<Tensor> out;
  RunMetadata md;
  ASSERT_TRUE(RunB(*s, m, &out, &md).ok());
  EXPECT_EQ(out[0].SummarizeValue(3), "[[4 4 4...]]");
  EXPECT_TRUE(md.copies.empty()) << md.copies.size();
  for (const PlacementRecord& r : s->placement_records()) {
    EXPECT_EQ(r.assigned, kCpu0) << r.node;
    if (r.node == "a" || r.node == "b") EXPECT_EQ(r.reason, PlacementReason::kCopyReduction) << r.node;
  }
  for (LogRecord::Kind k : log.kinds) EXPECT_NE(k, LogRecord::Kind::kRoundTripWarning);
}

TEST(FakeGpuSessionTest, AnUnsupportedKernelFallsBackToTheCpuAtRunTime) {
  auto g = Graph::Create();
  Output x = ops::Placeholder(*g, DataType::kFloat, PartialShape{2}, "x");
  Output y;
  {
    auto dev = g->Device("/gpu:0");
    y = ops::Sqrt(*g, ops::Square(*g, x, "sq"), "root");
  }
  Log log;
  SessionOptions o;
  o.allow_soft_placement = true;
  auto s = FakeGpuSession(g, o, &log);
  EXPECT_EQ(s->placement_records().size(), 0u);
  std::vector<Tensor> out;
  const int calls = Unsupported::calls.load();
  ASSERT_TRUE(s->Run(RunOptions(), {{x, Tensor::Vec<float>({3, -4})}}, {y}, {}, &out, nullptr).ok());
  EXPECT_EQ(out[0].DebugString(), "[3. 4.]") << "the step ran again, with Sqrt on the CPU";
  EXPECT_EQ(Unsupported::calls.load(), calls + 1);
  ASSERT_EQ(log.lines.size(), 1u);
  EXPECT_EQ(log.kinds[0], LogRecord::Kind::kRuntimeFallback);
  EXPECT_EQ(log.lines[0], "Run-time fallback: root (Sqrt" + testing::DefinedAt(*g, "root") + ") failed on " +
                              std::string(kGpu0) +
                              " with Unimplemented: the GPU kernel does not support this configuration; it runs on " +
                              kCpu0 + " from now on, and this step ran again there.");
  for (const PlacementRecord& r : s->placement_records()) {
    if (r.node == "root") {
      EXPECT_EQ(r.assigned, kCpu0);
      EXPECT_EQ(r.reason, PlacementReason::kSoftRuntimeFallback);
      EXPECT_EQ(r.detail,
                "its GPU kernel failed at run time: Unimplemented: the GPU kernel does not support this configuration");
    }
    if (r.node == "sq") EXPECT_EQ(r.assigned, kGpu0);
  }
  // Later Runs, and other plans, use the CPU kernel without trying the GPU again.
  ASSERT_TRUE(s->Run(RunOptions(), {{x, Tensor::Vec<float>({1, 2})}}, {y}, {}, &out, nullptr).ok());
  EXPECT_EQ(Unsupported::calls.load(), calls + 1);
  EXPECT_EQ(log.lines.size(), 1u);
}

TEST(FakeGpuSessionTest, WithoutSoftPlacementTheUnsupportedErrorIsReturned) {
  auto g = Graph::Create();
  Output x = ops::Placeholder(*g, DataType::kFloat, PartialShape{2}, "x");
  Output y;
  {
    auto dev = g->Device("/gpu:0");
    y = ops::Sqrt(*g, x, "root");
  }
  Log log;
  auto s = FakeGpuSession(g, SessionOptions(), &log);
  std::vector<Tensor> out;
  Status st = s->Run(RunOptions(), {{x, Tensor::Vec<float>({4, 9})}}, {y}, {}, &out, nullptr);
  EXPECT_EQ(st.code(), Code::kUnimplemented);
  EXPECT_NE(st.message().find("[[{{node root}}"), std::string::npos) << st;
  EXPECT_TRUE(log.lines.empty());
}

// A step that updates a variable is not run twice: it fails once, saying so,
// and the next Run uses the CPU.
TEST(FakeGpuSessionTest, AStepThatUpdatesVariablesIsNotRunAgain) {
  auto g = Graph::Create();
  Variable v(*g, ops::Const(*g, Tensor::Vec<float>({0, 0})), "v");
  Output x = ops::Placeholder(*g, DataType::kFloat, PartialShape{2}, "x");
  Output root;
  {
    auto dev = g->Device("/gpu:0");
    root = ops::Sqrt(*g, x, "root");
  }
  Output update = v.AssignAdd(root, "update");
  Log log;
  SessionOptions o;
  o.allow_soft_placement = true;
  auto s = FakeGpuSession(g, o, &log);
  std::vector<Tensor> out;
  ASSERT_TRUE(s->Run(RunOptions(), {}, {}, {v.initializer()}, &out, nullptr).ok());
  Status st = s->Run(RunOptions(), {{x, Tensor::Vec<float>({4, 9})}}, {update}, {}, &out, nullptr);
  EXPECT_EQ(st.code(), Code::kUnimplemented);
  EXPECT_NE(st.message().find("(root runs on " + std::string(kCpu0) + " from the next Run: run the step again)"),
            std::string::npos)
      << st;
  ASSERT_EQ(log.lines.size(), 1u);
  EXPECT_NE(log.lines[0].find("this step updates variables, so it was not run again."), std::string::npos);
  ASSERT_TRUE(s->Run(RunOptions(), {{x, Tensor::Vec<float>({4, 9})}}, {update}, {}, &out, nullptr).ok());
  EXPECT_EQ(out[0].DebugString(), "[2. 3.]") << "added once";
}

// A save path pinned to the GPU falls back to the CPU under soft placement,
// as in TF (SaveV2 has only a CPU kernel), and says so; without soft
// placement the pin is an error naming the node and the missing kernel.
TEST(FakeGpuSessionTest, TheSavePathFallsBackToTheCpu) {
  const std::string prefix = ::testing::TempDir() + "tessera_fake_gpu_save";
  auto build = [&] {
    auto g = Graph::Create();
    auto dev = g->Device("/gpu:0");
    Output w = ops::Neg(*g, ops::Const(*g, Tensor::Vec<float>({1, 2}), "w0"), "w");
    Operation save = ops::SaveV2(*g, ops::Const(*g, Tensor::Scalar<std::string>(prefix), "prefix"),
                                 ops::Const(*g, Tensor::Vec<std::string>({"w"}), "names"),
                                 ops::Const(*g, Tensor::Vec<std::string>({""}), "slices"), {w}, "save");
    return std::make_pair(g, save);
  };
  auto [g, save] = build();
  SessionOptions o;
  o.allow_soft_placement = true;
  o.log_device_placement = true;
  Log log;
  auto s = FakeGpuSession(g, o, &log);
  std::vector<Tensor> out;
  ASSERT_TRUE(s->Run(RunOptions(), {}, {}, {save}, &out, nullptr).ok());
  std::string all;
  for (const auto& l : log.lines) all += l + "\n";
  EXPECT_NE(all.find("w: (Neg): " + std::string(kGpu0)), std::string::npos) << all;
  EXPECT_NE(all.find("save: (SaveV2): " + std::string(kCpu0)), std::string::npos) << all;
  auto reader = CheckpointReader::Open(prefix);
  ASSERT_TRUE(reader.ok()) << reader.status();
  EXPECT_EQ((*reader)->GetTensor("w")->DebugString(), "[-1. -2.]");

  auto [hard, hard_save] = build();
  Log quiet;
  auto strict = FakeGpuSession(hard, SessionOptions(), &quiet);
  Status st = strict->Run(RunOptions(), {}, {}, {hard_save}, &out, nullptr);
  EXPECT_EQ(st.code(), Code::kInvalidArgument);
  EXPECT_NE(st.message().find("Cannot assign a device for operation save (defined at fake_gpu_session_test.cc:"),
            std::string::npos)
      << st;
  // No dtype has a GPU kernel for SaveV2, so no advice to cast.
  EXPECT_NE(st.message().find("): Could not satisfy explicit device specification '/device:GPU:0' because no "
                              "supported kernel for GPU devices is available (no GPU kernel for SaveV2). Available "
                              "devices: [ " +
                              std::string(kCpu0) + ", " + kGpu0 +
                              " ]. To fix it: pass allow_soft_placement=true (it would run on " + kCpu0 +
                              "), or pin it to /cpu:0."),
            std::string::npos)
      << st;
}

}  // namespace
}  // namespace tessera
