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

Output RandomUniform(Graph& g, Output shape, DataType dtype, Seed seed, Name name) {
  const std::string scope = g.UniqueScopedName(OpName(name, "random_uniform"));
  return RandomOp(g, "RandomUniform", scope, shape, dtype, seed);
}

namespace {
// Dropout's common tail: where(U >= rate, scaled, 0), U drawn in x's shape.
Output DropoutMask(Graph& g, Output x, Output scaled, Output rate, const Seed& seed) {
  Output u = RandomUniform(g, Shape(g, x), x.dtype(), seed);
  Output keep = GreaterEqual(g, u, rate);
  Output zero = Const(g, x.dtype() == DataType::kDouble ? Tensor::Scalar<double>(0) : Tensor::Scalar<float>(0));
  return Where(g, keep, scaled, zero);
}
Output ScalarOf(Graph& g, DataType dtype, double v) {
  return Const(g,
               dtype == DataType::kDouble ? Tensor::Scalar<double>(v) : Tensor::Scalar<float>(static_cast<float>(v)));
}
bool FloatInput(Graph& g, Output x, const char* what) {
  if (!x.valid()) return false;
  if (x.dtype() == DataType::kFloat || x.dtype() == DataType::kDouble) return true;
  g.RecordError(InvalidArgumentError(std::string(what) +
                                     ": x must be a floating point tensor as x will be scaled. Received: x_dtype=" +
                                     std::string(DataTypeString(x.dtype()))));
  return false;
}
}  // namespace

Output Dropout(Graph& g, Output x, double keep_prob, Seed seed, Name name) {
  if (!FloatInput(g, x, "Dropout")) return Output();
  const double rate = 1.0 - keep_prob;
  if (!(rate >= 0 && rate < 1)) {
    g.RecordError(
        InvalidArgumentError("Dropout: rate must be a scalar tensor or a float in the range [0, 1). Received: "
                             "rate=" +
                             std::to_string(rate) + " (keep_prob=" + std::to_string(keep_prob) + ")"));
    return Output();
  }
  if (rate == 0) return x;
  auto scope = g.NameScope(name.empty() ? "dropout" : std::string(name));
  Output scaled = Mul(g, x, ScalarOf(g, x.dtype(), 1.0 / keep_prob));
  return DropoutMask(g, x, scaled, ScalarOf(g, x.dtype(), rate), seed);
}

Output Dropout(Graph& g, Output x, Output keep_prob, Seed seed, Name name) {
  if (!FloatInput(g, x, "Dropout") || !keep_prob.valid()) return Output();
  if (keep_prob.shape().known_rank() && keep_prob.shape().rank() != 0) {
    g.RecordError(
        InvalidArgumentError("Dropout: keep_prob must be a scalar, got shape " + keep_prob.shape().DebugString()));
    return Output();
  }
  // tf.compat.v1 computes rate = 1 - keep_prob before the scope ("sub").
  Output rate = Sub(g, ScalarOf(g, keep_prob.dtype(), 1.0), keep_prob);
  auto scope = g.NameScope(name.empty() ? "dropout" : std::string(name));
  if (rate.valid() && rate.dtype() != x.dtype()) rate = Cast(g, rate, x.dtype(), "rate");
  Output scaled = Div(g, x, Sub(g, ScalarOf(g, x.dtype(), 1.0), rate));
  return DropoutMask(g, x, scaled, rate, seed);
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
