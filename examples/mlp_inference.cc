// A small MLP forward pass (784-256-10, batch 64, random weights) with its
// placement log. The layers ask for /gpu:0; with soft placement they run on
// the CPU when there is no GPU, and the log says why.
#include <tessera/tessera.h>

#include <chrono>
#include <iostream>

using namespace tessera;

int main() {
  auto g = Graph::Create();
  Output x = ops::Placeholder(*g, DataType::kFloat, PartialShape{-1, 784}, "x");
  Output logits;
  {
    auto dev = g->Device("/gpu:0");
    auto scope = g->NameScope("mlp");
    Variable w1(*g, ops::RandomNormal(*g, {784, 256}, DataType::kFloat, 0.0, 0.05, /*seed=*/1), "w1");
    Variable b1(*g, ops::Fill(*g, {256}, Tensor::Scalar<float>(0.1f)), "b1");
    Variable w2(*g, ops::RandomNormal(*g, {256, 10}, DataType::kFloat, 0.0, 0.05, /*seed=*/2), "w2");
    Variable b2(*g, ops::Fill(*g, {10}, Tensor::Scalar<float>(0.0f)), "b2");
    Output h = ops::Relu(*g, ops::BiasAdd(*g, ops::MatMul(*g, x, w1), b1), "hidden");
    logits = ops::BiasAdd(*g, ops::MatMul(*g, h, w2), b2, "logits");
  }
  Output probs = ops::Softmax(*g, logits, "probs");
  Output prediction = ops::ArgMax(*g, probs, 1, DataType::kInt64, "prediction");
  Operation init = GlobalVariablesInitializer(*g);
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
  return 0;
}
