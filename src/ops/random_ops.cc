// Random ops: RandomUniform and RandomStandardNormal (seeded, Philox-based).
#include "src/framework/op_registry.h"
#include "src/ops/builder.h"

namespace tessera {
namespace {

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

Output RandomOp(Graph& g, const char* op, const std::string& n, const std::vector<int64_t>& shape, DataType dtype,
                int64_t seed, int64_t seed2) {
  Output s = HelperConst(g, n, "shape", ops_internal::IndexVectorTensor(shape));
  return BuildFinal(g, op, n, {s}, AttrMap{{"dtype", dtype}, {"seed", seed}, {"seed2", seed2}});
}

}  // namespace

void RegisterRandomOps(OpRegistry& r) {
  r.Register(OpDef("RandomUniform").Inputs(1).Stateful().TypeAttr("dtype").SetShapeFn(RandomShape));
  r.Register(OpDef("RandomStandardNormal").Inputs(1).Stateful().TypeAttr("dtype").SetShapeFn(RandomShape));
}

namespace ops {

Output RandomUniform(Graph& g, const std::vector<int64_t>& shape, DataType dtype, int64_t seed, int64_t seed2,
                     Name name) {
  return RandomOp(g, "RandomUniform", g.UniqueScopedName(OpName(name, "random_uniform")), shape, dtype, seed, seed2);
}

Output RandomNormal(Graph& g, const std::vector<int64_t>& shape, DataType dtype, double mean, double stddev,
                    int64_t seed, int64_t seed2, Name name) {
  if (mean == 0.0 && stddev == 1.0) {
    return RandomOp(g, "RandomStandardNormal", g.UniqueScopedName(OpName(name, "random_normal")), shape, dtype, seed,
                    seed2);
  }
  // As in TF: random_normal/RandomStandardNormal * stddev + mean.
  std::string n = g.UniqueScopedName(OpName(name, "random_normal"));
  Output z = RandomOp(g, "RandomStandardNormal", g.UniqueName(n + "/RandomStandardNormal"), shape, dtype, seed, seed2);
  auto scalar = [&](double v) {
    return dtype == DataType::kFloat ? Tensor::Scalar<float>(static_cast<float>(v)) : Tensor::Scalar<double>(v);
  };
  Output sd = HelperConst(g, n, "stddev", scalar(stddev));
  Output mu = HelperConst(g, n, "mean", scalar(mean));
  Output scaled = BuildFinal(g, "Mul", g.UniqueName(n + "/mul"), {z, sd});
  return BuildFinal(g, "Add", n, {scaled, mu});
}

}  // namespace ops
}  // namespace tessera
