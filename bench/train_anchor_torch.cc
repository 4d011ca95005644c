// libtorch (C++, eager) anchor for bench/train_step_bench.cc: the same MLP
// step (forward, cross-entropy, backward, optimizer step) with SGD and Adam
// at batch 1, 64 and 256, and the tutorial CNN's step (NCHW, libtorch's own
// layout; dropout 0.5) with Adam at batch 64, denormals flushed to zero as
// tessera and TF do. Prints {"name", "ns"} per case.
#include <torch/torch.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace {

double MedianNs(const std::function<void()>& f, int iters, int rounds = 5) {
  for (int i = 0; i < iters / 5 + 2; ++i) f();
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

// The tutorial CNN: conv 5x5x32 (SAME), max-pool 2, conv 5x5x64, max-pool
// 2, dense 1024, dropout 0.5, dense 10; one Adam step on a fixed batch.
double CnnStepNs(int64_t batch) {
  namespace nn = torch::nn;
  torch::manual_seed(1);
  nn::Sequential cnn(nn::Conv2d(nn::Conv2dOptions(1, 32, 5).padding(2)), nn::ReLU(), nn::MaxPool2d(2),
                     nn::Conv2d(nn::Conv2dOptions(32, 64, 5).padding(2)), nn::ReLU(), nn::MaxPool2d(2), nn::Flatten(),
                     nn::Linear(7 * 7 * 64, 1024), nn::ReLU(), nn::Dropout(0.5), nn::Linear(1024, 10));
  cnn->train();
  torch::optim::Adam o(cnn->parameters(), torch::optim::AdamOptions(0.001));
  torch::Tensor x = torch::arange(batch * 784).remainder(255).to(torch::kFloat).div(255.0).reshape({batch, 1, 28, 28});
  torch::Tensor y = torch::arange(batch).remainder(10).to(torch::kLong);
  return MedianNs(
      [&] {
        o.zero_grad();
        torch::Tensor loss = torch::nn::functional::cross_entropy(cnn->forward(x), y);
        loss.backward();
        o.step();
        (void)loss.item<float>();
      },
      10);
}

}  // namespace

int main(int argc, char** argv) {
  torch::set_num_threads(argc > 1 ? std::atoi(argv[1]) : 1);
  // Denormals flushed, as tessera and TensorFlow do: on a fixed batch the
  // gradients shrink into denormals, which cost libtorch 20x otherwise.
  torch::globalContext().setFlushDenormal(true);
  for (const std::string opt : {"sgd", "adam"}) {
    for (int64_t batch : {1, 64, 256}) {
      torch::manual_seed(1);
      torch::nn::Sequential mlp(torch::nn::Linear(784, 256), torch::nn::ReLU(), torch::nn::Linear(256, 256),
                                torch::nn::ReLU(), torch::nn::Linear(256, 10));
      std::unique_ptr<torch::optim::Optimizer> o;
      if (opt == "sgd") {
        o = std::make_unique<torch::optim::SGD>(mlp->parameters(), torch::optim::SGDOptions(0.01));
      } else {
        o = std::make_unique<torch::optim::Adam>(mlp->parameters(), torch::optim::AdamOptions(0.001));
      }
      torch::Tensor x = torch::arange(batch * 784).remainder(255).to(torch::kFloat).div(255.0).reshape({batch, 784});
      torch::Tensor y = torch::arange(batch).remainder(10).to(torch::kLong);
      const double ns = MedianNs(
          [&] {
            o->zero_grad();
            torch::Tensor loss = torch::nn::functional::cross_entropy(mlp->forward(x), y);
            loss.backward();
            o->step();
            (void)loss.item<float>();
          },
          batch == 1    ? 400
          : batch == 64 ? 100
                        : 40);
      std::printf("{\"name\": \"mlp_%s_b%lld\", \"ns\": %.1f}\n", opt.c_str(), static_cast<long long>(batch), ns);
      std::fflush(stdout);
    }
  }
  std::printf("{\"name\": \"cnn_adam_b64\", \"ns\": %.1f}\n", CnnStepNs(64));
  return 0;
}
