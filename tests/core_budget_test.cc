// The core budget of oneDNN's OpenMP teams (kernels_cpu/core_budget.h): teams
// that fit together run together, one that does not waits for the cores, and
// neither a team of one nor one larger than the machine can wait forever.
#include "kernels_cpu/core_budget.h"

#include <gtest/gtest.h>
#include <omp.h>
#include <tessera/tessera.h>

#include <atomic>
#include <chrono>
#include <thread>

namespace tessera::cpu {
namespace {

TEST(CoreBudget, TeamsThatFitRunTogetherAndOthersWaitForTheCores) {
  CoreBudget budget(4);
  budget.Acquire(2);
  budget.Acquire(2);  // two teams of two on four cores: at once
  EXPECT_EQ(budget.free_cores(), 0);
  std::atomic<bool> third_started{false};
  std::thread third([&] {
    CoreLease lease(budget, 2);
    third_started = true;
  });
  // No core is free, so the third team cannot have started, however long this waits.
  std::this_thread::sleep_for(std::chrono::milliseconds(30));
  EXPECT_FALSE(third_started.load());
  budget.Release(2);
  third.join();
  EXPECT_TRUE(third_started.load());
  EXPECT_EQ(budget.free_cores(), 2);  // the third team's lease returned its cores
  budget.Release(2);
  EXPECT_EQ(budget.free_cores(), 4);
}

TEST(CoreBudget, ATeamOfOneTakesNothingAndALargeTeamRunsAlone) {
  CoreBudget budget(2);
  {
    CoreLease all(budget, 2);
    CoreLease one(budget, 1);  // the calling thread itself: never waits
    EXPECT_EQ(budget.free_cores(), 0);
  }
  EXPECT_EQ(budget.free_cores(), 2);
  {
    CoreLease big(budget, 16);  // more threads than cores: takes them all, does not wait forever
    EXPECT_EQ(budget.free_cores(), 0);
  }
  EXPECT_EQ(budget.free_cores(), 2);
}

// oneDNN's products run on the thread that runs the node, which is the
// program's own when the session has no inter-op pool: the program's OpenMP
// thread count is what it was after the Run.
TEST(CoreBudget, ARunLeavesTheProgramsOpenMpThreadCountAsItWas) {
  auto g = Graph::Create();
  Output x = ops::Placeholder(*g, DataType::kFloat, PartialShape{64, 64}, "x");
  Output y = ops::MatMul(*g, x, x);  // 2^19 flops: oneDNN's sgemm
  SessionOptions o;
  o.inter_op_parallelism_threads = 1;  // every node on this thread
  o.intra_op_parallelism_threads = 2;
  auto sess = Session::Create(g, o).value();
  omp_set_num_threads(3);
  Tensor in(DataType::kFloat, TensorShape{64, 64});
  for (float& v : in.flat<float>()) v = 1.0f;
  auto r = sess->Run({{x, in}}, {y});
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ((*r)[0].flat<float>()[0], 64.0f);
  EXPECT_EQ(omp_get_max_threads(), 3);
}

}  // namespace
}  // namespace tessera::cpu
