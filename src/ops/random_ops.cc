// Random ops: RandomUniform, RandomStandardNormal and TruncatedNormal (seeded as TF seeds them).
#include "src/framework/op_registry.h"
#include "src/ops/builder.h"

namespace tessera {
namespace {

using ops::Seed;
using ops_internal::BuildFinal;
using ops_internal::HelperConst;
using ops_internal::OpName;

Status RandomShape(InferenceContext& c) {
  DataType dt = DataType::kInvalid;
  TESSERA_RETURN_IF_ERROR(c.GetAttr("dtype", &dt));
  TESSERA_RETURN_IF_ERROR(c.ExpectTypeIn(dt, {DataType::kFloat, DataType::kDouble}, "dtype"));
  TESSERA_RETURN_IF_ERROR(c.ExpectTypeIn(c.input_type(0), {DataType::kInt32, DataType::kInt64}, "shape"));
  TESSERA_RETURN_IF_ERROR(c.ExpectRank(0, 1));
  c.SetAttr("T", c.input_type(0));
  for (const char* a : {"seed", "seed2"}) {
    if (c.attr<int64_t>(a) == nullptr) c.SetAttr(a, int64_t{0});
  }
  std::vector<int64_t> dims;
  if (c.input_constant_ints(0, &dims)) {
    for (int64_t d : dims) {
      if (d < 0) return c.Error("Random shape dimensions must be >= 0, got " + TensorShape(dims).DebugString());
    }
    c.AddOutput(dt, PartialShape(dims));
  } else {
    c.AddOutput(dt, PartialShape());
  }
  return Status::OK();
}

// "<scope>/<op>" of the shape constant `shape`, its seeds derived now: TF's
// builders derive them after making their helper constants.
Output RandomOp(Graph& g, const char* op, const std::string& scope, Output shape, DataType dtype, const Seed& seed) {
  auto [seed1, seed2] = seed.Resolve(g);
  return BuildFinal(g, op, g.UniqueName(scope + "/" + op), {shape},
                    AttrMap{{"dtype", dtype}, {"seed", seed1}, {"seed2", seed2}});
}

Output ShapeConst(Graph& g, const std::string& scope, const std::vector<int64_t>& shape) {
  return HelperConst(g, scope, "shape", ops_internal::IndexVectorTensor(shape));
}

// TF's random_normal / truncated_normal: shape, mean and stddev constants,
// then op * stddev + mean, the sum named as the scope.
Output ScaledNormal(Graph& g, const char* op, const std::string& scope, const std::vector<int64_t>& shape,
                    DataType dtype, double mean, double stddev, const Seed& seed) {
  auto scalar = [&](double v) {
    return dtype == DataType::kDouble ? Tensor::Scalar<double>(v) : Tensor::Scalar<float>(static_cast<float>(v));
  };
  Output s = ShapeConst(g, scope, shape);
  Output mu = HelperConst(g, scope, "mean", scalar(mean));
  Output sd = HelperConst(g, scope, "stddev", scalar(stddev));
  Output z = RandomOp(g, op, scope, s, dtype, seed);
  Output scaled = BuildFinal(g, "Mul", g.UniqueName(scope + "/mul"), {z, sd});
  return BuildFinal(g, "AddV2", scope, {scaled, mu});
}

}  // namespace

void RegisterRandomOps(OpRegistry& r) {
  r.Register(OpDef("RandomUniform").Inputs(1).Stateful().TypeAttr("dtype").SetShapeFn(RandomShape));
  r.Register(OpDef("RandomStandardNormal").Inputs(1).Stateful().TypeAttr("dtype").SetShapeFn(RandomShape));
  r.Register(OpDef("TruncatedNormal").Inputs(1).Stateful().TypeAttr("dtype").SetShapeFn(RandomShape));
}

namespace ops {

Output RandomUniform(Graph& g, const std::vector<int64_t>& shape, DataType dtype, Seed seed, Name name) {
  const std::string scope = g.UniqueScopedName(OpName(name, "random_uniform"));
  return RandomOp(g, "RandomUniform", scope, ShapeConst(g, scope, shape), dtype, seed);
}

Output RandomNormal(Graph& g, const std::vector<int64_t>& shape, DataType dtype, double mean, double stddev, Seed seed,
                    Name name) {
  return ScaledNormal(g, "RandomStandardNormal", g.UniqueScopedName(OpName(name, "random_normal")), shape, dtype, mean,
                      stddev, seed);
}

Output TruncatedNormal(Graph& g, const std::vector<int64_t>& shape, DataType dtype, double mean, double stddev,
                       Seed seed, Name name) {
  return ScaledNormal(g, "TruncatedNormal", g.UniqueScopedName(OpName(name, "truncated_normal")), shape, dtype, mean,
                      stddev, seed);
}

}  // namespace ops
}  // namespace tessera
