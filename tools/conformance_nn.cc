// Conformance cases of training: losses, gradient ops, optimizer updates,
// convolution and pooling (NHWC and NCHW).
#include "tools/conformance_cases.h"

namespace tessera::conformance::cases {

// The losses and the gradient ops of training.
void AddTraining(std::vector<OpCase>& c) {
  using Op2 = Output (*)(Graph&, Output, Output, ops::Name);
  for (const auto& entry : {std::pair<const char*, Op2>{"ReluGrad", ops::ReluGrad},
                            {"TanhGrad", ops::TanhGrad},
                            {"SigmoidGrad", ops::SigmoidGrad}}) {
    const char* name = entry.first;
    const Op2 op = entry.second;  // (clang 14 cannot capture a structured binding)
    c.push_back({std::string(name) + "/f32",
                 {Data<float>({6, 5}), Data<float>({6, 5}, 2.0)},
                 [op](Graph& g, const std::vector<Output>& in) { return op(g, in[0], in[1], {}); },
                 1e-6});
    c.push_back({std::string(name) + "/f64",
                 {Data<double>({7}), Data<double>({7}, 3.0)},
                 [op](Graph& g, const std::vector<Output>& in) { return op(g, in[0], in[1], {}); },
                 1e-12});
  }
  c.push_back({"BiasAddGrad/f32",
               {Data<float>({3, 4, 6})},
               [](Graph& g, const std::vector<Output>& in) { return ops::BiasAddGrad(g, in[0]); },
               1e-5});
  c.push_back({"LogSoftmax/f64",
               {Data<double>({5, 10}, 4.0)},
               [](Graph& g, const std::vector<Output>& in) { return ops::LogSoftmax(g, in[0]); },
               1e-12});
  c.push_back({"L2Loss/f32",
               {Data<float>({300, 70})},
               [](Graph& g, const std::vector<Output>& in) { return ops::L2Loss(g, in[0]); },
               1e-5});
  c.push_back({"SoftmaxCrossEntropyWithLogits/f32/backprop",
               {Data<float>({8, 10}, 5.0), Data<float>({8, 10}, 3.0)},
               [](Graph& g, const std::vector<Output>& in) {
                 return ops::SoftmaxCrossEntropyWithLogits(g, in[0], ops::Softmax(g, in[1])).backprop;
               },
               1e-6});
  c.push_back({"SoftmaxCrossEntropyWithLogits/f64/loss",
               {Data<double>({8, 10}, 5.0), Data<double>({8, 10}, 3.0)},
               [](Graph& g, const std::vector<Output>& in) {
                 return ops::SoftmaxCrossEntropyWithLogits(g, in[0], ops::Softmax(g, in[1])).loss;
               },
               1e-12});
  c.push_back({"SparseSoftmaxCrossEntropyWithLogits/f32/i32/loss",
               {Data<float>({4, 5}, 5.0), Tensor::FromVector<int32_t>({3, 0, 4, 1}, {4}).value()},
               [](Graph& g, const std::vector<Output>& in) {
                 return ops::SparseSoftmaxCrossEntropyWithLogits(g, in[0], in[1]).loss;
               },
               1e-6});
  c.push_back({"SparseSoftmaxCrossEntropyWithLogits/f64/i64/backprop",
               {Data<double>({4, 5}, 5.0), Tensor::FromVector<int64_t>({2, 2, 0, 4}, {4}).value()},
               [](Graph& g, const std::vector<Output>& in) {
                 return ops::SparseSoftmaxCrossEntropyWithLogits(g, in[0], in[1]).backprop;
               },
               1e-12});
}

// The optimizers' fused updates: the variable and its slots initialised
// from the inputs in the same run (control dependencies), then one update.
void AddOptimizers(std::vector<OpCase>& c) {
  using Build = Output (*)(Graph&, const std::vector<Variable>&, const std::vector<Output>&);
  auto add = [&](const char* name, int slots, int scalars, Build build) {
    std::vector<Tensor> in = {Data<float>({4, 3}), Data<float>({4, 3}, 2.0)};
    for (int i = 0; i < slots; ++i) in.push_back(Positive<float>({4, 3}));
    for (int i = 0; i < scalars; ++i) in.push_back(Tensor::Scalar<float>(0.1f * static_cast<float>(i + 1)));
    c.push_back({std::string(name) + "/f32", in,
                 [slots, build](Graph& g, const std::vector<Output>& x) {
                   std::vector<Variable> vars = {Variable(g, x[0], "var")};
                   for (int i = 0; i < slots; ++i) vars.emplace_back(g, x[2 + i], "slot");
                   std::vector<Operation> init;
                   for (const Variable& v : vars) init.push_back(v.initializer());
                   auto deps = g.ControlDependencies(init);
                   std::vector<Output> rest = {x[1]};  // the gradient, then the scalars
                   rest.insert(rest.end(), x.begin() + 2 + slots, x.end());
                   return build(g, vars, rest);
                 },
                 1e-5});
  };
  add("ApplyGradientDescent", 0, 1, [](Graph& g, const std::vector<Variable>& v, const std::vector<Output>& x) {
    return ops::ApplyGradientDescent(g, v[0].ref(), x[1], x[0]);
  });
  add("ApplyMomentum/nesterov", 1, 2, [](Graph& g, const std::vector<Variable>& v, const std::vector<Output>& x) {
    return ops::ApplyMomentum(g, v[0].ref(), v[1].ref(), x[1], x[0], x[2], false, true);
  });
  add("ApplyAdam", 2, 6, [](Graph& g, const std::vector<Variable>& v, const std::vector<Output>& x) {
    return ops::ApplyAdam(g, v[0].ref(), v[1].ref(), v[2].ref(), x[1], x[2], x[3], x[4], x[5], x[6], x[0]);
  });
  add("ApplyRMSProp", 2, 4, [](Graph& g, const std::vector<Variable>& v, const std::vector<Output>& x) {
    return ops::ApplyRMSProp(g, v[0].ref(), v[1].ref(), v[2].ref(), x[1], x[2], x[3], x[4], x[0]);
  });
}

// Convolution and pooling (NHWC).
void AddConv(std::vector<OpCase>& c) {
  c.push_back({"Conv2D/f32/SAME/s2",
               {Data<float>({2, 9, 7, 3}), Data<float>({3, 3, 3, 4})},
               [](Graph& g, const std::vector<Output>& in) {
                 return ops::Conv2D(g, in[0], in[1], {1, 2, 2, 1}, "SAME");
               },
               1e-5});
  c.push_back({"Conv2DBackpropInput/f32/VALID",
               {Data<float>({3, 3, 3, 4}), Data<float>({2, 7, 5, 4})},
               [](Graph& g, const std::vector<Output>& in) {
                 Output sizes = ops::Const(g, Tensor::Vec<int32_t>({2, 9, 7, 3}));
                 return ops::Conv2DBackpropInput(g, sizes, in[0], in[1], {1, 1, 1, 1}, "VALID");
               },
               1e-5});
  c.push_back({"Conv2DBackpropFilter/f64/SAME",
               {Data<double>({2, 6, 5, 3}), Data<double>({2, 6, 5, 2})},
               [](Graph& g, const std::vector<Output>& in) {
                 Output sizes = ops::Const(g, Tensor::Vec<int32_t>({3, 3, 3, 2}));
                 return ops::Conv2DBackpropFilter(g, in[0], sizes, in[1], {1, 1, 1, 1}, "SAME");
               },
               1e-10});
  for (const bool max : {true, false}) {
    c.push_back({std::string(max ? "MaxPool" : "AvgPool") + "/f32/SAME/3s2",
                 {Data<float>({2, 7, 6, 3})},
                 [max](Graph& g, const std::vector<Output>& in) {
                   return max ? ops::MaxPool(g, in[0], {1, 3, 3, 1}, {1, 2, 2, 1}, "SAME")
                              : ops::AvgPool(g, in[0], {1, 3, 3, 1}, {1, 2, 2, 1}, "SAME");
                 },
                 1e-6});
  }
  // NCHW: the images through the backend's gather to NHWC and back.
  const auto nchw = ops::DataFormat::kNCHW;
  c.push_back(
      {"Conv2D/NCHW/f32/SAME/s2+BiasAdd",
       {Data<float>({2, 3, 9, 7}), Data<float>({3, 3, 3, 4}), Data<float>({4})},
       [nchw](Graph& g, const std::vector<Output>& in) {
         return ops::BiasAdd(g, ops::Conv2D(g, in[0], in[1], {1, 1, 2, 2}, "SAME", {1, 1, 1, 1}, nchw), in[2], nchw);
       },
       1e-5});
  c.push_back(
      {"Conv2DBackpropInput+Filter/NCHW/f64",
       {Data<double>({3, 3, 3, 4}), Data<double>({2, 4, 7, 5}), Data<double>({2, 3, 9, 7})},
       [nchw](Graph& g, const std::vector<Output>& in) {
         Output sizes = ops::Const(g, Tensor::Vec<int32_t>({2, 3, 9, 7}));
         Output dx = ops::Conv2DBackpropInput(g, sizes, in[0], in[1], {1, 1, 1, 1}, "VALID", {1, 1, 1, 1}, nchw);
         Output filter_sizes = ops::Const(g, Tensor::Vec<int32_t>({3, 3, 3, 4}));
         Output df =
             ops::Conv2DBackpropFilter(g, in[2], filter_sizes, in[1], {1, 1, 1, 1}, "VALID", {1, 1, 1, 1}, nchw);
         return ops::Add(g, ops::Sum(g, dx), ops::Sum(g, df));
       },
       1e-9});
  c.push_back({"MaxPool+AvgPoolGrad+BiasAddGrad/NCHW/f32",
               {Data<float>({2, 3, 7, 6})},
               [nchw](Graph& g, const std::vector<Output>& in) {
                 Output y = ops::MaxPool(g, in[0], {1, 1, 3, 3}, {1, 1, 2, 2}, "SAME", nchw);
                 Output avg = ops::AvgPoolGrad(g, ops::Shape(g, in[0]), y, {1, 1, 3, 3}, {1, 1, 2, 2}, "SAME", nchw);
                 Output dx = ops::MaxPoolGrad(g, in[0], y, y, {1, 1, 3, 3}, {1, 1, 2, 2}, "SAME", nchw);
                 return ops::Add(g, ops::BiasAddGrad(g, dx, nchw), ops::BiasAddGrad(g, avg, nchw));
               },
               1e-5});
  c.push_back({"MaxPoolGrad/f32/VALID/2",
               {Data<float>({2, 6, 6, 2}), Data<float>({2, 3, 3, 2})},
               [](Graph& g, const std::vector<Output>& in) {
                 Output y = ops::MaxPool(g, in[0], {1, 2, 2, 1}, {1, 2, 2, 1}, "VALID");
                 return ops::MaxPoolGrad(g, in[0], y, in[1], {1, 2, 2, 1}, {1, 2, 2, 1}, "VALID");
               },
               1e-6});
  c.push_back({"AvgPoolGrad/f64/SAME/3s2",
               {Data<double>({2, 4, 3, 3})},
               [](Graph& g, const std::vector<Output>& in) {
                 Output shape = ops::Const(g, Tensor::Vec<int32_t>({2, 7, 6, 3}));
                 return ops::AvgPoolGrad(g, shape, in[0], {1, 3, 3, 1}, {1, 2, 2, 1}, "SAME");
               },
               1e-12});
}

}  // namespace tessera::conformance::cases
