// Hardening beyond error codes: integer edge values, int64 dims end to end,
// re-entrant sinks, cancellation inside long kernels, the bounded plan cache.
#include <atomic>
#include <chrono>
#include <climits>
#include <cmath>
#include <thread>

#include "tests/test_util.h"

namespace tessera {
namespace {

using testing::ExpectValues;
using testing::RunOne;

TEST(HardeningTest, IntegerDivisionOfMinByMinusOneWraps) {
  // numpy and TF give MIN (no SIGFPE).
  auto g = Graph::Create();
  Output q32 = ops::Div(*g, ops::Const(*g, Tensor::Vec<int32_t>({INT32_MIN, 7})),
                        ops::Const(*g, Tensor::Vec<int32_t>({-1, -1})));
  Output q64 = ops::Div(*g, ops::Const(*g, Tensor::Vec<int64_t>({INT64_MIN, -9})),
                        ops::Const(*g, Tensor::Vec<int64_t>({-1, -1})));
  ExpectValues<int32_t>(RunOne(g, q32), {INT32_MIN, -7}, TensorShape{2});
  ExpectValues<int64_t>(RunOne(g, q64), {INT64_MIN, 9}, TensorShape{2});
}

TEST(HardeningTest, SignedOverflowWrapsAsInTensorFlow) {
  auto g = Graph::Create();
  Output big = ops::Const(*g, Tensor::Vec<int32_t>({INT32_MAX, INT32_MIN}));
  ExpectValues<int32_t>(RunOne(g, ops::Add(*g, big, ops::Const(*g, Tensor::Vec<int32_t>({1, -1})))),
                        {INT32_MIN, INT32_MAX}, TensorShape{2});
  ExpectValues<int32_t>(RunOne(g, ops::Neg(*g, big)), {INT32_MIN + 1, INT32_MIN}, TensorShape{2});
  ExpectValues<int32_t>(RunOne(g, ops::Abs(*g, big)), {INT32_MAX, INT32_MIN}, TensorShape{2});
  ExpectValues<int32_t>(RunOne(g, ops::Square(*g, big)), {1, 0}, TensorShape{2});
}

TEST(HardeningTest, FloatNegationKeepsTheSignOfZero) {
  auto g = Graph::Create();
  Tensor r = RunOne(g, ops::Neg(*g, ops::Const(*g, Tensor::Vec<float>({0.0f}))));
  EXPECT_TRUE(std::signbit(r.flat<float>()[0]));
}

TEST(HardeningTest, IntegerSumsAndProductsWrap) {
  // Found by the graph-builder fuzzer: an int64 Sum overflowed (undefined in C++).
  auto g = Graph::Create();
  Output big = ops::Const(*g, Tensor::Vec<int64_t>({INT64_MAX, 2}));
  ExpectValues<int64_t>(RunOne(g, ops::Sum(*g, big, {0})), {INT64_MIN + 1}, TensorShape{});
  Output m = ops::Const(*g, *Tensor::FromVector<int32_t>({INT32_MAX, 1}, TensorShape{1, 2}));
  Output n = ops::Const(*g, *Tensor::FromVector<int32_t>({2, 1}, TensorShape{2, 1}));
  // INT32_MAX * 2 + 1 wraps to -1.
  ExpectValues<int32_t>(RunOne(g, ops::MatMul(*g, m, n)), {-1}, TensorShape{1, 1});
  ExpectValues<int32_t>(RunOne(g, ops::MatMul(*g, n, m, true, true)), {-1}, TensorShape{1, 1});
}

TEST(HardeningTest, IntegerAssignAddAndSubWrap) {
  // Found by the graph-builder fuzzer: AssignSub of int32 overflowed (undefined in C++).
  auto g = Graph::Create();
  Variable v(*g, ops::Const(*g, Tensor::Vec<int32_t>({INT32_MAX, INT32_MIN})), "v");
  Output add = v.AssignAdd(ops::Const(*g, Tensor::Vec<int32_t>({1, 0})));
  Output sub = v.AssignSub(ops::Const(*g, Tensor::Vec<int32_t>({0, 1})));
  auto sess = Session::Create(g).value();
  ASSERT_TRUE(sess->Run({}, {}, {v.initializer()}).ok());
  auto r = sess->Run({}, {add});
  ASSERT_TRUE(r.ok()) << r.status();
  ExpectValues<int32_t>((*r)[0], {INT32_MIN, INT32_MIN}, TensorShape{2});
  r = sess->Run({}, {sub});
  ASSERT_TRUE(r.ok()) << r.status();
  ExpectValues<int32_t>((*r)[0], {INT32_MIN, INT32_MAX}, TensorShape{2});
}

TEST(HardeningTest, ShapeOfAFedTensorIsPlaced) {
  // Found by the graph-builder fuzzer: the metadata-op heuristic read the device
  // of Shape's input at index -1 when that input was fed (pruned from the plan).
  auto g = Graph::Create();
  Output x = ops::Neg(*g, ops::Const(*g, Tensor::Vec<float>({1, 2, 3})));
  Output s = ops::Shape(*g, x);
  auto sess = Session::Create(g).value();
  auto r = sess->Run({{x, Tensor::Vec<float>({4, 5, 6})}}, {s});
  ASSERT_TRUE(r.ok()) << r.status();
  ExpectValues<int32_t>((*r)[0], {3}, TensorShape{1});
}

TEST(HardeningTest, ConcatOfEmptyTensorsWithHugeDims) {
  // Found by the graph-builder fuzzer: empty inputs like [0, 2^62, 5] made the
  // copy geometry's products overflow. Nothing to copy: an empty result.
  auto g = Graph::Create();
  Output x = ops::Placeholder(*g, DataType::kFloat);
  Output c = ops::Concat(*g, {x, x}, 0);
  auto sess = Session::Create(g).value();
  const int64_t huge = int64_t{1} << 62;
  auto r = sess->Run({{x, Tensor(DataType::kFloat, TensorShape{0, huge, 5})}}, {c});
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ((*r)[0].shape(), (TensorShape{0, huge, 5}));
  Output d = ops::Concat(*g, {x, x}, 1);
  auto big = sess->Run({{x, Tensor(DataType::kFloat, TensorShape{0, huge})}}, {d});
  EXPECT_EQ(big.status().code(), Code::kInvalidArgument) << big.status();
  EXPECT_NE(big.status().message().find("would have more than 2**63 - 1"), std::string::npos) << big.status();
}

TEST(HardeningTest, BroadcastOfEmptyTensorsWithHugeDims) {
  // Found by the graph-builder fuzzer: two empty operands whose other dims
  // are huge ([0, 1, 2^62, 6] and [1, 0, 2^62, 6]) made the collapsed dims'
  // products and strides overflow. Nothing to compute: an empty result.
  auto g = Graph::Create();
  Output x = ops::Placeholder(*g, DataType::kFloat);
  Output y = ops::Placeholder(*g, DataType::kFloat);
  Output s = ops::Add(*g, x, y);
  auto sess = Session::Create(g).value();
  const int64_t huge = int64_t{1} << 62;
  auto r = sess->Run({{x, Tensor(DataType::kFloat, TensorShape{0, 1, huge, 6})},
                      {y, Tensor(DataType::kFloat, TensorShape{1, 0, huge, 6})}},
                     {s});
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ((*r)[0].shape(), (TensorShape{0, 0, huge, 6}));
}

TEST(HardeningTest, SliceTransposeAndUnstackOfEmptyTensorsWithHugeDims) {
  // Found by the graph-builder fuzzer: the row-major strides of [0, 2^62, 20]
  // overflowed in Slice (and would in Transpose and Unpack). Empty results.
  auto g = Graph::Create();
  Output x = ops::Placeholder(*g, DataType::kFloat, PartialShape({-1, -1, 2}));
  Output s = ops::Slice(*g, x, {0, 1, 0}, {0, 2, 1});
  Output t = ops::Transpose(*g, x, {2, 1, 0});
  std::vector<Output> u = ops::Unstack(*g, x, 2);
  ASSERT_EQ(u.size(), 2u) << g->status();
  auto sess = Session::Create(g).value();
  const int64_t huge = int64_t{1} << 61;
  auto r = sess->Run({{x, Tensor(DataType::kFloat, TensorShape{0, huge, 2})}}, {s, t, u[1]});
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ((*r)[0].shape(), (TensorShape{0, 2, 1}));
  EXPECT_EQ((*r)[1].shape(), (TensorShape{2, huge, 0}));
  EXPECT_EQ((*r)[2].shape(), (TensorShape{0, huge}));
}

TEST(HardeningTest, LayoutOpsOfHugeDimsAndArgumentsFailOrStayEmpty) {
  // Found by the graph-builder fuzzer: Pad's output dim of a [2^63 - 1] input
  // overflowed in its shape function. The same sums and products, checked
  // everywhere: Pad, SplitV's sizes, StridedSlice's extreme steps, and the
  // outer/inner products of Gather, OneHot and Cumsum of empty tensors.
  const int64_t max = INT64_MAX, huge = int64_t{1} << 61;
  auto g = Graph::Create();
  Output big = ops::Placeholder(*g, DataType::kFloat, PartialShape({0, max}));
  EXPECT_FALSE(ops::Pad(*g, big, {{0, 0}, {0, 1}}).valid());
  EXPECT_NE(g->status().message().find("Padded dimension 1 has more than 2**63 - 1 elements"), std::string::npos)
      << g->status();
  auto g2 = Graph::Create();
  Output x = ops::Placeholder(*g2, DataType::kFloat, PartialShape({-1, -1}));
  Output ints = ops::Placeholder(*g2, DataType::kInt64, PartialShape({-1}));
  Output pad = g2->AddNode(NodeSpec{"Pad", "pad", {x, ops::Reshape(*g2, ints, {2, 2})}, {}, {}}).value().output(0);
  using S = ops::SliceIndex;
  Output extreme = ops::Index(*g2, x, {S::Range(INT64_MIN, max, INT64_MIN), S::Range(max, INT64_MIN, max)});
  Output gather = ops::Gather(*g2, x, ops::Const(*g2, Tensor::Vec<int64_t>({0})), 1);
  Output cumsum = ops::Cumsum(*g2, x, 1);
  Output onehot = ops::OneHot(*g2, ops::Cast(*g2, x, DataType::kInt64), 3);
  ASSERT_TRUE(g2->status().ok()) << g2->status();
  auto sess = Session::Create(g2).value();
  Tensor empty(DataType::kFloat, TensorShape{0, huge});
  Status s = sess->Run({{x, empty}, {ints, Tensor::Vec<int64_t>({0, 0, max, 1})}}, {pad}).status();
  EXPECT_NE(s.message().find("Padded dimension 1 has more than 2**63 - 1 elements"), std::string::npos) << s;
  auto r = sess->Run({{x, Tensor::Matrix<float>({{1, 2, 3}, {4, 5, 6}}).value()}}, {extreme});
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ((*r)[0].shape(), (TensorShape{0, 0}));  // x[MIN:MAX:MIN, MAX:MIN:MAX] in TF 2.21 and numpy
  r = sess->Run({{x, Tensor(DataType::kFloat, TensorShape{huge, 0})}}, {cumsum, onehot});
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ((*r)[1].shape(), (TensorShape{huge, 0, 3}));
  r = sess->Run({{x, Tensor(DataType::kFloat, TensorShape{0, 4})}}, {gather});
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ((*r)[0].shape(), (TensorShape{0, 1}));
}

TEST(HardeningTest, CastOfNanAndOutOfRangeGivesTheIntegerMinimumAsTensorFlowsCpu) {
  // TF 2.21 CPU: tf.cast([nan, 1e10, -1e10, 3.7], tf.int32) == [MIN, MIN, MIN, 3].
  auto g = Graph::Create();
  Output x = ops::Const(*g, Tensor::Vec<float>({NAN, 1e10f, -1e10f, 3.7f, -2147483648.0f}));
  ExpectValues<int32_t>(RunOne(g, ops::Cast(*g, x, DataType::kInt32)), {INT32_MIN, INT32_MIN, INT32_MIN, 3, INT32_MIN},
                        TensorShape{5});
  Output d = ops::Const(*g, Tensor::Vec<double>({1e300, 2147483647.9, -2147483648.9}));
  ExpectValues<int32_t>(RunOne(g, ops::Cast(*g, d, DataType::kInt32)), {INT32_MIN, INT32_MAX, INT32_MIN},
                        TensorShape{3});
  ExpectValues<int64_t>(RunOne(g, ops::Cast(*g, d, DataType::kInt64)), {INT64_MIN, 2147483647, -2147483648},
                        TensorShape{3});
}

TEST(HardeningTest, VectorBuildersKeepInt64Dims) {
  // Values that fit in int32 make an int32 Const (as tf.constant does); larger ones an int64 Const.
  auto g = Graph::Create();
  Output small = ops::Fill(*g, {2, 3}, Tensor::Scalar<float>(1));
  EXPECT_EQ(small.node()->inputs()[0].dtype(), DataType::kInt32);
  Output x = ops::Const(*g, Tensor::Vec<float>({1, 2, 3, 4}));
  Output r = ops::Reshape(*g, x, std::vector<int64_t>{(int64_t{1} << 32) + 4});
  EXPECT_FALSE(r.valid());  // not narrowed to [4]
  ASSERT_TRUE(g->ResetStatus().message().find("4294967300") != std::string::npos);
  Output s = ops::Slice(*g, x, {1}, {int64_t{1} << 33});
  EXPECT_FALSE(s.valid());
  g->ResetStatus().IgnoreError();
  Output ok = ops::Slice(*g, x, {1}, {2});
  ExpectValues<float>(RunOne(g, ok), {2, 3}, TensorShape{2});
}

TEST(HardeningTest, TensorConstructorRejectsWhatCannotExist) {
  EXPECT_FALSE(Tensor(DataType::kFloat, TensorShape{-1}).valid());
  EXPECT_FALSE(Tensor(DataType::kFloat, TensorShape{int64_t{1} << 40, int64_t{1} << 40}).valid());
  EXPECT_FALSE(Tensor(DataType::kInvalid, TensorShape{2}).valid());
  TensorShape huge{int64_t{1} << 40, int64_t{1} << 40};
  EXPECT_FALSE(huge.valid());
  EXPECT_EQ(huge.num_elements(), -1);
  Tensor ok(DataType::kFloat, TensorShape{2, 0});
  EXPECT_TRUE(ok.valid());
  EXPECT_EQ(ok.bytes(), 0u);
}

TEST(HardeningTest, DestroyingTheSessionFromItsLogSinkIsSafe) {
  auto g = Graph::Create();
  Output c = ops::Const(*g, 3.0f);
  std::unique_ptr<Session> sess;
  SessionOptions o;
  o.log_device_placement = true;
  int lines = 0;
  o.log_sink = [&](std::string_view) {
    ++lines;
    sess.reset();  // the Run keeps the session alive until it returns
  };
  sess = Session::Create(g, o).value();
  Session* raw = sess.get();
  auto r = raw->Run({}, {c});
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ((*r)[0].scalar<float>().value(), 3.0f);
  EXPECT_EQ(sess, nullptr);
  EXPECT_GT(lines, 0);
}

TEST(HardeningTest, OtherSessionsMayRunFromALogSink) {
  auto g = Graph::Create();
  Output c = ops::Const(*g, 3.0f);
  auto other = Session::Create(g).value();
  float seen = 0;
  SessionOptions o;
  o.log_device_placement = true;
  o.log_sink = [&](std::string_view) {
    if (seen == 0) seen = other->Run({}, {c}).value()[0].scalar<float>().value();
  };
  auto sess = Session::Create(g, o).value();
  ASSERT_TRUE(sess->Run({}, {c}).ok());
  EXPECT_EQ(seen, 3.0f);
}

TEST(HardeningTest, CloseStopsALongMatMulBetweenBlocks) {
  // A 3072^3 product is ~58 GFLOP: seconds on this machine. Close must stop it
  // within a tile (at most 2^32 flops), long before the product would finish.
  auto g = Graph::Create();
  Output x = ops::Placeholder(*g, DataType::kFloat, PartialShape{3072, 3072});
  Output y = ops::MatMul(*g, x, x);
  auto sess = Session::Create(g).value();
  Tensor big(DataType::kFloat, TensorShape{3072, 3072});
  std::atomic<bool> started{false};
  Status result;
  auto t0 = std::chrono::steady_clock::now();
  std::thread runner([&] {
    started = true;
    result = sess->Run({{x, big}}, {y}).status();
  });
  while (!started) std::this_thread::yield();
  std::this_thread::sleep_for(std::chrono::milliseconds(50));
  ASSERT_TRUE(sess->Close().ok());
  runner.join();
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  EXPECT_EQ(result.code(), Code::kCancelled) << result;
  EXPECT_NE(result.message().find("Run call was cancelled"), std::string::npos) << result;
  // Generous (sanitizer builds are slow); the full product takes many times longer.
  EXPECT_LT(seconds, 20.0);
}

TEST(HardeningTest, ADeadlineStopsALongElementwiseKernel) {
  auto g = Graph::Create();
  Output x = ops::Placeholder(*g, DataType::kFloat);
  Output y = ops::Tanh(*g, ops::Exp(*g, x));
  auto sess = Session::Create(g).value();
  RunOptions ro;
  ro.timeout_in_ms = 5;
  auto r = sess->Run(ro, {{x, Tensor(DataType::kFloat, TensorShape{16 << 20})}}, {y}, {}, nullptr);
  EXPECT_EQ(r.status().code(), Code::kDeadlineExceeded) << r.status();
}

// The tiled (cancellable) MatMul path agrees with a plain product, transposed
// or not, at every tile's corners; `rows` and `cols` are the C entries checked.
void ExpectTiledProductMatches(int64_t m, int64_t k, int64_t n, const std::vector<int64_t>& rows,
                               const std::vector<int64_t>& cols) {
  std::vector<float> a(static_cast<size_t>(m * k)), b(static_cast<size_t>(k * n));
  for (size_t i = 0; i < a.size(); ++i) a[i] = static_cast<float>((i * 7919) % 13) - 6.0f;
  for (size_t i = 0; i < b.size(); ++i) b[i] = static_cast<float>((i * 104729) % 11) - 5.0f;
  auto at = [&](int64_t i, int64_t j) { return a[static_cast<size_t>(i * k + j)]; };
  auto bt = [&](int64_t i, int64_t j) { return b[static_cast<size_t>(i * n + j)]; };
  for (bool ta : {false, true}) {
    for (bool tb : {false, true}) {
      // Store the operands transposed when the op is asked to transpose them back.
      std::vector<float> a_in = a, b_in = b;
      if (ta) {
        for (int64_t i = 0; i < m; ++i)
          for (int64_t j = 0; j < k; ++j) a_in[static_cast<size_t>(j * m + i)] = at(i, j);
      }
      if (tb) {
        for (int64_t i = 0; i < k; ++i)
          for (int64_t j = 0; j < n; ++j) b_in[static_cast<size_t>(j * k + i)] = bt(i, j);
      }
      auto g = Graph::Create();
      Output ao = ops::Const(*g, *Tensor::FromVector<float>(a_in, ta ? TensorShape{k, m} : TensorShape{m, k}));
      Output bo = ops::Const(*g, *Tensor::FromVector<float>(b_in, tb ? TensorShape{n, k} : TensorShape{k, n}));
      Tensor c = RunOne(g, ops::MatMul(*g, ao, bo, ta, tb));
      ASSERT_EQ(c.shape(), (TensorShape{m, n}));
      for (int64_t i : rows) {
        for (int64_t j : cols) {
          double ref = 0;
          for (int64_t p = 0; p < k; ++p) ref += static_cast<double>(at(i, p)) * bt(p, j);
          EXPECT_FLOAT_EQ(c.flat<float>()[static_cast<size_t>(i * n + j)], static_cast<float>(ref))
              << m << "x" << k << "x" << n << " ta=" << ta << " tb=" << tb << " at " << i << "," << j;
        }
      }
    }
  }
}

TEST(HardeningTest, TiledMatMulMatchesTheReference) {
  // One oneDNN call (2^29 flops).
  ExpectTiledProductMatches(1100, 520, 500, {0, 517, 1099}, {0, 255, 499});
  // Above 2^32 flops: 2x2 tiles, 1024 rows and columns, then the 76 left.
  ExpectTiledProductMatches(1100, 2048, 1100, {0, 1023, 1024, 1099}, {0, 1023, 1024, 1099});
}

// Counts the placement log lines of each Run (a plan that is built logs them).
// Counts plan builds through the placement log: with place_pruned_graph each
// plan logs its nodes when it is built.
struct PlanLog {
  int lines = 0;
  SessionOptions Options(int capacity) {
    SessionOptions o;
    o.log_device_placement = true;
    o.place_pruned_graph = true;
    o.plan_cache_capacity = capacity;
    o.log_sink = [this](std::string_view line) {
      if (line.find("(Const)") != std::string_view::npos || line.find("(Neg)") != std::string_view::npos) ++lines;
    };
    return o;
  }
  // Lines logged by `f`.
  int During(const std::function<void()>& f) {
    const int before = lines;
    f();
    return lines - before;
  }
};

TEST(HardeningTest, ThePlanCacheIsAnLruOfTheConfiguredCapacity) {
  auto g = Graph::Create();
  Output a = ops::Const(*g, 1.0f, "a"), b = ops::Const(*g, 2.0f, "b"), c = ops::Const(*g, 3.0f, "c");
  PlanLog log;
  auto sess = Session::Create(g, log.Options(2)).value();
  auto run = [&](Output o) { ASSERT_TRUE(sess->Run({}, {o}).ok()); };
  EXPECT_EQ(log.During([&] { run(a); }), 1);  // built
  EXPECT_EQ(log.During([&] { run(b); }), 1);
  EXPECT_EQ(log.During([&] { run(a); }), 0);  // cached; a is now the most recent
  EXPECT_EQ(log.During([&] { run(c); }), 1);  // evicts b, the least recently used
  EXPECT_EQ(log.During([&] { run(a); }), 0);
  EXPECT_EQ(log.During([&] { run(b); }), 1);  // rebuilt
}

TEST(HardeningTest, AGrowingGraphKeepsItsCachedPlans) {
  auto g = Graph::Create();
  Output x = ops::Const(*g, 1.0f, "x");
  PlanLog log;
  auto sess = Session::Create(g, log.Options(128)).value();
  Output last = x;
  int built = 0;
  for (int i = 0; i < 50; ++i) {
    last = ops::Neg(*g, last);  // grows by one node per run
    built += log.During([&] { ASSERT_TRUE(sess->Run({}, {x}).ok()); });
  }
  EXPECT_EQ(built, 1);  // the plan for x was built once, not once per growth
  auto r = sess->Run({}, {last});
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ((*r)[0].scalar<float>().value(), 1.0f);  // 50 negations
}

}  // namespace
}  // namespace tessera
