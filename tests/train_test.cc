// The optimizers: the fused update ops against TF's formulas, the
// Optimizer classes (names, slots, colocation, the global step), and
// training that converges.
#include <gtest/gtest.h>
#include <tessera/tessera.h>

#include <cmath>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace tessera {
namespace {

using GraphPtr = std::shared_ptr<Graph>;

std::vector<double> Values(const Tensor& t) {
  std::vector<double> v;
  if (t.dtype() == DataType::kFloat) {
    for (float x : t.flat<float>()) v.push_back(x);
  } else {
    for (double x : t.flat<double>()) v.push_back(x);
  }
  return v;
}

void ExpectNear(const std::vector<double>& got, const std::vector<double>& want, double tol = 1e-6) {
  ASSERT_EQ(got.size(), want.size());
  for (size_t i = 0; i < want.size(); ++i) EXPECT_NEAR(got[i], want[i], tol * std::max(1.0, std::abs(want[i]))) << i;
}

// Three steps of one fused op over a variable and its slots, checked against
// the same formulas written here in double.
struct ApplyFixture {
  GraphPtr g = Graph::Create();
  Output grad = ops::Placeholder(*g, DataType::kDouble, PartialShape{3}, "grad");
  Variable var{*g, ops::Const(*g, Tensor::Vec<double>({1.0, -2.0, 0.5})), "var"};
  Variable s1{*g, ops::Const(*g, Tensor::Vec<double>({0.1, 0.2, 0.3})), "s1"};
  Variable s2{*g, ops::Const(*g, Tensor::Vec<double>({0.5, 0.25, 1.0})), "s2"};
  Output c(double v) { return ops::Const(*g, Tensor::Scalar<double>(v)); }
  std::vector<std::vector<double>> Run(Output update, int steps) {
    auto sess = Session::Create(g).value();
    EXPECT_TRUE(sess->Run({}, {}, {GlobalVariablesInitializer(*g)}).ok());
    const std::vector<double> gs = {0.5, -1.5, 2.0};
    for (int i = 0; i < steps; ++i) {
      std::vector<double> gi = {gs[0] * (i + 1), gs[1], gs[2] / (i + 1)};
      auto r = sess->Run({{grad, Tensor::FromVector<double>(gi, TensorShape{3}).value()}}, {update});
      EXPECT_TRUE(r.ok()) << r.status();
    }
    auto out = sess->Run({}, {var.value(), s1.value(), s2.value()}).value();
    return {Values(out[0]), Values(out[1]), Values(out[2])};
  }
};

std::vector<double> GradAt(int i) { return {0.5 * (i + 1), -1.5, 2.0 / (i + 1)}; }

TEST(ApplyOps, GradientDescent) {
  ApplyFixture f;
  auto got = f.Run(ops::ApplyGradientDescent(*f.g, f.var.ref(), f.c(0.1), f.grad), 3);
  std::vector<double> var = {1.0, -2.0, 0.5};
  for (int i = 0; i < 3; ++i) {
    for (int j = 0; j < 3; ++j) var[j] -= 0.1 * GradAt(i)[j];
  }
  ExpectNear(got[0], var, 1e-12);
}

TEST(ApplyOps, MomentumAndNesterov) {
  for (bool nesterov : {false, true}) {
    ApplyFixture f;
    auto got = f.Run(ops::ApplyMomentum(*f.g, f.var.ref(), f.s1.ref(), f.c(0.1), f.grad, f.c(0.9), false, nesterov), 3);
    std::vector<double> var = {1.0, -2.0, 0.5}, acc = {0.1, 0.2, 0.3};
    for (int i = 0; i < 3; ++i) {
      for (int j = 0; j < 3; ++j) {
        const double g = GradAt(i)[j];
        acc[j] = acc[j] * 0.9 + g;
        var[j] -= nesterov ? g * 0.1 + acc[j] * 0.9 * 0.1 : 0.1 * acc[j];
      }
    }
    ExpectNear(got[0], var, 1e-12);
    ExpectNear(got[1], acc, 1e-12);
  }
}

TEST(ApplyOps, Adam) {
  ApplyFixture f;
  auto got = f.Run(ops::ApplyAdam(*f.g, f.var.ref(), f.s1.ref(), f.s2.ref(), f.c(0.9 * 0.9), f.c(0.999 * 0.999),
                                  f.c(0.01), f.c(0.9), f.c(0.999), f.c(1e-8), f.grad),
                   3);
  std::vector<double> var = {1.0, -2.0, 0.5}, m = {0.1, 0.2, 0.3}, v = {0.5, 0.25, 1.0};
  const double lr_t = 0.01 * std::sqrt(1 - 0.999 * 0.999) / (1 - 0.9 * 0.9);
  for (int i = 0; i < 3; ++i) {
    for (int j = 0; j < 3; ++j) {
      const double g = GradAt(i)[j];
      m[j] += (g - m[j]) * (1 - 0.9);
      v[j] += (g * g - v[j]) * (1 - 0.999);
      var[j] -= m[j] * lr_t / (std::sqrt(v[j]) + 1e-8);
    }
  }
  ExpectNear(got[0], var, 1e-12);
  ExpectNear(got[1], m, 1e-12);
  ExpectNear(got[2], v, 1e-12);
}

TEST(ApplyOps, RMSProp) {
  ApplyFixture f;
  auto got = f.Run(
      ops::ApplyRMSProp(*f.g, f.var.ref(), f.s1.ref(), f.s2.ref(), f.c(0.01), f.c(0.9), f.c(0.5), f.c(1e-10), f.grad),
      3);
  std::vector<double> var = {1.0, -2.0, 0.5}, ms = {0.1, 0.2, 0.3}, mom = {0.5, 0.25, 1.0};
  for (int i = 0; i < 3; ++i) {
    for (int j = 0; j < 3; ++j) {
      const double g = GradAt(i)[j];
      ms[j] += (g * g - ms[j]) * (1 - 0.9);
      mom[j] = mom[j] * 0.5 + 0.01 * g / std::sqrt(ms[j] + 1e-10);
      var[j] -= mom[j];
    }
  }
  ExpectNear(got[0], var, 1e-12);
  ExpectNear(got[1], ms, 1e-12);
  ExpectNear(got[2], mom, 1e-12);
}

TEST(ApplyOps, ErrorsNameTheProblem) {
  {
    ApplyFixture f;  // a gradient of the wrong shape, known only when it runs
    Output g2 = ops::Placeholder(*f.g, DataType::kDouble, PartialShape(), "g2");
    Output up = ops::ApplyGradientDescent(*f.g, f.var.ref(), f.c(0.1), g2);
    auto sess = Session::Create(f.g).value();
    ASSERT_TRUE(sess->Run({}, {}, {GlobalVariablesInitializer(*f.g)}).ok());
    Status s = sess->Run({{g2, Tensor::Vec<double>({1, 2})}}, {up}).status();
    EXPECT_EQ(s.code(), Code::kInvalidArgument);
    EXPECT_NE(s.message().find("var and delta do not have the same shape[3] [2]"), std::string::npos) << s;
  }
  {
    ApplyFixture f;  // a slot never initialized
    Output up = ops::ApplyMomentum(*f.g, f.var.ref(), f.s1.ref(), f.c(0.1), f.grad, f.c(0.9));
    auto sess = Session::Create(f.g).value();
    ASSERT_TRUE(sess->Run({}, {}, {f.var.initializer()}).ok());
    Status s = sess->Run({{f.grad, Tensor::Vec<double>({1, 2, 3})}}, {up}).status();
    EXPECT_EQ(s.code(), Code::kFailedPrecondition);
    EXPECT_NE(s.message().find("Attempting to use uninitialized value s1"), std::string::npos) << s;
  }
  {
    ApplyFixture f;  // a learning rate that is not a scalar
    Output lr = ops::Placeholder(*f.g, DataType::kDouble, PartialShape(), "lr");
    Output up = ops::ApplyGradientDescent(*f.g, f.var.ref(), lr, f.grad);
    auto sess = Session::Create(f.g).value();
    ASSERT_TRUE(sess->Run({}, {}, {GlobalVariablesInitializer(*f.g)}).ok());
    Status s = sess->Run({{lr, Tensor::Vec<double>({1, 2})}, {f.grad, Tensor::Vec<double>({1, 2, 3})}}, {up}).status();
    EXPECT_NE(s.message().find("alpha is not a scalar: [2]"), std::string::npos) << s;
  }
  {
    GraphPtr g = Graph::Create();  // not a variable
    ops::ApplyGradientDescent(*g, ops::Const(*g, 1.0f), ops::Const(*g, 0.1f), ops::Const(*g, 1.0f));
    EXPECT_FALSE(g->status().ok());
  }
}

// Updates are in place only when nothing else holds the value: a tensor the
// user fetched earlier keeps its numbers.
TEST(ApplyOps, FetchedValuesNeverChangeUnderneath) {
  ApplyFixture f;
  Output up = ops::ApplyGradientDescent(*f.g, f.var.ref(), f.c(0.5), f.grad);
  auto sess = Session::Create(f.g).value();
  ASSERT_TRUE(sess->Run({}, {}, {GlobalVariablesInitializer(*f.g)}).ok());
  const Tensor before = sess->Run({}, {f.var.value()}).value()[0];
  const Tensor g = Tensor::Vec<double>({1, 1, 1});
  for (int i = 0; i < 3; ++i) ASSERT_TRUE(sess->Run({{f.grad, g}}, {}, {Operation(up)}).ok());
  EXPECT_EQ(Values(before), (std::vector<double>{1.0, -2.0, 0.5}));
  // Fetched with the update in the same Run: the fetch is the new value.
  auto both = sess->Run({{f.grad, g}}, {up, f.var.value()}).value();
  EXPECT_EQ(Values(both[0]), (std::vector<double>{-1.0, -4.0, -1.5}));
  EXPECT_EQ(Values(sess->Run({}, {f.var.value()}).value()[0]), (std::vector<double>{-1.0, -4.0, -1.5}));
  EXPECT_EQ(Values(before), (std::vector<double>{1.0, -2.0, 0.5}));
  // The variable as its own slot is refused.
  Output same = ops::ApplyMomentum(*f.g, f.var.ref(), f.var.ref(), f.c(0.1), f.grad, f.c(0.9));
  Status s = sess->Run({{f.grad, g}}, {same}).status();
  EXPECT_NE(s.message().find("var and accum must be different variables, both are var"), std::string::npos) << s;
}

// y = x w + b fitted to a line: the loss falls with every optimizer.
struct Regression {
  GraphPtr g = Graph::Create();
  Output x = ops::Placeholder(*g, DataType::kFloat, PartialShape{-1, 1}, "x");
  Output y = ops::Placeholder(*g, DataType::kFloat, PartialShape{-1, 1}, "y");
  Variable w{*g, ops::Const(*g, Tensor::Matrix<float>({{0.0f}}).value()), "w"};
  Variable b{*g, ops::Const(*g, Tensor::Vec<float>({0.0f})), "b"};
  Output loss = ops::Mean(*g, ops::Square(*g, ops::Sub(*g, ops::BiasAdd(*g, ops::MatMul(*g, x, w), b), y)));
  Tensor xs = Tensor::Matrix<float>({{-1}, {0}, {1}, {2}}).value();
  Tensor ys = Tensor::Matrix<float>({{-1}, {1}, {3}, {5}}).value();  // y = 2x + 1

