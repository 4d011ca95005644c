// The optimizers' fused updates: ApplyGradientDescent, ApplyMomentum,
// ApplyAdam, ApplyRMSProp (TF's raw ops, Ref inputs for the variable and its
// slots; the output is the variable's new value).
#include "src/framework/op_registry.h"
#include "src/ops/builder.h"

namespace tessera {
namespace {

using ops_internal::Build;
using ops_internal::OpName;

// `refs` Ref inputs (variable and slots), then inputs whose shape is the
// variable's at `tensors`, the others scalars; one float dtype for all.
ShapeFn ApplyShape(int refs, std::vector<int> tensors) {
  return [refs, tensors](InferenceContext& c) -> Status {
    DataType dt = DataType::kInvalid;
    TESSERA_RETURN_IF_ERROR(c.ExpectSameTypes(0, c.num_inputs(), &dt));
    TESSERA_RETURN_IF_ERROR(c.ExpectTypeIn(dt, {DataType::kFloat, DataType::kDouble}, "T"));
    c.SetAttr("T", dt);
    for (const char* attr : {"use_locking", "use_nesterov"}) {
      if (c.attr<bool>(attr) == nullptr) c.SetAttr(attr, false);
    }
    PartialShape var;
    TESSERA_RETURN_IF_ERROR(c.MergeInputShapes(0, refs, &var));
    for (int i = refs; i < c.num_inputs(); ++i) {
      if (std::find(tensors.begin(), tensors.end(), i) == tensors.end()) {
        TESSERA_RETURN_IF_ERROR(c.ExpectRank(i, 0));
        continue;
      }
      const PartialShape s = c.input_shape(i);
      if (var.fully_defined() && s.fully_defined() && !(var == s)) {
        return c.Error("Shapes must be equal: the variable has shape " + var.DebugString() + " but input " +
                       std::to_string(i) + " has shape " + s.DebugString());
      }
    }
    c.AddOutput(dt, var);
    return Status::OK();
  };
}

OpDef ApplyDef(const char* name, int refs, int inputs, std::vector<int> tensors) {
  OpDef d(name);
  d.Inputs(inputs).Stateful().TypeAttr("T").SetShapeFn(ApplyShape(refs, std::move(tensors)));
  for (int i = 0; i < refs; ++i) d.RefInput(i);
  return d;
}

AttrMap Flags(bool use_locking, bool use_nesterov) {
  return AttrMap{{"use_locking", use_locking}, {"use_nesterov", use_nesterov}};
}

}  // namespace

void RegisterTrainingOps(OpRegistry& r) {
  r.Register(ApplyDef("ApplyGradientDescent", 1, 3, {2}));
  r.Register(ApplyDef("ApplyMomentum", 2, 5, {3}));
  r.Register(ApplyDef("ApplyAdam", 3, 10, {9}));
  r.Register(ApplyDef("ApplyRMSProp", 3, 8, {7}));
}

namespace ops {
Output ApplyGradientDescent(Graph& g, Output var, Output alpha, Output delta, bool use_locking, Name name) {
  return Build(g, "ApplyGradientDescent", OpName(name, "ApplyGradientDescent"), {var, alpha, delta},
               AttrMap{{"use_locking", use_locking}});
}
Output ApplyMomentum(Graph& g, Output var, Output accum, Output lr, Output grad, Output momentum, bool use_locking,
                     bool use_nesterov, Name name) {
  return Build(g, "ApplyMomentum", OpName(name, "ApplyMomentum"), {var, accum, lr, grad, momentum},
               Flags(use_locking, use_nesterov));
}
Output ApplyAdam(Graph& g, Output var, Output m, Output v, Output beta1_power, Output beta2_power, Output lr,
                 Output beta1, Output beta2, Output epsilon, Output grad, bool use_locking, bool use_nesterov,
                 Name name) {
  return Build(g, "ApplyAdam", OpName(name, "ApplyAdam"),
               {var, m, v, beta1_power, beta2_power, lr, beta1, beta2, epsilon, grad},
               Flags(use_locking, use_nesterov));
}
Output ApplyRMSProp(Graph& g, Output var, Output ms, Output mom, Output lr, Output rho, Output momentum, Output epsilon,
                    Output grad, bool use_locking, Name name) {
  return Build(g, "ApplyRMSProp", OpName(name, "ApplyRMSProp"), {var, ms, mom, lr, rho, momentum, epsilon, grad},
               AttrMap{{"use_locking", use_locking}});
}
}  // namespace ops
}  // namespace tessera
