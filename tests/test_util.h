// Helpers shared by the tests.
#pragma once

#include <gtest/gtest.h>
#include <tessera/tessera.h>

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

}  // namespace tessera::testing
