// Session::Run costs on the CPU, each beside its zero-overhead anchor
// (the same math written by hand), in one run:
//   - Run overhead of a 3-node graph: Placeholder -> Mul -> Add -> Relu on 1x4 f32
//   - per-node cost: a chain of 101 Adds minus a chain of 1 (inter-op pool of 1 and 2)
//   - two independent 512^3 MatMul branches, 1 vs 2 threads
//   - MatMul f32 64^3, 1024^3 and 2048^3 on 1 and 2 threads
//   - elementwise Add of 1M f32
//   - MLP 784-256-256-10 forward at batch 1 and 64
//   - graph build + session creation + first Run of 3 nodes
//   - a graph growing by one node per run (new fetch each run, or a fixed one)
//
//   build/bench/runtime_bench --benchmark_repetitions=5 --benchmark_report_aggregates_only=true
#include <benchmark/benchmark.h>
#include <dnnl.h>
#include <omp.h>

#include <Eigen/Core>
#include <cmath>
#include <cstdio>
#include <vector>

#include "tessera/tessera.h"

namespace tessera {
namespace {

SessionOptions Threads(int inter, int intra) {
  SessionOptions o;
  o.inter_op_parallelism_threads = inter;
  o.intra_op_parallelism_threads = intra;
  return o;
}

// ---- Run overhead, 3 nodes
void BM_Overhead3_Tessera(benchmark::State& state) {
  auto g = Graph::Create();
  Output x = ops::Placeholder(*g, DataType::kFloat, PartialShape{1, 4}, "x");
  Output y = ops::Relu(*g, ops::Add(*g, ops::Mul(*g, x, ops::Const(*g, 2.0f)), ops::Const(*g, 1.0f)));
  auto sess = Session::Create(g, Threads(1, 1)).value();
  Tensor in = Tensor::FromVector<float>({1, -2, 3, -4}, {1, 4}).value();
  Session::FeedList feeds = {{x, in}};
  std::vector<Output> fetches = {y};
  for (auto _ : state) benchmark::DoNotOptimize(sess->Run(feeds, fetches));
}
BENCHMARK(BM_Overhead3_Tessera);

void BM_Overhead3_Loop(benchmark::State& state) {
  float in[4] = {1, -2, 3, -4}, out[4];
  for (auto _ : state) {
    benchmark::DoNotOptimize(in);
    for (int i = 0; i < 4; ++i) out[i] = std::max(in[i] * 2.0f + 1.0f, 0.0f);
    benchmark::DoNotOptimize(out);
  }
}
BENCHMARK(BM_Overhead3_Loop);

// ---- Chains of Adds (per-node cost = (chain101 - chain1) / 100)
void BM_Chain_Tessera(benchmark::State& state) {
  const int length = static_cast<int>(state.range(0));
  auto g = Graph::Create();
  Output x = ops::Placeholder(*g, DataType::kFloat, PartialShape{1, 4}, "x");
  Output one = ops::Const(*g, 1.0f);
  Output y = x;
  for (int i = 0; i < length; ++i) y = ops::Add(*g, y, one);
  auto sess = Session::Create(g, Threads(static_cast<int>(state.range(1)), 1)).value();
  Session::FeedList feeds = {{x, Tensor::FromVector<float>({1, 2, 3, 4}, {1, 4}).value()}};
  std::vector<Output> fetches = {y};
  for (auto _ : state) benchmark::DoNotOptimize(sess->Run(feeds, fetches));
  state.counters["nodes"] = length;
}
BENCHMARK(BM_Chain_Tessera)->Args({1, 1})->Args({101, 1})->Args({1, 2})->Args({101, 2});

// ---- Two independent 512^3 MatMuls
void BM_TwoMatMuls_Tessera(benchmark::State& state) {
  const int threads = static_cast<int>(state.range(0));
  auto g = Graph::Create();
  Output a = ops::Const(*g, Tensor(DataType::kFloat, TensorShape{512, 512}));
  Output b = ops::Const(*g, Tensor(DataType::kFloat, TensorShape{512, 512}));
  Output m1 = ops::MatMul(*g, a, b), m2 = ops::MatMul(*g, b, a);
  auto sess = Session::Create(g, Threads(threads, 1)).value();
  for (auto _ : state) benchmark::DoNotOptimize(sess->Run({}, {m1, m2}));
}
BENCHMARK(BM_TwoMatMuls_Tessera)->Arg(1)->Arg(2)->UseRealTime()->Unit(benchmark::kMillisecond);

// ---- MatMul through a Session vs Eigen directly
// The MatMul cases: n = 64, 1024, 2048 on 1 and 2 threads.
void MatMulShapes(benchmark::internal::Benchmark* b) {
  for (int64_t n : {64, 1024, 2048}) {
    for (int64_t threads : {1, 2}) b->Args({n, threads});
  }
  b->UseRealTime()->Unit(benchmark::kMicrosecond);
}

void BM_MatMul_Tessera(benchmark::State& state) {
  const int64_t n = state.range(0);
  auto g = Graph::Create();
  Output x = ops::Placeholder(*g, DataType::kFloat, PartialShape{n, n}, "x");
  Output y = ops::MatMul(*g, x, x);
  auto sess = Session::Create(g, Threads(1, static_cast<int>(state.range(1)))).value();
  Tensor in(DataType::kFloat, TensorShape{n, n});
  for (float& v : in.flat<float>()) v = 0.5f;
  Session::FeedList feeds = {{x, in}};
  for (auto _ : state) benchmark::DoNotOptimize(sess->Run(feeds, {y}));
  state.counters["GFLOP/s"] = benchmark::Counter(2.0 * n * n * n, benchmark::Counter::kIsIterationInvariantRate);
}
BENCHMARK(BM_MatMul_Tessera)->Apply(MatMulShapes);

void BM_MatMul_EigenDirect(benchmark::State& state) {
  const int64_t n = state.range(0);
  Eigen::MatrixXf a = Eigen::MatrixXf::Constant(n, n, 0.5f), c(n, n);
  for (auto _ : state) {
    c.noalias() = a * a;
    benchmark::DoNotOptimize(c.data());
  }
  state.counters["GFLOP/s"] = benchmark::Counter(2.0 * n * n * n, benchmark::Counter::kIsIterationInvariantRate);
}
BENCHMARK(BM_MatMul_EigenDirect)->Arg(64)->Arg(1024)->Arg(2048)->UseRealTime()->Unit(benchmark::kMicrosecond);

// oneDNN's sgemm called directly on this thread, with `threads` OpenMP
// threads (the library tessera's large products go through).
void BM_MatMul_OneDnnDirect(benchmark::State& state) {
  const int64_t n = state.range(0);
  omp_set_num_threads(static_cast<int>(state.range(1)));
  std::vector<float> a(static_cast<size_t>(n * n), 0.5f), c(static_cast<size_t>(n * n));
  for (auto _ : state) {
    dnnl_sgemm('N', 'N', n, n, n, 1.0f, a.data(), n, a.data(), n, 0.0f, c.data(), n);
    benchmark::DoNotOptimize(c.data());
  }
  state.counters["GFLOP/s"] = benchmark::Counter(2.0 * n * n * n, benchmark::Counter::kIsIterationInvariantRate);
}
BENCHMARK(BM_MatMul_OneDnnDirect)->Apply(MatMulShapes);

#ifdef TESSERA_BENCH_OPENBLAS
// OpenBLAS's Fortran sgemm_, called directly (the anchor for MatMul). Row-major
// C = A B is column-major C^T = B^T A^T.
extern "C" void sgemm_(const char* ta, const char* tb, const int* m, const int* n, const int* k, const float* alpha,
                       const float* a, const int* lda, const float* b, const int* ldb, const float* beta, float* c,
                       const int* ldc);
extern "C" void openblas_set_num_threads(int n);

void BM_MatMul_OpenBLAS(benchmark::State& state) {
  const int n = static_cast<int>(state.range(0));
  openblas_set_num_threads(static_cast<int>(state.range(1)));
  std::vector<float> a(static_cast<size_t>(n) * n, 0.5f), c(static_cast<size_t>(n) * n);
  const float one = 1, zero = 0;
  for (auto _ : state) {
    sgemm_("N", "N", &n, &n, &n, &one, a.data(), &n, a.data(), &n, &zero, c.data(), &n);
    benchmark::DoNotOptimize(c.data());
  }
  state.counters["GFLOP/s"] = benchmark::Counter(2.0 * n * n * n, benchmark::Counter::kIsIterationInvariantRate);
}
BENCHMARK(BM_MatMul_OpenBLAS)->Apply(MatMulShapes);
#endif

// ---- Add of 1M f32
void BM_Add1M_Tessera(benchmark::State& state) {
  auto g = Graph::Create();
  Output x = ops::Placeholder(*g, DataType::kFloat, PartialShape{1 << 20}, "x");
  Output y = ops::Add(*g, x, x);
  auto sess = Session::Create(g, Threads(1, 1)).value();
  Tensor in(DataType::kFloat, TensorShape{1 << 20});
  Session::FeedList feeds = {{x, in}};
  for (auto _ : state) benchmark::DoNotOptimize(sess->Run(feeds, {y}));
  state.SetBytesProcessed(state.iterations() * (3 << 22));
}
BENCHMARK(BM_Add1M_Tessera)->UseRealTime();

void BM_Add1M_Loop(benchmark::State& state) {
  std::vector<float> x(1 << 20, 1.0f), out(1 << 20);  // the floor: no allocation at all
  for (auto _ : state) {
    for (size_t i = 0; i < x.size(); ++i) out[i] = x[i] + x[i];
    benchmark::DoNotOptimize(out.data());
  }
  state.SetBytesProcessed(state.iterations() * (3 << 22));
}
BENCHMARK(BM_Add1M_Loop)->UseRealTime();

// ---- MLP 784-256-256-10
Output Dense(Graph& g, Output x, int64_t in, int64_t out, int seed, bool relu) {
  Output w = ops::Const(g, Tensor(DataType::kFloat, TensorShape{in, out}));
  Output b = ops::Const(g, Tensor(DataType::kFloat, TensorShape{out}));
  (void)seed;
  Output y = ops::BiasAdd(g, ops::MatMul(g, x, w), b);
  return relu ? ops::Relu(g, y) : y;
}

void BM_MLP_Tessera(benchmark::State& state) {
  const int64_t batch = state.range(0);
  auto g = Graph::Create();
  Output x = ops::Placeholder(*g, DataType::kFloat, PartialShape{-1, 784}, "x");
  Output y =
      ops::Softmax(*g, Dense(*g, Dense(*g, Dense(*g, x, 784, 256, 1, true), 256, 256, 2, true), 256, 10, 3, false));
  auto sess = Session::Create(g, Threads(1, 1)).value();
  Session::FeedList feeds = {{x, Tensor(DataType::kFloat, TensorShape{batch, 784})}};
  for (auto _ : state) benchmark::DoNotOptimize(sess->Run(feeds, {y}));
}
BENCHMARK(BM_MLP_Tessera)->Arg(1)->Arg(64)->Unit(benchmark::kMicrosecond);

// ---- Build + create + first Run
void BM_BuildCreateFirstRun(benchmark::State& state) {
  Tensor in = Tensor::FromVector<float>({1, -2, 3, -4}, {1, 4}).value();
  for (auto _ : state) {
    auto g = Graph::Create();
    Output x = ops::Placeholder(*g, DataType::kFloat, PartialShape{1, 4}, "x");
    Output y = ops::Relu(*g, ops::Add(*g, ops::Mul(*g, x, ops::Const(*g, 2.0f)), ops::Const(*g, 1.0f)));
    auto sess = Session::Create(g, Threads(1, 1)).value();
    benchmark::DoNotOptimize(sess->Run({{x, in}}, {y}));
  }
}
BENCHMARK(BM_BuildCreateFirstRun)->Unit(benchmark::kMicrosecond);

// ---- A graph that grows by one node per run (the TF1 anti-pattern of
// building inside the training loop). "RunNew" fetches the node just added:
// a new signature each time, so one small plan is built per run and the LRU
// keeps the cache (and memory) bounded. "RunFixed" fetches the same output
// each time: its cached plan stays valid as the graph grows (no re-planning).
// rss_mb is the process's resident memory at the end.
double ResidentMb() {
  std::FILE* f = std::fopen("/proc/self/statm", "r");
  long pages = 0, resident = 0;
  if (f != nullptr) {
    if (std::fscanf(f, "%ld %ld", &pages, &resident) != 2) resident = 0;
    std::fclose(f);
  }
  return static_cast<double>(resident) * 4096.0 / (1 << 20);
}

void BM_GrowOneNodePerRun(benchmark::State& state) {
  const bool fetch_new = state.range(0) == 1;
  auto g = Graph::Create();
  Output x = ops::Const(*g, 1.0f, "x");
  auto sess = Session::Create(g, Threads(1, 1)).value();
  for (auto _ : state) {
    Output added = ops::Neg(*g, x);
    benchmark::DoNotOptimize(sess->Run({}, {fetch_new ? added : x}));
  }
  state.counters["graph_nodes"] = g->num_nodes();
  state.counters["rss_mb"] = ResidentMb();
  state.SetLabel(fetch_new ? "RunNew" : "RunFixed");
}
BENCHMARK(BM_GrowOneNodePerRun)->Arg(1)->Arg(0)->Unit(benchmark::kMicrosecond);

}  // namespace
}  // namespace tessera

BENCHMARK_MAIN();
