// TF1 idioms that must compute what TensorFlow computes (issue 10). Expected
// values come from TensorFlow 2.21, tf.compat.v1 graph mode with ref
// variables (tf.compat.v1.disable_v2_behavior()), unless a test says otherwise.
#include <gtest/gtest.h>
#include <tessera/tessera.h>

#include <cmath>
#include <cstring>
#include <fstream>
#include <iterator>
#include <limits>
#include <map>
#include <optional>
#include <sstream>
#include <thread>
#include <tuple>

#include "tests/test_util.h"

namespace tessera {
namespace {

float RunScalar(Session& s, Output o) {
  auto out = s.Run({}, {o});
  EXPECT_TRUE(out.ok()) << out.status();
  return out.ok() ? (*out)[0].scalar<float>().value() : -1.0f;
}

// ---- 1. Reading a variable after an update in the same step.

struct UpdateThenRead : ::testing::Test {
  void SetUp() override {
    g = Graph::Create();
    v = Variable(*g, ops::Const(*g, 6.0f), "v");
    add = v.AssignAdd(ops::Const(*g, 5.0f));
    {
      auto deps = g->ControlDependencies({Operation(add)});
      identity = ops::Identity(*g, v);
      doubled = ops::Mul(*g, v, ops::Const(*g, 2.0f));
      read_value = v.ReadValue();
    }
    plain = ops::Identity(*g, v);
    auto s = Session::Create(g);
    ASSERT_TRUE(s.ok()) << s.status();
    sess = std::move(*s);
  }
  void Init() { ASSERT_TRUE(sess->Run({}, {}, {v.initializer()}).ok()); }

