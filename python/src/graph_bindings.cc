// Graph, its nodes and outputs, the scopes, collections and variables.
#include <nanobind/stl/optional.h>
#include <nanobind/stl/pair.h>
#include <nanobind/stl/shared_ptr.h>
#include <nanobind/stl/string.h>
#include <nanobind/stl/string_view.h>
#include <nanobind/stl/vector.h>

#include <optional>
#include <string>
#include <vector>

#include "python/src/common.h"
#include "tessera/variable.h"

using namespace nanobind::literals;

namespace tessera::python {
namespace {

// A scope of the graph, held by a Python context manager until __exit__.
struct Guard {
  std::optional<Graph::ScopeGuard> guard;
  void Close() { guard.reset(); }
};

// Attribute values as Python values (the dtype attributes as dtype numbers).
nb::object AttrToPython(const AttrValue& v) {
  return std::visit(
      [](const auto& x) -> nb::object {
        using T = std::decay_t<decltype(x)>;
        if constexpr (std::is_same_v<T, DataType>) {
          return nb::int_(static_cast<int>(x));
        } else if constexpr (std::is_same_v<T, std::vector<DataType>>) {
          nb::list l;
          for (DataType d : x) l.append(static_cast<int>(d));
          return l;
        } else if constexpr (std::is_same_v<T, PartialShape>) {
          if (!x.known_rank()) return nb::none();
          return nb::cast(x.dims());
        } else if constexpr (std::is_same_v<T, Tensor>) {
          return ArrayFromTensor(x);
        } else {
          return nb::cast(x);
        }
      },
      v);
}

void BindNode(nb::module_& m) {
  nb::class_<Node>(m, "Node")
      .def_prop_ro("name", &Node::name)
      .def_prop_ro("type", &Node::op)
      .def_prop_ro("id", &Node::id)
      .def_prop_ro("num_outputs", &Node::num_outputs)
      .def_prop_ro("inputs", [](const Node& n) { return n.inputs(); })
      .def_prop_ro(
          "control_inputs",
          [](const Node& n) {
            std::vector<Node*> v = n.control_inputs();
            return v;
          },
          nb::rv_policy::reference)
      .def_prop_ro("device", &Node::requested_device)
      .def_prop_ro("colocation_groups", &Node::colocate_with)
      .def_prop_ro("defined_at", [](const Node& n) { return n.source().ToString(); })
      .def("output_dtype", [](const Node& n, int i) { return static_cast<int>(n.output_type(i)); })
      .def("attr_names",
           [](const Node& n) {
             std::vector<std::string> names;
             for (const auto& kv : n.attrs()) names.push_back(kv.first);
             return names;
           })
      .def("get_attr",
           [](const Node& n, const std::string& name) {
             auto it = n.attrs().find(name);
             if (it == n.attrs().end()) {
               throw nb::value_error(("Operation '" + n.name() + "' has no attr named '" + name + "'.").c_str());
             }
             return AttrToPython(it->second);
           })
      .def("debug_string", &Node::DebugString);

  nb::class_<Output>(m, "Output")
      .def(nb::init<Node*, int>())
      .def_prop_ro("node", &Output::node, nb::rv_policy::reference)
      .def_prop_ro("index", &Output::index)
      .def_prop_ro("name", &Output::name)
      .def_prop_ro("dtype", [](const Output& o) { return static_cast<int>(o.dtype()); })
      .def_prop_ro("shape", [](const Output& o) -> nb::object {
        PartialShape s = o.shape();
        if (!s.known_rank()) return nb::none();
        return nb::cast(s.dims());
      });
}

std::vector<Operation> ToOperations(const std::vector<Node*>& nodes) {
  std::vector<Operation> ops;
  for (Node* n : nodes) ops.emplace_back(n);
  return ops;
}

// The guard, unless opening the scope recorded an error (a malformed device
// spec, an op of another graph): then it is closed again and the error raised.
Guard* GuardOrRaise(Graph& g, Guard* guard) {
  if (g.has_error()) {
    delete guard;
    CheckBuilt(g, false);
  }
  return guard;
}

void BindScopes(nb::class_<Graph>& graph) {
  nb::class_<Guard>(graph, "Guard").def("close", &Guard::Close);
  graph
      .def("name_scope",
           [](Graph& g, const std::string& name) {
             // "a/" re-enters the scope "a"; "" is the root (tessera/graph.h).
             const std::string checked = !name.empty() && name.back() == '/' ? name.substr(0, name.size() - 1) : name;
             if (!checked.empty()) ThrowIfError(CheckNodeName(checked));
             auto* guard = new Guard{g.NameScope(name)};
             return guard;
           })
      .def("current_name_scope", &Graph::CurrentNameScope)
      .def("device",
           [](Graph& g, std::optional<std::string> spec) {
             return GuardOrRaise(g, spec ? new Guard{g.Device(*spec)} : new Guard{g.Device(nullptr)});
           })
      .def("control_dependencies",
           [](Graph& g, std::optional<std::vector<Node*>> nodes) {
             return GuardOrRaise(g, nodes ? new Guard{g.ControlDependencies(ToOperations(*nodes))}
                                          : new Guard{g.ControlDependencies(nullptr)});
           })
      .def("colocate_with",
           [](Graph& g, Node* node) { return GuardOrRaise(g, new Guard{g.ColocateWith(Operation(node))}); });
}

void BindCollections(nb::class_<Graph>& graph) {
  graph
      .def("add_to_collection", [](Graph& g, const std::string& key, Node* n) { g.AddToCollection(key, Operation(n)); })
      .def(
          "get_collection",
          [](const Graph& g, const std::string& key) {
            std::vector<Node*> nodes;
            for (const Operation& op : g.GetCollection(key)) nodes.push_back(op.node());
            return nodes;
          },
          nb::rv_policy::reference)
      .def("get_all_collection_keys", &Graph::GetAllCollectionKeys)
      .def("clear_collection", &Graph::ClearCollection)
      .def("variable_nodes", [](const Graph& g, Node* n) -> std::optional<Variable> {
        if (g.FindVariableNodes(n) == nullptr) return std::nullopt;
        return Variable(Operation(n));
      });
}

void BindGraphClass(nb::module_& m) {
  nb::class_<Graph> graph(m, "Graph");
  graph.def_static("create", &Graph::Create)
      .def_prop_ro("num_nodes", &Graph::num_nodes)
      .def_prop_ro("version", &Graph::version)
      .def_prop_ro("finalized", &Graph::finalized)
      .def("finalize", &Graph::Finalize)
      .def(
          "nodes", [](const Graph& g) { return g.nodes(); }, nb::rv_policy::reference)
      .def(
          "find_node",
          [](const Graph& g, const std::string& name) -> Node* {
            StatusOr<Operation> op = g.FindOperation(name);
            if (!op.ok()) return nullptr;
            return op->node();
          },
          nb::rv_policy::reference)
      .def("unique_name", &Graph::UniqueScopedName)
      .def("set_random_seed", &Graph::SetRandomSeed)
      .def_prop_ro("random_seed", &Graph::random_seed)
      .def("derive_seeds", &Graph::DeriveSeeds)
      .def("check", [](Graph& g) { CheckBuilt(g, true); });
  BindScopes(graph);
  BindCollections(graph);
}

void BindVariable(nb::module_& m) {
  nb::class_<Variable>(m, "Variable")
      .def("__init__",
           [](Variable* self, Graph& g, Output initial, const std::string& name, bool trainable,
              std::vector<std::string> collections) {
             VariableOptions o;
             o.trainable = trainable;
             o.collections = std::move(collections);
             PyName n(name);
             new (self) Variable(g, initial, n.name(), o);
             CheckBuilt(g, self->valid());
           })
      .def(nb::init<const Operation&>())
      .def_prop_ro("name", &Variable::name)
      .def_prop_ro("ref", &Variable::ref)
      .def_prop_ro("value", &Variable::value)
      .def_prop_ro(
          "initializer", [](const Variable& v) { return v.initializer().node(); }, nb::rv_policy::reference)
      .def_prop_ro("initial_value", &Variable::initial_value)
      .def("read_value",
           [](const Variable& v, const std::string& name) {
             PyName n(name);
             return Built(*v.ref().node()->graph(), v.ReadValue(n.name()));
           })
      .def("initialized_value", [](const Variable& v) { return Built(*v.ref().node()->graph(), v.InitializedValue()); })
      .def("is_initialized",
           [](const Variable& v) {
             PyName n("IsVariableInitialized");
             return Built(*v.ref().node()->graph(), v.IsInitialized(n.name()));
           })
      .def("assign", [](const Variable& v, Output value, const std::string& name, int kind) {
        PyName n(name);
        Graph& g = *v.ref().node()->graph();
        if (kind == 0) return Built(g, v.Assign(value, n.name()));
        if (kind == 1) return Built(g, v.AssignAdd(value, n.name()));
        return Built(g, v.AssignSub(value, n.name()));
      });
  Operation (*make_init)(Graph&, const std::vector<Variable>&, Name) = &VariablesInitializer;
  m.def(
      "variables_initializer",
      [make_init](Graph& g, const std::vector<Variable>& vars, const std::string& name) {
        PyName n(name);
        return Built(g, make_init(g, vars, n.name())).node();
      },
      nb::rv_policy::reference);
  m.def("get_variables", &GetVariables);
  m.def("report_uninitialized_variables",
        [](Graph& g, std::optional<std::vector<Variable>> vars, const std::string& name) {
          PyName n(name);
          UninitializedVariables u =
              vars ? ReportUninitializedVariables(g, *vars, n.name()) : ReportUninitializedVariables(g, n.name());
          CheckBuilt(g, u.mask().valid());
          return std::make_pair(u.mask(), u.variable_names());
        });
}

}  // namespace

void BindGraph(nb::module_& m) {
  BindNode(m);
  BindGraphClass(m);
  BindVariable(m);
}

}  // namespace tessera::python
