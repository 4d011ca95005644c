// The core budget of oneDNN's OpenMP teams (kernels_cpu/core_budget.h): teams
// that fit together run together, one that does not waits for the cores, and
// neither a team of one nor one larger than the machine can wait forever.
#include "kernels_cpu/core_budget.h"

#include <gtest/gtest.h>

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

}  // namespace
}  // namespace tessera::cpu