  std::shared_ptr<Graph> g;
  Variable v;
  Output add, identity, doubled, read_value, plain;
  std::unique_ptr<Session> sess;
};

TEST_F(UpdateThenRead, IdentityUnderControlDependencySeesTheUpdate) {
  Init();
  EXPECT_EQ(RunScalar(*sess, identity), 11.0f);  // TF: 11.0
  Init();
  EXPECT_EQ(RunScalar(*sess, doubled), 22.0f);  // TF: 22.0 (any consumer, not only Identity)
  Init();
  EXPECT_EQ(RunScalar(*sess, read_value), 11.0f);  // TF: read_value() under the scope, 11.0
}

TEST_F(UpdateThenRead, FetchingTheVariableWithItsUpdateReturnsTheUpdatedValue) {
  // sess.run([v.assign_add(5), v]) and sess.run([add, tf.identity(v)]): 11, 11
  // in TF on every try. A fetched read is the value at the end of the step.
  for (int i = 0; i < 20; ++i) {
    Init();
    auto out = sess->Run({}, {add, v.value(), plain});
    ASSERT_TRUE(out.ok()) << out.status();
    EXPECT_EQ((*out)[0].scalar<float>().value(), 11.0f);
    EXPECT_EQ((*out)[1].scalar<float>().value(), 11.0f);
    EXPECT_EQ((*out)[2].scalar<float>().value(), 11.0f);
  }
}

TEST_F(UpdateThenRead, AssignThenReadAcrossSteps) {
  // The update-then-read idiom run repeatedly: a counter (TF: 11, 16, 21).
  Init();
  for (float want : {11.0f, 16.0f, 21.0f}) EXPECT_EQ(RunScalar(*sess, identity), want);
  // A plain read in a later step sees the last value.
  EXPECT_EQ(RunScalar(*sess, v.value()), 21.0f);
}

TEST_F(UpdateThenRead, AValueTakenEarlierIsNotChangedByALaterAssignment) {
  // Copy-on-write still holds for tensors already handed out: a fetched value
  // stays what it was when the step ended, whatever later steps assign.
  Init();
  auto first = sess->Run({}, {v.value()});
  ASSERT_TRUE(first.ok());
  ASSERT_TRUE(sess->Run({}, {add}).ok());
  EXPECT_EQ((*first)[0].scalar<float>().value(), 6.0f);
  EXPECT_EQ(RunScalar(*sess, v.value()), 11.0f);
}

TEST_F(UpdateThenRead, UninitializedReadStillFailsNamingTheVariable) {
  Status s = sess->Run({}, {identity}).status();
  EXPECT_EQ(s.code(), Code::kFailedPrecondition);
  EXPECT_NE(s.message().find("Attempting to use uninitialized value v"), std::string::npos) << s;
}

TEST(UpdateThenReadMoving, MovingAverageIdiom) {
  // ema = ema * 0.5 + x * 0.5, then read under the update: the classic
  // "update then read" of moving averages and batch norm.
  auto g = Graph::Create();
  Variable ema(*g, ops::Const(*g, 0.0f), "ema");
  Output x = ops::Placeholder(*g, DataType::kFloat, PartialShape({}), "x");
  Output update =
      ema.Assign(ops::Add(*g, ops::Mul(*g, ema, ops::Const(*g, 0.5f)), ops::Mul(*g, x, ops::Const(*g, 0.5f))));
  Output after;
  {
    auto deps = g->ControlDependencies({Operation(update)});
    after = ops::Identity(*g, ema);
  }
  auto sess = Session::Create(g).value();
  ASSERT_TRUE(sess->Run({}, {}, {ema.initializer()}).ok());
  std::vector<float> got;
  for (float xv : {4.0f, 8.0f, 0.0f}) {
    auto out = sess->Run({{x, Tensor::Scalar<float>(xv)}}, {after});
    ASSERT_TRUE(out.ok()) << out.status();
    got.push_back((*out)[0].scalar<float>().value());
  }
  EXPECT_EQ(got, (std::vector<float>{2.0f, 5.0f, 2.5f}));
}

// ---- 3. Default-session nesting.

TEST(Tf1DefaultSession, InteractiveSessionOutlivingAnEnclosingScopeIsANestingViolation) {
  auto g = Graph::Create();
  auto sa = Session::Create(g).value();
  std::unique_ptr<InteractiveSession> isess;
  {
    auto scope = sa->AsDefault();
    EXPECT_EQ(Session::Default(), sa.get());
    isess = InteractiveSession::Create(g).value();
    EXPECT_EQ(Session::Default(), isess.get());
    Status exit = scope.Exit();  // TF: AssertionError "Nesting violated for default stack ..."
    EXPECT_EQ(exit.code(), Code::kFailedPrecondition);
    EXPECT_NE(exit.message().find("Nesting violated for default stack of Session objects"), std::string::npos);
    EXPECT_TRUE(scope.Exit().ok());  // once only
  }
  // sa's scope is over: sa is no longer the default; the InteractiveSession is.
  EXPECT_EQ(Session::Default(), isess.get());
  ASSERT_TRUE(isess->Close().ok());
  EXPECT_EQ(Session::Default(), nullptr);
}

TEST(Tf1DefaultSession, InteractiveSessionInsideAScopeClosedFirstKeepsTheScope) {
  auto g = Graph::Create();
  auto sa = Session::Create(g).value();
  auto scope = sa->AsDefault();
  {
    auto isess = InteractiveSession::Create(g).value();
    EXPECT_EQ(Session::Default(), isess.get());
  }  // destroyed: closes and leaves the stack (not nested, as in TF)
  EXPECT_EQ(Session::Default(), sa.get());
  EXPECT_TRUE(scope.Exit().ok());
  EXPECT_EQ(Session::Default(), nullptr);
}

TEST(Tf1DefaultSession, DestroyingASessionInsideItsScopeKeepsTheEnclosingDefault) {
  auto g = Graph::Create();
  auto sa = Session::Create(g).value();
  {
    auto outer = sa->AsDefault();
    {
      auto sb = Session::Create(g).value();
      auto inner = sb->AsDefault();
      EXPECT_EQ(Session::Default(), sb.get());
      sb.reset();  // destroyed inside its own scope
      EXPECT_EQ(Session::Default(), sa.get());
    }  // inner scope ends after its session: no violation, and sa stays
    EXPECT_EQ(Session::Default(), sa.get());
    Output c = ops::Const(*g, 2.0f);
    auto v = c.Eval();
    ASSERT_TRUE(v.ok()) << v.status();
    EXPECT_EQ(v->scalar<float>().value(), 2.0f);
  }
  EXPECT_EQ(Session::Default(), nullptr);
}

TEST(Tf1DefaultSession, ScopeMovedOutOfItsBlockViolatesNestingWithoutCorruptingTheStack) {
  auto g = Graph::Create();
  auto sa = Session::Create(g).value();
  auto sb = Session::Create(g).value();
  std::optional<DefaultSessionScope> inner;
  {
    auto outer = sa->AsDefault();
    inner.emplace(sb->AsDefault());
    Status s = outer.Exit();  // sb's scope is still open above it
    EXPECT_EQ(s.code(), Code::kFailedPrecondition);
  }
  EXPECT_EQ(Session::Default(), sb.get());
  EXPECT_TRUE(inner->Exit().ok());
  EXPECT_EQ(Session::Default(), nullptr);
}

// ---- 4. Device, colocation and control-dependency scopes (TF 2.21, tf.compat.v1).

TEST(Tf1Scopes, EmptyDeviceStringKeepsTheEnclosingDeviceAndNullClearsIt) {
  auto g = Graph::Create();
  Output a, b, c, n, n2;
  {
    auto gpu = g->Device("/gpu:0");
    {
      auto empty = g->Device("");
      a = ops::Const(*g, 1.0f, "a");
    }
    {
      auto none = g->Device(nullptr);
      b = ops::Const(*g, 1.0f, "b");
    }
    auto cpu = g->Device("/cpu:0");
    c = ops::Const(*g, 1.0f, "c");
  }
  {
    auto job = g->Device("/job:localhost");
    {
      auto gpu1 = g->Device("/device:GPU:1");
      n = ops::Const(*g, 1.0f, "n");
    }
    auto cpu = g->Device("/cpu:0");
    auto empty = g->Device("");
    n2 = ops::Const(*g, 1.0f, "n2");
  }
  EXPECT_EQ(a.node()->requested_device(), "/device:GPU:0");  // tf.device('') keeps it
  EXPECT_EQ(b.node()->requested_device(), "");               // tf.device(None) clears it
  EXPECT_EQ(c.node()->requested_device(), "/device:CPU:0");
  EXPECT_EQ(n.node()->requested_device(), "/job:localhost/device:GPU:1");
  EXPECT_EQ(n2.node()->requested_device(), "/job:localhost/device:CPU:0");
  EXPECT_TRUE(g->status().ok()) << g->status();
}

TEST(Tf1Scopes, ColocateWithCopiesTheOpsDeviceAndIgnoresDeviceScopes) {
  auto g = Graph::Create();
  Output x, y, z, z2, w, p, q, r;
  {
    auto cpu = g->Device("/cpu:0");
    x = ops::Const(*g, 1.0f, "x");
  }
  {
    auto gpu = g->Device("/gpu:0");
    {
      auto coloc = g->ColocateWith(Operation(x));
      y = ops::Const(*g, 1.0f, "y");
      {
        auto gpu1 = g->Device("/gpu:1");
        z = ops::Const(*g, 1.0f, "z");
      }
      auto none = g->Device(nullptr);
      z2 = ops::Const(*g, 1.0f, "z2");
    }
    w = ops::Const(*g, 1.0f, "w");
  }
  p = ops::Const(*g, 1.0f, "p");
  {
    auto coloc_p = g->ColocateWith(Operation(p));
    q = ops::Const(*g, 1.0f, "q");
    auto coloc_x = g->ColocateWith(Operation(x));
    r = ops::Const(*g, 1.0f, "r");
  }
  // TF: y, z, z2 on '/device:CPU:0' with ['loc:@x']; w back on '/device:GPU:0'.
  for (const Output& o : {y, z, z2}) {
    EXPECT_EQ(o.node()->requested_device(), "/device:CPU:0") << o.name();
    EXPECT_EQ(o.node()->colocate_with(), (std::vector<std::string>{"x"})) << o.name();
  }
  EXPECT_EQ(w.node()->requested_device(), "/device:GPU:0");
  EXPECT_TRUE(w.node()->colocate_with().empty());
  // TF: q '' ['loc:@p']; r nested: '/device:CPU:0' ['loc:@p', 'loc:@x'].
  EXPECT_EQ(q.node()->requested_device(), "");
  EXPECT_EQ(q.node()->colocate_with(), (std::vector<std::string>{"p"}));
  EXPECT_EQ(r.node()->requested_device(), "/device:CPU:0");
  EXPECT_EQ(r.node()->colocate_with(), (std::vector<std::string>{"p", "x"}));
}

std::vector<std::string> ControlNames(const Output& o) {
  std::vector<std::string> names;
  for (const Node* c : o.node()->control_inputs()) names.push_back(c->name());
  return names;
}

TEST(Tf1Scopes, ControlDependenciesNullClearsTheEnclosingOnes) {
  auto g = Graph::Create();
  Operation x = ops::NoOp(*g, "x");
  Operation p = ops::NoOp(*g, "p");
  Output k, m, m2, after;
  {
    auto dx = g->ControlDependencies({x});
    {
      auto dp = g->ControlDependencies({p});
      k = ops::Const(*g, 1.0f, "k");
    }
    {
      auto none = g->ControlDependencies(nullptr);
      m = ops::Const(*g, 1.0f, "m");
      auto dp = g->ControlDependencies({p});
      m2 = ops::Const(*g, 1.0f, "m2");
    }
    after = ops::Const(*g, 1.0f, "after");
  }
  // TF: k ['x', 'p'], m [], m2 ['p'].
  EXPECT_EQ(ControlNames(k), (std::vector<std::string>{"x", "p"}));
  EXPECT_TRUE(ControlNames(m).empty());
  EXPECT_EQ(ControlNames(m2), (std::vector<std::string>{"p"}));
  EXPECT_EQ(ControlNames(after), (std::vector<std::string>{"x"}));
}

// ---- 5. Random numbers: TensorFlow's values bit for bit
// (tests/data/tf_random.txt, written by tools/tf_random_fixtures.py).

std::vector<std::vector<std::string>> FixtureLines(const std::string& kind) {
  std::ifstream in(std::string(TESSERA_TEST_DATA_DIR) + "/tf_random.txt");
  EXPECT_TRUE(in.good()) << "missing " << TESSERA_TEST_DATA_DIR << "/tf_random.txt";
  std::vector<std::vector<std::string>> lines;
  std::string line;
  while (std::getline(in, line)) {
    std::istringstream words(line);
    std::vector<std::string> w{std::istream_iterator<std::string>(words), std::istream_iterator<std::string>()};
    if (!w.empty() && w[0] == kind) lines.push_back(std::move(w));
  }
  return lines;
}

template <typename T>
std::vector<std::string> HexBits(const Tensor& t) {
  std::vector<std::string> out;
  for (T v : t.ToVector<T>()) {
    std::conditional_t<sizeof(T) == 4, uint32_t, uint64_t> bits;
    std::memcpy(&bits, &v, sizeof(bits));
    char buf[24];
    std::snprintf(buf, sizeof(buf), sizeof(T) == 4 ? "%08llx" : "%016llx", static_cast<unsigned long long>(bits));
    out.emplace_back(buf);
  }
  return out;
}

TEST(Tf1Random, DrawsTensorFlowsValuesBitForBit) {
  // draw <op> <dtype> <seed> <seed2> <n> <run> <hex values...>
  const auto lines = FixtureLines("draw");
  ASSERT_GE(lines.size(), 200u);
  std::map<std::tuple<std::string, std::string, int64_t, int64_t, int64_t>, std::vector<std::vector<std::string>>> want;
  for (const auto& w : lines) {
    want[{w[1], w[2], std::stoll(w[3]), std::stoll(w[4]), std::stoll(w[5])}].push_back(
        std::vector<std::string>(w.begin() + 7, w.end()));
  }
  int checked = 0;
  for (const auto& [key, runs] : want) {
    const auto& [op, dtype_name, seed, seed2, n] = key;
    auto g = Graph::Create();
    const DataType dtype = dtype_name == "float" ? DataType::kFloat : DataType::kDouble;
    const ops::Seed attrs = ops::Seed::Attrs(seed, seed2);
    Output out;
    if (op == "RandomUniform") {
      out = ops::RandomUniform(*g, {n}, dtype, attrs);
    } else {
      if (op == "RandomStandardNormal") ops::RandomNormal(*g, {n}, dtype, 0.0, 1.0, attrs);
      if (op == "TruncatedNormal") ops::TruncatedNormal(*g, {n}, dtype, 0.0, 1.0, attrs);
      const std::string scope = op == "TruncatedNormal" ? "truncated_normal/" : "random_normal/";
      out = g->FindOutput(scope + op + ":0").value();
    }
    ASSERT_EQ(out.node()->op(), op);
    auto sess = Session::Create(g).value();
    for (size_t run = 0; run < runs.size(); ++run) {
      auto got = sess->Run({}, {out});
      ASSERT_TRUE(got.ok()) << got.status();
      const std::vector<std::string> bits =
          dtype == DataType::kFloat ? HexBits<float>((*got)[0]) : HexBits<double>((*got)[0]);
      EXPECT_EQ(bits, runs[run]) << op << " " << dtype_name << " seed=" << seed << " seed2=" << seed2 << " n=" << n
                                 << " run " << run;
      ++checked;
    }
  }
  EXPECT_EQ(checked, static_cast<int>(lines.size()));
}

TEST(Tf1Random, SeedsAreDerivedFromTheGraphSeedAsInTensorFlow) {
  // seed <graph seed|none> <op seed|none> <position> -> <seed> <seed2>
  const auto lines = FixtureLines("seed");
  ASSERT_GE(lines.size(), 50u);
  std::shared_ptr<Graph> g;
  std::string graph_seed = "?";
  for (const auto& w : lines) {
    if (w[1] != graph_seed || w[3] == "0") {
      g = Graph::Create();
      graph_seed = w[1];
      if (graph_seed != "none") g->SetRandomSeed(std::stoll(graph_seed));
    }
    const ops::Seed op_seed = w[2] == "none" ? ops::Seed() : ops::Seed(std::stoll(w[2]));
    ops::RandomNormal(*g, {2}, DataType::kFloat, 0.0, 1.0, op_seed);
    const Node* node = g->nodes()[static_cast<size_t>(g->num_nodes() - 3)];
    ASSERT_EQ(node->op(), "RandomStandardNormal");
    EXPECT_EQ(*node->attr<int64_t>("seed"), std::stoll(w[5])) << "graph seed " << w[1] << ", op seed " << w[2];
    EXPECT_EQ(*node->attr<int64_t>("seed2"), std::stoll(w[6])) << "graph seed " << w[1] << ", op seed " << w[2];
  }
}

TEST(Tf1Random, GraphSeedMakesInitializersReproducibleAcrossSessions) {
  auto make = [] {
    auto g = Graph::Create();
    g->SetRandomSeed(1234);
    Variable w(*g, ops::TruncatedNormal(*g, {3, 2}, DataType::kFloat, 0.0, 0.1), "w");
    auto sess = Session::Create(g).value();
    EXPECT_TRUE(sess->Run({}, {}, {GlobalVariablesInitializer(*g)}).ok());
    return sess->Run({}, {w.value()}).value()[0].ToVector<float>();
  };
  std::vector<float> a = make(), b = make();
  EXPECT_EQ(a, b);
  for (float v : a) EXPECT_LT(std::abs(v), 0.2f);  // truncated at two standard deviations
}

TEST(Tf1Random, BuildersNameNodesAsTensorFlow) {
  auto g = Graph::Create();
  Output u = ops::RandomUniform(*g, {3});
  Output n = ops::RandomNormal(*g, {2});
  Output t = ops::TruncatedNormal(*g, {2}, DataType::kFloat, 1.0, 2.0);
  EXPECT_EQ(u.name(), "random_uniform/RandomUniform:0");
  EXPECT_EQ(n.name(), "random_normal:0");
  EXPECT_EQ(t.name(), "truncated_normal:0");
  std::vector<std::string> names;
  for (const Node* node : g->nodes()) names.push_back(node->name());
  EXPECT_EQ(names,
            (std::vector<std::string>{"random_uniform/shape", "random_uniform/RandomUniform", "random_normal/shape",
                                      "random_normal/mean", "random_normal/stddev",
                                      "random_normal/RandomStandardNormal", "random_normal/mul", "random_normal",
                                      "truncated_normal/shape", "truncated_normal/mean", "truncated_normal/stddev",
                                      "truncated_normal/TruncatedNormal", "truncated_normal/mul", "truncated_normal"}));
}

// ---- 7. Default graph and graph life cycle.

TEST(Tf1DefaultGraph, AsDefaultScopesNestOverTheProcessWideDefault) {
  ASSERT_TRUE(Graph::ResetDefault().ok());
  std::shared_ptr<Graph> global = Graph::GetDefault();
  EXPECT_EQ(Graph::GetDefault(), global);  // made once, then kept
  auto a = Graph::Create();
  auto b = Graph::Create();
  {
    auto sa = a->AsDefault();
    EXPECT_EQ(Graph::GetDefault(), a);
    {
      auto sb = b->AsDefault();
      EXPECT_EQ(Graph::GetDefault(), b);
      // TF: AssertionError "Do not use tf.reset_default_graph() to clear nested graphs..."
      Status reset = Graph::ResetDefault();
      EXPECT_EQ(reset.code(), Code::kFailedPrecondition);
      EXPECT_NE(reset.message().find("Do not use Graph::ResetDefault() to clear nested graphs"), std::string::npos);
    }
    EXPECT_EQ(Graph::GetDefault(), a);
    // Another thread sees the process-wide default, not this thread's scope.
    std::shared_ptr<Graph> seen;
    std::thread([&] { seen = Graph::GetDefault(); }).join();
    EXPECT_EQ(seen, global);
  }
  EXPECT_EQ(Graph::GetDefault(), global);
  ASSERT_TRUE(Graph::ResetDefault().ok());
  EXPECT_NE(Graph::GetDefault(), global);
  EXPECT_EQ(Graph::GetDefault()->num_nodes(), 0);
}

TEST(Tf1DefaultGraph, AScopeKeepsItsGraphAlive) {
  std::weak_ptr<Graph> weak;
  {
    auto g = Graph::Create();
    weak = g;
    auto scope = g->AsDefault();
    g.reset();
    ASSERT_FALSE(weak.expired());
    Output c = ops::Const(*Graph::GetDefault(), 3.0f, "c");
    EXPECT_EQ(c.name(), "c:0");
  }
  EXPECT_TRUE(weak.expired());
}

TEST(Tf1DefaultGraph, FinalizedGraphRejectsNewNodesNamingThem) {
  auto g = Graph::Create();
  Output c = ops::Const(*g, 2.0f, "c");
  g->Finalize();
  EXPECT_TRUE(g->finalized());
  // Running is unaffected.
  auto sess = Session::Create(g).value();
  EXPECT_EQ(RunScalar(*sess, c), 2.0f);
  StatusOr<Operation> added = g->AddNode(NodeSpec{"NoOp", "later", {}, {}, {}});
  EXPECT_EQ(added.status().code(), Code::kFailedPrecondition);
  EXPECT_EQ(added.status().message(), "Graph is finalized and cannot be modified: cannot add node 'later' (NoOp)");
  // Through a builder: the op is named in the recorded error.
  Output d = ops::Neg(*g, c, "neg");
  EXPECT_FALSE(d.valid());
  EXPECT_NE(g->status().message().find("cannot add node 'neg' (Neg)"), std::string::npos) << g->status();
  EXPECT_EQ(g->num_nodes(), 1);
}

// ---- 8. Variable helpers.

// The names of `vars`, to compare with TF's lists.
std::vector<std::string> Names(const std::vector<Variable>& vars) {
  std::vector<std::string> names;
  for (const Variable& v : vars) names.push_back(v.name());
  return names;
}

TEST(Tf1Variables, CollectionsListVariablesAsTensorFlowDoes) {
  auto g = Graph::Create();
  Variable w(*g, ops::Const(*g, Tensor::Vec<float>({1, 2})), "w");
  VariableOptions frozen;
  frozen.trainable = false;
  Variable b(*g, ops::Const(*g, 3.0f), "b", frozen);
  VariableOptions local;
  local.collections = {std::string(GraphKeys::kLocalVariables)};
  Variable l(*g, ops::Const(*g, 5), "l", local);
  // TF 2.21: global ['w', 'b'], trainable ['w', 'l'] (trainable defaults to True), local ['l'].
  EXPECT_EQ(Names(GlobalVariables(*g)), (std::vector<std::string>{"w", "b"}));
  EXPECT_EQ(Names(TrainableVariables(*g)), (std::vector<std::string>{"w", "l"}));
  EXPECT_EQ(Names(LocalVariables(*g)), (std::vector<std::string>{"l"}));
  EXPECT_EQ(std::string(GraphKeys::kGlobalVariables), "variables");
  EXPECT_EQ(std::string(GraphKeys::kTrainableVariables), "trainable_variables");
  EXPECT_EQ(std::string(GraphKeys::kUpdateOps), "update_ops");
  EXPECT_EQ(g->GetAllCollectionKeys(),
            (std::vector<std::string>{"local_variables", "trainable_variables", "variables"}));
  // User keys and UPDATE_OPS hold any operation, in order.
  Output update = w.AssignAdd(ops::Const(*g, Tensor::Vec<float>({1, 1})));
  g->AddToCollection(GraphKeys::kUpdateOps, Operation(update));
  g->AddToCollection("mine", Operation(update));
  g->AddToCollection("mine", b.initializer());
  std::vector<Operation> mine = g->GetCollection("mine");
  ASSERT_EQ(mine.size(), 2u);
  EXPECT_EQ(mine[0].name(), update.node()->name());
  EXPECT_EQ(mine[1].name(), "b/Assign");
  EXPECT_TRUE(g->GetCollection("absent").empty());
  g->ClearCollection("mine");
  EXPECT_TRUE(g->GetCollection("mine").empty());
  // An invalid operation is an error, never silently dropped.
  g->AddToCollection("mine", Operation());
  EXPECT_NE(g->status().message().find("Graph::AddToCollection(\"mine\"): the operation is invalid"), std::string::npos)
      << g->status();
  EXPECT_FALSE(Variable(Operation(update)).valid());  // not a variable's op
}

TEST(Tf1Variables, InitializersFollowTheCollections) {
  auto g = Graph::Create();
  Variable w(*g, ops::Const(*g, 1.0f), "w");
  VariableOptions local;
  local.collections = {std::string(GraphKeys::kLocalVariables)};
  Variable l(*g, ops::Const(*g, 5.0f), "l", local);
  Operation init = GlobalVariablesInitializer(*g);
  Operation local_init = LocalVariablesInitializer(*g);
  EXPECT_EQ(local_init.name(), "init_1");
  auto sess = Session::Create(g).value();
  ASSERT_TRUE(sess->Run({}, {}, {init}).ok());
  EXPECT_EQ(RunScalar(*sess, w.value()), 1.0f);
  EXPECT_EQ(sess->Run({}, {l.value()}).status().code(), Code::kFailedPrecondition);  // local: not global
  ASSERT_TRUE(sess->Run({}, {}, {local_init}).ok());
  EXPECT_EQ(RunScalar(*sess, l.value()), 5.0f);
}

TEST(Tf1Variables, ReportUninitializedVariablesNamesThemInCreationOrder) {
  auto g = Graph::Create();
  Variable w(*g, ops::Const(*g, Tensor::Vec<float>({1, 2})), "w");
  VariableOptions frozen;
  frozen.trainable = false;
  Variable b(*g, ops::Const(*g, 3.0f), "b", frozen);
  VariableOptions local;
  local.collections = {std::string(GraphKeys::kLocalVariables)};
  Variable l(*g, ops::Const(*g, 5), "l", local);
  Variable w2(*g, ops::Mul(*g, w.InitializedValue(), ops::Const(*g, 2.0f)), "w2");
  UninitializedVariables report = ReportUninitializedVariables(*g);
  Output is_init = w.IsInitialized();
  ASSERT_TRUE(g->status().ok()) << g->status();
  // TF's nodes and names.
  EXPECT_TRUE(g->FindOperation("report_uninitialized_variables/IsVariableInitialized_3").ok());
  EXPECT_TRUE(g->FindOperation("report_uninitialized_variables/stack").ok());
  EXPECT_EQ(report.mask().node()->name(), "report_uninitialized_variables/LogicalNot");
  EXPECT_EQ(is_init.node()->op(), "IsVariableInitialized");
  EXPECT_EQ(is_init.dtype(), DataType::kBool);

  auto sess = Session::Create(g).value();
  using V = std::vector<std::string>;
  // TF 2.21: [w b w2 l], then [w w2 l] after b's initializer, [l] after the global one, [] at last.
  EXPECT_EQ(report.Run(*sess).value(), (V{"w", "b", "w2", "l"}));
  EXPECT_FALSE(sess->Run({}, {is_init}).value()[0].scalar<bool>().value());
  ASSERT_TRUE(sess->Run({}, {}, {b.initializer()}).ok());
  EXPECT_EQ(report.Run(*sess).value(), (V{"w", "w2", "l"}));
  ASSERT_TRUE(sess->Run({}, {}, {GlobalVariablesInitializer(*g)}).ok());
  EXPECT_EQ(report.Run(*sess).value(), (V{"l"}));
  EXPECT_TRUE(sess->Run({}, {is_init}).value()[0].scalar<bool>().value());
  // w2 was initialized from w's value, whichever initializer ran first: [2 4].
  EXPECT_EQ(sess->Run({}, {w2.value()}).value()[0].DebugString(), "[2. 4.]");
  ASSERT_TRUE(sess->Run({}, {}, {LocalVariablesInitializer(*g)}).ok());
  EXPECT_EQ(report.Run(*sess).value(), V{});
  // A subset, and an empty list.
  EXPECT_EQ(ReportUninitializedVariables(*g, {w, l}).variable_names(), (V{"w", "l"}));
  auto fresh = Session::Create(g).value();
  EXPECT_EQ(ReportUninitializedVariables(*g, {b}, "only_b").Run(*fresh).value(), V{"b"});
  EXPECT_EQ(ReportUninitializedVariables(*g, std::vector<Variable>{}).Run(*fresh).value(), V{});
  // A mask of the wrong shape is refused.
  EXPECT_EQ(report.Names(Tensor::Vec<float>({1})).status().code(), Code::kInvalidArgument);
}

TEST(Tf1Variables, InitializedValueIsTheValueOnceInitialized) {
  auto g = Graph::Create();
  Output x = ops::Placeholder(*g, DataType::kFloat, PartialShape(std::vector<int64_t>{}), "x");
  Variable v(*g, ops::Const(*g, 1.0f), "v");
  Output iv = v.InitializedValue();
  EXPECT_EQ(iv.node()->name(), "v/initialized_value");
  auto sess = Session::Create(g).value();
  EXPECT_EQ(RunScalar(*sess, iv), 1.0f);  // the initial value
  Operation assign(v.Assign(ops::Mul(*g, x, x)));
  ASSERT_TRUE(sess->Run({{x, Tensor::Scalar(3.0f)}}, {}, {assign}).ok());
  EXPECT_EQ(RunScalar(*sess, iv), 9.0f);  // the value
}

TEST(Tf1Variables, VariablesInitializerRunsOnlyTheGivenInitializers) {
  auto g = Graph::Create();
  Variable a(*g, ops::Const(*g, 1.0f), "a");
  Variable b(*g, ops::Const(*g, 2.0f), "b");
  Operation init = VariablesInitializer(*g, {a});
  auto sess = Session::Create(g).value();
  ASSERT_TRUE(sess->Run({}, {}, {init}).ok());
  EXPECT_EQ(RunScalar(*sess, a.value()), 1.0f);
  Status s = sess->Run({}, {b.value()}).status();
  EXPECT_EQ(s.code(), Code::kFailedPrecondition);
  EXPECT_NE(s.message().find("Attempting to use uninitialized value b"), std::string::npos) << s;
  // An empty list gives a NoOp that runs (TF: variables_initializer([]) is a no_op).
  EXPECT_TRUE(sess->Run({}, {}, {VariablesInitializer(*g, {}, "none")}).ok());
}

TEST(Tf1Variables, LoadAssignsWithoutAddingNodes) {
  auto g = Graph::Create();
  Variable v(*g, ops::Const(*g, Tensor::Vec<float>({1, 2})), "v");
  auto sess = Session::Create(g).value();
  const int nodes = g->num_nodes();
  ASSERT_TRUE(v.Load(Tensor::Vec<float>({5, 6}), *sess).ok());
  EXPECT_EQ(g->num_nodes(), nodes);
  EXPECT_EQ(sess->Run({}, {v.value()}).value()[0].ToVector<float>(), (std::vector<float>{5, 6}));
  Status wrong_shape = v.Load(Tensor::Vec<float>({1, 2, 3}), *sess);
  EXPECT_EQ(wrong_shape.code(), Code::kInvalidArgument);
  EXPECT_NE(wrong_shape.message().find("variable v has shape [2], the value [3]"), std::string::npos) << wrong_shape;
  Status wrong_type = v.Load(Tensor::Vec<int32_t>({1, 2}), *sess);
  EXPECT_EQ(wrong_type.code(), Code::kInvalidArgument);
  EXPECT_NE(wrong_type.message().find("has dtype float, the value int32"), std::string::npos) << wrong_type;
}

// ---- 6. Ops a ported program needs (values from TensorFlow 2.21).

std::vector<float> RunUnary(Output (*op)(Graph&, Output, ops::Name), const std::vector<float>& x) {
  auto g = Graph::Create();
  Output y = op(*g, ops::Const(*g, Tensor::FromVector<float>(x, {static_cast<int64_t>(x.size())}).value()), {});
  return testing::RunOne(g, y).ToVector<float>();
}

void ExpectSameFloats(const std::vector<float>& got, const std::vector<float>& want) {
  ASSERT_EQ(got.size(), want.size());
  for (size_t i = 0; i < got.size(); ++i) {
    if (std::isnan(want[i])) {
      EXPECT_TRUE(std::isnan(got[i])) << "element " << i;
    } else {
      EXPECT_EQ(got[i], want[i]) << "element " << i;
      EXPECT_EQ(std::signbit(got[i]), std::signbit(want[i])) << "sign of element " << i;
    }
  }
}

TEST(Tf1Ops, RoundingAndSignMatchTensorFlow) {
  const float nan = std::nanf("");
  const std::vector<float> x = {2.5f, -0.5f, 1.5f, -2.5f, 0.49999997f, nan, -0.0f, 3.7f};
  // tf.round: half to even.
  ExpectSameFloats(RunUnary(ops::Round, x), {2, -0.0f, 2, -2, 0, nan, -0.0f, 4});
  ExpectSameFloats(RunUnary(ops::Sign, x), {1, -1, 1, -1, 1, nan, 0, 1});
  ExpectSameFloats(RunUnary(ops::Floor, x), {2, -1, 1, -3, 0, nan, -0.0f, 3});
  ExpectSameFloats(RunUnary(ops::Ceil, x), {3, -0.0f, 2, -2, 1, nan, -0.0f, 4});
  const float inf = std::numeric_limits<float>::infinity();
  ExpectSameFloats(RunUnary(ops::Rsqrt, {4, 0, -1}), {0.5f, inf, nan});
  ExpectSameFloats(RunUnary(ops::Reciprocal, {0.0f, -0.0f, 4}), {inf, -inf, 0.25f});
  auto g = Graph::Create();
  Output s = ops::Sign(*g, ops::Const(*g, Tensor::Vec<int32_t>({-3, 0, 5})));
  EXPECT_EQ(testing::RunOne(g, s).ToVector<int32_t>(), (std::vector<int32_t>{-1, 0, 1}));
  // Integer Floor is not a kernel this build has: a clear error naming the op.
  auto gi = Graph::Create();
  Output bad = ops::Floor(*gi, ops::Const(*gi, Tensor::Vec<int32_t>({1})), "floor_int");
  EXPECT_FALSE(bad.valid());
  EXPECT_NE(gi->status().message().find("floor_int"), std::string::npos) << gi->status();
}

// ---- 9. Nested fetch structures (TF's fetch mappers).

TEST(Tf1Fetches, NestedListsMapsNamesAndOperationsComeBackInTheirShape) {
  auto g = Graph::Create();
  Output a = ops::Const(*g, 1.0f, "a");
  Output b = ops::Const(*g, 2.0f, "b");
  Variable v(*g, ops::Const(*g, 10.0f), "v");
  Output bump = v.AssignAdd(ops::Const(*g, 1.0f), "bump");
  auto sess = Session::Create(g).value();
  ASSERT_TRUE(sess->Run({}, {}, {v.initializer()}).ok());
  // sess.run({"x": [a, "b:0"], "step": bump.op, "pair": (a, {"v": v})})
  std::map<std::string, FetchStructure> fetches{
      {"x", FetchStructure({a, "b:0"})},
      {"step", Operation(bump)},
      {"pair", FetchStructure({a, std::map<std::string, FetchStructure>{{"v", v.value()}}})}};
  auto out = sess->RunStructure({}, fetches);
  ASSERT_TRUE(out.ok()) << out.status();
  ASSERT_TRUE(out->is_map());
  EXPECT_EQ(out->map().size(), 3u);
  EXPECT_EQ((*out)["x"][0].tensor().scalar<float>().value(), 1.0f);
  EXPECT_EQ((*out)["x"][1].tensor().scalar<float>().value(), 2.0f);
  EXPECT_TRUE((*out)["step"].is_no_value());  // TF: None for an operation
  EXPECT_EQ((*out)["pair"][0].tensor().scalar<float>().value(), 1.0f);
  EXPECT_EQ((*out)["pair"][1]["v"].tensor().scalar<float>().value(), 11.0f);  // the step's update, read after it
  // A name without an index is an operation: it runs, and returns no value.
  auto op = sess->RunStructure({}, FetchStructure("bump"));
  ASSERT_TRUE(op.ok()) << op.status();
  EXPECT_TRUE(op->is_no_value());
  EXPECT_EQ(RunScalar(*sess, v.value()), 12.0f);
  // A tensor fetched twice is computed once and returned twice.
  auto twice = sess->RunStructure({}, FetchStructure({bump, bump}));
  ASSERT_TRUE(twice.ok());
  EXPECT_EQ(twice->list()[0].tensor().scalar<float>().value(), 13.0f);
  EXPECT_EQ(twice->list()[1].tensor().scalar<float>().value(), 13.0f);
  // Empty structures return empty structures without running anything.
  auto empty = sess->RunStructure({}, std::vector<FetchStructure>{});
  ASSERT_TRUE(empty.ok());
  EXPECT_TRUE(empty->is_list());
  EXPECT_TRUE(empty->list().empty());
}

TEST(Tf1Fetches, UnknownNamesAreNotFound) {
  auto g = Graph::Create();
  ops::Const(*g, 1.0f, "a");
  auto sess = Session::Create(g).value();
  auto bad = sess->RunStructure({}, FetchStructure({"a:0", "nope:0"}));
  EXPECT_EQ(bad.status().code(), Code::kNotFound);
  EXPECT_NE(bad.status().message().find("nope"), std::string::npos) << bad.status();
  EXPECT_EQ(sess->RunStructure({}, FetchStructure("missing_op")).status().code(), Code::kNotFound);
}

}  // namespace
}  // namespace tessera
