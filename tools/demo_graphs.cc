#include "tools/demo_graphs.h"

#include <cmath>

namespace tessera::demo {

MlpGraph BuildMlp() {
  MlpGraph m;
  m.graph = Graph::Create();
  Graph& g = *m.graph;
  m.x = ops::Placeholder(g, DataType::kFloat, PartialShape{-1, 784}, "x");
  Output logits;
  {
    auto dev = g.Device("/gpu:0");
    auto scope = g.NameScope("mlp");
    Variable w1(g, ops::RandomNormal(g, {784, 256}, DataType::kFloat, 0.0, 0.05, /*seed=*/1), "w1");
    Variable b1(g, ops::Fill(g, {256}, Tensor::Scalar<float>(0.1f)), "b1");
    Variable w2(g, ops::RandomNormal(g, {256, 10}, DataType::kFloat, 0.0, 0.05, /*seed=*/2), "w2");
    Variable b2(g, ops::Fill(g, {10}, Tensor::Scalar<float>(0.0f)), "b2");
    Output h = ops::Relu(g, ops::BiasAdd(g, ops::MatMul(g, m.x, w1), b1), "hidden");
    logits = ops::BiasAdd(g, ops::MatMul(g, h, w2), b2, "logits");
  }
  m.probs = ops::Softmax(g, logits, "probs");
  m.prediction = ops::ArgMax(g, m.probs, 1, DataType::kInt64, "prediction");
  m.init = GlobalVariablesInitializer(g);
  return m;
}

namespace {

StatusOr<std::unique_ptr<train::Optimizer>> MakeOptimizer(const TrainMlpOptions& o) {
  if (o.optimizer == "adam") return std::unique_ptr<train::Optimizer>(new train::AdamOptimizer(o.learning_rate));
  if (o.optimizer == "sgd")
    return std::unique_ptr<train::Optimizer>(new train::GradientDescentOptimizer(o.learning_rate));
  if (o.optimizer == "momentum")
    return std::unique_ptr<train::Optimizer>(new train::MomentumOptimizer(o.learning_rate, 0.9));
  if (o.optimizer == "rmsprop") return std::unique_ptr<train::Optimizer>(new train::RMSPropOptimizer(o.learning_rate));
  return InvalidArgumentError("unknown optimizer '" + o.optimizer + "' (adam, sgd, momentum or rmsprop)");
}

// A scalar Const of `dtype` (float or double).
Output Scalar(Graph& g, double v, DataType dtype) {
  return ops::Const(
      g, dtype == DataType::kDouble ? Tensor::Scalar<double>(v) : Tensor::Scalar<float>(static_cast<float>(v)));
}

// Glorot-uniform [fan_in, fan_out]: (U * 2 - 1) * limit, each step rounded in
// `dtype` as TF does; the limit is rounded to float first (as the fixture's
// np.float32), then widened.
Output GlorotUniform(Graph& g, int64_t fan_in, int64_t fan_out, int64_t seed, DataType dtype) {
  const float limit = static_cast<float>(std::sqrt(6.0 / static_cast<double>(fan_in + fan_out)));
  Output u = ops::RandomUniform(g, {fan_in, fan_out}, dtype, seed);
  Output centred = ops::Sub(g, ops::Mul(g, u, Scalar(g, 2.0, dtype)), Scalar(g, 1.0, dtype));
  return ops::Mul(g, centred, Scalar(g, limit, dtype), "glorot");
}

}  // namespace

StatusOr<TrainMlpGraph> BuildTrainMlp(const TrainMlpOptions& o) {
  if (o.layers.size() < 2) return InvalidArgumentError("an MLP needs at least an input and an output size");
  TESSERA_ASSIGN_OR_RETURN(std::unique_ptr<train::Optimizer> opt, MakeOptimizer(o));
  TrainMlpGraph m;
  m.graph = Graph::Create();
  Graph& g = *m.graph;
  if (o.dtype != DataType::kFloat && o.dtype != DataType::kDouble)
    return InvalidArgumentError("the MLP trains in float or double");
  m.x = ops::Placeholder(g, o.dtype, PartialShape{-1, o.layers.front()}, "x");
  m.y = ops::Placeholder(g, DataType::kInt32, PartialShape{-1}, "y");
  m.global_step = train::GetOrCreateGlobalStep(g);
  auto dev = g.Device(o.device);
  Output h = m.x;
  for (size_t i = 0; i + 1 < o.layers.size(); ++i) {
    auto scope = g.NameScope(i == 0 ? "dense" : "dense_" + std::to_string(i));
    Variable w(g, GlorotUniform(g, o.layers[i], o.layers[i + 1], o.seed + static_cast<int64_t>(i), o.dtype), "kernel");
    Variable b(g, ops::Zeros(g, {o.layers[i + 1]}, o.dtype), "bias");
    h = ops::BiasAdd(g, ops::MatMul(g, h, w), b);
    if (i + 2 < o.layers.size()) h = ops::Relu(g, h);
  }
  m.loss = ops::Mean(g, ops::SparseSoftmaxCrossEntropyWithLogits(g, h, m.y).loss, {}, false, "loss");
  Output correct = ops::Equal(g, ops::ArgMax(g, h, 1, DataType::kInt32), m.y);
  m.accuracy = ops::Mean(g, ops::Cast(g, correct, o.dtype), {}, false, "accuracy");
  TESSERA_ASSIGN_OR_RETURN(m.train_op, opt->Minimize(m.loss, m.global_step));
  m.init = GlobalVariablesInitializer(g);
  TESSERA_RETURN_IF_ERROR(g.status());
  return m;
}

StatusOr<TrainMlpGraph> BuildTrainCnn(const TrainMlpOptions& o) {
  TESSERA_ASSIGN_OR_RETURN(std::unique_ptr<train::Optimizer> opt, MakeOptimizer(o));
  if (o.dtype != DataType::kFloat && o.dtype != DataType::kDouble)
    return InvalidArgumentError("the CNN trains in float or double");
  const DataType dt = o.dtype;
  TrainMlpGraph m;
  m.graph = Graph::Create();
  Graph& g = *m.graph;
  m.x = ops::Placeholder(g, dt, PartialShape{-1, 784}, "x");
  m.y = ops::Placeholder(g, DataType::kInt32, PartialShape{-1}, "y");
  m.keep_prob = ops::Placeholder(g, dt, PartialShape{}, "keep_prob");
  m.global_step = train::GetOrCreateGlobalStep(g);
  auto dev = g.Device(o.device);
  int64_t seed = o.seed;
  auto weight = [&](const std::vector<int64_t>& shape, const char* name) {
    return Variable(g, ops::TruncatedNormal(g, shape, dt, 0.0, 0.1, seed++), name);
  };
  auto bias = [&](int64_t n, const char* name) {
    return Variable(
        g, ops::Fill(g, {n}, dt == DataType::kDouble ? Tensor::Scalar<double>(0.1) : Tensor::Scalar<float>(0.1f)),
        name);
  };
  Output h = ops::Reshape(g, m.x, {-1, 28, 28, 1});
  const int64_t depths[] = {1, 32, 64};
  for (int i = 0; i < 2; ++i) {
    auto scope = g.NameScope(i == 0 ? "conv1" : "conv2");
    Variable w = weight({5, 5, depths[i], depths[i + 1]}, "weights");
    Variable b = bias(depths[i + 1], "biases");
    h = ops::Relu(g, ops::BiasAdd(g, ops::Conv2D(g, h, w, {1, 1, 1, 1}, "SAME"), b));
    h = ops::MaxPool(g, h, {1, 2, 2, 1}, {1, 2, 2, 1}, "SAME");
  }
  {
    auto scope = g.NameScope("fc1");
    Variable w = weight({7 * 7 * 64, 1024}, "weights");
    Variable b = bias(1024, "biases");
    h = ops::Relu(g, ops::BiasAdd(g, ops::MatMul(g, ops::Reshape(g, h, {-1, 7 * 7 * 64}), w), b));
  }
  h = ops::Dropout(g, h, m.keep_prob, seed++);
  {
    auto scope = g.NameScope("fc2");
    Variable w = weight({1024, 10}, "weights");
    Variable b = bias(10, "biases");
    h = ops::BiasAdd(g, ops::MatMul(g, h, w), b);
  }
  m.loss = ops::Mean(g, ops::SparseSoftmaxCrossEntropyWithLogits(g, h, m.y).loss, {}, false, "loss");
  Output correct = ops::Equal(g, ops::ArgMax(g, h, 1, DataType::kInt32), m.y);
  m.accuracy = ops::Mean(g, ops::Cast(g, correct, dt), {}, false, "accuracy");
  TESSERA_ASSIGN_OR_RETURN(m.train_op, opt->Minimize(m.loss, m.global_step));
  m.init = GlobalVariablesInitializer(g);
  TESSERA_RETURN_IF_ERROR(g.status());
  return m;
}

}  // namespace tessera::demo
