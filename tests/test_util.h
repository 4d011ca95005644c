// Helpers shared by the tests.
#pragma once

#include <gtest/gtest.h>
#include <stdlib.h>
#include <tessera/tessera.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

namespace tessera::testing {

// " (defined at <this test>.cc:<line>)": where the test made node `name`, as
// messages show it.
inline std::string DefinedAt(const Graph& g, std::string_view name) {
  StatusOr<Operation> op = g.FindOperation(name);
  EXPECT_TRUE(op.ok()) << op.status();
  return op.ok() ? op->node()->DefinedAt() : std::string();
}
// "<this test>.cc:<line>" for node `name`.
inline std::string SourceOf(const Graph& g, std::string_view name) {
  StatusOr<Operation> op = g.FindOperation(name);
  EXPECT_TRUE(op.ok()) << op.status();
  return op.ok() ? op->node()->source().ToString() : std::string();
}

// Runs `fetch` in a fresh session on `g` and returns the value (fails the test on error).
inline Tensor RunOne(const std::shared_ptr<Graph>& g, Output fetch, const Session::FeedList& feeds = {},
                     const SessionOptions& options = {}) {
  EXPECT_TRUE(g->status().ok()) << g->status();
  auto sess = Session::Create(g, options);
  EXPECT_TRUE(sess.ok()) << sess.status();
  if (!sess.ok()) return Tensor();
  auto out = (*sess)->Run(feeds, {fetch});
  EXPECT_TRUE(out.ok()) << out.status();
  if (!out.ok()) return Tensor();
  return (*out)[0];
}

// The status of running `fetch` in a fresh session.
inline Status RunStatus(const std::shared_ptr<Graph>& g, Output fetch, const Session::FeedList& feeds = {},
                        const SessionOptions& options = {}) {
  auto sess = Session::Create(g, options);
  if (!sess.ok()) return sess.status();
  return (*sess)->Run(feeds, {fetch}).status();
}

template <typename T>
void ExpectValues(const Tensor& t, const std::vector<T>& expected, const TensorShape& shape) {
  ASSERT_EQ(t.dtype(), DataTypeOf<T>());
  ASSERT_EQ(t.shape(), shape) << t.shape().DebugString();
  std::vector<T> got = t.ToVector<T>();
  ASSERT_EQ(got.size(), expected.size());
  for (size_t i = 0; i < got.size(); ++i) {
    if constexpr (std::is_floating_point_v<T>) {
      EXPECT_NEAR(got[i], expected[i], 1e-5 * (1 + std::abs(expected[i]))) << "element " << i;
    } else {
      EXPECT_EQ(got[i], expected[i]) << "element " << i;
    }
  }
}

// A fresh directory under the test temp dir, removed with everything in it
// at the end of the scope.
class ScratchDir {
 public:
  ScratchDir() {
    std::string tmpl = ::testing::TempDir() + "tessera_XXXXXX";
    path_ = ::mkdtemp(tmpl.data()) ? tmpl : std::string();
    EXPECT_FALSE(path_.empty());
  }
  ~ScratchDir() {
    std::error_code ignored;
    std::filesystem::remove_all(path_, ignored);
  }
  ScratchDir(const ScratchDir&) = delete;
  ScratchDir& operator=(const ScratchDir&) = delete;
  const std::string& path() const { return path_; }
  std::string operator/(const std::string& name) const { return path_ + "/" + name; }

 private:
  std::string path_;
};

// The variables of tools/tf_checkpoint_fixtures.py (every dtype, a scoped
// name, an empty tensor), with the values that script gives them.
inline std::vector<std::pair<std::string, Tensor>> CheckpointFixtureTensors() {
  return {
      {"w", *Tensor::FromVector<float>({-1, -0.5f, 0, 0.5f, 1, 1.5f}, {3, 2})},
      {"layer/b", Tensor::Vec<float>({0.25f, -3.5f})},
      {"d", *Tensor::FromVector<double>({1e-300, -2.5, 3.0, 3.141592653589793}, {2, 2})},
      {"i32", Tensor::Vec<int32_t>({1, -2, 2147483647})},
      {"global_step", Tensor::Scalar<int64_t>(7)},
      {"flags", Tensor::Vec<bool>({true, false, true})},
      {"empty", Tensor(DataType::kFloat, TensorShape{0, 3})},
  };
}

// A float32 value file of tools/tf_graph_fixtures.py: "float32 d0 d1 ...",
// then one value per line.
inline StatusOr<Tensor> ReadValuesFile(const std::string& path) {
  std::ifstream f(path);
  std::string line;
  if (!std::getline(f, line)) return NotFoundError("cannot read " + path);
  std::istringstream head(line);
  std::string dtype;
  head >> dtype;
  if (dtype != "float32") return InvalidArgumentError(path + ": only float32 values are read here");
  std::vector<int64_t> dims;
  for (int64_t d; head >> d;) dims.push_back(d);
  std::vector<float> values;
  for (float v; f >> v;) values.push_back(v);
  return Tensor::FromVector<float>(values, TensorShape(dims));
}

}  // namespace tessera::testing
