// LoadModel and ExportMetaGraph: a model saved here (checkpoint + .meta with
// signatures) loads in one call and computes what it did; a model TF1's Saver
// wrote (tests/data/tf_graphs/mlp_checkpoint) loads and reproduces TF's
// outputs and goes on training; and the errors of a missing or foreign model.
#include <gmock/gmock.h>
#include <stdlib.h>

#include <cmath>
#include <filesystem>
#include <fstream>

#include "tests/test_util.h"

namespace tessera {
namespace {

using ::testing::HasSubstr;

TEST(LoadModel, AModelSavedHereLoadsInOneCall) {
  testing::ScratchDir scratch;
  const std::string dir = scratch.path();
  auto g = Graph::Create();
  Output x = ops::Placeholder(*g, DataType::kFloat, PartialShape({-1, 2}), "x");
  Variable w(*g, ops::Const(*g, *Tensor::Matrix<float>({{1, 2, 3}, {4, 5, 6}})), "dense/kernel");
  Variable b(*g, ops::Const(*g, Tensor::Vec<float>({0.5f, 0, -1})), "dense/bias");
  Output y = ops::Relu(*g, ops::BiasAdd(*g, ops::MatMul(*g, x, w), b), "y");
  Operation init = GlobalVariablesInitializer(*g);
  auto saver = train::Saver::Create(*g);
  ASSERT_TRUE(saver.ok()) << saver.status();
  saver->set_signatures({{"serving_default", Signature{{{"x", x}}, {{"y", y}}}}});
  auto sess = Session::Create(g);
  ASSERT_TRUE((*sess)->Run({}, {}, {init}).ok());
  ASSERT_TRUE(w.Load(*Tensor::Matrix<float>({{-1, 0, 1}, {2, 2, 2}}), **sess).ok());  // "trained"
  const Tensor input = *Tensor::Matrix<float>({{1, 1}, {0.5f, -3}});
  Tensor want = (*(*sess)->Run({{x, input}}, {y}))[0];
  auto path = saver->Save(**sess, dir + "/model.ckpt", 5);
  ASSERT_TRUE(path.ok()) << path.status();
  EXPECT_TRUE(std::filesystem::exists(*path + ".meta"));

  auto m = LoadModel(dir);
  ASSERT_TRUE(m.ok()) << m.status();
  EXPECT_EQ(m->checkpoint, *path);
  ASSERT_EQ(m->signatures.count("serving_default"), 1u);
  const Signature& sig = m->signatures.at("serving_default");
  EXPECT_EQ(sig.inputs.at("x").name(), "x:0");
  auto got = m->session->Run({{sig.inputs.at("x"), input}}, {sig.outputs.at("y")});
  ASSERT_TRUE(got.ok()) << got.status();
  EXPECT_EQ((*got)[0].DebugString(), want.DebugString());
  // The variables come back as Variables: training can go on, and save again.
  std::vector<Variable> vars = GlobalVariables(*m->graph);
  ASSERT_EQ(vars.size(), 2u);
  EXPECT_EQ(vars[0].name(), "dense/kernel");
  EXPECT_TRUE(vars[0].initializer().valid());
  auto again = train::Saver::Create(*m->graph);
  ASSERT_TRUE(again.ok()) << again.status();
  EXPECT_TRUE(again->Save(*m->session, dir + "/resumed").ok());
}

TEST(LoadModel, ATensorFlowSaversModelReproducesItsOutputs) {
  const std::string dir = std::string(TESSERA_TEST_DATA_DIR) + "/tf_graphs/mlp_checkpoint";
  ImportGraphDefOptions import;
  import.devices = ImportGraphDefOptions::Devices::kClear;  // TF's file pins the MLP to /gpu:0
  auto m = LoadModel(dir, SessionOptions(), import);
  ASSERT_TRUE(m.ok()) << m.status();
  EXPECT_EQ(m->checkpoint, dir + "/model.ckpt-5");
  auto x = testing::ReadValuesFile(dir + "/x");
  auto want = testing::ReadValuesFile(dir + "/expected");
  ASSERT_TRUE(x.ok() && want.ok());
  std::vector<Tensor> out;
  ASSERT_TRUE(m->session->Run({{"x:0", *x}}, {"probs:0"}, {}, &out).ok());
  ASSERT_EQ(out[0].shape(), want->shape());
  for (int64_t i = 0; i < want->num_elements(); ++i) {
    const float a = out[0].flat<float>()[static_cast<size_t>(i)], b = want->flat<float>()[static_cast<size_t>(i)];
    EXPECT_LE(std::fabs(a - b), 1e-6f * std::fabs(b) + 1e-9f) << i;
  }
  // TF's training graph came too (gradients, SGD updates, the global step):
  // training goes on from step 5.
  EXPECT_EQ(GlobalVariables(*m->graph).size(), 5u);
  Tensor labels = Tensor::Vec<int32_t>({1, 2, 3, 4});
  ASSERT_TRUE(m->session->Run({{"x:0", *x}, {"y:0", labels}}, {}, {"GradientDescent"}, &out).ok());
  ASSERT_TRUE(m->session->Run({}, {"global_step:0"}, {}, &out).ok());
  EXPECT_EQ(out[0].scalar<int64_t>().value(), 6);
}

TEST(LoadModel, MissingModelsAreNotFound) {
  testing::ScratchDir scratch;
  const std::string dir = scratch.path();
  EXPECT_EQ(LoadModel(dir).status().code(), Code::kNotFound);
  EXPECT_THAT(LoadModel(dir + "/model.ckpt-1").status().message(), HasSubstr("No checkpoint"));
  // A checkpoint without its .meta.
  auto g = Graph::Create();
  Variable v(*g, ops::Zeros(*g, {2}, DataType::kFloat), "v");
  train::SaverOptions o;
  o.write_meta_graph = false;
  auto saver = train::Saver::Create(*g, o);
  auto sess = Session::Create(g);
  ASSERT_TRUE(v.initializer().Run(sess->get()).ok());
  auto path = saver->Save(**sess, dir + "/bare");
  ASSERT_TRUE(path.ok());
  Status s = LoadModel(*path).status();
  EXPECT_EQ(s.code(), Code::kNotFound);
  EXPECT_EQ(s.message(), "The checkpoint " + *path + " has no MetaGraph beside it (" + *path + ".meta)");
}

}  // namespace
}  // namespace tessera
