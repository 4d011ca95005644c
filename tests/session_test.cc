// Session semantics: the seed scenarios, feeds and fetches, errors, lifecycle,
// concurrency, deadlines and the default session.
#include <atomic>
#include <chrono>
#include <set>
#include <thread>

#include "tests/test_util.h"

namespace tessera {
namespace {

using testing::ExpectValues;

TEST(SessionTest, AddTwoConstants) {
  auto g = Graph::Create();
  Output c = ops::Add(*g, ops::Const(*g, Tensor::Vec<float>({1, 2})), ops::Const(*g, Tensor::Vec<float>({2, 3})));
  auto sess = Session::Create(g).value();
  auto out = sess->Run({}, {c});
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_EQ((*out)[0].DebugString(), "[3. 5.]");
}

TEST(SessionTest, VariablesLiveInSessions) {
  auto g = Graph::Create();
  Variable v(*g, ops::Const(*g, 42.0f), "foo");
  Output assign13 = v.Assign(ops::Const(*g, 13.0f));
  Operation init = GlobalVariablesInitializer(*g);
  auto s1 = Session::Create(g).value();
  ASSERT_TRUE(s1->Run({}, {}, {init}).ok());
  EXPECT_EQ(s1->Run({}, {v.value()}).value()[0].scalar<float>().value(), 42.0f);
  EXPECT_EQ(s1->Run({}, {assign13}).value()[0].scalar<float>().value(), 13.0f);
  EXPECT_EQ(s1->Run({}, {v.value()}).value()[0].scalar<float>().value(), 13.0f);

  auto s2 = Session::Create(g).value();
  auto uninit = s2->Run({}, {v.value()});
  EXPECT_EQ(uninit.status().code(), Code::kFailedPrecondition);
  EXPECT_NE(uninit.status().message().find("Attempting to use uninitialized value foo"), std::string::npos);
  // Fetching the variable itself fails the same way.
  EXPECT_EQ(s2->Run({}, {v.ref()}).status().message(), "Attempting to use uninitialized value foo");
  ASSERT_TRUE(s2->Run({}, {}, {init}).ok());
  EXPECT_EQ(s2->Run({}, {v.value()}).value()[0].scalar<float>().value(), 42.0f);
  EXPECT_EQ(s1->Run({}, {v.value()}).value()[0].scalar<float>().value(), 13.0f);  // independent
}

TEST(SessionTest, AssignAddSubAndShapeChecks) {
  auto g = Graph::Create();
  Variable v(*g, ops::Const(*g, Tensor::Vec<int32_t>({1, 2})), "counter");
  Output inc = v.AssignAdd(ops::Const(*g, Tensor::Vec<int32_t>({10, 10})));
  Output dec = v.AssignSub(ops::Const(*g, Tensor::Vec<int32_t>({1, 1})));
  auto s = Session::Create(g).value();
  EXPECT_NE(s->Run({}, {inc}).status().message().find("Attempting to use uninitialized value counter"),
            std::string::npos);
  ASSERT_TRUE(s->Run({}, {}, {v.initializer()}).ok());
  ASSERT_TRUE(s->Run({}, {inc}).ok());
  ExpectValues<int32_t>(s->Run({}, {dec}).value()[0], {10, 11}, {2});
  EXPECT_FALSE(v.Assign(ops::Const(*g, Tensor::Vec<int32_t>({1, 2, 3}))).valid());  // wrong shape at construction
  auto g2 = Graph::Create();
  EXPECT_FALSE(ops::Assign(*g2, ops::Const(*g2, 1.0f), ops::Const(*g2, 2.0f)).valid());  // not a variable
  EXPECT_NE(g2->status().message().find("must be a variable reference"), std::string::npos) << g2->status();
}

TEST(SessionTest, InteractiveSessionAndEval) {
  auto g = Graph::Create();
  auto sess = InteractiveSession::Create(g).value();
  EXPECT_EQ(Session::Default(), sess.get());
  Variable x(*g, ops::Const(*g, Tensor::Vec<float>({1, 2})), "x");
  Output a = ops::Const(*g, Tensor::Vec<float>({3, 3}));
  ASSERT_TRUE(x.initializer().Run().ok());
  Output sub = ops::Sub(*g, x, a);
  EXPECT_EQ(sub.Eval().value().DebugString(), "[-2. -1.]");
  ASSERT_TRUE(sess->Close().ok());
  EXPECT_EQ(Session::Default(), nullptr);
  auto none = sub.Eval();
  EXPECT_EQ(none.status().code(), Code::kFailedPrecondition);
  EXPECT_NE(none.status().message().find("No default session is registered."), std::string::npos);
}

TEST(SessionTest, AsDefaultScopesNestAndAreThreadLocal) {
  auto g = Graph::Create();
  Output c = ops::Const(*g, 5);
  auto s1 = Session::Create(g).value();
  auto s2 = Session::Create(g).value();
  {
    auto d1 = s1->AsDefault();
    EXPECT_EQ(Session::Default(), s1.get());
    {
      auto d2 = s2->AsDefault();
      EXPECT_EQ(Session::Default(), s2.get());
      std::thread([] { EXPECT_EQ(Session::Default(), nullptr); }).join();  // per thread
    }
    EXPECT_EQ(Session::Default(), s1.get());
    EXPECT_EQ(c.Eval().value().scalar<int32_t>().value(), 5);
    EXPECT_TRUE(Operation(c).Run().ok());
  }
  EXPECT_EQ(Session::Default(), nullptr);
  EXPECT_EQ(Operation(c).Run().code(), Code::kFailedPrecondition);
  EXPECT_EQ(c.Eval(s2.get()).value().scalar<int32_t>().value(), 5);  // explicit session
  auto other = Graph::Create();
  Output d = ops::Const(*other, 1);
  auto wrong = d.Eval(s1.get());
  EXPECT_EQ(wrong.status().code(), Code::kInvalidArgument);
  EXPECT_NE(wrong.status().message().find("graph is different from the session's graph"), std::string::npos);
}

TEST(SessionTest, FeedsAndFetchesAreValidated) {
  auto g = Graph::Create();
  Output x = ops::Placeholder(*g, DataType::kFloat, PartialShape{2}, "x");
  Output y = ops::Mul(*g, x, ops::Const(*g, 3.0f), "y");
  auto s = Session::Create(g).value();
  ExpectValues<float>(s->Run({{x, Tensor::Vec<float>({1, 2})}}, {y}).value()[0], {3, 6}, {2});
  auto wrong_type = s->Run({{x, Tensor::Vec<int32_t>({1, 2})}}, {y});
  EXPECT_EQ(wrong_type.status().code(), Code::kInvalidArgument);
  EXPECT_EQ(wrong_type.status().message(), "Cannot feed value of type int32 for Tensor x:0, which has type float");
  auto wrong_shape = s->Run({{x, Tensor::Vec<float>({1, 2, 3})}}, {y});
  EXPECT_EQ(wrong_shape.status().message(), "Cannot feed value of shape [3] for Tensor x:0, which has shape [2]");
  auto unfed = s->Run({}, {y});
  EXPECT_EQ(unfed.status().code(), Code::kInvalidArgument);
  EXPECT_NE(
      unfed.status().message().find("You must feed a value for placeholder tensor 'x' with dtype float and shape [2]"),
      std::string::npos);
  EXPECT_NE(s->Run({{x, Tensor::Vec<float>({1, 2})}, {x, Tensor::Vec<float>({1, 2})}}, {y})
                .status()
                .message()
                .find("fed more than once"),
            std::string::npos);
  // Any tensor can be fed, not only placeholders; what only it needed does not run.
  ExpectValues<float>(s->Run({{y, Tensor::Vec<float>({7, 8})}}, {ops::Neg(*g, y)}).value()[0], {-7, -8}, {2});
  // Fetching a fed tensor returns the fed value.
  ExpectValues<float>(s->Run({{x, Tensor::Vec<float>({4, 5})}}, {x}).value()[0], {4, 5}, {2});
  // By name, the C++ form.
  std::vector<Tensor> outs;
  ASSERT_TRUE(s->Run({{"x:0", Tensor::Vec<float>({1, 1})}}, {"y"}, {}, &outs).ok());
  ExpectValues<float>(outs[0], {3, 3}, {2});
  Status nf = s->Run({}, {"nope:0"}, {}, &outs);
  EXPECT_EQ(nf.code(), Code::kNotFound);
  EXPECT_NE(nf.message().find("nope"), std::string::npos);
  EXPECT_EQ(s->Run({{"zzz", Tensor::Vec<float>({1, 1})}}, {"y"}, {}, &outs).code(), Code::kNotFound);
  Status nt = s->Run({}, {}, {"missing_op"}, &outs);
  EXPECT_EQ(nt.code(), Code::kNotFound);
  EXPECT_EQ(nt.message(), "PruneForTargets: Some target nodes not found: missing_op");
  EXPECT_EQ(s->Run({}, {}, {}).status().message(), "Must specify at least one target to fetch or execute.");
  EXPECT_EQ(s->Run({}, {Output()}).status().code(), Code::kInvalidArgument);
}

TEST(SessionTest, OnlyTheNeededSubgraphRuns) {
  auto g = Graph::Create();
  Output p = ops::Placeholder(*g, DataType::kFloat, PartialShape(), "never_fed");
  Output bad = ops::Neg(*g, p);  // would fail if it ran
  Output good = ops::Const(*g, 1.0f);
  (void)bad;
  auto s = Session::Create(g).value();
  EXPECT_TRUE(s->Run({}, {good}).ok());
}

TEST(SessionTest, BufferReuseNeverChangesValuesSomeoneCanSee) {
  auto g = Graph::Create();
  Output x = ops::Placeholder(*g, DataType::kFloat, PartialShape{3}, "x");
  Output b = ops::Neg(*g, x, "b");     // fetched: must survive
  Output c = ops::Neg(*g, b, "c");     // may reuse nothing visible
  Output d = ops::Square(*g, c, "d");  // c's last reader: may take over c's buffer
  Output e = ops::Add(*g, d, d, "e");
  auto s = Session::Create(g).value();
  Tensor in = Tensor::Vec<float>({1, 2, 3});
  auto r = s->Run({{x, in}}, {b, e, x});
  ASSERT_TRUE(r.ok()) << r.status();
  ExpectValues<float>((*r)[0], {-1, -2, -3}, {3});
  ExpectValues<float>((*r)[1], {2, 8, 18}, {3});
  ExpectValues<float>((*r)[2], {1, 2, 3}, {3});
  ExpectValues<float>(in, {1, 2, 3}, {3});  // the caller's tensor is untouched
}

TEST(SessionTest, KernelErrorsNameTheNode) {
  auto g = Graph::Create();
  Output a = ops::Placeholder(*g, DataType::kFloat, PartialShape(), "a");
  Output m = ops::MatMul(*g, a, a, false, false, "matmul");
  auto s = Session::Create(g).value();
  auto r = s->Run({{a, Tensor::Vec<float>({1, 2})}}, {m});
  EXPECT_EQ(r.status().code(), Code::kInvalidArgument);
  EXPECT_NE(r.status().message().find("{{node matmul}}"), std::string::npos) << r.status();
}

TEST(SessionTest, PlansAreCachedAndRebuiltWhenTheGraphGrows) {
  auto g = Graph::Create();
  Output a = ops::Const(*g, 2.0f, "a");
  auto s = Session::Create(g).value();
  RunMetadata md;
  ASSERT_TRUE(s->Run(RunOptions(), {}, {a}, {}, &md).ok());
  ASSERT_EQ(md.placement.size(), 1u);
  Output b = ops::Mul(*g, a, a, "b");  // the graph grows after a run
  ASSERT_TRUE(s->Run(RunOptions(), {}, {a}, {}, &md).ok());
  EXPECT_EQ(s->Run({}, {b}).value()[0].scalar<float>().value(), 4.0f);
}

TEST(SessionTest, ClosedSessionFails) {
  auto g = Graph::Create();
  Output a = ops::Const(*g, 1.0f);
  auto s = Session::Create(g).value();
  ASSERT_TRUE(s->Close().ok());
  ASSERT_TRUE(s->Close().ok());  // idempotent
  auto r = s->Run({}, {a});
  EXPECT_EQ(r.status().code(), Code::kCancelled);
  EXPECT_EQ(r.status().message(), "Session has been closed.");
  std::vector<Tensor> outs;
  EXPECT_EQ(s->Run({}, {"Const"}, {}, &outs).message(), "Session has been closed.");
}

// A chain of matmuls long enough to be interrupted.
Output SlowChain(Graph& g, int length) {
  Output m = ops::RandomUniform(g, {128, 128}, DataType::kFloat, 1);
  Output x = m;
  for (int i = 0; i < length; ++i) x = ops::Tanh(g, ops::MatMul(g, x, m));
  return x;
}

TEST(SessionTest, DeadlineExceeded) {
  auto g = Graph::Create();
  Output slow = SlowChain(*g, 4000);
  SessionOptions o;
  o.intra_op_parallelism_threads = 1;
  auto s = Session::Create(g, o).value();
  RunOptions ro;
  ro.timeout_in_ms = 20;
  auto t0 = std::chrono::steady_clock::now();
  auto r = s->Run(ro, {}, {slow}, {}, nullptr);
  auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - t0).count();
  EXPECT_EQ(r.status().code(), Code::kDeadlineExceeded) << r.status();
  EXPECT_LT(ms, 2000);
  // The session default applies too, and the session stays usable.
  SessionOptions o2;
  o2.operation_timeout_in_ms = 20;
  auto s2 = Session::Create(g, o2).value();
  EXPECT_EQ(s2->Run({}, {slow}).status().code(), Code::kDeadlineExceeded);
  EXPECT_TRUE(s2->Run({}, {ops::Const(*g, 1.0f)}).ok());
}

TEST(SessionTest, CloseCancelsInFlightRuns) {
  auto g = Graph::Create();
  Output slow = SlowChain(*g, 20000);
  auto s = Session::Create(g).value();
  std::atomic<bool> started{false};
  Status result;
  std::thread runner([&] {
    started = true;
    result = s->Run({}, {slow}).status();
  });
  while (!started) std::this_thread::yield();
  std::this_thread::sleep_for(std::chrono::milliseconds(30));
  ASSERT_TRUE(s->Close().ok());
  runner.join();
  EXPECT_EQ(result.code(), Code::kCancelled) << result;
  EXPECT_EQ(result.message(), "Run call was cancelled");
}

TEST(SessionTest, ManyThreadsOneSession) {
  auto g = Graph::Create();
  Output x = ops::Placeholder(*g, DataType::kInt32, PartialShape{2}, "x");
  Output y = ops::Add(*g, ops::Mul(*g, x, ops::Const(*g, 2)), ops::Const(*g, 1));
  auto s = Session::Create(g).value();
  std::atomic<int> wrong{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 1000; ++i) {
        auto r = s->Run({{x, Tensor::Vec<int32_t>({t, i})}}, {y});
        if (!r.ok() || (*r)[0].flat<int32_t>()[0] != 2 * t + 1 || (*r)[0].flat<int32_t>()[1] != 2 * i + 1) ++wrong;
      }
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_EQ(wrong.load(), 0);
}

TEST(SessionTest, ThreadCountOptionsAreHonoured) {
  auto g = Graph::Create();
  SessionOptions o;
  o.inter_op_parallelism_threads = 3;
  o.intra_op_parallelism_threads = 2;
  auto s = Session::Create(g, o).value();
  EXPECT_EQ(s->inter_op_threads(), 3);
  EXPECT_EQ(s->intra_op_threads(), 2);
  SessionOptions defaults;
  auto d = Session::Create(g, defaults).value();
  EXPECT_EQ(d->inter_op_threads(), static_cast<int>(std::max(1u, std::thread::hardware_concurrency())));

  // With one inter-op thread every node runs on the caller's thread.
  Output a = ops::MatMul(*g, ops::RandomUniform(*g, {64, 64}), ops::RandomUniform(*g, {64, 64}));
  Output b = ops::MatMul(*g, ops::RandomUniform(*g, {64, 64}), ops::RandomUniform(*g, {64, 64}));
  SessionOptions one;
  one.inter_op_parallelism_threads = 1;
  auto s1 = Session::Create(g, one).value();
  RunOptions trace;
  trace.trace_level = RunOptions::TraceLevel::kFullTrace;
  RunMetadata md;
  ASSERT_TRUE(s1->Run(trace, {}, {ops::Add(*g, a, b)}, {}, &md).ok());
  std::set<uint64_t> threads;
  for (const NodeExecStats& st : md.step_stats) threads.insert(st.thread_id);
  EXPECT_EQ(threads.size(), 1u);
  EXPECT_EQ(threads.count(std::hash<std::thread::id>()(std::this_thread::get_id())), 1u);
  EXPECT_GE(md.step_stats.size(), 7u);
  EXPECT_EQ(Session::Create(g, SessionOptions{.inter_op_parallelism_threads = -1}).status().code(),
            Code::kInvalidArgument);
}

TEST(SessionTest, TwoCpuDevices) {
  auto g = Graph::Create();
  Output a;
  {
    auto d = g->Device("/cpu:1");
    a = ops::Add(*g, ops::Const(*g, 1.0f), ops::Const(*g, 2.0f), "pinned");
  }
  SessionOptions o;
  o.device_count = {{"CPU", 2}};
  auto s = Session::Create(g, o).value();
  ASSERT_EQ(s->ListDevices().size(), 2u);
  EXPECT_EQ(s->ListDevices()[1].name, "/job:localhost/replica:0/task:0/device:CPU:1");
  RunMetadata md;
  auto r = s->Run(RunOptions(), {}, {a}, {}, &md);
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ((*r)[0].scalar<float>().value(), 3.0f);
  for (const PlacementRecord& rec : md.placement) {
    if (rec.node == "pinned") EXPECT_EQ(rec.assigned, "/job:localhost/replica:0/task:0/device:CPU:1");
  }
}

}  // namespace
}  // namespace tessera
