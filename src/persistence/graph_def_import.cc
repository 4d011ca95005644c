// ImportGraphDef: checks the whole file first (ops, inputs, attributes,
// cycles, names), then adds its nodes in dependency order.
#include <algorithm>
#include <cctype>
#include <queue>
#include <unordered_map>

#include "src/framework/op_registry.h"
#include "src/persistence/attr_proto.h"
#include "src/persistence/graph.pb.h"
#include "tessera/graph_def.h"

namespace tessera {
namespace persistence {
StatusOr<tfproto::GraphDef> ParseGraphDef(std::string_view bytes, GraphDefFormat format);
}  // namespace persistence

namespace {

struct InputRef {
  std::string node;
  int index = 0;
  bool control = false;
};

// "^name", "name", "name:3".
StatusOr<InputRef> ParseInput(const std::string& s, const std::string& node) {
  InputRef r;
  std::string_view v = s;
  if (!v.empty() && v[0] == '^') {
    r.control = true;
    v.remove_prefix(1);
  }
  const size_t colon = v.rfind(':');
  if (!r.control && colon != std::string_view::npos) {
    const std::string_view digits = v.substr(colon + 1);
    int index = 0;
    bool ok = !digits.empty() && digits.size() <= 9;  // at most 999,999,999: no overflow
    for (size_t i = 0; ok && i < digits.size(); ++i) {
      ok = digits[i] >= '0' && digits[i] <= '9';
      index = index * 10 + (digits[i] - '0');
    }
    if (!ok) return InvalidArgumentError("Node '" + node + "': malformed input '" + s + "'");
    r.index = index;
    v = v.substr(0, colon);
  }
  if (v.empty()) return InvalidArgumentError("Node '" + node + "': malformed input '" + s + "'");
  r.node = std::string(v);
  return r;
}

size_t EditDistance(std::string_view a, std::string_view b) {
  std::vector<size_t> row(b.size() + 1);
  for (size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (size_t i = 1; i <= a.size(); ++i) {
    size_t diag = row[0];
    row[0] = i;
    for (size_t j = 1; j <= b.size(); ++j) {
      const size_t up = row[j];
      const bool same =
          std::tolower(static_cast<unsigned char>(a[i - 1])) == std::tolower(static_cast<unsigned char>(b[j - 1]));
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diag + (same ? 0 : 1)});
      diag = up;
    }
  }
  return row[b.size()];
}

// The registered op nearest to `op` by edit distance, or "" when none is near.
std::string ClosestOp(const std::string& op) {
  std::string best;
  size_t best_d = std::max<size_t>(2, op.size() / 3) + 1;
  for (const std::string& candidate : OpRegistry::Global().ListOps()) {
    const size_t d = EditDistance(op, candidate);
    if (d < best_d) best_d = d, best = candidate;
  }
  return best;
}

Status CheckOps(const tfproto::GraphDef& def) {
  std::map<std::string, std::vector<std::string>> unknown;  // op -> nodes
  for (const auto& n : def.node()) {
    if (OpRegistry::Global().Lookup(n.op()) == nullptr) unknown[n.op()].push_back(n.name());
  }
  if (unknown.empty()) return Status::OK();
  std::string msg = "The GraphDef uses " + std::to_string(unknown.size()) + " op type" +
                    (unknown.size() > 1 ? "s" : "") + " tessera does not have:";
  for (const auto& [op, nodes] : unknown) {
    msg += "\n  '" + op + "' (node" + (nodes.size() > 1 ? "s " : " ");
    for (size_t i = 0; i < nodes.size() && i < 5; ++i) msg += (i ? ", '" : "'") + nodes[i] + "'";
    if (nodes.size() > 5) msg += " and " + std::to_string(nodes.size() - 5) + " more";
    msg += ")";
    const std::string near = ClosestOp(op);
    if (!near.empty()) msg += "; the closest tessera op is '" + near + "'";
  }
  return NotFoundError(msg);
}

struct PlannedNode {
  const tfproto::NodeDef* def = nullptr;
  std::vector<InputRef> inputs;
  AttrMap attrs;
  std::vector<std::string> colocate;  // file names from "_class"
};

// Parses every node's inputs and attributes; checks names and input_map keys.
StatusOr<std::vector<PlannedNode>> Plan(const tfproto::GraphDef& def, const ImportGraphDefOptions& options,
                                        std::unordered_map<std::string, size_t>* index) {
  std::vector<PlannedNode> nodes(static_cast<size_t>(def.node_size()));
  for (int i = 0; i < def.node_size(); ++i) {
    const auto& n = def.node(i);
    if (n.name().empty()) return InvalidArgumentError("Node " + std::to_string(i) + " of the GraphDef has no name");
    if (!index->emplace(n.name(), static_cast<size_t>(i)).second) {
      return InvalidArgumentError("Node '" + n.name() + "' appears twice in the GraphDef");
    }
  }
  for (int i = 0; i < def.node_size(); ++i) {
    const auto& n = def.node(i);
    PlannedNode& p = nodes[static_cast<size_t>(i)];
    p.def = &n;
    for (const std::string& in : n.input()) {
      TESSERA_ASSIGN_OR_RETURN(InputRef r, ParseInput(in, n.name()));
      if (!index->contains(r.node))
        return InvalidArgumentError("Node '" + n.name() + "': Unknown input node '" + in + "'");
      p.inputs.push_back(std::move(r));
    }
    for (const auto& [name, value] : n.attr()) {
      if (name == "_class") {
        for (const std::string& s : value.list().s()) {
          if (s.rfind("loc:@", 0) == 0) p.colocate.push_back(s.substr(5));
        }
        continue;
      }
      const bool valid_name = !name.empty() && (std::isalpha(static_cast<unsigned char>(name[0])) || name[0] == '_') &&
                              std::all_of(name.begin(), name.end(), [](char ch) {
                                return std::isalnum(static_cast<unsigned char>(ch)) || ch == '_';
                              });
      if (!valid_name) return InvalidArgumentError("Node '" + n.name() + "': '" + name + "' is not an attribute name");
      if (name[0] == '_') continue;  // TF's internal annotations (_output_shapes...)
      const std::string what = "Node '" + n.name() + "', attr '" + name + "'";
      TESSERA_ASSIGN_OR_RETURN(AttrValue v, persistence::FromProto(value, what));
      TESSERA_RETURN_IF_ERROR(persistence::CheckAttrKind(persistence::TfAttrType(n.op(), name), what, &v));
      p.attrs.emplace(name, std::move(v));
    }
  }
  std::vector<std::string> unmatched;
  for (const auto& [key, out] : options.input_map) {
    StatusOr<InputRef> r = ParseInput(key, "input_map");
    if (!r.ok() || r->control || !index->contains(r->node)) unmatched.push_back(key);
    if (!out.valid()) return InvalidArgumentError("input_map['" + key + "'] is an invalid Output");
  }
  if (!unmatched.empty()) {
    std::string list;
    for (const std::string& k : unmatched) list += (list.empty() ? "" : ", ") + k;
    return InvalidArgumentError("Attempted to map inputs that were not found in graph_def: [" + list + "]");
  }
  return nodes;
}

// Kahn's order over data and control edges, the file's order where it allows
// (so a file in dependency order imports in that order); InvalidArgument
// naming a node on a cycle.
StatusOr<std::vector<size_t>> Order(const std::vector<PlannedNode>& nodes,
                                    const std::unordered_map<std::string, size_t>& index) {
  std::vector<int> pending(nodes.size(), 0);
  std::vector<std::vector<size_t>> consumers(nodes.size());
  for (size_t i = 0; i < nodes.size(); ++i) {
    for (const InputRef& r : nodes[i].inputs) {
      consumers[index.at(r.node)].push_back(i);
      ++pending[i];
    }
  }
  std::priority_queue<size_t, std::vector<size_t>, std::greater<>> ready;
  for (size_t i = 0; i < nodes.size(); ++i) {
    if (pending[i] == 0) ready.push(i);
  }
  std::vector<size_t> order;
  while (!ready.empty()) {
    const size_t i = ready.top();
    ready.pop();
    order.push_back(i);
    for (size_t c : consumers[i]) {
      if (--pending[c] == 0) ready.push(c);
    }
  }
  if (order.size() != nodes.size()) {
    for (size_t i = 0; i < nodes.size(); ++i) {
      if (pending[i] > 0) {
        return InvalidArgumentError("The GraphDef has a cycle through node '" + nodes[i].def->name() +
                                    "' (tessera runs graphs without loops: no while_loop or NextIteration)");
      }
    }
  }
  return order;
}

std::string Rewritten(const std::string& device, const ImportGraphDefOptions& o) {
  if (o.devices == ImportGraphDefOptions::Devices::kClear) return "";
  auto it = o.device_rewrites.find(device);
  return it == o.device_rewrites.end() ? device : it->second;
}

}  // namespace