  float Train(train::Optimizer& opt, int steps, std::optional<Variable> step = std::nullopt) {
    Operation train_op = opt.Minimize(loss, step).value();
    auto sess = Session::Create(g).value();
    EXPECT_TRUE(sess->Run({}, {}, {GlobalVariablesInitializer(*g)}).ok());
    for (int i = 0; i < steps; ++i) EXPECT_TRUE(sess->Run({{x, xs}, {y, ys}}, {}, {train_op}).ok());
    last = sess->Run({{x, xs}, {y, ys}}, {loss, w.value(), b.value()}).value();
    return last[0].flat<float>()[0];
  }
  std::vector<Tensor> last;
};

TEST(Optimizers, EveryOptimizerFitsALine) {
  {
    Regression r;
    train::GradientDescentOptimizer opt(0.1);
    EXPECT_LT(r.Train(opt, 200), 1e-6);
    EXPECT_NEAR(r.last[1].flat<float>()[0], 2.0f, 1e-3);
    EXPECT_NEAR(r.last[2].flat<float>()[0], 1.0f, 1e-3);
  }
  for (bool nesterov : {false, true}) {
    Regression r;
    train::MomentumOptimizer opt(0.05, 0.9, false, "Momentum", nesterov);
    EXPECT_LT(r.Train(opt, 300), 1e-4) << nesterov;
  }
  {
    Regression r;
    train::AdamOptimizer opt(0.1);
    EXPECT_LT(r.Train(opt, 400), 1e-3);
  }
  {
    Regression r;
    train::RMSPropOptimizer opt(0.01);
    EXPECT_LT(r.Train(opt, 400), 1e-2);
  }
}

TEST(Optimizers, NamesSlotsAndGlobalStepAsTf) {
  Regression r;
  Variable step = train::GetOrCreateGlobalStep(*r.g);
  EXPECT_EQ(step.name(), "global_step");
  EXPECT_EQ(step.dtype(), DataType::kInt64);
  EXPECT_EQ(train::GetOrCreateGlobalStep(*r.g).name(), "global_step");  // made once
  train::AdamOptimizer opt(0.1);
  r.Train(opt, 3, step);
  for (const char* name :
       {"w/Adam", "w/Adam_1", "b/Adam", "b/Adam_1", "beta1_power", "beta2_power", "Adam/update_w/ApplyAdam",
        "Adam/update_b/ApplyAdam", "Adam/learning_rate", "Adam/update", "Adam", "gradients/MatMul_grad/MatMul_1"}) {
    EXPECT_TRUE(r.g->FindOperation(name).ok()) << name;
  }
  EXPECT_EQ(r.g->FindOperation("Adam").value().node()->op(), "AssignAdd");
  EXPECT_EQ(opt.GetSlot(r.w, "m").name(), "w/Adam");
  EXPECT_EQ(opt.GetSlot(r.w, "v").name(), "w/Adam_1");
  EXPECT_FALSE(opt.GetSlot(r.w, "momentum").valid());
  EXPECT_EQ(opt.GetSlotNames(), (std::vector<std::string>{"m", "v"}));
  // Slots are global, not trainable.
  EXPECT_EQ(TrainableVariables(*r.g).size(), 2u);
  EXPECT_EQ(GlobalVariables(*r.g).size(), 9u);  // w, b, step, 4 slots, 2 powers
  auto sess = Session::Create(r.g).value();
  ASSERT_TRUE(sess->Run({}, {}, {GlobalVariablesInitializer(*r.g)}).ok());
  Operation train_op = r.g->FindOperation("Adam").value();
  for (int i = 0; i < 3; ++i) ASSERT_TRUE(sess->Run({{r.x, r.xs}, {r.y, r.ys}}, {}, {train_op}).ok());
  auto out = sess->Run({}, {step.value(), Output(r.g->FindOperation("beta1_power").value().node(), 0)}).value();
  EXPECT_EQ(out[0].flat<int64_t>()[0], 3);
  EXPECT_NEAR(out[1].flat<float>()[0], std::pow(0.9, 4), 1e-6);  // beta1 after 3 updates
}

TEST(Optimizers, SlotsLiveWithTheirVariableAndTheStepOnTheHost) {
  Regression r;
  Variable w2 = [&] {
    auto d = r.g->Device("/device:CPU:1");
    return Variable(*r.g, ops::Const(*r.g, 1.0f), "w2");
  }();
  Output loss = ops::Add(*r.g, r.loss, ops::Square(*r.g, w2.value()));
  train::MomentumOptimizer opt(0.1, 0.9);
  Operation train_op = opt.Minimize(loss, train::GetOrCreateGlobalStep(*r.g)).value();
  SessionOptions o;
  o.device_count["CPU"] = 2;
  auto sess = Session::Create(r.g, o).value();
  ASSERT_TRUE(sess->Run({}, {}, {GlobalVariablesInitializer(*r.g)}).ok());
  ASSERT_TRUE(sess->Run({{r.x, r.xs}, {r.y, r.ys}}, {}, {train_op}).ok());
  std::map<std::string, std::string> device;
  for (const PlacementRecord& rec : sess->PlacementRecords()) device[rec.node] = rec.assigned;
  EXPECT_NE(device["w2/Momentum"].find("CPU:1"), std::string::npos) << device["w2/Momentum"];
  EXPECT_NE(device["Momentum/update_w2/ApplyMomentum"].find("CPU:1"), std::string::npos);
  EXPECT_NE(device["w/Momentum"].find("CPU:0"), std::string::npos);
  EXPECT_NE(device["global_step"].find("CPU:0"), std::string::npos);
  EXPECT_NE(device["Momentum"].find("CPU:0"), std::string::npos);  // the step's AssignAdd
}

TEST(Optimizers, ErrorsNameTheProblem) {
  Regression r;
  train::GradientDescentOptimizer opt(0.1);
  // A variable the loss does not depend on: no gradient for any variable.
  Variable lonely(*r.g, ops::Const(*r.g, 1.0f), "lonely");
  auto s = opt.Minimize(r.loss, std::nullopt, {lonely});
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.status().message().find("No gradients provided for any variable"), std::string::npos);
  EXPECT_NE(s.status().message().find("'lonely'"), std::string::npos);
  // An integer loss.
  auto si = opt.Minimize(ops::Const(*r.g, 3), std::nullopt, {r.w});
  ASSERT_FALSE(si.ok());
  EXPECT_NE(si.status().message().find("Invalid type int32"), std::string::npos) << si.status();
  // A graph with no trainable variable.
  GraphPtr g = Graph::Create();
  auto se = opt.Minimize(ops::Const(*g, 1.0f));
  ASSERT_FALSE(se.ok());
  EXPECT_NE(se.status().message().find("No variables to optimize"), std::string::npos);
  // The optimizer's slots must be initialised like any variable.
  train::AdamOptimizer adam(0.1);
  Operation train_op = adam.Minimize(r.loss).value();
  auto sess = Session::Create(r.g).value();
  ASSERT_TRUE(sess->Run({}, {}, {r.w.initializer(), r.b.initializer()}).ok());
  Status run = sess->Run({{r.x, r.xs}, {r.y, r.ys}}, {}, {train_op}).status();
  EXPECT_EQ(run.code(), Code::kFailedPrecondition);
  EXPECT_NE(run.message().find("Attempting to use uninitialized value"), std::string::npos) << run;
}

}  // namespace
}  // namespace tessera
