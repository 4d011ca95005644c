#include "tools/demo_graphs.h"

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

}  // namespace tessera::demo