StatusOr<ImportGraphDefResults> ImportGraphDef(Graph& g, std::string_view graph_def,
                                               const ImportGraphDefOptions& options, GraphDefFormat format) {
  TESSERA_ASSIGN_OR_RETURN(tfproto::GraphDef def, persistence::ParseGraphDef(graph_def, format));
  TESSERA_RETURN_IF_ERROR(CheckOps(def));
  std::unordered_map<std::string, size_t> index;
  TESSERA_ASSIGN_OR_RETURN(std::vector<PlannedNode> nodes, Plan(def, options, &index));
  TESSERA_ASSIGN_OR_RETURN(std::vector<size_t> order, Order(nodes, index));
  auto final_name = [&](const std::string& name) {
    return options.prefix.empty() ? name : options.prefix + "/" + name;
  };
  for (const PlannedNode& p : nodes) {
    const std::string name = final_name(p.def->name());
    TESSERA_RETURN_IF_ERROR(CheckNodeName(name));
    if (g.FindOperation(name).ok()) {
      return InvalidArgumentError("ImportGraphDef: the graph already has a node '" + name +
                                  "' (ImportGraphDefOptions::prefix puts the imported nodes under a new scope)");
    }
  }
  ImportGraphDefResults results;
  std::vector<Operation> made(nodes.size());
  for (size_t i : order) {
    const PlannedNode& p = nodes[i];
    NodeSpec spec{p.def->op(), final_name(p.def->name()), {}, p.attrs, {}};
    spec.name_is_final = true;
    for (const InputRef& r : p.inputs) {
      const Operation& src = made[index.at(r.node)];
      if (r.control) {
        spec.control_inputs.push_back(src);
        continue;
      }
      auto mapped = options.input_map.find(r.node + ":" + std::to_string(r.index));
      if (r.index == 0 && mapped == options.input_map.end()) mapped = options.input_map.find(r.node);
      if (mapped != options.input_map.end()) {
        spec.inputs.push_back(mapped->second);
        continue;
      }
      if (r.index >= src.node()->num_outputs()) {
        return InvalidArgumentError("Node '" + p.def->name() + "': input '" + r.node + ":" + std::to_string(r.index) +
                                    "' names output " + std::to_string(r.index) + " of '" + r.node + "', which has " +
                                    std::to_string(src.node()->num_outputs()) + " outputs");
      }
      spec.inputs.push_back(src.output(r.index));
    }
    std::vector<Graph::ScopeGuard> scopes;
    const std::string device = Rewritten(p.def->device(), options);
    if (!device.empty()) scopes.push_back(g.Device(device));
    for (const std::string& c : p.colocate) {
      auto it = index.find(c);
      if (it != index.end() && made[it->second].valid()) scopes.push_back(g.ColocateWith(made[it->second]));
    }
    StatusOr<Operation> op = g.AddNode(std::move(spec));
    while (!scopes.empty()) scopes.pop_back();  // innermost first
    TESSERA_RETURN_IF_ERROR(op.status());
    made[i] = *op;
    results.by_name.emplace(p.def->name(), *op);
  }
  for (const Operation& op : made) results.operations.push_back(op);
  return results;
}

}  // namespace tessera
