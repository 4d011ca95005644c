#include "tools/conformance.h"

#include <unistd.h>

#include <cmath>
#include <cstdint>
#include <filesystem>

#include "src/framework/dtype_switch.h"
#include "src/framework/kernel_registry.h"
#include "tools/conformance_cases.h"

namespace tessera::conformance {
namespace {

using cases::Data;
using cases::Positive;

Output Unary(Output (*op)(Graph&, Output, ops::Name), Graph& g, const std::vector<Output>& in) {
  return op(g, in[0], {});
}

void AddBinary(std::vector<OpCase>& cases, const char* name, Output (*op)(Graph&, Output, Output, ops::Name),
               bool positive_rhs = false) {
  const TensorShape m{3, 4}, row{4};
  cases.push_back({std::string(name) + "/f32/broadcast",
                   {Data<float>(m), positive_rhs ? Positive<float>(row) : Data<float>(row, 2.0)},
                   [op](Graph& g, const std::vector<Output>& in) { return op(g, in[0], in[1], {}); },
                   1e-5});
  cases.push_back({std::string(name) + "/f64",
                   {Data<double>(m), positive_rhs ? Positive<double>(m) : Data<double>(m, 3.0)},
                   [op](Graph& g, const std::vector<Output>& in) { return op(g, in[0], in[1], {}); },
                   1e-12});
  cases.push_back({std::string(name) + "/i64",
                   {Data<int64_t>(m, 50.0), positive_rhs ? Data<int64_t>(row, 2.0, 3.0) : Data<int64_t>(row, 50.0)},
                   [op](Graph& g, const std::vector<Output>& in) { return op(g, in[0], in[1], {}); },
                   0});
}

// Variables, their assignments, and the kernels that never compute.
void AddStateAndPlumbing(std::vector<OpCase>& c) {
  c.push_back({"Assign/f32",
               {Data<float>({3, 2})},
               [](Graph& g, const std::vector<Output>& in) {
                 Variable v(g, in[0], "v");
                 return ops::Assign(g, v.ref(), ops::Neg(g, in[0]));
               },
               0});
  for (bool add : {true, false}) {
    c.push_back({std::string(add ? "AssignAdd" : "AssignSub") + "/f32",
                 {Data<float>({3, 2}), Data<float>({3, 2}, 2.0)},
                 [add](Graph& g, const std::vector<Output>& in) {
                   Variable v(g, in[0], "v");
                   auto after_init = g.ControlDependencies({v.initializer()});
                   return add ? ops::AssignAdd(g, v.ref(), in[1]) : ops::AssignSub(g, v.ref(), in[1]);
                 },
                 1e-6});
  }
  for (bool initialized : {false, true}) {
    c.push_back({std::string("IsVariableInitialized/f32/") + (initialized ? "after_init" : "before_init"),
                 {Data<float>({3, 2})},
                 [initialized](Graph& g, const std::vector<Output>& in) {
                   Variable v(g, in[0], "v");
                   auto deps = g.ControlDependencies(initialized ? std::vector<Operation>{v.initializer()}
                                                                 : std::vector<Operation>{});
                   return v.IsInitialized();
                 },
                 0});
    c.push_back({std::string("InitializedValue/f32/") + (initialized ? "after_init" : "before_init"),
                 {Data<float>({3, 2}), Data<float>({3, 2}, 2.0)},
                 [initialized](Graph& g, const std::vector<Output>& in) {
                   Variable v(g, in[0], "v");
                   Output assign = v.Assign(in[1]);
                   auto deps = g.ControlDependencies(initialized ? std::vector<Operation>{Operation(assign)}
                                                                 : std::vector<Operation>{});
                   return v.InitializedValue();
                 },
                 0});
  }
  c.push_back({"Shape/f32",
               {Data<float>({2, 3, 4})},
               [](Graph& g, const std::vector<Output>& in) { return ops::Shape(g, in[0]); },
               0});
  c.push_back({"Size/f32",
               {Data<float>({2, 3, 4})},
               [](Graph& g, const std::vector<Output>& in) { return ops::Size(g, in[0], DataType::kInt64); },
               0});
  c.push_back({"Rank/f32",
               {Data<float>({2, 3, 4})},
               [](Graph& g, const std::vector<Output>& in) { return ops::Rank(g, in[0]); },
               0});
  c.push_back({"StopGradient/f32",
               {Data<float>({4})},
               [](Graph& g, const std::vector<Output>& in) { return ops::StopGradient(g, in[0]); },
               0});
  c.push_back({"NoOp",
               {Data<float>({4})},
               [](Graph& g, const std::vector<Output>& in) {
                 auto after = g.ControlDependencies({ops::NoOp(g)});
                 return ops::Identity(g, in[0]);
               },
               0});
  OpCase unfed{"Placeholder/f32/unfed",
               {},
               [](Graph& g, const std::vector<Output>&) {
                 return ops::Identity(g, ops::Placeholder(g, DataType::kFloat, PartialShape{2}, "p"));
               },
               0};
  unfed.expected_error = "You must feed a value for placeholder tensor 'p' with dtype float and shape [2]";
  c.push_back(unfed);
}

// The layout ops of issue 10: Tile, Pad, Split, StridedSlice, GatherV2, OneHot, Range, Cumsum, SelectV2.
void AddLayout(std::vector<OpCase>& c) {
  using Ins = const std::vector<Output>&;
  c.push_back({"Tile/f32",
               {Data<float>({2, 3, 1})},
               [](Graph& g, Ins in) {
                 return ops::Tile(g, in[0], {2, 1, 3});
               },
               0});
  c.push_back({"Pad/i64",
               {Data<int64_t>({3, 4}, 50.0)},
               [](Graph& g, Ins in) {
                 return ops::Pad(g, in[0], {{1, 2}, {0, 3}});
               },
               0});
  c.push_back({"PadV2/f64",
               {Data<double>({2, 2, 3})},
               [](Graph& g, Ins in) {
                 return ops::Pad(g, in[0], {{0, 1}, {2, 0}, {1, 1}}, Tensor::Scalar(-1.5));
               },
               0});
  c.push_back({"Split/f32/axis1",
               {Data<float>({3, 6})},
               [](Graph& g, Ins in) {
                 std::vector<Output> parts = ops::Split(g, in[0], 3, 1);
                 return parts.size() == 3 ? parts[1] : Output();
               },
               0});
  c.push_back({"SplitV/bool/axis0",
               {Data<float>({5, 2})},
               [](Graph& g, Ins in) {
                 std::vector<Output> parts = ops::SplitV(g, ops::Greater(g, in[0], ops::ZerosLike(g, in[0])), {2, -1});
                 return parts.size() == 2 ? parts[1] : Output();
               },
               0});
  c.push_back({"StridedSlice/f32",
               {Data<float>({4, 5, 6})},
               [](Graph& g, Ins in) {
                 using S = ops::SliceIndex;
                 return ops::Index(g, in[0], {S::Range(3, 0, -2), S::NewAxis(), 1, S::Range(1, {}, 2)});
               },
               0});
  c.push_back({"GatherV2/f32/axis1",
               {Data<float>({3, 4, 2}), Tensor::Vec<int64_t>({3, 0, 3, 1})},
               [](Graph& g, Ins in) { return ops::Gather(g, in[0], in[1], 1); },
               0});
  c.push_back({"StridedSliceGrad/f32",
               {Data<float>({2, 2})},
               [](Graph& g, Ins in) {
                 auto v = [&g](std::initializer_list<int32_t> l) { return ops::Const(g, Tensor::Vec<int32_t>(l)); };
                 return ops::StridedSliceGrad(g, v({5, 4, 3}), v({4, 0, 1}), v({0, 4, 3}), v({-2, 1, 1}), in[0],
                                              ops::StridedSliceMasks{0, 0, 0, 0, 2});
               },
               0});
  // A GPU adds by atomics, in any order: float sums agree to rounding.
  c.push_back({"UnsortedSegmentSum/f32",
               {Data<float>({6, 5}), Tensor::Vec<int64_t>({2, 0, -1, 2, 3, 2})},
               [](Graph& g, Ins in) { return ops::UnsortedSegmentSum(g, in[0], in[1], 5); },
               1e-6});
  c.push_back({"UnsortedSegmentSum/i64",
               {Data<int64_t>({2, 3, 4}, 50.0), Tensor::FromVector<int64_t>({1, 1, 0, -4, 1, 0}, {2, 3}).value()},
               [](Graph& g, Ins in) { return ops::UnsortedSegmentSum(g, in[0], in[1], 2); },
               0});
  c.push_back({"OneHot/f32",
               {Tensor::Vec<int64_t>({0, 2, 5, 1})},
               [](Graph& g, Ins in) { return ops::OneHot(g, in[0], 3, Tensor::Scalar(2.5f), Tensor::Scalar(-1.0f)); },
               0});
  c.push_back({"Range/i32", {}, [](Graph& g, Ins) { return ops::Range(g, 2, 20, 3); }, 0});
  c.push_back({"Cumsum/f64/exclusive",
               {Data<double>({3, 5, 2})},
               [](Graph& g, Ins in) { return ops::Cumsum(g, in[0], 1, true, false); },
               1e-12});
  c.push_back({"Cumsum/i64/reverse",
               {Data<int64_t>({4, 3}, 50.0)},
               [](Graph& g, Ins in) { return ops::Cumsum(g, in[0], 0, false, true); },
               0});
  c.push_back({"Cumprod/f32/reverse",
               {Data<float>({3, 5, 2})},
               [](Graph& g, Ins in) { return ops::Cumprod(g, in[0], 1, false, true); },
               1e-6});
  c.push_back({"Cumprod/i32/exclusive",
               {Data<int32_t>({4, 3}, 7.0)},
               [](Graph& g, Ins in) { return ops::Cumprod(g, in[0], 0, true, false); },
               0});
  c.push_back({"Where/f32",
               {Data<float>({3, 4})},
               [](Graph& g, Ins in) { return ops::Where(g, ops::Greater(g, in[0], ops::ZerosLike(g, in[0]))); },
               0});
  c.push_back(
      {"SelectV2/f32/broadcast",
       {Data<float>({3, 1}), Data<float>({4}, 2.0), Data<float>({3, 4})},
       [](Graph& g, Ins in) { return ops::Where(g, ops::Greater(g, in[0], ops::ZerosLike(g, in[0])), in[1], in[2]); },
       0});
}

// The bool ops, on bools made by comparing data with 0.
void AddLogical(std::vector<OpCase>& c) {
  auto positive = [](Graph& g, Output x) { return ops::Greater(g, x, ops::ZerosLike(g, x)); };
  c.push_back({"LogicalAnd/broadcast",
               {Data<float>({3, 4}), Data<float>({4}, 1.0, 0.3)},
               [positive](Graph& g, const std::vector<Output>& in) {
                 return ops::LogicalAnd(g, positive(g, in[0]), positive(g, in[1]));
               },
               0});
  c.push_back({"LogicalOr",
               {Data<float>({3, 4}), Data<float>({3, 4}, 1.0, -0.3)},
               [positive](Graph& g, const std::vector<Output>& in) {
                 return ops::LogicalOr(g, positive(g, in[0]), positive(g, in[1]));
               },
               0});
  c.push_back({"LogicalNot",
               {Data<float>({7})},
               [positive](Graph& g, const std::vector<Output>& in) { return ops::LogicalNot(g, positive(g, in[0])); },
               0});
  c.push_back({"All/axis1",
               {Data<float>({5, 3}, 1.0, 0.6)},
               [positive](Graph& g, const std::vector<Output>& in) { return ops::All(g, positive(g, in[0]), {1}); },
               0});
  c.push_back(
      {"Any/axis0/keep",
       {Data<float>({3, 5}, 1.0, -0.6)},
       [positive](Graph& g, const std::vector<Output>& in) { return ops::Any(g, positive(g, in[0]), {0}, true); },
       0});
}

}  // namespace

std::vector<OpCase> AllCases() {
  std::vector<OpCase> c;
  AddBinary(c, "AddV2", ops::Add);
  // The op type "Add" (ops::Add builds AddV2, as TF 2.x does): graphs that name it still run.
  c.push_back({"Add/f32/broadcast",
               {Data<float>({3, 4}), Data<float>({4}, 2.0)},
               [](Graph& g, const std::vector<Output>& in) {
                 Operation o = g.AddNodeOrRecord(NodeSpec{"Add", "add", {in[0], in[1]}, {}, {}});
                 return o.valid() ? o.output(0) : Output();
               },
               1e-5});
  AddBinary(c, "Sub", ops::Sub);
  AddBinary(c, "Mul", ops::Mul);
  AddBinary(c, "Div", ops::Div, /*positive_rhs=*/true);
  c.push_back({"RealDiv/f32/broadcast",
               {Data<float>({3, 4}), Positive<float>({4})},
               [](Graph& g, const std::vector<Output>& in) { return ops::RealDiv(g, in[0], in[1]); },
               1e-6});
  AddBinary(c, "Maximum", ops::Maximum);
  AddBinary(c, "Minimum", ops::Minimum);
  AddBinary(c, "Equal", ops::Equal);
  AddBinary(c, "Less", ops::Less);
  AddBinary(c, "Greater", ops::Greater);
  AddBinary(c, "NotEqual", ops::NotEqual);
  AddBinary(c, "GreaterEqual", ops::GreaterEqual);
  AddBinary(c, "LessEqual", ops::LessEqual);
  AddBinary(c, "FloorDiv", ops::FloorDiv, /*positive_rhs=*/true);
  AddBinary(c, "FloorMod", ops::FloorMod, /*positive_rhs=*/true);
  AddLogical(c);
  c.push_back({"Pow/f32",
               {Positive<float>({3, 4}), Data<float>({4})},
               [](Graph& g, const std::vector<Output>& in) { return ops::Pow(g, in[0], in[1]); },
               1e-5});
  const TensorShape s{5, 7};
  for (auto [name, op] :
       std::initializer_list<std::pair<const char*, Output (*)(Graph&, Output, ops::Name)>>{{"Neg", ops::Neg},
                                                                                            {"Square", ops::Square},
                                                                                            {"Abs", ops::Abs},
                                                                                            {"Relu", ops::Relu},
                                                                                            {"Tanh", ops::Tanh},
                                                                                            {"Sigmoid", ops::Sigmoid},
                                                                                            {"Exp", ops::Exp}}) {
    c.push_back({std::string(name) + "/f32",
                 {Data<float>(s, 3.0)},
                 [fn = op](Graph& g, const std::vector<Output>& in) { return Unary(fn, g, in); },
                 1e-5});
  }
  c.push_back({"Sqrt/f32",
               {Positive<float>(s)},
               [](Graph& g, const std::vector<Output>& in) { return ops::Sqrt(g, in[0]); },
               1e-5});
  c.push_back({"Log/f64",
               {Positive<double>(s)},
               [](Graph& g, const std::vector<Output>& in) { return ops::Log(g, in[0]); },
               1e-12});
  c.push_back({"Neg/i64",
               {Data<int64_t>(s, 100.0)},
               [](Graph& g, const std::vector<Output>& in) { return ops::Neg(g, in[0]); },
               0});
  c.push_back({"Cast/f32->i64",
               {Data<float>(s, 10.0)},
               [](Graph& g, const std::vector<Output>& in) { return ops::Cast(g, in[0], DataType::kInt64); },
               0});
  c.push_back({"Cast/f32->bool",
               {Data<float>(s, 1.0)},
               [](Graph& g, const std::vector<Output>& in) { return ops::Cast(g, in[0], DataType::kBool); },
               0});
  c.push_back({"Cast/i32->f32",
               {Data<int32_t>(s, 100.0)},
               [](Graph& g, const std::vector<Output>& in) { return ops::Cast(g, in[0], DataType::kFloat); },
               0});
  c.push_back({"Select/f32",
               {Data<float>({6}), Data<float>({6}, 5.0), Data<float>({6}, 9.0)},
               [](Graph& g, const std::vector<Output>& in) {
                 return ops::Select(g, ops::Greater(g, in[0], ops::Const(g, 0.0f)), in[1], in[2]);
               },
               0});
  c.push_back({"MatMul/f32",
               {Data<float>({33, 17}), Data<float>({17, 9})},
               [](Graph& g, const std::vector<Output>& in) { return ops::MatMul(g, in[0], in[1]); },
               1e-4});
  c.push_back({"MatMul/f32/transposed",
               {Data<float>({17, 33}), Data<float>({9, 17})},
               [](Graph& g, const std::vector<Output>& in) { return ops::MatMul(g, in[0], in[1], true, true); },
               1e-4});
  c.push_back({"MatMul/f64/transpose_b",
               {Data<double>({8, 5}), Data<double>({6, 5})},
               [](Graph& g, const std::vector<Output>& in) { return ops::MatMul(g, in[0], in[1], false, true); },
               1e-10});
  c.push_back({"MatMul/i32",
               {Data<int32_t>({4, 3}, 10.0), Data<int32_t>({3, 2}, 10.0)},
               [](Graph& g, const std::vector<Output>& in) { return ops::MatMul(g, in[0], in[1]); },
               0});
  c.push_back({"BiasAdd/f32",
               {Data<float>({4, 6}), Data<float>({6})},
               [](Graph& g, const std::vector<Output>& in) { return ops::BiasAdd(g, in[0], in[1]); },
               1e-6});
  c.push_back({"Softmax/f32",
               {Data<float>({5, 10}, 4.0)},
               [](Graph& g, const std::vector<Output>& in) { return ops::Softmax(g, in[0]); },
               1e-6});
  c.push_back({"Sum/f32/axis1",
               {Data<float>({4, 5, 6})},
               [](Graph& g, const std::vector<Output>& in) { return ops::Sum(g, in[0], {1}); },
               1e-5});
  c.push_back({"Mean/f64/axes02/keep",
               {Data<double>({4, 5, 6})},
               [](Graph& g, const std::vector<Output>& in) {
                 return ops::Mean(g, in[0], {0, 2}, true);
               },
               1e-12});
  c.push_back({"Max/f32/all",
               {Data<float>({7, 3})},
               [](Graph& g, const std::vector<Output>& in) { return ops::Max(g, in[0]); },
               0});
  c.push_back({"Min/i64/axis0",
               {Data<int64_t>({7, 3}, 100.0)},
               [](Graph& g, const std::vector<Output>& in) { return ops::Min(g, in[0], {0}); },
               0});
  c.push_back({"Prod/f32/axis1",
               {Data<float>({4, 5, 6}, 1.5)},
               [](Graph& g, const std::vector<Output>& in) { return ops::Prod(g, in[0], {1}); },
               1e-5});
  c.push_back({"Prod/i64/all",
               {Data<int64_t>({3, 4}, 4.0)},
               [](Graph& g, const std::vector<Output>& in) { return ops::Prod(g, in[0]); },
               0});
  c.push_back({"ArgMin/f64",
               {Data<double>({6, 9})},
               [](Graph& g, const std::vector<Output>& in) { return ops::ArgMin(g, in[0], 0); },
               0});
  c.push_back({"ArgMax/f32",
               {Data<float>({6, 9})},
               [](Graph& g, const std::vector<Output>& in) { return ops::ArgMax(g, in[0], 1); },
               0});
  c.push_back({"BroadcastGradientArgs/i32",
               {},
               [](Graph& g, const std::vector<Output>&) {
                 return ops::BroadcastGradientArgs(g, ops::Const(g, Tensor::Vec<int32_t>({2, 1, 4})),
                                                   ops::Const(g, Tensor::Vec<int32_t>({3, 1})))[1];
               },
               0});
  c.push_back({"AddN/f32/3",
               {Data<float>({3, 4}), Data<float>({3, 4}, 2.0), Data<float>({3, 4}, 5.0)},
               [](Graph& g, const std::vector<Output>& in) { return ops::AddN(g, in); },
               1e-6});
  c.push_back({"Stack/f32/axis1",
               {Data<float>({3, 4}), Data<float>({3, 4}, 2.0)},
               [](Graph& g, const std::vector<Output>& in) { return ops::Stack(g, in, 1); },
               0});
  c.push_back({"Unstack/i64/axis1",
               {Data<int64_t>({3, 4, 2}, 50.0)},
               [](Graph& g, const std::vector<Output>& in) {
                 std::vector<Output> parts = ops::Unstack(g, in[0], 1);
                 return parts.size() == 4 ? parts[2] : Output();
               },
               0});
  c.push_back(
      {"ExpandDims+Squeeze/f32",
       {Data<float>({3, 1, 4})},
       [](Graph& g, const std::vector<Output>& in) { return ops::Squeeze(g, ops::ExpandDims(g, in[0], -1), {1}); },
       0});
  c.push_back({"Reshape/f32",
               {Data<float>({4, 6})},
               [](Graph& g, const std::vector<Output>& in) {
                 return ops::Reshape(g, in[0], {3, -1});
               },
               0});
  c.push_back({"Transpose/f32/3d",
               {Data<float>({2, 3, 4})},
               [](Graph& g, const std::vector<Output>& in) {
                 return ops::Transpose(g, in[0], {2, 0, 1});
               },
               0});
  c.push_back({"Transpose/bool",
               {Data<float>({3, 5})},
               [](Graph& g, const std::vector<Output>& in) {
                 return ops::Transpose(g, ops::Greater(g, in[0], ops::Const(g, 0.0f)));
               },
               0});
  c.push_back({"Concat/f32/axis1",
               {Data<float>({3, 2}), Data<float>({3, 4})},
               [](Graph& g, const std::vector<Output>& in) {
                 return ops::Concat(g, {in[0], in[1]}, 1);
               },
               0});
  c.push_back({"Concat/f64/axis0",
               {Data<double>({2, 3}), Data<double>({1, 3})},
               [](Graph& g, const std::vector<Output>& in) {
                 return ops::Concat(g, {in[0], in[1]}, 0);
               },
               0});
  c.push_back({"Slice/f32",
               {Data<float>({5, 6, 7})},
               [](Graph& g, const std::vector<Output>& in) {
                 return ops::Slice(g, in[0], {1, 0, 2}, {3, -1, 4});
               },
               0});
  c.push_back({"Fill/f32",
               {},
               [](Graph& g, const std::vector<Output>&) {
                 return ops::Fill(g, {3, 4}, Tensor::Scalar<float>(2.5f));
               },
               0});
  c.push_back({"ZerosLike/f64",
               {Data<double>({3, 3})},
               [](Graph& g, const std::vector<Output>& in) { return ops::ZerosLike(g, in[0]); },
               0});
  c.push_back({"OnesLike/i64",
               {Data<int64_t>({4}, 9.0)},
               [](Graph& g, const std::vector<Output>& in) { return ops::OnesLike(g, in[0]); },
               0});
  for (const auto& entry : std::initializer_list<std::pair<const char*, Output (*)(Graph&, Output, ops::Name)>>{
           {"Floor", ops::Floor},
           {"Ceil", ops::Ceil},
           {"Round", ops::Round},
           {"Rsqrt", ops::Rsqrt},
           {"Reciprocal", ops::Reciprocal},
           {"Log1p", ops::Log1p},
           {"Sign", ops::Sign}}) {
    const char* name = entry.first;
    Output (*fn)(Graph&, Output, ops::Name) = entry.second;  // not a structured binding: clang 14 cannot capture one
    for (bool f64 : {false, true}) {
      c.push_back({std::string(name) + (f64 ? "/f64" : "/f32"),
                   {std::string(name) == "Rsqrt" ? (f64 ? Positive<double>({7}) : Positive<float>({7}))
                                                 : (f64 ? Data<double>({7}, 3.0) : Data<float>({7}, 3.0))},
                   [fn](Graph& g, const std::vector<Output>& in) { return fn(g, in[0], {}); },
                   f64 ? 1e-12 : 1e-6});
    }
  }
  for (auto [name, dt] : {std::pair{"Sign/i32", DataType::kInt32}, std::pair{"Sign/i64", DataType::kInt64}}) {
    c.push_back({name,
                 {dt == DataType::kInt32 ? Data<int32_t>({6}, 9.0) : Data<int64_t>({6}, 9.0)},
                 [](Graph& g, const std::vector<Output>& in) { return ops::Sign(g, in[0]); },
                 0});
  }
  c.push_back({"Identity/f32",
               {Data<float>({4})},
               [](Graph& g, const std::vector<Output>& in) { return ops::Identity(g, in[0]); },
               0});
  c.push_back({"RandomUniform/f32/seeded",
               {},
               [](Graph& g, const std::vector<Output>&) {
                 return ops::RandomUniform(g, {100}, DataType::kFloat, ops::Seed::Attrs(42, 7));
               },
               0});
  c.push_back({"RandomNormal/f64/seeded",
               {},
               [](Graph& g, const std::vector<Output>&) {
                 return ops::RandomNormal(g, {100}, DataType::kDouble, 0.0, 1.0, ops::Seed::Attrs(42, 7));
               },
               1e-12});
  c.push_back({"TruncatedNormal/f32/seeded",
               {},
               [](Graph& g, const std::vector<Output>&) {
                 return ops::TruncatedNormal(g, {100}, DataType::kFloat, 0.0, 1.0, ops::Seed::Attrs(42, 7));
               },
               1e-5});
  c.push_back({"TruncatedNormal/f64/seeded",
               {},
               [](Graph& g, const std::vector<Output>&) {
                 return ops::TruncatedNormal(g, {37}, DataType::kDouble, 0.0, 1.0, ops::Seed::Attrs(3, 1));
               },
               1e-12});
  c.push_back({"Print/f32",
               {Data<float>({2})},
               [](Graph& g, const std::vector<Output>& in) { return ops::Print(g, in[0], "conformance: "); },
               0});
  c.push_back({"PlaceholderWithDefault/f32",
               {Data<float>({2, 3})},
               [](Graph& g, const std::vector<Output>& in) {
                 return ops::PlaceholderWithDefault(g, in[0], PartialShape({-1, 3}));
               },
               0});
  // SaveV2 then RestoreV2 (CPU kernels; on other devices both fall back or
  // are skipped): the value comes back from the file bit for bit.
  c.push_back(
      {"SaveV2+RestoreV2/f64",
       {Data<double>({3, 2})},
       [](Graph& g, const std::vector<Output>& in) {
         const std::string prefix =
             (std::filesystem::temp_directory_path() / ("tessera_conformance_" + std::to_string(::getpid()))).string();
         Output path = ops::Const(g, Tensor::Scalar<std::string>(prefix));
         Output names = ops::Const(g, Tensor::Vec<std::string>({"x"}));
         Output slices = ops::Const(g, Tensor::Vec<std::string>({""}));
         Operation save = ops::SaveV2(g, path, names, slices, {in[0]});
         auto after = g.ControlDependencies({save});
         return ops::RestoreV2(g, path, names, slices, {DataType::kDouble})[0];
       },
       0});
  AddStateAndPlumbing(c);
  AddLayout(c);
  cases::AddTraining(c);
  cases::AddOptimizers(c);
  cases::AddConv(c);
  return c;
}

bool Matches(const Tensor& expected, const Tensor& got, double tolerance, std::string* why) {
  if (expected.dtype() != got.dtype()) {
    *why = "dtype " + std::string(DataTypeString(got.dtype())) + " != " + std::string(DataTypeString(expected.dtype()));
    return false;
  }
  if (!(expected.shape() == got.shape())) {
    *why = "shape " + got.shape().DebugString() + " != " + expected.shape().DebugString();
    return false;
  }
  bool ok = true;
  Status s = SwitchAllTypes(expected.dtype(), [&]<typename T>() {
    std::span<const T> e = expected.flat<T>(), g = got.flat<T>();
    for (size_t i = 0; i < e.size() && ok; ++i) {
      const double a = static_cast<double>(e[i]), b = static_cast<double>(g[i]);
      if (std::isnan(a) && std::isnan(b)) continue;
      if (std::fabs(a - b) > tolerance * (1.0 + std::fabs(a))) {
        *why = "element " + std::to_string(i) + ": " + std::to_string(b) + " != " + std::to_string(a);
        ok = false;
      }
    }
  });
  return s.ok() && ok;
}

namespace {

// Builds the case with its op pinned to `device` (or unpinned for the
// reference) and runs it. Inputs are Consts placed on CPU:0.
StatusOr<Tensor> RunCase(const OpCase& c, const std::string& device, const SessionOptions& options,
                         std::string* skip_reason) {
  auto g = Graph::Create();
  std::vector<Output> inputs;
  {
    auto d = g->Device("/cpu:0");
    for (size_t i = 0; i < c.inputs.size(); ++i)
      inputs.push_back(ops::Const(*g, c.inputs[i], "input_" + std::to_string(i)));
  }
  Output out;
  {
    auto d = g->Device(device);
    out = c.build(*g, inputs);
  }
  TESSERA_RETURN_IF_ERROR(g->status());
  // A device type without a kernel for the op under test: skip, with the reason.
  const DeviceName dev = DeviceName::Parse(device).value();
  const std::optional<DeviceType> type = ParseDeviceType(dev.type);
  if (!type || KernelRegistry::Global().Find(*out.node(), *type) == nullptr) {
    std::string dt = KernelDTypesString(*out.node());
    *skip_reason = "no " + dev.type + " kernel for " + out.node()->op() + (dt.empty() ? "" : " with " + dt);
    return Tensor();
  }
  SessionOptions o = options;
  o.allow_soft_placement = true;  // the op's helper nodes (Consts of shapes/axes) may live elsewhere
  o.log_sink = [](std::string_view) {};
  TESSERA_ASSIGN_OR_RETURN(std::unique_ptr<Session> sess, Session::Create(g, o));
  RunMetadata md;
  TESSERA_ASSIGN_OR_RETURN(std::vector<Tensor> r, sess->Run(RunOptions(), {}, {out}, {}, &md));
  for (const PlacementRecord& rec : md.placement) {
    if (rec.node == out.node()->name() && rec.assigned != DeviceName::Parse(device).value().ToString()) {
      return InternalError("the op ran on " + rec.assigned + ", not " + device);
    }
  }
  return r[0];
}

// An error case passes when the reference failed with the expected text and
// the device failed with the same message (or has no kernel: skipped).
void JudgeExpectedError(const OpCase& c, const StatusOr<Tensor>& reference, const StatusOr<Tensor>& got,
                        CaseResult* r) {
  if (reference.ok() || reference.status().message().find(c.expected_error) == std::string::npos) {
    r->outcome = Outcome::kFail;
    r->detail = "reference run on CPU:0 did not fail with '" + c.expected_error +
                "': " + (reference.ok() ? std::string("OK") : reference.status().ToString());
  } else if (got.ok()) {
    r->outcome = r->detail.empty() ? Outcome::kFail : Outcome::kSkipped;  // detail: the skip reason
    if (r->outcome == Outcome::kFail) r->detail = "expected an error, got a value";
  } else if (got.status().ToString() != reference.status().ToString()) {
    r->outcome = Outcome::kFail;
    r->detail = got.status().ToString() + " != " + reference.status().ToString();
  }
}

}  // namespace

std::vector<CaseResult> RunSuite(const SessionOptions& options) {
  std::vector<CaseResult> results;
  auto probe = Session::Create(Graph::Create(), options);
  if (!probe.ok()) {
    results.push_back({"<session>", "", Outcome::kFail, probe.status().ToString()});
    return results;
  }
  std::vector<DeviceAttributes> devices = (*probe)->ListDevices();
  const std::string no_gpu = (*probe)->NoGpuReason();
  for (const OpCase& c : AllCases()) {
    std::string skip;
    StatusOr<Tensor> reference = RunCase(c, DeviceName::Local(DeviceType::kCpu, 0).ToString(), options, &skip);
    for (const DeviceAttributes& d : devices) {
      CaseResult r{c.name, d.name, Outcome::kPass, ""};
      if (!c.expected_error.empty()) {
        JudgeExpectedError(c, reference, RunCase(c, d.name, options, &r.detail), &r);
      } else if (!reference.ok()) {
        r.outcome = Outcome::kFail;
        r.detail = "reference run on CPU:0 failed: " + reference.status().ToString();
      } else {
        std::string reason;
        StatusOr<Tensor> got = RunCase(c, d.name, options, &reason);
        if (!got.ok()) {
          r.outcome = Outcome::kFail;
          r.detail = got.status().ToString();
        } else if (!reason.empty()) {
          r.outcome = Outcome::kSkipped;
          r.detail = reason;
        } else if (!Matches(*reference, *got, c.tolerance, &r.detail)) {
          r.outcome = Outcome::kFail;
        }
      }
      results.push_back(r);
    }
    if (!no_gpu.empty()) results.push_back({c.name, "GPU", Outcome::kSkipped, "no GPU: " + no_gpu});
  }
  return results;
}

}  // namespace tessera::conformance
