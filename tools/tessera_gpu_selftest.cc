// tessera_gpu_selftest: what a GPU machine needs to check before trusting
// tessera on it. Lists the GPUs (or why there are none), runs the op-
// conformance suite on every device, measures a cuBLAS MatMul's throughput
// through a Session, and host<->device copy bandwidth, and prints a table.
// Exit status: 0 when nothing failed (including "no GPU here"), 1 otherwise.
#include <array>
#include <chrono>
#include <cstdio>
#include <map>

#include "src/runtime/gpu_backend.h"
#include "tools/conformance.h"

using namespace tessera;

namespace {

double Seconds(std::chrono::steady_clock::duration d) { return std::chrono::duration<double>(d).count(); }

// GFLOP/s of an n x n x n float MatMul on /gpu:0 (timed over fetches, which sync).
double MatMulGflops(int n) {
  auto g = Graph::Create();
  Output y;
  {
    auto d = g->Device("/gpu:0");
    Output a = ops::RandomUniform(*g, {n, n}, DataType::kFloat, 1);
    Output b = ops::RandomUniform(*g, {n, n}, DataType::kFloat, 2);
    Output c = ops::MatMul(*g, a, b);
    y = ops::Sum(*g, c);  // fetch a scalar: the MatMul dominates
  }
  auto sess = Session::Create(g).value();
  if (!sess->Run({}, {y}).ok()) return -1;
  const int runs = 10;
  auto t0 = std::chrono::steady_clock::now();
  for (int i = 0; i < runs; ++i) {
    if (!sess->Run({}, {y}).ok()) return -1;
  }
  const double s = Seconds(std::chrono::steady_clock::now() - t0) / runs;
  return 2.0 * n * n * n / s / 1e9;
}

// GB/s of host->device and device->host copies of `bytes`.
std::pair<double, double> CopyBandwidth(size_t bytes) {
  auto dev = CreateGpuDevice(0, ProbeGpus().gpus[0], GPUOptions());
  if (!dev.ok()) return {-1, -1};
  Tensor host(DataType::kFloat, TensorShape{static_cast<int64_t>(bytes / 4)});
  auto t0 = std::chrono::steady_clock::now();
  auto on_gpu = (*dev)->CopyFrom(host, nullptr, CompletedEvent());
  auto t1 = std::chrono::steady_clock::now();
  if (!on_gpu.ok()) return {-1, -1};
  auto back = (*dev)->CopyToHost(*on_gpu, CompletedEvent());
  auto t2 = std::chrono::steady_clock::now();
  if (!back.ok()) return {-1, -1};
  return {bytes / Seconds(t1 - t0) / 1e9, bytes / Seconds(t2 - t1) / 1e9};
}

}  // namespace

int main() {
  std::printf("tessera GPU self-test\n\n");
  const GpuProbe& probe = ProbeGpus();
  if (probe.gpus.empty()) {
    std::printf("GPUs: none. %s\n", probe.no_gpu_reason.c_str());
  } else {
    std::printf("%-4s %-32s %-14s %-6s %s\n", "id", "name", "pci bus id", "cc", "memory");
    for (const GpuInfo& g : probe.gpus) {
      std::printf("%-4d %-32s %-14s %d.%-4d %.1f GiB\n", g.cuda_id, g.name.c_str(), g.pci_bus_id.c_str(), g.cc_major,
                  g.cc_minor, static_cast<double>(g.total_memory) / (1 << 30));
    }
  }

  std::printf("\nOp conformance against CPU:0\n");
  auto results = conformance::RunSuite(SessionOptions());
  std::map<std::string, std::array<int, 3>> per_device;  // pass, fail, skipped
  int failures = 0;
  for (const auto& r : results) {
    auto& row = per_device[r.device];
    ++row[static_cast<int>(r.outcome)];
    if (r.outcome == conformance::Outcome::kFail) {
      ++failures;
      std::printf("  FAIL %-28s on %s: %s\n", r.case_name.c_str(), r.device.c_str(), r.detail.c_str());
    }
  }
  std::printf("%-50s %6s %6s %8s\n", "device", "pass", "fail", "skipped");
  for (const auto& [device, row] : per_device) {
    std::printf("%-50s %6d %6d %8d\n", device.c_str(), row[0], row[1], row[2]);
  }

  if (!probe.gpus.empty()) {
    std::printf("\nThroughput on GPU:0\n");
    for (int n : {1024, 4096}) std::printf("  MatMul f32 %dx%dx%d: %.0f GFLOP/s\n", n, n, n, MatMulGflops(n));
    auto [h2d, d2h] = CopyBandwidth(size_t{256} << 20);
    std::printf("  copy 256 MiB: host->device %.1f GB/s, device->host %.1f GB/s\n", h2d, d2h);
  } else {
    std::printf("\nThroughput checks skipped: no GPU.\n");
  }
  std::printf("\n%s\n", failures == 0 ? "self-test passed" : "self-test FAILED");
  return failures == 0 ? 0 : 1;
}
