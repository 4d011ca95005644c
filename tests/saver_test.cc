// train::Saver as TF1 users use it: TF's node names, save and restore, global
// steps, max_to_keep and the "checkpoint" state file, subsets and name maps,
// the errors of bad paths and mismatched checkpoints; and interoperability
// with TensorFlow: a checkpoint TF wrote (tests/data/tf_checkpoint) restores
// here, and one written here restores in TF (when TESSERA_TF_PYTHON names a
// Python with tensorflow-cpu, as in CI).
#include <gmock/gmock.h>
#include <stdlib.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "tests/test_util.h"

namespace tessera {
namespace {

namespace fs = std::filesystem;
using ::testing::HasSubstr;

using TempDir = testing::ScratchDir;

std::string ReadFile(const std::string& path) {
  std::ifstream f(path);
  std::stringstream s;
  s << f.rdbuf();
  return s.str();
}

// A graph with one variable per fixture entry, each initialised to zeros (or
// to the fixture's values), and a session that has run the initializer.
struct Model {
  std::shared_ptr<Graph> g = Graph::Create();
  std::map<std::string, Variable> vars;
  std::unique_ptr<Session> sess;
  explicit Model(bool zeros) {
    for (const auto& [name, value] : testing::CheckpointFixtureTensors()) {
      const size_t slash = name.rfind('/');
      std::optional<Graph::ScopeGuard> scope;
      if (slash != std::string::npos) scope.emplace(g->NameScope(name.substr(0, slash)));
      Tensor init = zeros ? Tensor(value.dtype(), value.shape()) : value;
      vars[name] = Variable(*g, ops::Const(*g, init), name.substr(slash == std::string::npos ? 0 : slash + 1));
    }
    Operation init = GlobalVariablesInitializer(*g);
    auto s = Session::Create(g);
    EXPECT_TRUE(s.ok()) << s.status();
    sess = std::move(*s);
    EXPECT_TRUE(sess->Run({}, {}, {init}).ok());
  }
  Tensor Value(const std::string& name) {
    auto out = sess->Run({}, {vars.at(name).value()});
    EXPECT_TRUE(out.ok()) << out.status();
    return out.ok() ? (*out)[0] : Tensor();
  }
  void ExpectFixtureValues() {
    for (const auto& [name, want] : testing::CheckpointFixtureTensors()) {
      Tensor got = Value(name);
      EXPECT_EQ(got.dtype(), want.dtype()) << name;
      EXPECT_EQ(got.shape(), want.shape()) << name;
      EXPECT_EQ(got.DebugString(), want.DebugString()) << name;
    }
  }
};

TEST(Saver, MakesTensorFlowsNodes) {
  Model m(false);
  auto saver = train::Saver::Create(*m.g);
  ASSERT_TRUE(saver.ok()) << saver.status();
  for (const char* name :
       {"save/filename/input", "save/filename", "save/Const", "save/SaveV2/tensor_names",
        "save/SaveV2/shape_and_slices", "save/SaveV2", "save/control_dependency", "save/RestoreV2/tensor_names",
        "save/RestoreV2", "save/Assign", "save/Assign_6", "save/restore_all"}) {
    EXPECT_TRUE(m.g->FindOperation(name).ok()) << name;
  }
  EXPECT_EQ(saver->filename_tensor().name(), "save/Const:0");
  EXPECT_EQ(saver->save_tensor().name(), "save/control_dependency:0");
  EXPECT_EQ(saver->restore_op().name(), "save/restore_all");
  EXPECT_EQ(saver->filename_tensor().node()->op(), "PlaceholderWithDefault");
  auto second = train::Saver::Create(*m.g);
  ASSERT_TRUE(second.ok());
  EXPECT_EQ(second->restore_op().name(), "save_1/restore_all");
}

TEST(Saver, SavesAndRestoresEveryVariable) {
  TempDir dir;
  Model trained(false);
  auto saver = train::Saver::Create(*trained.g);
  ASSERT_TRUE(saver.ok()) << saver.status();
  auto path = saver->Save(*trained.sess, dir / "model.ckpt", 7);
  ASSERT_TRUE(path.ok()) << path.status();
  EXPECT_EQ(*path, dir / "model.ckpt-7");
  EXPECT_TRUE(train::CheckpointExists(*path));
  EXPECT_THAT(ReadFile(dir / "checkpoint"), HasSubstr("model_checkpoint_path: \"model.ckpt-7\"\n"
                                                      "all_model_checkpoint_paths: \"model.ckpt-7\"\n"));
  Model fresh(true);
  auto restorer = train::Saver::Create(*fresh.g);
  ASSERT_TRUE(restorer.ok()) << restorer.status();
  EXPECT_EQ(fresh.Value("w").DebugString(), Tensor(DataType::kFloat, TensorShape{3, 2}).DebugString());
  ASSERT_TRUE(restorer->Restore(*fresh.sess, *path).ok());
  fresh.ExpectFixtureValues();
}

TEST(Saver, KeepsMaxToKeepAndNamesTheLatest) {
  TempDir dir;
  Model m(false);
  train::SaverOptions o;
  o.max_to_keep = 2;
  auto saver = train::Saver::Create(*m.g, o);
  ASSERT_TRUE(saver.ok());
  Variable step = train::GetOrCreateGlobalStep(*m.g);
  ASSERT_TRUE(step.initializer().Run(m.sess.get()).ok());
  for (int64_t s = 1; s <= 4; ++s) {
    ASSERT_TRUE(step.Load(Tensor::Scalar<int64_t>(s * 100), *m.sess).ok());
    auto path = saver->Save(*m.sess, dir / "model", step);
    ASSERT_TRUE(path.ok()) << path.status();
    EXPECT_EQ(*path, dir / "model-" + std::to_string(s * 100));
  }
  EXPECT_EQ(saver->last_checkpoints(), (std::vector<std::string>{dir / "model-300", dir / "model-400"}));
  EXPECT_FALSE(train::CheckpointExists(dir / "model-200"));
  EXPECT_FALSE(fs::exists(dir / "model-100.data-00000-of-00001"));
  auto latest = train::LatestCheckpoint(dir.path());
  ASSERT_TRUE(latest.ok()) << latest.status();
  EXPECT_EQ(*latest, dir / "model-400");
  auto state = train::GetCheckpointState(dir.path());
  ASSERT_TRUE(state.ok());
  EXPECT_EQ(state->all_model_checkpoint_paths, (std::vector<std::string>{"model-300", "model-400"}));
  EXPECT_EQ(state->all_model_checkpoint_timestamps.size(), 2u);
  // A saver in a new process picks the list up and keeps pruning it.
  auto resumed = train::Saver::Create(*m.g, o);
  resumed->RecoverLastCheckpoints({dir / "model-200", dir / "model-300", dir / "model-400"});
  EXPECT_EQ(resumed->last_checkpoints().size(), 2u);
  ASSERT_TRUE(resumed->Save(*m.sess, dir / "model", 500).ok());
  EXPECT_FALSE(train::CheckpointExists(dir / "model-300"));
  EXPECT_TRUE(train::CheckpointExists(dir / "model-400"));
}

TEST(Saver, SavesASubsetAndRestoresUnderOtherNames) {
  TempDir dir;
  Model m(false);
  train::SaverOptions subset;
  subset.var_list = {m.vars.at("w"), m.vars.at("layer/b")};
  auto saver = train::Saver::Create(*m.g, subset);
  ASSERT_TRUE(saver.ok());
  auto path = saver->Save(*m.sess, dir / "sub", std::nullopt, "checkpoint", false);
  ASSERT_TRUE(path.ok()) << path.status();
  EXPECT_FALSE(fs::exists(dir / "checkpoint"));  // write_state false
  auto reader = CheckpointReader::Open(*path);
  ASSERT_TRUE(reader.ok());
  auto listed = (*reader)->ListTensors();
  ASSERT_EQ(listed.size(), 2u);
  EXPECT_EQ(listed.at("layer/b").shape, (TensorShape{2}));
  EXPECT_EQ(listed.at("w").dtype, DataType::kFloat);
  // Another graph names its variables differently: a name map restores them.
  auto g = Graph::Create();
  Variable kernel(*g, ops::Zeros(*g, {3, 2}, DataType::kFloat), "dense/kernel");
  Variable bias(*g, ops::Zeros(*g, {2}, DataType::kFloat), "dense/bias");
  train::SaverOptions mapped;
  mapped.var_map = {{"w", kernel}, {"layer/b", bias}};
  auto restorer = train::Saver::Create(*g, mapped);
  ASSERT_TRUE(restorer.ok()) << restorer.status();
  auto sess = Session::Create(g);
  ASSERT_TRUE(restorer->Restore(**sess, *path).ok());
  auto out = (*sess)->Run({}, {kernel.value(), bias.value()});
  ASSERT_TRUE(out.ok());
  EXPECT_EQ((*out)[0].DebugString(), testing::CheckpointFixtureTensors()[0].second.DebugString());
  EXPECT_EQ((*out)[1].DebugString(), "[ 0.25 -3.5 ]");
}

TEST(Saver, RestoreChecksEverythingBeforeAssigningAnything) {
  TempDir dir;
  Model m(false);
  train::SaverOptions only_w;
  only_w.var_list = {m.vars.at("w")};
  auto partial = train::Saver::Create(*m.g, only_w);
  auto path = partial->Save(*m.sess, dir / "w_only");
  ASSERT_TRUE(path.ok());
  Model fresh(true);
  auto all = train::Saver::Create(*fresh.g);
  Status s = all->Restore(*fresh.sess, *path);
  EXPECT_EQ(s.code(), Code::kNotFound);
  EXPECT_EQ(s.message(), "Restoring from checkpoint " + *path +
                             " failed: 6 of the Saver's 7 variables are not in it: 'd', 'empty', 'flags', "
                             "'global_step', 'i32', 'layer/b'");
  EXPECT_EQ(fresh.Value("w").DebugString(), Tensor(DataType::kFloat, TensorShape{3, 2}).DebugString());
  // A variable of another shape, another dtype.
  auto g = Graph::Create();
  Variable w(*g, ops::Zeros(*g, {2, 3}, DataType::kFloat), "w");
  auto sess = Session::Create(g);
  s = train::Saver::Create(*g)->Restore(**sess, *path);
  EXPECT_EQ(s.code(), Code::kInvalidArgument);
  EXPECT_EQ(s.message(), "Tensor 'w' in checkpoint " + *path + " has shape [3,2], but variable 'w' has shape [2,3]");
  auto g2 = Graph::Create();
  Variable w64(*g2, ops::Zeros(*g2, {3, 2}, DataType::kDouble), "w");
  auto sess2 = Session::Create(g2);
  s = train::Saver::Create(*g2)->Restore(**sess2, *path);
  EXPECT_EQ(s.message(), "Tensor 'w' in checkpoint " + *path + " has dtype float, but variable 'w' is double");
}

TEST(Saver, BadPathsAndListsAreClearErrors) {
  TempDir dir;
  Model m(false);
  auto saver = train::Saver::Create(*m.g);
  Status s = saver->Save(*m.sess, dir / "no/such/dir/model").status();
  EXPECT_EQ(s.code(), Code::kNotFound);
  EXPECT_EQ(s.message(), "Parent directory of " + (dir / "no/such/dir/model") + " doesn't exist, can't save.");
  s = saver->Restore(*m.sess, dir / "never_saved");
  EXPECT_EQ(s.code(), Code::kNotFound);
  EXPECT_EQ(s.message(), "The passed save_path is not a valid checkpoint: " + (dir / "never_saved"));
  EXPECT_EQ(train::LatestCheckpoint(dir.path()).status().code(), Code::kNotFound);
  auto empty = Graph::Create();
  EXPECT_EQ(train::Saver::Create(*empty).status().message(), "No variables to save");
  train::SaverOptions both;
  both.var_list = {m.vars.at("w")};
  both.var_map = {{"x", m.vars.at("w")}};
  EXPECT_EQ(train::Saver::Create(*m.g, both).status().code(), Code::kInvalidArgument);
  // Saving a variable that has no value yet is the run's error, and writes nothing.
  auto g = Graph::Create();
  Variable v(*g, ops::Zeros(*g, {2}, DataType::kFloat), "v");
  auto sess = Session::Create(g);
  s = train::Saver::Create(*g)->Save(**sess, dir / "uninit").status();
  EXPECT_EQ(s.code(), Code::kFailedPrecondition);
  EXPECT_THAT(s.message(), HasSubstr("Attempting to use uninitialized value v"));
  EXPECT_FALSE(fs::exists(dir / "uninit.index"));
  // A corrupt state file.
  std::ofstream(dir / "checkpoint") << "model_checkpoint_path: [garbage";
  Status corrupt = train::LatestCheckpoint(dir.path()).status();
  EXPECT_EQ(corrupt.code(), Code::kDataLoss);
  EXPECT_EQ(corrupt.message(), "The checkpoint state file " + (dir / "checkpoint") +
                                   " does not parse as a CheckpointState: line 1, column 24: Expected string, got: [");
}

TEST(TensorFlowInterop, RestoresACheckpointTensorFlowWrote) {
  const std::string dir = std::string(TESSERA_TEST_DATA_DIR) + "/tf_checkpoint";
  auto latest = train::LatestCheckpoint(dir);
  ASSERT_TRUE(latest.ok()) << latest.status();
  EXPECT_EQ(*latest, dir + "/model.ckpt-7");
  auto reader = CheckpointReader::Open(*latest);
  ASSERT_TRUE(reader.ok()) << reader.status();
  EXPECT_EQ((*reader)->ListTensors().size(), 7u);
  for (const auto& [name, want] : testing::CheckpointFixtureTensors()) {
    auto got = (*reader)->GetTensor(name);
    ASSERT_TRUE(got.ok()) << got.status();
    EXPECT_EQ(got->DebugString(), want.DebugString()) << name;
  }
  Model fresh(true);
  ASSERT_TRUE(train::Saver::Create(*fresh.g)->Restore(*fresh.sess, *latest).ok());
  fresh.ExpectFixtureValues();
}

TEST(TensorFlowInterop, TensorFlowRestoresACheckpointWrittenHere) {
  const char* python = std::getenv("TESSERA_TF_PYTHON");
  if (python == nullptr || *python == '\0') {
    GTEST_SKIP() << "TensorFlow is not installed here: set TESSERA_TF_PYTHON to a Python with tensorflow-cpu "
                    "(CI does) to check that TF restores tessera's checkpoints";
  }
  TempDir dir;
  Model m(false);
  auto path = train::Saver::Create(*m.g)->Save(*m.sess, dir / "model.ckpt", 7);
  ASSERT_TRUE(path.ok()) << path.status();
  const std::string script = std::string(TESSERA_TEST_DATA_DIR) + "/../../tools/tf_checkpoint_fixtures.py";
  const std::string cmd = std::string(python) + " " + script + " verify " + *path + " 2>&1";
  FILE* p = ::popen(cmd.c_str(), "r");
  ASSERT_NE(p, nullptr);
  std::string out;
  char buf[512];
  while (std::fgets(buf, sizeof(buf), p) != nullptr) out += buf;
  const int rc = ::pclose(p);
  EXPECT_EQ(rc, 0) << out;
  EXPECT_THAT(out, HasSubstr("restored 7 tensors from " + *path + " OK")) << out;
}

}  // namespace
}  // namespace tessera
