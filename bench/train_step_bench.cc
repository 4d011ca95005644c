// One training step of the tutorials' MLP (784-256-256-10, ReLU, mean
// sparse softmax cross-entropy) with SGD and with Adam, at batch 1, 64 and
// 256, and of the tutorial CNN (examples/train_cnn, dropout 0.5) with Adam at
// batch 64: a Session::Run that fetches the loss and runs the train op, the
// batch fed from a fixed tensor. bench/train_anchor_torch.cc and
// bench/train_anchor_tf.py time the same step; bench/train_bench.sh
// interleaves the three and writes bench/results/train.json.
//
//   train_step_bench [threads] [prefix]   -> one JSON object per case whose
//                                          name starts with prefix: {"name", "ns"}
#include <tessera/tessera.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <string>
#include <vector>

#include "tools/demo_graphs.h"

namespace {

using namespace tessera;

double MedianNs(const std::function<void()>& f, int iters, int rounds = 5) {
  for (int i = 0; i < iters / 5 + 2; ++i) f();  // warm up (plans, allocator)
  std::vector<double> means;
  for (int r = 0; r < rounds; ++r) {
    const auto t0 = std::chrono::steady_clock::now();
    for (int i = 0; i < iters; ++i) f();
    const auto t1 = std::chrono::steady_clock::now();
    means.push_back(std::chrono::duration<double, std::nano>(t1 - t0).count() / iters);
  }
  std::sort(means.begin(), means.end());
  return means[means.size() / 2];
}

// One case: `batch` rows of fixed data fed to the model, `iters` steps per round.
bool RunCase(const char* name, StatusOr<demo::TrainMlpGraph> m, int64_t batch, int threads, int iters) {
  if (!m.ok()) {
    std::fprintf(stderr, "%s\n", m.status().ToString().c_str());
    return false;
  }
  SessionOptions so;
  so.intra_op_parallelism_threads = threads;
  so.inter_op_parallelism_threads = 1;
  auto sess = Session::Create(m->graph, so).value();
  if (!sess->Run({}, {}, {m->init}).ok()) return false;
  Tensor x(DataType::kFloat, TensorShape{batch, 784}), y(DataType::kInt32, TensorShape{batch});
  for (int64_t i = 0; i < x.num_elements(); ++i) x.flat<float>()[i] = static_cast<float>(i % 255) / 255.0f;
  for (int64_t i = 0; i < batch; ++i) y.flat<int32_t>()[i] = static_cast<int32_t>(i % 10);
  Session::FeedList feeds = {{m->x, x}, {m->y, y}};
  if (m->keep_prob.valid()) feeds.emplace_back(m->keep_prob, Tensor::Scalar(0.5f));  // training, as train_cnn
  const double ns = MedianNs(
      [&] {
        auto r = sess->Run(feeds, {m->loss}, {m->train_op});
        if (!r.ok()) std::abort();
      },
      iters);
  std::printf("{\"name\": \"%s\", \"ns\": %.1f}\n", name, ns);
  std::fflush(stdout);
  return true;
}

}  // namespace

int main(int argc, char** argv) {
  const int threads = argc > 1 ? std::atoi(argv[1]) : 1;
  const std::string prefix = argc > 2 ? argv[2] : "";
  auto wanted = [&prefix](const std::string& name) { return name.rfind(prefix, 0) == 0; };
  for (const char* opt : {"sgd", "adam"}) {
    for (int64_t batch : {1, 64, 256}) {
      demo::TrainMlpOptions o;
      o.optimizer = opt;
      o.learning_rate = std::string(opt) == "sgd" ? 0.01 : 0.001;
      const std::string name = "mlp_" + std::string(opt) + "_b" + std::to_string(batch);
      const int iters = batch == 1 ? 400 : batch == 64 ? 100 : 40;
      if (wanted(name) && !RunCase(name.c_str(), demo::BuildTrainMlp(o), batch, threads, iters)) return 1;
    }
  }
  if (wanted("cnn_adam_b64") && !RunCase("cnn_adam_b64", demo::BuildTrainCnn({}), 64, threads, 10)) return 1;
  return 0;
}
