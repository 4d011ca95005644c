// A small MLP forward pass (784-256-10, batch 64, random weights) with its
// placement log. The layers ask for /gpu:0; with soft placement they run on
// the CPU when there is no GPU, and the log says why.
//
//   mlp_inference [--dot=FILE] [--trace=FILE]
// also writes the placed graph as Graphviz DOT and one traced step as a
// Chrome trace (chrome://tracing, ui.perfetto.dev).
#include <tessera/tessera.h>

#include <chrono>
#include <fstream>
#include <iostream>
#include <string>
#include <string_view>

#include "tools/demo_graphs.h"

using namespace tessera;

namespace {

bool WriteFile(const std::string& path, const std::string& text) {
  std::ofstream out(path);
  out << text;
  if (!out) std::cerr << "cannot write " << path << "\n";
  return static_cast<bool>(out);
}

}  // namespace

int main(int argc, char** argv) {
  std::string dot_path, trace_path;
  for (int i = 1; i < argc; ++i) {
    const std::string_view arg = argv[i];
    if (arg.rfind("--dot=", 0) == 0) {
      dot_path = arg.substr(6);
    } else if (arg.rfind("--trace=", 0) == 0) {
      trace_path = arg.substr(8);
    } else {
      std::cerr << "usage: mlp_inference [--dot=FILE] [--trace=FILE]\n";
      return 2;
    }
  }
  demo::MlpGraph m = demo::BuildMlp();
  auto& g = m.graph;
  Output x = m.x, probs = m.probs, prediction = m.prediction;
  Operation init = m.init;
  if (!g->status().ok()) {
    std::cerr << g->status() << "\n";
    return 1;
  }

  SessionOptions options;
  options.allow_soft_placement = true;
  options.log_device_placement = true;
  auto sess = Session::Create(g, options);
  if (!sess.ok()) {
    std::cerr << sess.status() << "\n";
    return 1;
  }
  if (Status s = (*sess)->Run({}, {}, {init}).status(); !s.ok()) {
    std::cerr << s << "\n";
    return 1;
  }
  Tensor batch = Tensor::FromVector<float>(std::vector<float>(64 * 784, 0.5f), {64, 784}).value();
  auto out = (*sess)->Run({{x, batch}}, {probs, prediction});  // first run: builds the plan, logs placement
  if (!out.ok()) {
    std::cerr << out.status() << "\n";
    return 1;
  }
  constexpr int kRuns = 50;
  auto t0 = std::chrono::steady_clock::now();
  for (int i = 0; i < kRuns; ++i) out = (*sess)->Run({{x, batch}}, {probs, prediction});
  auto t1 = std::chrono::steady_clock::now();
  const double ms = std::chrono::duration<double, std::milli>(t1 - t0).count() / kRuns;
  std::cout << "output shape " << (*out)[0].shape().DebugString() << ", predictions " << (*out)[1].shape().DebugString()
            << "\n";
  std::cout << "first row: " << (*out)[0].SummarizeValue(10) << "\n";
  std::cout << "forward pass (batch 64): " << ms << " ms per Run (mean of " << kRuns << ")\n";
  if (!dot_path.empty()) {
    DotOptions d;
    d.unknown_dim = 64;
    if (!WriteFile(dot_path, PlacementToDot(*g, (*sess)->PlacementRecords(), d))) return 1;
  }
  if (!trace_path.empty()) {
    RunOptions traced;
    traced.trace_level = RunOptions::TraceLevel::kFullTrace;
    RunMetadata md;
    if (Status s = (*sess)->Run(traced, {{x, batch}}, {probs, prediction}, {}, &md).status(); !s.ok()) {
      std::cerr << s << "\n";
      return 1;
    }
    if (!WriteFile(trace_path, RunMetadataToChromeTrace(md))) return 1;
  }
  return 0;
}
