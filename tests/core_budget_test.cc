// The core budget of parallel regions (src/runtime/core_budget.h): regions
// that fit together run together, one that does not waits for the cores, and
// neither a region of one thread, nor one larger than the machine, nor one
// inside another can wait forever.
#include "src/runtime/core_budget.h"

#include <gtest/gtest.h>
#include <omp.h>
#include <tessera/tessera.h>

#include <atomic>
#include <chrono>
#include <thread>

#include "src/runtime/cpu_context.h"

namespace tessera {
namespace {

TEST(CoreBudget, TeamsThatFitRunTogetherAndOthersWaitForTheCores) {
  CoreBudget budget(4);
  budget.Acquire(2);
  budget.Acquire(2);  // two teams of two on four cores: at once
  EXPECT_EQ(budget.free_cores(), 0);
  std::atomic<bool> third_started{false};
  std::thread third([&] {
    budget.Acquire(2);
    third_started = true;
  });
  // No core is free, so the third team cannot have started, however long this waits.
  std::this_thread::sleep_for(std::chrono::milliseconds(30));
  EXPECT_FALSE(third_started.load());
  budget.Release(2);
  third.join();
  EXPECT_TRUE(third_started.load());
  EXPECT_EQ(budget.free_cores(), 0);  // the third team holds the two cores freed
  budget.Release(2);
  budget.Release(2);
  EXPECT_EQ(budget.free_cores(), 4);
}

TEST(CoreBudget, ATeamOfOneTakesNothingAndALargeTeamRunsAlone) {
  CoreBudget budget(2);
  budget.Acquire(2);
  budget.Acquire(1);  // the calling thread itself: never waits
  EXPECT_EQ(budget.free_cores(), 0);
  budget.Release(1);
  budget.Release(2);
  EXPECT_EQ(budget.free_cores(), 2);
  budget.Acquire(16);  // more threads than cores: takes them all, does not wait forever
  EXPECT_EQ(budget.free_cores(), 0);
  budget.Release(16);
  EXPECT_EQ(budget.free_cores(), 2);
}

// A region inside a region (a kernel's ParallelFor inside a leased one) takes
// nothing more: were it to wait for cores its own thread holds, it would wait
// forever. Run on a thread of its own, so a failure is a failed wait, not a hang.
TEST(CoreBudget, LeasesDoNotNest) {
  CoreBudget& cores = ProcessCores();
  const int all = cores.free_cores();
  std::atomic<bool> inner_done{false};
  std::thread t([&] {
    const CoreLease outer(all + 1);  // every core
    const CoreLease inner(all + 1);
    inner_done = true;
  });
  for (int i = 0; i < 500 && !inner_done.load(); ++i) std::this_thread::sleep_for(std::chrono::milliseconds(10));
  if (!inner_done.load()) {
    t.detach();  // blocked for good
    FAIL() << "a nested lease waited for the cores its own thread holds";
  }
  t.join();
  EXPECT_EQ(cores.free_cores(), all);
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
}  // namespace tessera
