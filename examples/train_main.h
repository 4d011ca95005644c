// The training loop of examples/train_mlp and examples/train_cnn: trains
// one of TensorFlow's tutorial models on Fashion-MNIST (Debian's
// dataset-fashion-mnist), printing a progress line (step, epoch, loss,
// accuracy, examples/s, time left) and the test accuracy.
//
//   train_mlp|train_cnn [--epochs N] [--steps N] [--batch N] [--lr X]
//             [--optimizer adam|sgd|momentum|rmsprop] [--device /gpu:0] [--soft]
//             [--log-device-placement] [--data DIR] [--seed N] [--inter-op N]
//             [--checkpoint-dir DIR]
//
// With --checkpoint-dir, every progress line and the end save a checkpoint
// (TF's V2 format, "DIR/model.ckpt-<step>", the newest 5 kept), and a run
// that finds one there resumes from it: the variables, the optimizer's slots
// and the global step are restored, and training goes on to the step count.
//
// With --device /gpu:0 on a machine without one, --soft lets the graph fall
// back to the CPU, and the log's summary says which nodes moved and why.
#pragma once

#include <tessera/tessera.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <optional>
#include <string>

#include "tools/demo_graphs.h"

namespace train_main {

using namespace tessera;

struct Model {
  const char* program;  // "train_mlp"
  const char* layers;   // for the first line
  double epochs;        // the default
  StatusOr<demo::TrainMlpGraph> (*build)(const demo::TrainMlpOptions&);
};

struct Args {
  demo::TrainMlpOptions model;
  double epochs = 10;
  int64_t steps = 0;  // overrides epochs when > 0
  int64_t batch = 64;
  int inter_op = 0;  // inter_op_parallelism_threads (0: one per core)
  bool soft = false;
  bool log_placement = false;
  std::string data = data::kFashionMnistDir;
  std::string checkpoint_dir;  // empty: no checkpoints
};

inline int Usage(const char* program, const char* why) {
  std::fprintf(stderr,
               "%s: %s\nusage: %s [--epochs N] [--steps N] [--batch N] [--lr X] "
               "[--optimizer adam|sgd|momentum|rmsprop] [--device SPEC] [--soft] [--log-device-placement] "
               "[--data DIR] [--seed N] [--inter-op N] [--checkpoint-dir DIR]\n",
               program, why, program);
  return 2;
}

inline bool Parse(int argc, char** argv, Args* a, std::string* why) {
  for (int i = 1; i < argc; ++i) {
    const std::string f = argv[i];
    auto value = [&]() -> const char* { return i + 1 < argc ? argv[++i] : nullptr; };
    if (f == "--soft") {
      a->soft = true;
    } else if (f == "--log-device-placement") {
      a->log_placement = true;
    } else if (f == "--epochs" || f == "--steps" || f == "--batch" || f == "--lr" || f == "--seed" ||
               f == "--inter-op" || f == "--optimizer" || f == "--device" || f == "--data" || f == "--checkpoint-dir") {
      const char* v = value();
      if (v == nullptr) return *why = f + " needs a value", false;
      char* end = nullptr;
      const double num = std::strtod(v, &end);
      const bool numeric = end != v && *end == '\0';
      if (f == "--optimizer")
        a->model.optimizer = v;
      else if (f == "--device")
        a->model.device = v;
      else if (f == "--data")
        a->data = v;
      else if (f == "--checkpoint-dir")
        a->checkpoint_dir = v;
      else if (!numeric || num <= 0)
        return *why = f + " needs a positive number, got '" + v + "'", false;
      else if (f == "--epochs")
        a->epochs = num;
      else if (f == "--steps")
        a->steps = static_cast<int64_t>(num);
      else if (f == "--batch")
        a->batch = static_cast<int64_t>(num);
      else if (f == "--lr")
        a->model.learning_rate = num;
      else
        a->model.seed = static_cast<int64_t>(num);
    } else {
      return *why = "unknown flag '" + f + "'", false;
    }
  }
  return true;
}

inline std::string Clock(double seconds) {
  const int s = static_cast<int>(seconds + 0.5);
  char buf[32];
  std::snprintf(buf, sizeof(buf), "%d:%02d", s / 60, s % 60);
  return buf;
}

// The accuracy over all of `examples`, in slices of 1,000.
inline StatusOr<double> Evaluate(Session& sess, const demo::TrainMlpGraph& m, const data::Examples& examples) {
  double correct = 0;
  const int64_t n = examples.size(), features = examples.images.dim(1);
  for (int64_t start = 0; start < n; start += 1000) {
    const int64_t k = std::min<int64_t>(1000, n - start);
    Tensor x(DataType::kFloat, TensorShape{k, features}), y(DataType::kInt32, TensorShape{k});
    std::copy_n(examples.images.flat<float>().data() + start * features, k * features, x.flat<float>().data());
    std::copy_n(examples.labels.flat<int32_t>().data() + start, k, y.flat<int32_t>().data());
    Session::FeedList feeds = {{m.x, x}, {m.y, y}};
    if (m.keep_prob.valid()) feeds.emplace_back(m.keep_prob, Tensor::Scalar(1.0f));
    TESSERA_ASSIGN_OR_RETURN(std::vector<Tensor> out, sess.Run(feeds, {m.accuracy}));
    correct += static_cast<double>(out[0].flat<float>()[0]) * static_cast<double>(k);
  }
  return correct / static_cast<double>(n);
}

// With a checkpoint in `dir`: restores it and returns its global step (0 without one).
inline StatusOr<int64_t> Resume(Session& sess, train::Saver& saver, const demo::TrainMlpGraph& m,
                                const std::string& dir) {
  StatusOr<std::string> latest = train::LatestCheckpoint(dir);
  if (latest.status().code() == Code::kNotFound) return int64_t{0};
  TESSERA_RETURN_IF_ERROR(latest.status());
  TESSERA_RETURN_IF_ERROR(saver.Restore(sess, *latest));
  TESSERA_ASSIGN_OR_RETURN(std::vector<Tensor> step, sess.Run({}, {m.global_step.value()}));
  TESSERA_ASSIGN_OR_RETURN(int64_t done, step[0].scalar<int64_t>());
  std::printf("resumed from %s at step %lld\n", latest->c_str(), static_cast<long long>(done));
  return done;
}

inline Status Train(const Model& model, const Args& a) {
  TESSERA_ASSIGN_OR_RETURN(data::Examples train_set, data::LoadFashionMnist(data::Split::kTrain, a.data));
  TESSERA_ASSIGN_OR_RETURN(data::Examples test_set, data::LoadFashionMnist(data::Split::kTest, a.data));
  TESSERA_ASSIGN_OR_RETURN(demo::TrainMlpGraph m, model.build(a.model));
  SessionOptions options;
  options.allow_soft_placement = a.soft;
  options.log_device_placement = a.log_placement;
  options.inter_op_parallelism_threads = a.inter_op;
  std::optional<train::Saver> saver;
  if (!a.checkpoint_dir.empty()) {
    TESSERA_ASSIGN_OR_RETURN(train::Saver s, train::Saver::Create(*m.graph));
    saver.emplace(std::move(s));
  }
  TESSERA_ASSIGN_OR_RETURN(std::unique_ptr<Session> sess, Session::Create(m.graph, options));
  TESSERA_RETURN_IF_ERROR(sess->Run({}, {}, {m.init}).status());
  int64_t done = 0;
  if (saver) {
    TESSERA_ASSIGN_OR_RETURN(done, Resume(*sess, *saver, m, a.checkpoint_dir));
  }
  data::Batches batches(train_set, a.batch, static_cast<uint64_t>(a.model.seed));
  TESSERA_RETURN_IF_ERROR(batches.status());
  for (int64_t i = 0; i < done; ++i) {  // the batches the restored steps saw
    Tensor x, y;
    TESSERA_RETURN_IF_ERROR(batches.Next(&x, &y));
  }
  const int64_t steps =
      a.steps > 0 ? a.steps : static_cast<int64_t>(a.epochs * static_cast<double>(batches.batches_per_epoch()));
  std::printf("training %s on %lld Fashion-MNIST images, batch %lld, %s %.3g, %lld steps\n", model.layers,
              static_cast<long long>(train_set.size()), static_cast<long long>(a.batch), a.model.optimizer.c_str(),
              a.model.learning_rate, static_cast<long long>(steps));
  const auto start = std::chrono::steady_clock::now();
  double loss_sum = 0, acc_sum = 0;
  int64_t window = 0;
  const int64_t every = std::max<int64_t>(1, std::min<int64_t>(500, steps / 10));
  for (int64_t step = done + 1; step <= steps; ++step) {
    Tensor x, y;
    TESSERA_RETURN_IF_ERROR(batches.Next(&x, &y));
    Session::FeedList feeds = {{m.x, x}, {m.y, y}};
    if (m.keep_prob.valid()) feeds.emplace_back(m.keep_prob, Tensor::Scalar(0.5f));
    TESSERA_ASSIGN_OR_RETURN(std::vector<Tensor> out, sess->Run(feeds, {m.loss, m.accuracy}, {m.train_op}));
    loss_sum += out[0].flat<float>()[0];
    acc_sum += out[1].flat<float>()[0];
    ++window;
    if (step % every != 0 && step != steps) continue;
    const double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    std::printf("step %6lld  epoch %5.2f  loss %.4f  accuracy %.3f  %7.0f examples/s  %s left\n",
                static_cast<long long>(step), batches.epochs_done(), loss_sum / window, acc_sum / window,
                static_cast<double>((step - done) * a.batch) / secs,
                Clock(secs / static_cast<double>(step - done) * static_cast<double>(steps - step)).c_str());
    std::fflush(stdout);
    if (saver) {
      TESSERA_ASSIGN_OR_RETURN(std::string path, saver->Save(*sess, a.checkpoint_dir + "/model.ckpt", m.global_step));
      std::printf("saved %s\n", path.c_str());
    }
    loss_sum = acc_sum = 0;
    window = 0;
  }
  const double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  TESSERA_ASSIGN_OR_RETURN(double test_accuracy, Evaluate(*sess, m, test_set));
  std::printf("test accuracy %.4f (%lld images) after %s of training\n", test_accuracy,
              static_cast<long long>(test_set.size()), Clock(secs).c_str());
  return Status::OK();
}

inline int Main(const Model& model, int argc, char** argv) {
  Args a;
  a.epochs = model.epochs;
  std::string why;
  if (!Parse(argc, argv, &a, &why)) return Usage(model.program, why.c_str());
  Status s = Train(model, a);
  if (!s.ok()) {
    std::fprintf(stderr, "%s: %s\n", model.program, s.ToString().c_str());
    return 1;
  }
  return 0;
}

}  // namespace train_main
