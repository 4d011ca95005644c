// The bad-input suite: one bad input per row, each through the public API,
// each asserting the error code and a fragment of the message. None may
// crash, hang or be accepted silently; CI runs this under ASan + UBSan.
#include <climits>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <limits>

#include "tests/test_util.h"

namespace tessera {
namespace {

using GraphPtr = std::shared_ptr<Graph>;

struct BadInput {
  const char* name;
  std::function<Status()> run;
  Code code;
  const char* fragment;
};

std::ostream& operator<<(std::ostream& os, const BadInput& c) { return os << c.name; }

// ---- helpers: each returns the Status a user would see.

// Builds with `build`, then runs its output in a fresh session.
Status Fetch(const std::function<Output(Graph&)>& build, const Session::FeedList& feeds = {},
             const SessionOptions& options = {}) {
  GraphPtr g = Graph::Create();
  Output out = build(*g);
  auto sess = Session::Create(g, options);
  if (!sess.ok()) return sess.status();
  return (*sess)->Run(feeds, {out}).status();
}

// The error a builder records (construction time).
Status Built(const std::function<void(Graph&)>& build) {
  GraphPtr g = Graph::Create();
  build(*g);
  return g->status();
}

// Feeds `value` to a placeholder of `dtype` and `shape` and fetches it through Identity.
Status FeedPlaceholder(DataType dtype, const PartialShape& shape, const Tensor& value) {
  GraphPtr g = Graph::Create();
  Output p = ops::Placeholder(*g, dtype, shape, "p");
  Output y = ops::Identity(*g, p, "y");
  auto sess = Session::Create(g).value();
  return sess->Run({{p, value}}, {y}).status();
}

Status Create(const SessionOptions& options) {
  GraphPtr g = Graph::Create();
  return Session::Create(g, options).status();
}

SessionOptions With(const std::function<void(SessionOptions&)>& f) {
  SessionOptions o;
  f(o);
  return o;
}

// Runs by name in a session over a graph with a Const "c".
Status ByName(const Session::NamedFeedList& feeds, const std::vector<std::string>& fetches,
              const std::vector<std::string>& targets) {
  GraphPtr g = Graph::Create();
  ops::Const(*g, Tensor::Vec<float>({1, 2}), "c");
  ops::Placeholder(*g, DataType::kFloat, PartialShape{2}, "p");
  auto sess = Session::Create(g).value();
  std::vector<Tensor> out;
  return sess->Run(feeds, fetches, targets, &out);
}

Output F32(Graph& g, std::initializer_list<float> v) { return ops::Const(g, Tensor::Vec<float>(v)); }
Output I32(Graph& g, std::initializer_list<int32_t> v) { return ops::Const(g, Tensor::Vec<int32_t>(v)); }
Output I64(Graph& g, std::initializer_list<int64_t> v) { return ops::Const(g, Tensor::Vec<int64_t>(v)); }
Output Mat(Graph& g, int64_t r, int64_t c) { return ops::Const(g, Tensor(DataType::kFloat, TensorShape{r, c})); }
// A placeholder of unknown shape, so only the kernel sees the bad shape.
Output Unknown(Graph& g, DataType dt = DataType::kFloat) { return ops::Placeholder(g, dt); }
Tensor Zeros(std::initializer_list<int64_t> dims) { return Tensor(DataType::kFloat, TensorShape(dims)); }

// Runs `build(x, y)` with x and y fed at run time (shapes unknown to the builder).
Status FedBinary(const std::function<Output(Graph&, Output, Output)>& build, const Tensor& xv, const Tensor& yv) {
  GraphPtr g = Graph::Create();
  Output x = ops::Placeholder(*g, xv.dtype(), PartialShape(), "x");
  Output y = ops::Placeholder(*g, yv.dtype(), PartialShape(), "y");
  Output out = build(*g, x, y);
  auto sess = Session::Create(g).value();
  return sess->Run({{x, xv}, {y, yv}}, {out}).status();
}

constexpr int64_t k2p31 = int64_t{1} << 31;
constexpr int64_t k2p40 = int64_t{1} << 40;
constexpr int64_t k2p62 = int64_t{1} << 62;
constexpr Code kInvalid = Code::kInvalidArgument;

// clang-format off
const BadInput kCases[] = {
  // ---- Tensors and shapes
  {"ShapeMakeNegativeDim", [] { return TensorShape::Make({2, -1}).status(); }, kInvalid, "Dimension 1 must be >= 0, got -1"},
  {"ShapeMakeOverflow", [] { return TensorShape::Make({k2p40, k2p40}).status(); }, kInvalid, "would have more than 2**63 - 1 elements"},
  {"ShapeOverflowThroughZero", [] { return TensorShape::Make({k2p40, k2p40, 0}).status(); }, kInvalid, "more than 2**63 - 1"},
  {"TensorCreateNegativeDim", [] { return Tensor::Create(DataType::kFloat, TensorShape{-1}).status(); }, kInvalid, "must be >= 0, got -1"},
  {"TensorCreateOverflowingShape", [] { return Tensor::Create(DataType::kFloat, TensorShape{k2p40, k2p40}).status(); }, kInvalid, "more than 2**63 - 1"},
  {"TensorCreateTooManyBytes", [] { return Tensor::Create(DataType::kDouble, TensorShape{k2p62}).status(); }, kInvalid, "would need more than"},
  {"TensorCreateInvalidDtype", [] { return Tensor::Create(DataType::kInvalid, TensorShape{2}).status(); }, kInvalid, "invalid dtype"},
  {"TensorCreateOutOfMemory", [] { return Tensor::Create(DataType::kFloat, TensorShape{int64_t{1} << 52}).status(); }, Code::kResourceExhausted, "OOM when allocating tensor with shape[4503599627370496]"},
  {"TensorCtorNegativeDimIsInvalid", [] { return Tensor(DataType::kFloat, TensorShape{-1}).valid() ? Status::OK() : InvalidArgumentError("invalid tensor"); }, kInvalid, "invalid tensor"},
  {"TensorWrapTooSmallBuffer", [] { Tensor small(DataType::kFloat, TensorShape{2}); return Tensor(DataType::kFloat, TensorShape{8}, small.buffer()).valid() ? Status::OK() : InvalidArgumentError("invalid tensor"); }, kInvalid, "invalid tensor"},
  {"FromVectorCountMismatch", [] { return Tensor::FromVector<float>({1, 2, 3}, TensorShape{2, 2}).status(); }, kInvalid, "3 values do not fill shape [2,2]"},
  {"FromVectorNegativeDim", [] { return Tensor::FromVector<float>({1}, TensorShape{-1}).status(); }, kInvalid, "must be >= 0"},
  {"MatrixRaggedRows", [] { return Tensor::Matrix<float>({{1, 2}, {3}}).status(); }, kInvalid, "row 1 has 1 elements but row 0 has 2"},
  {"ReshapedWrongCount", [] { return Tensor::Vec<float>({1, 2, 3}).Reshaped(TensorShape{2, 2}).status(); }, kInvalid, "Cannot reshape a tensor with 3 elements to shape [2,2]"},
  {"ReshapedInvalidShape", [] { return Tensor::Vec<float>({1}).Reshaped(TensorShape{-1}).status(); }, kInvalid, "must be >= 0"},
  {"ScalarOfVector", [] { return Tensor::Vec<float>({1, 2}).scalar<float>().status(); }, kInvalid, "is not a scalar"},
  {"ScalarWrongDtype", [] { return Tensor::Scalar<int32_t>(1).scalar<float>().status(); }, kInvalid, "tensor has dtype int32, not float"},

  // ---- Session options
  {"InterOpThreadsHuge", [] { return Create(With([](SessionOptions& o) { o.inter_op_parallelism_threads = 100000; })); }, kInvalid, "inter_op_parallelism_threads must be in [0, 1024]"},
  {"IntraOpThreadsHuge", [] { return Create(With([](SessionOptions& o) { o.intra_op_parallelism_threads = 100000; })); }, kInvalid, "intra_op_parallelism_threads must be in [0, 1024]"},
  {"InterOpThreadsNegative", [] { return Create(With([](SessionOptions& o) { o.inter_op_parallelism_threads = -1; })); }, kInvalid, "got -1"},
  {"IntraOpThreadsNegative", [] { return Create(With([](SessionOptions& o) { o.intra_op_parallelism_threads = -3; })); }, kInvalid, "got -3"},
  {"CpuCountIntMax", [] { return Create(With([](SessionOptions& o) { o.device_count["CPU"] = INT_MAX; })); }, kInvalid, "device_count[\"CPU\"] must be at most 256"},
  {"CpuCountMillion", [] { return Create(With([](SessionOptions& o) { o.device_count["CPU"] = 1000000; })); }, kInvalid, "must be at most 256"},
  {"CpuCountZero", [] { return Create(With([](SessionOptions& o) { o.device_count["CPU"] = 0; })); }, kInvalid, "must be at least 1"},
  {"GpuCountNegative", [] { return Create(With([](SessionOptions& o) { o.device_count["GPU"] = -1; })); }, kInvalid, "device_count[\"GPU\"] must be >= 0"},
  {"UnknownDeviceType", [] { return Create(With([](SessionOptions& o) { o.device_count["TPU"] = 1; })); }, kInvalid, "unknown device type 'TPU'"},
  {"TimeoutNegative", [] { return Create(With([](SessionOptions& o) { o.operation_timeout_in_ms = -5; })); }, kInvalid, "operation_timeout_in_ms must be >= 0, got -5"},
  {"GpuFractionNaN", [] { return Create(With([](SessionOptions& o) { o.gpu_options.per_process_gpu_memory_fraction = std::nan(""); })); }, kInvalid, "per_process_gpu_memory_fraction must be in [0, 1]"},
  {"GpuFractionNegative", [] { return Create(With([](SessionOptions& o) { o.gpu_options.per_process_gpu_memory_fraction = -0.5; })); }, kInvalid, "got -0.5"},
  {"GpuFractionAboveOne", [] { return Create(With([](SessionOptions& o) { o.gpu_options.per_process_gpu_memory_fraction = 1.5; })); }, kInvalid, "no unified-memory oversubscription"},
  {"GpuFractionInfinite", [] { return Create(With([](SessionOptions& o) { o.gpu_options.per_process_gpu_memory_fraction = INFINITY; })); }, kInvalid, "per_process_gpu_memory_fraction"},
  {"VisibleListGarbage", [] { return Create(With([](SessionOptions& o) { o.gpu_options.visible_device_list = "0,x"; })); }, kInvalid, "Could not parse entry in 'visible_device_list': 'x'"},
  {"VisibleListEmptyEntry", [] { return Create(With([](SessionOptions& o) { o.gpu_options.visible_device_list = "0,,1"; })); }, kInvalid, "Could not parse entry"},
  {"VisibleListNegative", [] { return Create(With([](SessionOptions& o) { o.gpu_options.visible_device_list = "-1"; })); }, kInvalid, "Could not parse entry in 'visible_device_list': '-1'"},
  {"VisibleListHugeId", [] { return Create(With([](SessionOptions& o) { o.gpu_options.visible_device_list = "99999999999"; })); }, kInvalid, "Could not parse entry"},
  {"PlanCacheZero", [] { return Create(With([](SessionOptions& o) { o.plan_cache_capacity = 0; })); }, kInvalid, "plan_cache_capacity must be >= 1, got 0"},
  {"NullGraph", [] { return Session::Create(nullptr).status(); }, kInvalid, "needs a graph"},

  // ---- Device strings (each poisons the graph: Run fails with it)
  {"DeviceZeroWord", [] { return Fetch([](Graph& g) { auto d = g.Device("/cpu:zero"); return ops::Const(g, 1.0f); }); }, kInvalid, "Malformed device specification '/cpu:zero'"},
  {"DeviceMissingId", [] { return Fetch([](Graph& g) { auto d = g.Device("/gpu:"); return ops::Const(g, 1.0f); }); }, kInvalid, "Malformed device specification '/gpu:'"},
  {"DeviceNegativeId", [] { return Fetch([](Graph& g) { auto d = g.Device("/device:GPU:-1"); return ops::Const(g, 1.0f); }); }, kInvalid, "Malformed device specification '/device:GPU:-1'"},
  {"DeviceTwoTypes", [] { return Fetch([](Graph& g) { auto d = g.Device("/device:GPU:0/device:CPU:0"); return ops::Const(g, 1.0f); }); }, kInvalid, "the device field is given more than once"},
  {"DeviceTwoJobs", [] { return Fetch([](Graph& g) { auto d = g.Device("/job:a/job:b"); return ops::Const(g, 1.0f); }); }, kInvalid, "the job field is given more than once"},
  {"DeviceTwoShortForms", [] { return Fetch([](Graph& g) { auto d = g.Device("/cpu:0/gpu:0"); return ops::Const(g, 1.0f); }); }, kInvalid, "the device field is given more than once"},
  {"DeviceNoColon", [] { return DeviceName::Parse("/device").status(); }, kInvalid, "Malformed device specification '/device'"},
  {"DeviceUnknownKey", [] { return DeviceName::Parse("/node:1").status(); }, kInvalid, "Malformed device specification '/node:1'"},
  {"DeviceBadJob", [] { return DeviceName::Parse("/job:1abc").status(); }, kInvalid, "Malformed"},
  {"DeviceTypeWithSpace", [] { return DeviceName::Parse("/device:G PU:0").status(); }, kInvalid, "Malformed"},
  {"DeviceHugeId", [] { return DeviceName::Parse("/gpu:12345678901").status(); }, kInvalid, "Malformed"},
  {"DeviceTrailingColon", [] { return DeviceName::Parse("/device:GPU:0:").status(); }, kInvalid, "Malformed"},
  {"DeviceReplicaWord", [] { return DeviceName::Parse("/replica:x").status(); }, kInvalid, "Malformed"},
  {"DeviceEmptyComponent", [] { return DeviceName::Parse("/cpu:0//").status(); }, kInvalid, "Malformed"},
  {"DeviceAbsentGpuHard", [] { return Fetch([](Graph& g) { auto d = g.Device("/gpu:7"); return ops::Const(g, 1.0f, "c"); }, {}, With([](SessionOptions& o) { o.device_count["GPU"] = 0; })); }, kInvalid, "Cannot assign a device for operation c"},

  // ---- Names
  {"NameWithColon", [] { return Built([](Graph& g) { ops::Const(g, 1.0f, "a:1"); }); }, kInvalid, "Node name 'a:1' is not valid"},
  {"NameWithNul", [] { return Built([](Graph& g) { ops::Const(g, 1.0f, std::string_view("a\0b", 3)); }); }, kInvalid, "'a\\x00b' is not valid"},
  {"NameLeadingSlash", [] { return Built([](Graph& g) { ops::Const(g, 1.0f, "/a"); }); }, kInvalid, "must start with a letter, digit or '.'"},
  {"NameLeadingUnderscore", [] { return Built([](Graph& g) { ops::Const(g, 1.0f, "_a"); }); }, kInvalid, "'_a' is not valid"},
  {"NameEmptyComponent", [] { return Built([](Graph& g) { ops::Const(g, 1.0f, "a//b"); }); }, kInvalid, "empty scope component"},
  {"NameTrailingSlash", [] { return Built([](Graph& g) { ops::Const(g, 1.0f, "a/"); }); }, kInvalid, "empty scope component"},
  {"NameWithSpace", [] { return Built([](Graph& g) { ops::Const(g, 1.0f, "a b"); }); }, kInvalid, "character 1 is not one of"},
  {"NameScopeInvalid", [] { return Built([](Graph& g) { auto s = g.NameScope("bad scope"); ops::Const(g, 1.0f); }); }, kInvalid, "Graph::NameScope: Node name 'bad scope' is not valid"},
  // NameScope("") is the root and NameScope("a/") the scope a, as in TF; "a//" names an empty component.
  {"NameScopeEmptyComponent", [] { return Built([](Graph& g) { auto s = g.NameScope("a//"); ops::Const(g, 1.0f); }); }, kInvalid, "Graph::NameScope: Node name 'a/' is not valid: it has an empty scope component"},
  {"NameInvalidFailsRun", [] { return Fetch([](Graph& g) { ops::Const(g, 1.0f, "a:1"); return ops::Const(g, 2.0f, "ok"); }); }, kInvalid, "cannot run until Graph::ResetStatus(): Node name 'a:1'"},
  {"FindOutputBadIndex", [] { return ByName({}, {"c:x"}, {}); }, kInvalid, "Malformed tensor name 'c:x'"},
  {"FindOutputHugeIndex", [] { return ByName({}, {"c:99999999999"}, {}); }, kInvalid, "Malformed tensor name"},
  {"FindOutputMissingIndex", [] { return ByName({}, {"c:"}, {}); }, kInvalid, "Malformed tensor name 'c:'"},
  {"FetchUnknownName", [] { return ByName({}, {"nope"}, {}); }, Code::kNotFound, "the graph has no node named 'nope'"},
  {"FetchOutputOutOfRange", [] { return ByName({}, {"c:1"}, {}); }, Code::kNotFound, "has 1 output(s)"},
  {"TargetUnknownName", [] { return ByName({}, {}, {"nope"}); }, Code::kNotFound, "Some target nodes not found: nope"},
  {"FeedUnknownName", [] { return ByName({{"nope:0", Tensor::Vec<float>({1, 2})}}, {"c"}, {}); }, Code::kNotFound, "Tensor nope:0 not found"},
  {"FeedByNameWrongDtype", [] { return ByName({{"p", Tensor::Vec<int32_t>({1, 2})}}, {"p"}, {}); }, kInvalid, "Cannot feed value of type int32 for Tensor p:0, which has type float"},

  // ---- Graph construction
  {"ControlDepInvalidOp", [] { return Built([](Graph& g) { auto c = g.ControlDependencies({Operation()}); ops::Const(g, 1.0f); }); }, kInvalid, "Graph::ControlDependencies: operation 0 is invalid"},
  {"ControlDepOtherGraph", [] { GraphPtr other = Graph::Create(); Operation o = ops::NoOp(*other, "x"); return Built([o](Graph& g) { auto c = g.ControlDependencies({o}); ops::Const(g, 1.0f); }); }, kInvalid, "operation 0 'x' belongs to a different Graph"},
  {"ColocateInvalidOp", [] { return Built([](Graph& g) { auto c = g.ColocateWith(Operation()); ops::Const(g, 1.0f); }); }, kInvalid, "Graph::ColocateWith: the operation is invalid"},
  {"ColocateOtherGraph", [] { GraphPtr other = Graph::Create(); Operation o = ops::NoOp(*other, "x"); return Built([o](Graph& g) { auto c = g.ColocateWith(o); ops::Const(g, 1.0f); }); }, kInvalid, "'x' belongs to a different Graph"},
  {"InputFromOtherGraph", [] { GraphPtr other = Graph::Create(); Output x = ops::Const(*other, 1.0f, "x"); return Built([x](Graph& g) { ops::Neg(g, x); }); }, kInvalid, "belongs to a different Graph"},
  {"InvalidInput", [] { return Built([](Graph& g) { ops::Neg(g, Output()); }); }, kInvalid, "Input 0 of node 'Neg' (Neg) is invalid"},
  {"GroupWithInvalid", [] { return Built([](Graph& g) { ops::Group(g, {Operation()}); }); }, kInvalid, "A control input of node 'group_deps' is invalid"},
  {"UnknownOpType", [] { GraphPtr g = Graph::Create(); return g->AddNode(NodeSpec{"NoSuchOp", "n", {}, {}, {}}).status(); }, Code::kNotFound, "Op type not registered 'NoSuchOp'"},
  {"WrongInputCount", [] { GraphPtr g = Graph::Create(); Output c = ops::Const(*g, 1.0f); return g->AddNode(NodeSpec{"Neg", "n", {c, c}, {}, {}}).status(); }, kInvalid, "expects 1 input(s), got 2"},
  {"DuplicateFinalName", [] { GraphPtr g = Graph::Create(); ops::Const(*g, 1.0f, "x"); NodeSpec s{"NoOp", "x", {}, {}, {}}; s.name_is_final = true; return g->AddNode(s).status(); }, kInvalid, "Duplicate node name in graph: 'x'"},
  {"PlaceholderNoDtype", [] { return Built([](Graph& g) { ops::Placeholder(g, DataType::kInvalid); }); }, kInvalid, "Placeholder needs a dtype"},
  {"PlaceholderOverflowingShape", [] { return Built([](Graph& g) { ops::Placeholder(g, DataType::kFloat, PartialShape{k2p40, k2p40}); }); }, kInvalid, "Shape [1099511627776,1099511627776] is too large (more than 2**63 - 1 entries)"},
  {"PlaceholderNegativeDim", [] { return Built([](Graph& g) { ops::Placeholder(g, DataType::kFloat, PartialShape{-2}); }); }, kInvalid, "has a negative dimension -2 (only -1, unknown, may be negative)"},
  {"ConstInvalidTensor", [] { return Built([](Graph& g) { ops::Const(g, Tensor()); }); }, kInvalid, "Const needs a valid 'value' tensor"},
  {"RefInputNotVariable", [] { return Built([](Graph& g) { ops::Assign(g, ops::Const(g, 1.0f), ops::Const(g, 2.0f)); }); }, kInvalid, "must be a variable reference"},
  {"VariableFromInvalid", [] { return Built([](Graph& g) { Variable v(g, Output(), "v"); }); }, kInvalid, "Variable 'v': the initial value is invalid"},
  {"ResetStatusLetsTheGraphRun", [] { GraphPtr g = Graph::Create(); ops::Const(*g, 1.0f, "a:1"); Output ok = ops::Const(*g, 2.0f, "ok"); Status first = g->ResetStatus(); auto r = Session::Create(g).value()->Run({}, {ok}); return r.ok() ? first : Status::OK(); }, kInvalid, "Node name 'a:1' is not valid"},

  // ---- Op attributes and shapes at construction
  {"AddDtypeMismatch", [] { return Built([](Graph& g) { ops::Add(g, F32(g, {1}), I32(g, {1}), "mixed"); }); }, kInvalid, "'mixed' (op: 'AddV2')"},
  {"AddIncompatibleShapes", [] { return Built([](Graph& g) { ops::Add(g, F32(g, {1, 2}), F32(g, {1, 2, 3})); }); }, kInvalid, "Dimensions must be equal, but are 2 and 3"},
  {"MatMulInnerMismatch", [] { return Built([](Graph& g) { ops::MatMul(g, Mat(g, 2, 3), Mat(g, 2, 3), false, false, "mm"); }); }, kInvalid, "Dimensions must be equal, but are 3 and 2 for 'mm' (op: 'MatMul')"},
  {"MatMulRank1", [] { return Built([](Graph& g) { ops::MatMul(g, F32(g, {1, 2}), Mat(g, 2, 2)); }); }, kInvalid, "must be rank 2"},
  {"MatMulBool", [] { return Built([](Graph& g) { ops::MatMul(g, ops::Const(g, Tensor(DataType::kBool, TensorShape{1, 1})), ops::Const(g, Tensor(DataType::kBool, TensorShape{1, 1}))); }); }, kInvalid, "Input 0 has type bool, which is not one of [float, double, int32, int64]"},
  {"BiasAddWrongBias", [] { return Built([](Graph& g) { ops::BiasAdd(g, Mat(g, 2, 3), F32(g, {1, 2})); }); }, kInvalid, "Dimensions must be equal"},
  {"BiasAddRank2Bias", [] { return Built([](Graph& g) { ops::BiasAdd(g, Mat(g, 2, 3), Mat(g, 1, 3)); }); }, kInvalid, "Shape must be rank 1 but is rank 2 (input 1)"},
  {"SoftmaxScalar", [] { return Built([](Graph& g) { ops::Softmax(g, ops::Const(g, 1.0f)); }); }, kInvalid, "Shape must be at least rank 1 but is rank 0"},
  {"SumAxisOutOfRange", [] { return Built([](Graph& g) { ops::Sum(g, F32(g, {1}), {3}); }); }, kInvalid, "Invalid reduction dimension 3 for input with 1 dimensions"},
  {"SumDuplicateAxes", [] { return Built([](Graph& g) { ops::Sum(g, Mat(g, 2, 2), {0, 0}); }); }, kInvalid, "Axes contains duplicate dimension: 0"},
  {"SumDuplicateNegativeAxis", [] { return Built([](Graph& g) { ops::Sum(g, Mat(g, 2, 2), {1, -1}); }); }, kInvalid, "Axes contains duplicate dimension: 1"},
  {"SumBool", [] { return Built([](Graph& g) { ops::Sum(g, ops::Const(g, Tensor(DataType::kBool, TensorShape{2})), {0}); }); }, kInvalid, "Reduction does not support dtype bool"},
  {"SumAllAxesUnknownRank", [] { return Built([](Graph& g) { ops::Sum(g, Unknown(g)); }); }, kInvalid, "needs its rank"},
  {"ArgMaxAxisOutOfRange", [] { return Built([](Graph& g) { ops::ArgMax(g, Mat(g, 2, 2), 5); }); }, kInvalid, "Invalid reduction dimension 5 for input with 2 dimensions"},
  {"ArgMaxBadOutputType", [] { return Built([](Graph& g) { ops::ArgMax(g, Mat(g, 2, 2), 0, DataType::kFloat); }); }, kInvalid, "output_type has type float, which is not one of [int32, int64]"},
  {"ReshapeWrongCount", [] { return Built([](Graph& g) { ops::Reshape(g, Mat(g, 4, 6), std::vector<int64_t>{5, 5}); }); }, kInvalid, "Cannot reshape a tensor with 24 elements to shape [5,5]"},
  {"ReshapeTwoInferred", [] { return Built([](Graph& g) { ops::Reshape(g, Mat(g, 4, 6), std::vector<int64_t>{-1, -1}); }); }, kInvalid, "Cannot infer multiple unknown dimensions"},
  {"ReshapeNegativeSize", [] { return Built([](Graph& g) { ops::Reshape(g, Mat(g, 4, 6), std::vector<int64_t>{-2, 12}); }); }, kInvalid, "Size 0 must be non-negative, not -2"},
  {"ReshapeInt64Dims", [] { return Built([](Graph& g) { ops::Reshape(g, F32(g, {1, 2, 3, 4}), std::vector<int64_t>{(int64_t{1} << 32) + 4}); }); }, kInvalid, "Cannot reshape a tensor with 4 elements to shape [4294967300]"},
  {"ReshapeShapeInputOfHugeLength", [] { return Built([](Graph& g) { ops::Reshape(g, Unknown(g), ops::Placeholder(g, DataType::kInt32, PartialShape{int64_t{1} << 62})); }); }, kInvalid, "The shape input has 4611686018427387904 elements: a tensor has at most 254 dimensions"},
  {"PlaceholderRank300", [] { return Built([](Graph& g) { ops::Placeholder(g, DataType::kFloat, PartialShape(std::vector<int64_t>(300, 1))); }); }, kInvalid, "would have an output of rank 300; at most 254"},
  {"TensorRank300", [] { return Tensor::Create(DataType::kFloat, TensorShape(std::vector<int64_t>(300, 1))).status(); }, kInvalid, "Shape has 300 dimensions; at most 254 are supported"},
  {"ReshapeOverflowingProduct", [] { return Built([](Graph& g) { ops::Reshape(g, Unknown(g), std::vector<int64_t>{k2p40, k2p40, -1}); }); }, kInvalid, "Shape [1099511627776,1099511627776,-1] has too many elements"},
  {"TransposeBadPerm", [] { return Built([](Graph& g) { ops::Transpose(g, Mat(g, 2, 3), {0, 0}); }); }, kInvalid, "Invalid permutation [0,0]"},
  {"TransposeShortPerm", [] { return Built([](Graph& g) { ops::Transpose(g, Mat(g, 2, 3), {0}); }); }, kInvalid, "Dimension must be 2 but is 1"},
  {"ShapeFloatOutType", [] { return Built([](Graph& g) { ops::Shape(g, Mat(g, 2, 3), DataType::kFloat); }); }, kInvalid, "out_type has type float"},
  {"FillHugeDims", [] { return Built([](Graph& g) { ops::Fill(g, {k2p40, k2p40}, Tensor::Scalar<float>(1)); }); }, kInvalid, "is too large (more than 2**63 - 1 entries)"},
  {"FillNegativeDim", [] { return Built([](Graph& g) { ops::Fill(g, {-3}, Tensor::Scalar<float>(1)); }); }, kInvalid, "Fill dimensions must be >= 0, got [-3]"},
  {"FillVectorValue", [] { return Built([](Graph& g) { ops::Fill(g, {2}, Tensor::Vec<float>({1, 2})); }); }, kInvalid, "Shape must be rank 0 but is rank 1 (input 1)"},
  {"ConcatMismatchedRank", [] { return Built([](Graph& g) { ops::Concat(g, {Mat(g, 2, 2), F32(g, {1})}, 0); }); }, kInvalid, "shape[0] has rank 2 but shape[1] has rank 1"},
  {"ConcatAxisOutOfRange", [] { return Built([](Graph& g) { ops::Concat(g, {Mat(g, 2, 2), Mat(g, 2, 2)}, 4); }); }, kInvalid, "Expected concatenating dimensions in the range [-2, 2), but got 4"},
  {"ConcatDtypeMismatch", [] { return Built([](Graph& g) { ops::Concat(g, {F32(g, {1}), I32(g, {1})}, 0); }); }, kInvalid, "Input 1 has type int32 that does not match type float of input 0"},
  {"ConcatOverflowingAxis", [] { return Built([](Graph& g) { Output p = ops::Placeholder(g, DataType::kFloat, PartialShape{INT64_MAX}); ops::Concat(g, {p, p}, 0); }); }, kInvalid, "The concatenated dimension 0 would have more than 2**63 - 1 entries"},
  {"ConcatEmpty", [] { return Built([](Graph& g) { ops::Concat(g, {}, 0); }); }, kInvalid, "expects at least 2 input(s), got 1"},
  {"BroadcastGradientArgsIncompatible", [] { return Fetch([](Graph& g) { return ops::BroadcastGradientArgs(g, ops::Const(g, Tensor::Vec<int32_t>({2, 3})), ops::Const(g, Tensor::Vec<int32_t>({4})))[0]; }); }, kInvalid, "Incompatible shapes: [2,3] vs. [4]"},
  {"BroadcastGradientArgsNotAVector", [] { return Built([](Graph& g) { ops::BroadcastGradientArgs(g, ops::Const(g, int32_t{2}), ops::Const(g, Tensor::Vec<int32_t>({4}))); }); }, kInvalid, "must be rank 1"},
  {"AddNEmpty", [] { return Built([](Graph& g) { ops::AddN(g, {}, "total"); }); }, kInvalid, "AddN: inputs must be a list of at least one Tensor with the same dtype and shape (node 'total')"},
  {"AddNDtypeMismatch", [] { return Built([](Graph& g) { ops::AddN(g, {F32(g, {1}), I32(g, {1})}); }); }, kInvalid, "Tensors in list passed to 'inputs' of 'AddN' Op have types [float, int32] that don't all match."},
  {"AddNShapeMismatch", [] { return Built([](Graph& g) { ops::AddN(g, {F32(g, {1, 2}), F32(g, {1, 2, 3})}); }); }, kInvalid, "Dimension 0 in both shapes must be equal, but are 2 and 3. Shapes are [2] and [3].\n\tFrom merging shape 0 with other shapes."},
  {"AddNRankMismatch", [] { return Built([](Graph& g) { ops::AddN(g, {F32(g, {1, 2}), Mat(g, 1, 2)}); }); }, kInvalid, "Shapes must be equal rank, but are 1 and 2"},
  {"AddNRunTimeShapeMismatch", [] { auto g = Graph::Create(); Output p = ops::Placeholder(*g, DataType::kFloat, PartialShape{-1}, "p"); Output q = ops::Placeholder(*g, DataType::kFloat, PartialShape{-1}, "q"); Output s = ops::AddN(*g, {p, q}, "sum"); return Session::Create(g).value()->Run({{p, Tensor::Vec<float>({1, 2})}, {q, Tensor::Vec<float>({1, 2, 3})}}, {s}).status(); }, kInvalid, "Inputs to operation sum of type AddN must have the same size and shape.  Input 0: [2] != input 1: [3]"},
  {"SliceBeyondEnd", [] { return Built([](Graph& g) { ops::Slice(g, F32(g, {1, 2, 3, 4}), {2}, {3}); }); }, kInvalid, "Expected size[0] in [0, 2], but got 3"},
  {"SliceOverflowingBeginPlusSize", [] { return Built([](Graph& g) { ops::Slice(g, F32(g, {1, 2, 3, 4}), {2}, {INT64_MAX}); }); }, kInvalid, "Expected size[0] in [0, 2], but got 9223372036854775807"},
  {"SliceHugeBegin", [] { return Built([](Graph& g) { ops::Slice(g, F32(g, {1, 2, 3, 4}), {k2p62}, {k2p62}); }); }, kInvalid, "Expected begin[0] in [0, 4], but got 4611686018427387904"},
  {"SliceWrongRank", [] { return Built([](Graph& g) { ops::Slice(g, Mat(g, 2, 2), {0}, {1}); }); }, kInvalid, "Expected begin and size arguments to be 1-D tensors of size 2"},
  {"SelectShapeMismatch", [] { return Built([](Graph& g) { ops::Select(g, ops::Const(g, Tensor(DataType::kBool, TensorShape{3})), F32(g, {1, 2}), F32(g, {1, 2})); }); }, kInvalid, "got [3] for 'then' of shape [2]"},
  {"SelectNonBoolCond", [] { return Built([](Graph& g) { ops::Select(g, F32(g, {1}), F32(g, {1}), F32(g, {1})); }); }, kInvalid, "Input 0 has type float but bool is required"},
  {"CastToInvalid", [] { return Built([](Graph& g) { ops::Cast(g, F32(g, {1}), DataType::kInvalid); }); }, kInvalid, "DstT has type invalid"},
  {"RandomNegativeDim", [] { return Built([](Graph& g) { ops::RandomUniform(g, {-1, 2}); }); }, kInvalid, "Random shape dimensions must be >= 0"},
  {"RandomIntDtype", [] { return Built([](Graph& g) { ops::RandomNormal(g, {2}, DataType::kInt32); }); }, kInvalid, "dtype has type int32, which is not one of [float, double]"},
  {"RandomHugeShape", [] { return Built([](Graph& g) { ops::RandomUniform(g, {k2p31, k2p31, k2p31}); }); }, kInvalid, "is too large"},
  {"AssignShapeMismatch", [] { return Built([](Graph& g) { Variable v(g, F32(g, {1, 2}), "v"); v.Assign(F32(g, {1, 2, 3})); }); }, kInvalid, "the variable has shape [2] but the value has shape [3]"},
  {"AssignAddDtypeMismatch", [] { return Built([](Graph& g) { Variable v(g, F32(g, {1, 2}), "v"); v.AssignAdd(I32(g, {1, 2})); }); }, kInvalid, "Input 1 has type int32 that does not match type float of input 0 for 'AssignAdd'"},
  {"LogicalOnFloatDiv", [] { return Built([](Graph& g) { ops::Div(g, ops::Const(g, Tensor(DataType::kBool, TensorShape{1})), ops::Const(g, Tensor(DataType::kBool, TensorShape{1}))); }); }, kInvalid, "Value for attr 'T' of bool is not in the list of allowed values"},

  // ---- Kernels at run time (shapes unknown when built)
  {"DivIntByZero", [] { return Fetch([](Graph& g) { return ops::Div(g, I32(g, {1, 2}), I32(g, {1, 0})); }); }, kInvalid, "Integer division by zero"},
  {"DivInt64ByZero", [] { return Fetch([](Graph& g) { return ops::Div(g, I64(g, {1}), I64(g, {0})); }); }, kInvalid, "Integer division by zero"},
  {"PowNegativeIntExponent", [] { return Fetch([](Graph& g) { return ops::Pow(g, I32(g, {2}), I32(g, {-1})); }); }, kInvalid, "Integers to negative integer powers are not allowed"},
  {"FedAddIncompatible", [] { return FedBinary([](Graph& g, Output x, Output y) { return ops::Add(g, x, y); }, Zeros({2}), Zeros({3})); }, kInvalid, "Incompatible shapes: [2] vs. [3]"},
  {"SparseXentLabelOutOfRange", [] { return FedBinary([](Graph& g, Output x, Output y) { return ops::SparseSoftmaxCrossEntropyWithLogits(g, x, y).loss; }, Zeros({3, 10}), Tensor::Vec<int32_t>({1, 10, 3})); }, kInvalid, "Received a label value of 10 which is outside the valid range of [0, 10).  Label values: 1 10 3"},
  {"SparseXentNegativeLabel", [] { return FedBinary([](Graph& g, Output x, Output y) { return ops::SparseSoftmaxCrossEntropyWithLogits(g, x, y).loss; }, Zeros({3, 10}), Tensor::Vec<int64_t>({1, -1, 3})); }, kInvalid, "Received a label value of -1"},
  {"SparseXentRowsDiffer", [] { return FedBinary([](Graph& g, Output x, Output y) { return ops::SparseSoftmaxCrossEntropyWithLogits(g, x, y).loss; }, Zeros({3, 10}), Tensor::Vec<int32_t>({1, 2})); }, kInvalid, "logits and labels must have the same first dimension, got logits shape [3,10] and labels shape [2]"},
  {"SparseXentNoClass", [] { return FedBinary([](Graph& g, Output x, Output y) { return ops::SparseSoftmaxCrossEntropyWithLogits(g, x, y).loss; }, Zeros({2, 0}), Tensor::Vec<int32_t>({0, 0})); }, kInvalid, "Must have at least one class, but got logits shape [2,0]"},
  {"SparseXentLogits1D", [] { return FedBinary([](Graph& g, Output x, Output y) { return ops::SparseSoftmaxCrossEntropyWithLogits(g, x, y).loss; }, Zeros({3}), Tensor::Vec<int32_t>({0, 0, 0})); }, kInvalid, "logits must be 2-D, but got shape [3]"},
  {"SparseXentStaticRows", [] { return Built([](Graph& g) { ops::SparseSoftmaxCrossEntropyWithLogits(g, Mat(g, 3, 4), I32(g, {1, 2})); }); }, kInvalid, "Dimensions must be equal, but are 3 and 2"},
  {"SparseXentFloatLabels", [] { return Built([](Graph& g) { ops::SparseSoftmaxCrossEntropyWithLogits(g, Mat(g, 1, 4), F32(g, {1})); }); }, kInvalid, "labels"},
  {"XentShapesDiffer", [] { return FedBinary([](Graph& g, Output x, Output y) { return ops::SoftmaxCrossEntropyWithLogits(g, x, y).loss; }, Zeros({2, 3}), Zeros({2, 4})); }, kInvalid, "logits and labels must be broadcastable: logits_size=[2,3] labels_size=[2,4]"},
  {"XentStaticShapesDiffer", [] { return Built([](Graph& g) { ops::SoftmaxCrossEntropyWithLogits(g, Mat(g, 3, 4), Mat(g, 3, 5)); }); }, kInvalid, "Dimension 1 in both shapes must be equal, but are 4 and 5"},
  {"ReluGradShapesDiffer", [] { return FedBinary([](Graph& g, Output x, Output y) { return ops::ReluGrad(g, x, y); }, Zeros({3}), Zeros({2})); }, kInvalid, "of type ReluGrad must have the same size and shape.  Input 0: [3] != input 1: [2]"},
  {"BiasAddGradRank1", [] { return FedBinary([](Graph& g, Output x, Output) { return ops::BiasAddGrad(g, x); }, Zeros({3}), Zeros({1})); }, kInvalid, "Input tensor must be at least 2D: [3]"},
  {"LogSoftmaxScalar", [] { return FedBinary([](Graph& g, Output x, Output) { return ops::LogSoftmax(g, x); }, Tensor::Scalar(1.0f), Zeros({1})); }, kInvalid, "logits must have >= 1 dimension, got []"},
  {"DropoutKeepProbAboveOne", [] { return Built([](Graph& g) { ops::Dropout(g, F32(g, {1, 2}), 1.5); }); }, kInvalid, "rate must be a scalar tensor or a float in the range [0, 1). Received: rate=-0.5"},
  {"DropoutKeepProbZero", [] { return Built([](Graph& g) { ops::Dropout(g, F32(g, {1, 2}), 0.0); }); }, kInvalid, "(keep_prob=0.000000)"},
  {"DropoutIntegerX", [] { return Built([](Graph& g) { ops::Dropout(g, I32(g, {1, 2}), 0.5); }); }, kInvalid, "x must be a floating point tensor as x will be scaled. Received: x_dtype=int32"},
  {"DropoutKeepProbVector", [] { return Built([](Graph& g) { ops::Dropout(g, F32(g, {1, 2}), F32(g, {0.5, 0.5})); }); }, kInvalid, "keep_prob must be a scalar, got shape [2]"},
  {"Conv2DDepthMismatch", [] { return Built([](Graph& g) { ops::Conv2D(g, ops::Const(g, Zeros({1, 4, 4, 3})), ops::Const(g, Zeros({3, 3, 2, 5})), {1, 1, 1, 1}, "SAME"); }); }, kInvalid, "input and filter must have the same depth: 3 vs 2"},
  {"Conv2DBadPadding", [] { return Built([](Graph& g) { ops::Conv2D(g, ops::Const(g, Zeros({1, 4, 4, 1})), ops::Const(g, Zeros({3, 3, 1, 1})), {1, 1, 1, 1}, "FULL"); }); }, kInvalid, "Value for attr 'padding' of \"FULL\" is not in the list of allowed values"},
  {"Conv2DBatchStride", [] { return Built([](Graph& g) { ops::Conv2D(g, ops::Const(g, Zeros({1, 4, 4, 1})), ops::Const(g, Zeros({3, 3, 1, 1})), {2, 1, 1, 1}, "SAME"); }); }, kInvalid, "does not yet support strides in the batch and depth dimensions"},
  {"Conv2DThreeStrides", [] { return Built([](Graph& g) { ops::Conv2D(g, ops::Const(g, Zeros({1, 4, 4, 1})), ops::Const(g, Zeros({3, 3, 1, 1})), {1, 1, 1}, "SAME"); }); }, kInvalid, "strides field must specify 4 dimensions"},
  {"Conv2DFilterLargerThanInput", [] { return FedBinary([](Graph& g, Output x, Output f) { return ops::Conv2D(g, x, f, {1, 1, 1, 1}, "VALID"); }, Zeros({1, 2, 2, 1}), Zeros({5, 5, 1, 1})); }, kInvalid, "Computed output size would be negative: -2 [input_size: 2, effective_filter_size: 5, stride: 1]"},
  {"Conv2DRank3Input", [] { return FedBinary([](Graph& g, Output x, Output f) { return ops::Conv2D(g, x, f, {1, 1, 1, 1}, "SAME"); }, Zeros({4, 4, 1}), Zeros({3, 3, 1, 1})); }, kInvalid, "input must be 4-dimensional"},
  {"Conv2DUnknownFormat", [] { GraphPtr g = Graph::Create(); return g->AddNode(NodeSpec{"Conv2D", "nwhc", {ops::Const(*g, Zeros({1, 1, 4, 4})), ops::Const(*g, Zeros({3, 3, 1, 1}))}, AttrMap{{"strides", std::vector<int64_t>{1, 1, 1, 1}}, {"padding", std::string("SAME")}, {"data_format", std::string("NWHC")}}, {}}).status(); }, kInvalid, "Value for attr 'data_format' of \"NWHC\" is not in the list of allowed values: \"NHWC\", \"NCHW\""},
  {"Conv2DNchwDepthStride", [] { return Built([](Graph& g) { ops::Conv2D(g, ops::Const(g, Zeros({1, 2, 4, 4})), ops::Const(g, Zeros({3, 3, 2, 1})), {1, 2, 1, 1}, "SAME", {1, 1, 1, 1}, ops::DataFormat::kNCHW); }); }, kInvalid, "does not yet support strides in the batch and depth dimensions"},
  {"Conv2DNchwDepthMismatch", [] { return Built([](Graph& g) { ops::Conv2D(g, ops::Const(g, Zeros({1, 4, 4, 2})), ops::Const(g, Zeros({3, 3, 2, 1})), {1, 1, 1, 1}, "SAME", {1, 1, 1, 1}, ops::DataFormat::kNCHW); }); }, kInvalid, "input and filter must have the same depth: 4 vs 2"},
  {"MaxPoolNchwDepthWindow", [] { return Built([](Graph& g) { ops::MaxPool(g, ops::Const(g, Zeros({1, 4, 4, 1})), {1, 2, 2, 1}, {1, 1, 2, 2}, "SAME", ops::DataFormat::kNCHW); }); }, kInvalid, "Pooling is not yet supported on the batch nor depth dimensions."},
  {"BiasAddNchwRank2", [] { return Built([](Graph& g) { ops::BiasAdd(g, Mat(g, 2, 3), F32(g, {1, 2, 3}), ops::DataFormat::kNCHW); }); }, kInvalid, "Shape must be at least rank 3 but is rank 2"},
  {"BiasAddNchwWrongBias", [] { return Built([](Graph& g) { ops::BiasAdd(g, ops::Const(g, Zeros({2, 4, 3})), F32(g, {1, 2, 3}), ops::DataFormat::kNCHW); }); }, kInvalid, "Dimensions must be equal, but are 4 and 3"},
  {"FedBiasAddNchwMismatch", [] { return FedBinary([](Graph& g, Output x, Output y) { return ops::BiasAdd(g, x, y, ops::DataFormat::kNCHW); }, Zeros({2, 4, 5}), Zeros({3})); }, kInvalid, "Must provide as many biases as the last dimension of the input tensor: [3] vs. [2,4,5]"},
  {"BiasAddGradNchwRank2", [] { return Built([](Graph& g) { ops::BiasAddGrad(g, Mat(g, 2, 3), ops::DataFormat::kNCHW); }); }, kInvalid, "Shape must be at least rank 3 but is rank 2"},
  {"BackpropInputWrongOutBackprop", [] { return FedBinary([](Graph& g, Output f, Output dy) { return ops::Conv2DBackpropInput(g, ops::Const(g, Tensor::Vec<int32_t>({1, 4, 4, 1})), f, dy, {1, 1, 1, 1}, "SAME"); }, Zeros({3, 3, 1, 1}), Zeros({1, 3, 3, 1})); }, kInvalid, "Conv2DBackpropInput: out_backprop has shape [1,3,3,1] but the window geometry gives [1,4,4,1]"},
  {"MaxPoolBatchWindow", [] { return Built([](Graph& g) { ops::MaxPool(g, ops::Const(g, Zeros({1, 4, 4, 1})), {2, 2, 2, 1}, {1, 2, 2, 1}, "SAME"); }); }, kInvalid, "Pooling is not yet supported on the batch nor depth dimensions."},
  {"AvgPoolGradBadShapeArg", [] { return Fetch([](Graph& g) { return ops::AvgPoolGrad(g, ops::Const(g, Tensor::Vec<int32_t>({1, 4, 4})), ops::Const(g, Zeros({1, 2, 2, 1})), {1, 2, 2, 1}, {1, 2, 2, 1}, "SAME"); }); }, kInvalid, "orig_input_shape must be a vector of 4 sizes, got shape [3]"},
  {"MaxPoolGradWrongGrad", [] { return FedBinary([](Graph& g, Output x, Output d) { return ops::MaxPoolGrad(g, x, ops::MaxPool(g, x, {1, 2, 2, 1}, {1, 2, 2, 1}, "SAME"), d, {1, 2, 2, 1}, {1, 2, 2, 1}, "SAME"); }, Zeros({1, 4, 4, 1}), Zeros({1, 3, 3, 1})); }, kInvalid, "MaxPoolGrad: grad has shape [1,3,3,1] but the window geometry gives [1,2,2,1]"},
  {"FedMatMulMismatch", [] { return FedBinary([](Graph& g, Output x, Output y) { return ops::MatMul(g, x, y); }, Zeros({2, 3}), Zeros({2, 3})); }, kInvalid, "Matrix size-incompatible"},
  {"FedMatMulRank3", [] { return FedBinary([](Graph& g, Output x, Output y) { return ops::MatMul(g, x, y); }, Zeros({2, 3, 1}), Zeros({3, 2})); }, kInvalid, "In[0] and In[1] must be matrices, got shapes [2,3,1] and [3,2]"},
  {"FedBiasAddMismatch", [] { return FedBinary([](Graph& g, Output x, Output y) { return ops::BiasAdd(g, x, y); }, Zeros({2, 3}), Zeros({2})); }, kInvalid, "Must provide as many biases as the last dimension of the input tensor: [2] vs. [2,3]"},
  {"FedReshapeWrongCount", [] { return FedBinary([](Graph& g, Output x, Output s) { return ops::Reshape(g, x, s); }, Zeros({4}), Tensor::Vec<int32_t>({3})); }, kInvalid, "Input to reshape is a tensor with 4 values, but the requested shape has 3"},
  {"FedReshapeOverflow", [] { return FedBinary([](Graph& g, Output x, Output s) { return ops::Reshape(g, x, s); }, Zeros({4}), Tensor::Vec<int64_t>({k2p40, k2p40, 4})); }, kInvalid, "The requested shape [1099511627776,1099511627776,4] has more than 2**63 - 1 elements"},
  {"FedReshapeMatrixShape", [] { return FedBinary([](Graph& g, Output x, Output s) { return ops::Reshape(g, x, s); }, Zeros({4}), *Tensor::FromVector<int32_t>({2, 2}, TensorShape{1, 2})); }, kInvalid, "shape must be a vector"},
  {"FedFillOverflowingBytes", [] { return FedBinary([](Graph& g, Output d, Output v) { return ops::Fill(g, d, v); }, Tensor::Vec<int64_t>({k2p31, k2p31}), Tensor::Scalar<float>(1)); }, kInvalid, "Cannot allocate a tensor of shape [2147483648,2147483648] and type float"},
  {"FedFillHugeElements", [] { return FedBinary([](Graph& g, Output d, Output v) { return ops::Fill(g, d, v); }, Tensor::Vec<int64_t>({k2p62, 4}), Tensor::Scalar<float>(1)); }, kInvalid, "would have more than 2**63 - 1 elements"},
  {"FedFillNegative", [] { return FedBinary([](Graph& g, Output d, Output v) { return ops::Fill(g, d, v); }, Tensor::Vec<int32_t>({-1}), Tensor::Scalar<float>(1)); }, kInvalid, "must be >= 0, got -1"},
  {"FedSliceOverflow", [] { GraphPtr g = Graph::Create(); Output x = Unknown(*g); Output y = ops::Slice(*g, x, {2}, {INT64_MAX}); return Session::Create(g).value()->Run({{x, Zeros({4})}}, {y}).status(); }, kInvalid, "size[0] in [0, 2], but got 2 and 9223372036854775807"},
  {"FedSliceHugeBegin", [] { GraphPtr g = Graph::Create(); Output x = Unknown(*g); Output y = ops::Slice(*g, x, {k2p62}, {k2p62}); return Session::Create(g).value()->Run({{x, Zeros({4})}}, {y}).status(); }, kInvalid, "Expected begin[0] in [0, 4] and size[0] in [0, 0], but got 4611686018427387904"},
  {"FedTransposeBadPerm", [] { GraphPtr g = Graph::Create(); Output x = Unknown(*g); Output y = ops::Transpose(*g, x, {0, 0}); return Session::Create(g).value()->Run({{x, Zeros({2, 3})}}, {y}).status(); }, kInvalid, "Invalid permutation [0,0] for a tensor of rank 2"},
  {"FedSumAxisOutOfRange", [] { return FedBinary([](Graph& g, Output x, Output a) { return ops::SumAlong(g, x, a); }, Zeros({2}), Tensor::Vec<int32_t>({4})); }, kInvalid, "Invalid reduction dimension (4 for input with 1 dimension(s)"},
  {"FedSumDuplicateAxes", [] { return FedBinary([](Graph& g, Output x, Output a) { return ops::SumAlong(g, x, a); }, Zeros({2, 2}), Tensor::Vec<int32_t>({0, -2})); }, kInvalid, "Invalid reduction arguments: Axes contains duplicate dimension: 0"},
  {"FedSelectMismatch", [] { GraphPtr g = Graph::Create(); Output c = ops::Placeholder(*g, DataType::kBool); Output y = ops::Select(*g, c, F32(*g, {1, 2}), F32(*g, {3, 4})); return Session::Create(g).value()->Run({{c, Tensor(DataType::kBool, TensorShape{3})}}, {y}).status(); }, kInvalid, "but received: [3] vs. [2]"},
  {"FedArgMaxEmptyAxis", [] { GraphPtr g = Graph::Create(); Output x = Unknown(*g); Output y = ops::ArgMax(*g, x, 0); return Session::Create(g).value()->Run({{x, Zeros({0, 2})}}, {y}).status(); }, kInvalid, "Reduction axis 0 is empty in shape [0,2]"},

  // ---- Feeds, fetches, targets
  {"NoFetchesNoTargets", [] { GraphPtr g = Graph::Create(); ops::Const(*g, 1.0f); return Session::Create(g).value()->Run({}, {}).status(); }, kInvalid, "Must specify at least one target to fetch or execute."},
  {"FetchInvalidOutput", [] { GraphPtr g = Graph::Create(); return Session::Create(g).value()->Run({}, {Output()}).status(); }, kInvalid, "Fetch 0 is an invalid Output"},
  {"FetchOtherGraph", [] { GraphPtr g = Graph::Create(), h = Graph::Create(); Output x = ops::Const(*h, 1.0f, "x"); return Session::Create(g).value()->Run({}, {x}).status(); }, kInvalid, "Fetch x:0 belongs to a different Graph"},
  {"FetchBadIndex", [] { GraphPtr g = Graph::Create(); Output x = ops::Const(*g, 1.0f, "x"); return Session::Create(g).value()->Run({}, {Output(x.node(), 3)}).status(); }, Code::kNotFound, "Tensor x:3 not found"},
  {"TargetInvalid", [] { GraphPtr g = Graph::Create(); return Session::Create(g).value()->Run({}, {}, {Operation()}).status(); }, kInvalid, "Target 0 is an invalid Operation"},
  {"TargetOtherGraph", [] { GraphPtr g = Graph::Create(), h = Graph::Create(); Operation t = ops::NoOp(*h, "t"); return Session::Create(g).value()->Run({}, {}, {t}).status(); }, kInvalid, "Target t belongs to a different Graph"},
  {"FeedInvalidTensor", [] { return FeedPlaceholder(DataType::kFloat, PartialShape{2}, Tensor()); }, kInvalid, "is an invalid (empty) Tensor"},
  {"FeedTensorFromBadShape", [] { return FeedPlaceholder(DataType::kFloat, PartialShape(), Tensor(DataType::kFloat, TensorShape{-1})); }, kInvalid, "is an invalid (empty) Tensor"},
  {"FeedWrongDtype", [] { return FeedPlaceholder(DataType::kFloat, PartialShape{2}, Tensor::Vec<int32_t>({1, 2})); }, kInvalid, "Cannot feed value of type int32 for Tensor p:0, which has type float"},
  {"FeedWrongShape", [] { return FeedPlaceholder(DataType::kFloat, PartialShape{2}, Tensor::Vec<float>({1, 2, 3})); }, kInvalid, "Cannot feed value of shape [3] for Tensor p:0, which has shape [2]"},
  {"FeedWrongRank", [] { return FeedPlaceholder(DataType::kFloat, PartialShape{-1, 2}, Tensor::Vec<float>({1, 2})); }, kInvalid, "which has shape [?,2]"},
  {"FeedTwice", [] { GraphPtr g = Graph::Create(); Output p = ops::Placeholder(*g, DataType::kFloat, PartialShape(), "p"); return Session::Create(g).value()->Run({{p, Tensor::Scalar(1.0f)}, {p, Tensor::Scalar(2.0f)}}, {p}).status(); }, kInvalid, "Endpoint \"p:0\" fed more than once."},
  {"FeedOtherGraph", [] { GraphPtr g = Graph::Create(), h = Graph::Create(); Output c = ops::Const(*g, 1.0f); Output p = ops::Placeholder(*h, DataType::kFloat, PartialShape(), "p"); return Session::Create(g).value()->Run({{p, Tensor::Scalar(1.0f)}}, {c}).status(); }, kInvalid, "Feed p:0 belongs to a different Graph"},
  {"FeedInvalidKey", [] { GraphPtr g = Graph::Create(); Output c = ops::Const(*g, 1.0f); return Session::Create(g).value()->Run({{Output(), Tensor::Scalar(1.0f)}}, {c}).status(); }, kInvalid, "Feed 0 names an invalid Output"},
  {"PlaceholderNotFed", [] { return Fetch([](Graph& g) { return ops::Identity(g, ops::Placeholder(g, DataType::kFloat, PartialShape(), "p")); }); }, kInvalid, "You must feed a value for placeholder tensor 'p'"},
  {"VariableUninitialized", [] { return Fetch([](Graph& g) { Variable v(g, ops::Const(g, 1.0f), "v"); return v.value(); }); }, Code::kFailedPrecondition, "Attempting to use uninitialized value v"},
  {"VariableAssignAddUninitialized", [] { return Fetch([](Graph& g) { Variable v(g, ops::Const(g, 1.0f), "v"); return v.AssignAdd(ops::Const(g, 1.0f)); }); }, Code::kFailedPrecondition, "uninitialized value v"},
  {"EvalWithoutDefaultSession", [] { GraphPtr g = Graph::Create(); return ops::Const(*g, 1.0f).Eval().status(); }, Code::kFailedPrecondition, "No default session is registered"},
  {"OperationRunWithoutDefault", [] { GraphPtr g = Graph::Create(); return ops::NoOp(*g).Run(); }, Code::kFailedPrecondition, "Cannot execute operation using `Run()`: No default session"},
  {"RunNullOutputs", [] { GraphPtr g = Graph::Create(); ops::Const(*g, 1.0f, "c"); return Session::Create(g).value()->Run({}, {"c"}, {}, nullptr); }, kInvalid, "outputs must not be null"},

  // ---- Lifecycle
  {"RunAfterClose", [] { GraphPtr g = Graph::Create(); Output c = ops::Const(*g, 1.0f); auto s = Session::Create(g).value(); s->Close().IgnoreError(); return s->Run({}, {c}).status(); }, Code::kCancelled, "Session has been closed."},
  {"RunByNameAfterClose", [] { GraphPtr g = Graph::Create(); ops::Const(*g, 1.0f, "c"); auto s = Session::Create(g).value(); s->Close().IgnoreError(); std::vector<Tensor> out; return s->Run({}, {"c"}, {}, &out); }, Code::kCancelled, "Session has been closed."},
  {"CloseFromLogSink", [] { GraphPtr g = Graph::Create(); Output c = ops::Const(*g, 1.0f); Session* self = nullptr; Status seen; SessionOptions o; o.log_device_placement = true; o.log_sink = [&](std::string_view) { if (self && seen.ok()) seen = self->Close(); }; auto s = Session::Create(g, o).value(); self = s.get(); Status r = s->Run({}, {c}).status(); return r.ok() ? seen : r; }, Code::kFailedPrecondition, "Session::Close was called from inside the session's log_sink"},
  {"RunFromLogSink", [] { GraphPtr g = Graph::Create(); Output c = ops::Const(*g, 1.0f); Session* self = nullptr; Status seen; SessionOptions o; o.log_device_placement = true; o.log_sink = [&](std::string_view) { if (self && seen.ok()) seen = self->Run({}, {c}).status(); }; auto s = Session::Create(g, o).value(); self = s.get(); Status r = s->Run({}, {c}).status(); return r.ok() ? seen : r; }, Code::kFailedPrecondition, "Session::Run was called from inside the same session's log_sink"},
  {"DeadlineLastNode", [] { GraphPtr g = Graph::Create(); Output x = Unknown(*g); Output mm = ops::MatMul(*g, x, x); RunOptions ro; ro.timeout_in_ms = 1; std::vector<Tensor> out; return Session::Create(g).value()->Run(ro, {{x, Zeros({1024, 1024})}}, {mm}, {}, nullptr).status(); }, Code::kDeadlineExceeded, "exceeded its deadline of 1 ms"},
};
// clang-format on

class BadInputTest : public ::testing::TestWithParam<BadInput> {};

TEST_P(BadInputTest, FailsWithACodeAndAMessage) {
  const BadInput& c = GetParam();
  Status s = c.run();
  // TESSERA_PRINT_BAD_INPUT=1 lists every message, for reading them side by side.
  if (std::getenv("TESSERA_PRINT_BAD_INPUT") != nullptr) std::printf("%s: %s\n", c.name, s.ToString().c_str());
  EXPECT_EQ(s.code(), c.code) << s;
  EXPECT_NE(s.message().find(c.fragment), std::string::npos) << "expected \"" << c.fragment << "\" in: " << s;
}

INSTANTIATE_TEST_SUITE_P(Table, BadInputTest, ::testing::ValuesIn(kCases),
                         [](const ::testing::TestParamInfo<BadInput>& info) { return std::string(info.param.name); });

TEST(BadInputTableTest, HasAtLeast120Cases) { EXPECT_GE(std::size(kCases), 120u); }

}  // namespace
}  // namespace tessera
