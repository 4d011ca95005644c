// libtorch (C++, eager) anchors for bench/runtime_bench.cc's cases, same math,
// one thread. Prints one JSON object per case: {"name": ..., "ns": median}.
#include <torch/torch.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <functional>
#include <vector>

namespace {

// Median over `rounds` of the mean time of `iters` calls, in ns.
double MedianNs(const std::function<void()>& f, int iters, int rounds = 7) {
  for (int i = 0; i < iters / 10 + 1; ++i) f();  // warm up
  std::vector<double> means;
  for (int r = 0; r < rounds; ++r) {
    auto t0 = std::chrono::steady_clock::now();
    for (int i = 0; i < iters; ++i) f();
    auto t1 = std::chrono::steady_clock::now();
    means.push_back(std::chrono::duration<double, std::nano>(t1 - t0).count() / iters);
  }
  std::sort(means.begin(), means.end());
  return means[means.size() / 2];
}

void Report(const char* name, double ns) { std::printf("{\"name\": \"%s\", \"ns\": %.1f}\n", name, ns); }

}  // namespace

int main() {
  torch::set_num_threads(1);
  torch::NoGradGuard no_grad;
  {
    torch::Tensor x = torch::tensor({{1.f, -2.f, 3.f, -4.f}});
    Report("overhead3", MedianNs([&] { torch::relu(x * 2.0 + 1.0); }, 20000));
  }
  for (int batch : {1, 64}) {
    torch::Tensor x = torch::zeros({batch, 784});
    torch::Tensor w1 = torch::zeros({784, 256}), b1 = torch::zeros({256});
    torch::Tensor w2 = torch::zeros({256, 256}), b2 = torch::zeros({256});
    torch::Tensor w3 = torch::zeros({256, 10}), b3 = torch::zeros({10});
    auto mlp = [&] {
      auto h = torch::relu(torch::addmm(b1, x, w1));
      h = torch::relu(torch::addmm(b2, h, w2));
      torch::softmax(torch::addmm(b3, h, w3), 1);
    };
    Report(batch == 1 ? "mlp_b1" : "mlp_b64", MedianNs(mlp, batch == 1 ? 5000 : 200));
  }
  {
    torch::Tensor x = torch::ones({1 << 20});
    Report("add_1m", MedianNs([&] { x + x; }, 500));
  }
  return 0;
}
