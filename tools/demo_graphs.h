// The graphs of the demo, shared by the example program, tessera-explain and
// the tests that assert what the demo prints.
#pragma once

#include <tessera/tessera.h>

#include <memory>
#include <string>
#include <vector>

namespace tessera::demo {

// The demo's MLP (784-256-10): a placeholder x [?, 784]; layers under the
// name scope "mlp", pinned to /gpu:0; a softmax and an argmax after them.
struct MlpGraph {
  std::shared_ptr<Graph> graph;
  Output x;           // float [?, 784]
  Output probs;       // float [?, 10]
  Output prediction;  // int64 [?]
  Operation init;     // initialises the four variables
};
MlpGraph BuildMlp();

// The training MLP of examples/train_mlp (784-256-256-10 by default): ReLU
// layers "dense", "dense_1", "dense_2" with Glorot-uniform weights drawn as
// (U * 2 - 1) * sqrt(6 / (fan_in + fan_out)) from RandomUniform with op seeds
// seed, seed + 1, ... (TF draws the same numbers: tools/tf_train_fixtures.py)
// and zero biases; the mean sparse softmax cross-entropy as the loss; the
// optimizer's train op counting the global step.
struct TrainMlpOptions {
  std::vector<int64_t> layers = {784, 256, 256, 10};
  std::string optimizer = "adam";  // adam, sgd, momentum, rmsprop
  double learning_rate = 1e-3;
  int64_t seed = 1;
  std::string device;                 // "" = no request; e.g. "/gpu:0"
  DataType dtype = DataType::kFloat;  // of x, the weights and the loss (float or double)
};
struct TrainMlpGraph {
  std::shared_ptr<Graph> graph;
  Output x;         // dtype [?, 784]
  Output y;         // int32 [?]
  Output loss;      // dtype scalar
  Output accuracy;  // dtype scalar, the fraction of correct argmaxes
  Operation train_op;
  Operation init;
  Variable global_step;
  Output keep_prob;  // the CNN's dropout keep probability (fed; 1 when evaluating); invalid for the MLP
};
// InvalidArgument for an unknown optimizer or fewer than two layer sizes.
StatusOr<TrainMlpGraph> BuildTrainMlp(const TrainMlpOptions& options);

// The CNN of TensorFlow's tutorial ("Deep MNIST for experts"): x reshaped to
// [?, 28, 28, 1]; conv 5x5x32 SAME + ReLU, max-pool 2x2; conv 5x5x64 + ReLU,
// max-pool 2x2; dense 1024 + ReLU; dropout (keep_prob fed); dense 10. Weights
// TruncatedNormal(stddev 0.1) with op seeds seed, seed + 1, ...; biases 0.1.
// options.layers is ignored; float or double.
StatusOr<TrainMlpGraph> BuildTrainCnn(const TrainMlpOptions& options);

}  // namespace tessera::demo
