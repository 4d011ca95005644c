// One host half per op: the checks and messages of a kernel are the same on
// every device, because every backend runs the same host half (GPU kernels
// share it by construction). Each case runs on CPU:0 and CPU:1 and compares.
// These are the checks that had drifted between the CPU and CUDA copies.
#include <functional>

#include "tests/test_util.h"

namespace tessera {
namespace {

// Builds a graph with `build` under `device`, runs its fetch with its feeds
// on a two-CPU session, and returns the status.
using Builder = std::function<Output(Graph& g, Session::FeedList* feeds)>;

Status RunOn(const std::string& device, const Builder& build) {
  auto g = Graph::Create();
  Session::FeedList feeds;
  Output fetch;
  {
    auto d = g->Device("/device:" + device);
    fetch = build(*g, &feeds);
  }
  EXPECT_TRUE(g->status().ok()) << g->status();
  SessionOptions o;
  o.device_count = {{"CPU", 2}};
  auto sess = Session::Create(g, o).value();
  RunMetadata md;
  Status s = sess->Run(RunOptions(), feeds, {fetch}, {}, &md).status();
  for (const PlacementRecord& r : md.placement) {
    if (r.node == fetch.node()->name()) EXPECT_EQ(r.assigned, "/job:localhost/replica:0/task:0/device:" + device);
  }
  return s;
}

// The same error, with the same code and text, on both devices.
void ExpectSameErrorOnBothCpus(const Builder& build, const std::string& expected) {
  Status on0 = RunOn("CPU:0", build);
  Status on1 = RunOn("CPU:1", build);
  EXPECT_EQ(on0.code(), Code::kInvalidArgument) << on0;
  EXPECT_NE(on0.message().find(expected), std::string::npos) << on0;
  EXPECT_EQ(on1.code(), on0.code());
  EXPECT_EQ(on1.message(), on0.message());
}

TEST(KernelHostHalfTest, TransposePermutationOfTheWrongSize) {
  ExpectSameErrorOnBothCpus(
      [](Graph& g, Session::FeedList* feeds) {
        Output x = ops::Placeholder(g, DataType::kFloat, PartialShape(), "x");
        feeds->push_back({x, Tensor(DataType::kFloat, TensorShape{1, 2, 3})});  // rank 3 for a 2-D perm
        return ops::Transpose(g, x, {1, 0}, "t");
      },
      "transpose expects a vector of size 3. But input(1) is a vector of size 2");
}

TEST(KernelHostHalfTest, AssignHonoursTheDeclaredShape) {
  ExpectSameErrorOnBothCpus(
      [](Graph& g, Session::FeedList* feeds) {
        Variable v(g, ops::Const(g, Tensor::Vec<float>({1, 2})), "v");
        Output x = ops::Placeholder(g, DataType::kFloat, PartialShape(), "x");
        feeds->push_back({x, Tensor::Vec<float>({1, 2, 3})});
        return ops::Assign(g, v.ref(), x, "assign");
      },
      "Assign requires shapes of both tensors to match. lhs shape= [2] rhs shape= [3]");
}

TEST(KernelHostHalfTest, FillDimsMustBeAVector) {
  ExpectSameErrorOnBothCpus(
      [](Graph& g, Session::FeedList* feeds) {
        Output dims = ops::Placeholder(g, DataType::kInt32, PartialShape(), "dims");
        feeds->push_back({dims, Tensor::Matrix<int32_t>({{2, 2}}).value()});
        return ops::Fill(g, dims, ops::Const(g, 1.0f, "one"), "fill");
      },
      "dims must be a vector, got [1,2]");
}

}  // namespace
}  // namespace tessera
