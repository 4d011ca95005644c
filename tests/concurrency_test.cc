// Concurrency: many threads on one session, with variables, with an
// inter-op pool of 2 and without one, Close during runs, and the graph
// growing while it runs. CI also runs this file under ThreadSanitizer.
#include <atomic>
#include <chrono>
#include <thread>
#include <vector>

#include "tests/test_util.h"

namespace tessera {
namespace {

// 8 threads x 1250 runs = 10^4 runs per test and configuration.
constexpr int kThreads = 8;
constexpr int kRuns = 10000 / kThreads;

SessionOptions Pool(int inter_op) {
  SessionOptions o;
  o.inter_op_parallelism_threads = inter_op;
  o.intra_op_parallelism_threads = 2;
  return o;
}

class ConcurrencyTest : public ::testing::TestWithParam<int> {};  // the inter-op thread count

TEST_P(ConcurrencyTest, RunsWithFeedsGiveEachThreadItsOwnAnswer) {
  auto g = Graph::Create();
  Output x = ops::Placeholder(*g, DataType::kInt32, PartialShape{2}, "x");
  Output a = ops::Mul(*g, x, ops::Const(*g, 2));
  Output b = ops::Add(*g, x, ops::Const(*g, 1));
  Output y = ops::Add(*g, a, b);  // 3x + 1, through two branches a pool may run in parallel
  auto s = Session::Create(g, Pool(GetParam())).value();
  std::atomic<int> wrong{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kRuns; ++i) {
        auto r = s->Run({{x, Tensor::Vec<int32_t>({t, i})}}, {y});
        if (!r.ok() || (*r)[0].flat<int32_t>()[0] != 3 * t + 1 || (*r)[0].flat<int32_t>()[1] != 3 * i + 1) ++wrong;
      }
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_EQ(wrong.load(), 0);
}

TEST_P(ConcurrencyTest, AssignAddFromManyThreadsCountsExactly) {
  auto g = Graph::Create();
  Variable counter(*g, ops::Const(*g, int64_t{0}), "counter");
  Output inc = counter.AssignAdd(ops::Const(*g, int64_t{1}));
  Output read = counter.ReadValue();
  auto s = Session::Create(g, Pool(GetParam())).value();
  ASSERT_TRUE(s->Run({}, {}, {counter.initializer()}).ok());
  std::atomic<int> failed{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kRuns; ++i) {
        // Half the threads also read (readers must never see a torn or stale-by-copy value).
        auto r = (t % 2 == 0) ? s->Run({}, {inc}) : s->Run({}, {inc, read});
        if (!r.ok()) ++failed;
      }
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_EQ(failed.load(), 0);
  auto v = s->Run({}, {read});
  ASSERT_TRUE(v.ok()) << v.status();
  EXPECT_EQ((*v)[0].scalar<int64_t>().value(), int64_t{kThreads} * kRuns);
}

TEST_P(ConcurrencyTest, CloseDuringRunsCancelsThemAndLaterRunsFail) {
  auto g = Graph::Create();
  Output m = ops::RandomUniform(*g, {64, 64}, DataType::kFloat, 1);
  Output x = m;
  for (int i = 0; i < 200; ++i) x = ops::Tanh(*g, ops::MatMul(*g, x, m));
  auto s = Session::Create(g, Pool(GetParam())).value();
  std::atomic<int> bad{0};
  std::atomic<int> started{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&] {
      ++started;
      for (int i = 0; i < 1000; ++i) {
        Status st = s->Run({}, {x}).status();
        if (st.ok()) continue;
        if (st.code() != Code::kCancelled) ++bad;
        break;
      }
    });
  }
  while (started.load() < kThreads) std::this_thread::yield();
  std::this_thread::sleep_for(std::chrono::milliseconds(20));
  ASSERT_TRUE(s->Close().ok());
  for (auto& th : threads) th.join();
  EXPECT_EQ(bad.load(), 0);
  EXPECT_EQ(s->Run({}, {x}).status().code(), Code::kCancelled);
}

TEST_P(ConcurrencyTest, TheGraphGrowsWhileOtherThreadsRun) {
  auto g = Graph::Create();
  Output x = ops::Placeholder(*g, DataType::kFloat, PartialShape{}, "x");
  Output y = ops::Neg(*g, x);
  auto s = Session::Create(g, Pool(GetParam())).value();
  std::atomic<bool> stop{false};
  std::atomic<int> wrong{0};
  std::vector<std::thread> runners;
  for (int t = 0; t < kThreads - 1; ++t) {
    runners.emplace_back([&, t] {
      for (int i = 0; !stop.load(); ++i) {
        auto r = s->Run({{x, Tensor::Scalar<float>(static_cast<float>(t))}}, {y});
        if (!r.ok() || (*r)[0].scalar<float>().value() != -static_cast<float>(t)) ++wrong;
      }
    });
  }
  // The builder thread grows the graph and runs what it just added.
  Output last = y;
  for (int i = 0; i < 200; ++i) {
    last = ops::Neg(*g, last);
    auto r = s->Run({{x, Tensor::Scalar<float>(1.0f)}}, {last});
    if (!r.ok() || (*r)[0].scalar<float>().value() != ((i % 2 == 0) ? 1.0f : -1.0f)) ++wrong;
  }
  stop = true;
  for (auto& th : runners) th.join();
  EXPECT_EQ(wrong.load(), 0);
}

INSTANTIATE_TEST_SUITE_P(InterOp, ConcurrencyTest, ::testing::Values(1, 2),
                         [](const ::testing::TestParamInfo<int>& info) {
                           return info.param == 1 ? std::string("NoPool") : std::string("PoolOf2");
                         });

}  // namespace
}  // namespace tessera
