// RunMetadata as a Chrome trace: parsed with nlohmann/json and checked for
// the structure chrome://tracing and Perfetto expect (metadata naming every
// process and track, complete events with numeric times), for nesting (the
// events of one track never overlap), and for what a reader looks for: every
// node with its op, device and output shapes, every copy with its bytes and
// direction, the host's wait points, nanosecond times.
#include <map>
#include <nlohmann/json.hpp>
#include <set>

#include "tests/test_util.h"

namespace tessera {
namespace {

using nlohmann::json;

constexpr const char* kCpu0 = "/job:localhost/replica:0/task:0/device:CPU:0";
constexpr const char* kCpu1 = "/job:localhost/replica:0/task:0/device:CPU:1";

// A two-CPU step with a cross-device copy, traced.
RunMetadata TracedStep(int inter_op_threads) {
  auto g = Graph::Create();
  Output x = ops::Placeholder(*g, DataType::kFloat, PartialShape{-1, 16}, "x");
  Output h;
  {
    auto d = g->Device("/cpu:1");
    h = ops::Relu(*g, ops::MatMul(*g, x, ops::RandomUniform(*g, {16, 8}, DataType::kFloat, 7), false, false, "mm"),
                  "h");
  }
  Output y = ops::Sum(*g, h, {1}, false, "y");  // back on CPU:0: h is copied
  SessionOptions o;
  o.device_count["CPU"] = 2;
  o.inter_op_parallelism_threads = inter_op_threads;
  auto sess = Session::Create(g, o).value();
  RunOptions ro;
  ro.trace_level = RunOptions::TraceLevel::kFullTrace;
  RunMetadata md;
  auto out = sess->Run(ro, {{x, Tensor(DataType::kFloat, TensorShape{4, 16})}}, {y}, {}, &md);
  EXPECT_TRUE(out.ok()) << out.status();
  return md;
}

TEST(TraceTest, TheChromeTraceIsWellFormedAndEachTrackNests) {
  for (int threads : {1, 2}) {
    const RunMetadata md = TracedStep(threads);
    const std::string text = RunMetadataToChromeTrace(md);
    json trace = json::parse(text);  // throws on malformed JSON
    ASSERT_TRUE(trace.is_object());
    EXPECT_EQ(trace["displayTimeUnit"], "ns");
    ASSERT_TRUE(trace["traceEvents"].is_array());
    std::map<int, std::string> processes;
    std::set<std::pair<int, int>> named_tracks;
    std::map<std::pair<int, int>, std::vector<std::pair<double, double>>> spans;
    size_t complete = 0;
    for (const json& e : trace["traceEvents"]) {
      ASSERT_TRUE(e.contains("ph") && e.contains("pid") && e.contains("name")) << e;
      if (e["ph"] == "M") {
        if (e["name"] == "process_name") processes[e["pid"].get<int>()] = e["args"]["name"];
        if (e["name"] == "thread_name") named_tracks.insert({e["pid"].get<int>(), e["tid"].get<int>()});
        continue;
      }
      ASSERT_EQ(e["ph"], "X") << e;
      ++complete;
      ASSERT_TRUE(e["ts"].is_number() && e["dur"].is_number()) << e;
      EXPECT_GE(e["dur"].get<double>(), 0.0);
      const std::pair<int, int> track{e["pid"].get<int>(), e["tid"].get<int>()};
      EXPECT_TRUE(processes.count(track.first)) << "the process is named before its events: " << e;
      EXPECT_TRUE(named_tracks.count(track)) << "the track is named before its events: " << e;
      spans[track].push_back({e["ts"].get<double>(), e["ts"].get<double>() + e["dur"].get<double>()});
      ASSERT_TRUE(e["args"].contains("op") && e["args"].contains("device")) << e;
    }
    EXPECT_EQ(complete, md.step_stats.size());
    for (auto& [track, s] : spans) {
      std::sort(s.begin(), s.end());
      for (size_t i = 1; i < s.size(); ++i) {
        EXPECT_LE(s[i - 1].second, s[i].first + 1e-3)
            << "overlapping events on track " << track.first << "/" << track.second;
      }
    }
    std::set<std::string> names;
    for (const auto& [pid, name] : processes) names.insert(name);
    EXPECT_TRUE(names.count(kCpu0) && names.count(kCpu1)) << text;
    EXPECT_EQ(names.count("host (the Run's caller)"), threads > 1 ? 1u : 0u) << "the host's wait, with a pool";
  }
}

TEST(TraceTest, EventsCarryOpsShapesBytesDirectionsAndNanoseconds) {
  const RunMetadata md = TracedStep(2);
  json trace = json::parse(RunMetadataToChromeTrace(md));
  std::map<std::string, json> by_name;
  for (const json& e : trace["traceEvents"]) {
    if (e["ph"] == "X") by_name[e["name"]] = e;
  }
  ASSERT_TRUE(by_name.count("mm")) << trace.dump(1);
  const json& mm = by_name["mm"];
  EXPECT_EQ(mm["cat"], "op");
  EXPECT_EQ(mm["args"]["op"], "MatMul");
  EXPECT_EQ(mm["args"]["device"], kCpu1);
  EXPECT_EQ(mm["args"]["outputs"], json::array({"float [4,8]"}));
  EXPECT_EQ(mm["args"]["bytes"], 4 * 8 * 4);
  // x is fed on the host (CPU:0) and copied to CPU:1; h comes back.
  ASSERT_TRUE(by_name.count("h:0 CPU:1 -> CPU:0")) << trace.dump(1);
  const json& copy = by_name["h:0 CPU:1 -> CPU:0"];
  EXPECT_EQ(copy["cat"], "copy");
  EXPECT_EQ(copy["args"]["op"], "_Copy");
  EXPECT_EQ(copy["args"]["bytes"], 4 * 8 * 4);
  EXPECT_EQ(copy["args"]["from"], kCpu1);
  EXPECT_EQ(copy["args"]["to"], kCpu0);
  EXPECT_EQ(copy["args"]["direction"], "host to host");
  EXPECT_TRUE(by_name.count("x:0 CPU:0 -> CPU:1"));
  ASSERT_TRUE(by_name.count("wait for inter-op threads"));
  EXPECT_EQ(by_name["wait for inter-op threads"]["cat"], "wait");
  // Nanoseconds: the stats keep them, the JSON writes microseconds with three decimals.
  for (const NodeExecStats& st : md.step_stats) {
    EXPECT_LE(st.start_nanos, st.end_nanos);
    EXPECT_EQ(st.start_micros, st.start_nanos / 1000);
  }
  const std::string text = RunMetadataToChromeTrace(md);
  EXPECT_NE(text.find("\"ts\": "), std::string::npos);
  const size_t ts = text.find("\"ts\": ", text.find("\"ph\": \"X\""));
  const size_t dot = text.find('.', ts);
  ASSERT_NE(dot, std::string::npos);
  EXPECT_TRUE(std::isdigit(text[dot + 1]) && std::isdigit(text[dot + 2]) && std::isdigit(text[dot + 3])) << text;
}

TEST(TraceTest, AnUntracedRunGivesAnEmptyTrace) {
  RunMetadata md;
  json trace = json::parse(RunMetadataToChromeTrace(md));
  EXPECT_TRUE(trace["traceEvents"].empty());
}

}  // namespace
}  // namespace tessera
