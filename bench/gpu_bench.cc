// GPU benchmarks: MatMul through a Session vs raw cuBLAS, per-node launch
// overhead, and host<->device copy bandwidth. On a machine without a GPU it
// says so and exits 0.
//
//   build/bench/gpu_bench --benchmark_repetitions=5
#include <benchmark/benchmark.h>
#include <cublas_v2.h>
#include <cuda_runtime.h>

#include <cstdio>

#include "src/runtime/gpu_backend.h"
#include "tessera/tessera.h"

namespace tessera {
namespace {

void BM_MatMulSession(benchmark::State& state) {
  const int64_t n = state.range(0);
  auto g = Graph::Create();
  Output y;
  {
    auto d = g->Device("/gpu:0");
    Output a = ops::RandomUniform(*g, {n, n}, DataType::kFloat, 1);
    Output c = ops::MatMul(*g, a, a);
    y = ops::Sum(*g, ops::Slice(*g, c, {0, 0}, {1, 1}));  // a tiny fetch syncs the stream
  }
  auto sess = Session::Create(g).value();
  for (auto _ : state) {
    if (!sess->Run({}, {y}).ok()) state.SkipWithError("run failed");
  }
  state.counters["GFLOP/s"] = benchmark::Counter(2.0 * n * n * n, benchmark::Counter::kIsIterationInvariantRate);
}
BENCHMARK(BM_MatMulSession)->Arg(1024)->Arg(4096)->Unit(benchmark::kMillisecond)->UseRealTime();

void BM_MatMulCublas(benchmark::State& state) {
  const int n = static_cast<int>(state.range(0));
  float *a, *c;
  cudaMalloc(&a, sizeof(float) * n * n);
  cudaMalloc(&c, sizeof(float) * n * n);
  cudaMemset(a, 0, sizeof(float) * n * n);
  cublasHandle_t h;
  cublasCreate(&h);
  const float one = 1, zero = 0;
  for (auto _ : state) {
    cublasSgemm(h, CUBLAS_OP_N, CUBLAS_OP_N, n, n, n, &one, a, n, a, n, &zero, c, n);
    cudaDeviceSynchronize();
  }
  state.counters["GFLOP/s"] = benchmark::Counter(2.0 * n * n * n, benchmark::Counter::kIsIterationInvariantRate);
  cublasDestroy(h);
  cudaFree(a);
  cudaFree(c);
}
BENCHMARK(BM_MatMulCublas)->Arg(1024)->Arg(4096)->Unit(benchmark::kMillisecond)->UseRealTime();

// A chain of `length` Neg nodes on a 4-element tensor on /gpu:0.
void BM_LaunchChain(benchmark::State& state) {
  const int length = static_cast<int>(state.range(0));
  auto g = Graph::Create();
  Output x;
  {
    auto d = g->Device("/gpu:0");
    x = ops::Const(*g, Tensor::Vec<float>({1, 2, 3, 4}));
    for (int i = 0; i < length; ++i) x = ops::Neg(*g, x);
  }
  auto sess = Session::Create(g).value();
  for (auto _ : state) {
    if (!sess->Run({}, {x}).ok()) state.SkipWithError("run failed");
  }
  state.counters["nodes"] = length;
}
BENCHMARK(BM_LaunchChain)->Arg(1)->Arg(101)->Unit(benchmark::kMicrosecond)->UseRealTime();

void BM_Copy(benchmark::State& state) {
  const bool to_device = state.range(1) == 1;
  const size_t bytes = static_cast<size_t>(state.range(0));
  auto dev = CreateGpuDevice(0, ProbeGpus().gpus[0], GPUOptions());
  if (!dev.ok()) {
    state.SkipWithError(dev.status().ToString().c_str());
    return;
  }
  Tensor host(DataType::kFloat, TensorShape{static_cast<int64_t>(bytes / 4)});
  Tensor on_gpu = (*dev)->CopyFrom(host, nullptr, CompletedEvent()).value();
  for (auto _ : state) {
    if (to_device)
      benchmark::DoNotOptimize((*dev)->CopyFrom(host, nullptr, CompletedEvent()));
    else
      benchmark::DoNotOptimize((*dev)->CopyToHost(on_gpu, CompletedEvent()));
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * bytes));
}
BENCHMARK(BM_Copy)->Args({1 << 20, 1})->Args({64 << 20, 1})->Args({1 << 20, 0})->Args({64 << 20, 0})->UseRealTime();

}  // namespace
}  // namespace tessera

int main(int argc, char** argv) {
  const tessera::GpuProbe& probe = tessera::ProbeGpus();
  if (probe.gpus.empty()) {
    std::printf("gpu_bench: no GPU, nothing to measure: %s\n", probe.no_gpu_reason.c_str());
    return 0;
  }
  benchmark::Initialize(&argc, argv);
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
