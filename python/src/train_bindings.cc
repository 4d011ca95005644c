// Gradients, the optimizers, the global step, the Saver and GraphDefs.
#include <nanobind/stl/map.h>
#include <nanobind/stl/optional.h>
#include <nanobind/stl/pair.h>
#include <nanobind/stl/string.h>
#include <nanobind/stl/unique_ptr.h>
#include <nanobind/stl/vector.h>

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "python/src/common.h"
#include "tessera/checkpoint.h"
#include "tessera/gradients.h"
#include "tessera/graph_def.h"
#include "tessera/train.h"

using namespace nanobind::literals;

namespace tessera::python {
namespace {

train::Hyper ToHyper(nb::handle h) {
  if (nb::isinstance<Output>(h)) return train::Hyper(nb::cast<Output>(h));
  return train::Hyper(nb::cast<double>(h));
}

void BindGradients(nb::module_& m) {
  m.def("gradients", [](Graph& g, const std::vector<Output>& ys, const std::vector<Output>& xs,
                        const std::vector<Output>& grad_ys, bool zero_unconnected, bool colocate) {
    GradientOptions o;
    o.unconnected_gradients = zero_unconnected ? UnconnectedGradients::kZero : UnconnectedGradients::kNone;
    o.colocate_gradients_with_ops = colocate;
    PyName n("gradients");
    Name scope = n.name();
    StatusOr<std::vector<Output>> r = AddSymbolicGradients(g, ys, xs, grad_ys, o);
    if (!r.ok()) {
      g.ResetStatus().IgnoreError();
      RaiseConstructionError(r.status());
    }
    CheckBuilt(g, true);
    std::vector<std::optional<Output>> out;
    for (const Output& o2 : *r) out.push_back(o2.valid() ? std::optional<Output>(o2) : std::nullopt);
    return out;
  });
}

void BindOptimizers(nb::module_& m) {
  nb::class_<train::Optimizer>(m, "Optimizer")
      .def_prop_ro("name", &train::Optimizer::name)
      .def("compute_gradients",
           [](train::Optimizer& opt, Output loss, std::vector<Variable> vars) {
             PyName n("gradients");
             Name scope = n.name();
             StatusOr<std::vector<train::GradAndVar>> r = opt.ComputeGradients(loss, std::move(vars));
             Graph& g = *loss.node()->graph();
             if (!r.ok()) {
               g.ResetStatus().IgnoreError();
               RaiseConstructionError(r.status());
             }
             std::vector<std::pair<std::optional<Output>, Variable>> out;
             for (const auto& gv : *r) {
               out.emplace_back(gv.grad.valid() ? std::optional<Output>(gv.grad) : std::nullopt, gv.var);
             }
             return out;
           })
      .def(
          "apply_gradients",
          [](train::Optimizer& opt, Graph& g, const std::vector<std::pair<std::optional<Output>, Variable>>& gvs,
             std::optional<Variable> step, const std::string& name) {
            std::vector<train::GradAndVar> list;
            for (const auto& [grad, var] : gvs) list.push_back(train::GradAndVar{grad ? *grad : Output(), var});
            PyName n(name);
            StatusOr<Operation> r = opt.ApplyGradients(list, step, n.name());
            if (!r.ok()) {
              g.ResetStatus().IgnoreError();
              RaiseConstructionError(r.status());
            }
            return r->node();
          },
          nb::rv_policy::reference)
      .def("get_slot", &train::Optimizer::GetSlot)
      .def("get_slot_names", &train::Optimizer::GetSlotNames);
  m.def("GradientDescentOptimizer", [](nb::handle lr, bool locking, const std::string& name) {
    return std::unique_ptr<train::Optimizer>(new train::GradientDescentOptimizer(ToHyper(lr), locking, name));
  });
  m.def("MomentumOptimizer",
        [](nb::handle lr, nb::handle momentum, bool locking, const std::string& name, bool nesterov) {
          return std::unique_ptr<train::Optimizer>(
              new train::MomentumOptimizer(ToHyper(lr), ToHyper(momentum), locking, name, nesterov));
        });
  m.def("AdamOptimizer",
        [](nb::handle lr, nb::handle b1, nb::handle b2, nb::handle eps, bool locking, const std::string& name) {
          return std::unique_ptr<train::Optimizer>(
              new train::AdamOptimizer(ToHyper(lr), ToHyper(b1), ToHyper(b2), ToHyper(eps), locking, name));
        });
  m.def("RMSPropOptimizer", [](nb::handle lr, nb::handle decay, nb::handle momentum, nb::handle eps, bool locking,
                               const std::string& name) {
    return std::unique_ptr<train::Optimizer>(
        new train::RMSPropOptimizer(ToHyper(lr), ToHyper(decay), ToHyper(momentum), ToHyper(eps), locking, name));
  });
  m.def("get_or_create_global_step", [](Graph& g) {
    PyName n("global_step");
    Name scope = n.name();
    Variable v = train::GetOrCreateGlobalStep(g);
    CheckBuilt(g, v.valid());
    return v;
  });
  m.def("get_global_step", [](const Graph& g) { return train::GetGlobalStep(g); });
}

void BindSaver(nb::module_& m) {
  nb::class_<train::Saver>(m, "Saver")
      .def_static("create",
                  [](Graph& g, std::vector<Variable> var_list, std::map<std::string, Variable> var_map, int max_to_keep,
                     const std::string& name, bool write_meta_graph) {
                    train::SaverOptions o;
                    o.var_list = std::move(var_list);
                    o.var_map = std::move(var_map);
                    o.max_to_keep = max_to_keep;
                    o.name = name;
                    o.write_meta_graph = write_meta_graph;
                    PyName n(name);
                    Name scope = n.name();
                    StatusOr<train::Saver> s = train::Saver::Create(g, std::move(o));
                    if (!s.ok()) {
                      g.ResetStatus().IgnoreError();
                      RaiseConstructionError(s.status());
                    }
                    return std::move(s).value();
                  })
      .def("save",
           [](train::Saver& s, PySession& sess, const std::string& path, std::optional<int64_t> step,
              const std::string& latest_filename, bool write_state) {
             Session& session = sess.get();
             StatusOr<std::string> r = std::string();
             {
               nb::gil_scoped_release release;
               r = s.Save(session, path, step, latest_filename, write_state);
             }
             return ValueOrThrow(std::move(r));
           })
      .def("restore",
           [](train::Saver& s, PySession& sess, const std::string& path) {
             Session& session = sess.get();
             Status st;
             {
               nb::gil_scoped_release release;
               st = s.Restore(session, path);
             }
             ThrowIfError(st);
           })
      .def_prop_ro("last_checkpoints", &train::Saver::last_checkpoints)
      .def("recover_last_checkpoints", &train::Saver::RecoverLastCheckpoints)
      .def_prop_ro("filename_tensor", &train::Saver::filename_tensor)
      .def_prop_ro("save_tensor", &train::Saver::save_tensor);
  m.def("latest_checkpoint", [](const std::string& dir, const std::string& latest) -> std::optional<std::string> {
    StatusOr<std::string> r = train::LatestCheckpoint(dir, latest);
    if (!r.ok()) return std::nullopt;
    return *r;
  });
  m.def("checkpoint_exists", &train::CheckpointExists);
}

void BindGraphDef(nb::module_& m) {
  m.def("export_graph_def", [](const Graph& g, bool text) {
    std::string s = ValueOrThrow(ExportGraphDef(g, text ? GraphDefFormat::kText : GraphDefFormat::kBinary));
    return nb::bytes(s.data(), s.size());
  });
  m.def("write_graph_def", [](const Graph& g, const std::string& path) { ThrowIfError(WriteGraphDef(g, path)); });
  m.def(
      "import_graph_def",
      [](Graph& g, nb::bytes data, bool text, const std::string& prefix, std::map<std::string, Output> input_map,
         bool clear_devices) {
        ImportGraphDefOptions o;
        o.prefix = prefix;
        o.input_map = std::move(input_map);
        if (clear_devices) o.devices = ImportGraphDefOptions::Devices::kClear;
        std::string_view bytes(data.c_str(), data.size());
        StatusOr<ImportGraphDefResults> r =
            ImportGraphDef(g, bytes, o, text ? GraphDefFormat::kText : GraphDefFormat::kBinary);
        if (!r.ok()) {
          g.ResetStatus().IgnoreError();
          RaiseStatus(r.status());
        }
        std::vector<Node*> nodes;
        for (const Operation& op : r->operations) nodes.push_back(op.node());
        return nodes;
      },
      nb::rv_policy::reference);
}

}  // namespace

void BindPersistence(nb::module_& m) {
  BindGradients(m);
  BindOptimizers(m);
  BindSaver(m);
  BindGraphDef(m);
}

}  // namespace tessera::python
