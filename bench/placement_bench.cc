// Placement of large graphs: chains and fan-outs, some nodes pinned, some
// CPU-only, over 1 CPU + 2 (synthetic) GPUs. Measures Place() alone.
//
//   build/bench/placement_bench --benchmark_repetitions=5
#include <benchmark/benchmark.h>

#include "placement/placer.h"
#include "tessera/tessera.h"

namespace tessera {
namespace {

const KernelRegistry& RegistryWithGpuKernels() {
  static KernelRegistry* r = [] {
    auto* reg = new KernelRegistry();
    Status s = RegisterCpuKernels(*reg);
    const std::vector<DataType> f = {DataType::kFloat, DataType::kDouble};
    for (const char* op : {"Add", "AddV2", "Mul", "Neg", "Tanh", "MatMul"}) {
      if (s.ok()) s = reg->Register(KernelDef(op, DeviceType::kGpu).TypeConstraint("T", f));
    }
    if (s.ok()) s = reg->Register(KernelDef("Const", DeviceType::kGpu).TypeConstraint("dtype", f));
    if (!s.ok()) std::abort();
    return reg;
  }();
  return *r;
}

// ~n nodes: chains of 10 Adds fanning out from shared constants; every 7th
// chain pinned to /gpu:1, every 11th ends in a CPU-only Print.
std::shared_ptr<Graph> BuildGraph(int n) {
  auto g = Graph::Create();
  Output c = ops::Const(*g, Tensor::Vec<float>({1, 2}), "c");
  int chain = 0;
  while (g->num_nodes() < n) {
    std::optional<Graph::ScopeGuard> dev;
    if (chain % 7 == 0) dev.emplace(g->Device("/gpu:1"));
    Output x = c;
    for (int i = 0; i < 10; ++i) x = ops::Add(*g, x, c);
    if (chain % 11 == 0) ops::Print(*g, x);
    ++chain;
  }
  return g;
}

void BM_Place(benchmark::State& state) {
  auto g = BuildGraph(static_cast<int>(state.range(0)));
  std::vector<const Node*> nodes;
  for (Node* n : g->nodes()) nodes.push_back(n);
  std::vector<DeviceName> devices = {DeviceName::Local(DeviceType::kCpu, 0), DeviceName::Local(DeviceType::kGpu, 0),
                                     DeviceName::Local(DeviceType::kGpu, 1)};
  PlacerOptions o;
  o.allow_soft_placement = true;
  for (auto _ : state) {
    auto p = Place(nodes, devices, RegistryWithGpuKernels(), o);
    if (!p.ok()) state.SkipWithError(p.status().ToString().c_str());
    benchmark::DoNotOptimize(p);
  }
  state.counters["nodes"] = static_cast<double>(nodes.size());
  state.counters["ns_per_node"] = benchmark::Counter(
      static_cast<double>(nodes.size()), benchmark::Counter::kIsIterationInvariantRate | benchmark::Counter::kInvert);
}
BENCHMARK(BM_Place)->Arg(1000)->Arg(10000)->Arg(100000)->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace tessera

BENCHMARK_MAIN();
