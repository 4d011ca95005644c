// PlacementToDot: the picture of a placement (declared in tessera/explain.h).
#include <fmt/format.h>

#include <map>
#include <set>
#include <unordered_map>

#include "placement/estimates.h"
#include "tessera/device_name.h"
#include "tessera/explain.h"

namespace tessera {
namespace {

// Fill colours by device, in the order devices first appear.
constexpr const char* kPalette[] = {"#cfe2f3", "#d9ead3", "#fff2cc", "#ead1dc", "#d0e0e3", "#fce5cd", "#e6e6e6"};

std::string DotString(std::string_view s) {
  std::string out = "\"";
  for (char c : s) {
    if (c == '"' || c == '\\') out += '\\';
    if (c == '\n') {
      out += "\\n";
      continue;
    }
    out += c;
  }
  return out + "\"";
}

// One box of the picture: a node, or a collapsed (scope, device) group.
struct Box {
  std::string id;
  std::string label;
  std::string device;
  std::string scope;  // the cluster it is drawn in ("": none)
  bool fallback = false;
};

struct Edge {
  bool control = false;
  bool copy = false;
  int64_t bytes = 0;  // copies: summed, -1 once any is unknown
};

// The cluster path of a node: its name scopes ("mlp/layer1/MatMul" -> "mlp/layer1").
std::string ScopeOf(const std::string& name) {
  const size_t slash = name.rfind('/');
  return slash == std::string::npos ? "" : name.substr(0, slash);
}

// Writes the boxes of `scope` and, nested inside, the clusters of its sub-scopes.
void WriteScope(const std::string& scope, const std::map<std::string, std::vector<const Box*>>& by_scope,
                const std::map<std::string, std::set<std::string>>& children,
                const std::map<std::string, std::string>& colour, int depth, int* cluster, std::string* out) {
  const std::string indent(static_cast<size_t>(2 * depth), ' ');
  if (!scope.empty()) {
    const size_t slash = scope.rfind('/');
    fmt::format_to(std::back_inserter(*out),
                   "{}subgraph cluster_{} {{\n{}  label={}; style=rounded; color=\"#999999\";\n", indent, (*cluster)++,
                   indent, DotString(slash == std::string::npos ? scope : scope.substr(slash + 1)));
  }
  const std::string inner = scope.empty() ? indent : indent + "  ";
  if (auto it = by_scope.find(scope); it != by_scope.end()) {
    for (const Box* b : it->second) {
      fmt::format_to(std::back_inserter(*out), "{}{} [label={}, fillcolor=\"{}\"{}];\n", inner, b->id,
                     DotString(b->label), colour.at(b->device), b->fallback ? ", color=\"#d62728\", penwidth=2.5" : "");
    }
  }
  if (auto it = children.find(scope); it != children.end()) {
    for (const std::string& child : it->second) {
      WriteScope(child, by_scope, children, colour, scope.empty() ? depth : depth + 1, cluster, out);
    }
  }
  if (!scope.empty()) *out += indent + "}\n";
}

void WriteClusters(const std::vector<Box>& boxes, const std::map<std::string, std::string>& colour, std::string* out) {
  std::map<std::string, std::vector<const Box*>> by_scope;
  std::map<std::string, std::set<std::string>> children;  // scope -> its direct sub-scopes
  for (const Box& b : boxes) {
    by_scope[b.scope].push_back(&b);
    for (std::string s = b.scope; !s.empty(); s = ScopeOf(s)) children[ScopeOf(s)].insert(s);
  }
  int cluster = 0;
  WriteScope("", by_scope, children, colour, 1, &cluster, out);
}

}  // namespace

std::string PlacementToDot(const Graph& graph, const std::vector<PlacementRecord>& records, const DotOptions& options) {
  std::unordered_map<std::string, const PlacementRecord*> record_of;
  for (const PlacementRecord& r : records) record_of.emplace(r.node, &r);
  std::vector<const Node*> nodes;
  for (const Node* n : graph.nodes()) {
    if (record_of.count(n->name())) nodes.push_back(n);
  }
  const bool collapse = static_cast<int>(nodes.size()) > options.max_nodes;
  std::map<std::string, std::string> colour;  // device -> fill
  std::vector<Box> boxes;
  std::map<std::string, size_t> box_of_key;  // collapsed groups
  std::unordered_map<const Node*, size_t> box_of_node;
  for (const Node* n : nodes) {
    const PlacementRecord& r = *record_of.at(n->name());
    if (!colour.count(r.assigned)) colour[r.assigned] = kPalette[colour.size() % std::size(kPalette)];
    const size_t slash = n->name().find('/');
    if (collapse && slash != std::string::npos) {
      const std::string top = n->name().substr(0, slash);
      auto [it, added] = box_of_key.emplace(top + "@" + r.assigned, boxes.size());
      if (added) boxes.push_back(Box{fmt::format("g{}", boxes.size()), "", r.assigned, "", false});
      Box& b = boxes[it->second];
      b.label = top;  // counted below
      b.fallback |= IsSoftFallback(r.reason);
      box_of_node[n] = it->second;
      continue;
    }
    box_of_node[n] = boxes.size();
    boxes.push_back(Box{fmt::format("n{}", n->id()),
                        fmt::format("{}\n{}\n{}", n->op(), n->name(), ShortDeviceName(r.assigned)), r.assigned,
                        ScopeOf(n->name()), IsSoftFallback(r.reason)});
  }
  if (collapse) {
    std::map<size_t, int> members;
    for (const auto& [n, b] : box_of_node) ++members[b];
    for (const auto& [key, b] : box_of_key) {
      boxes[b].label = fmt::format("{}/\n{} nodes\n{}", boxes[b].label, members[b], ShortDeviceName(boxes[b].device));
    }
  }
  std::map<std::pair<size_t, size_t>, Edge> edges;
  for (const Node* n : nodes) {
    const size_t to = box_of_node.at(n);
    for (const Output& in : n->inputs()) {
      auto from = box_of_node.find(in.node());
      if (from == box_of_node.end() || from->second == to) continue;
      Edge& e = edges[{from->second, to}];
      if (boxes[from->second].device != boxes[to].device) {
        const int64_t b = estimates::Bytes(in, options.unknown_dim);
        e.bytes = (b < 0 || e.bytes < 0) ? -1 : estimates::Add(e.bytes, b);
        e.copy = true;
      }
    }
    for (const Node* c : n->control_inputs()) {
      auto from = box_of_node.find(c);
      if (from != box_of_node.end() && from->second != to) edges.try_emplace({from->second, to}, Edge{true, false, 0});
    }
  }
  std::string out =
      "digraph placement {\n  rankdir=TB;\n  node [shape=box, style=\"rounded,filled\", fontname=\"Helvetica\", "
      "fontsize=10];\n  edge [color=\"#666666\", fontname=\"Helvetica\", fontsize=9];\n";
  WriteClusters(boxes, colour, &out);
  for (const auto& [ends, e] : edges) {
    const std::string& from = boxes[ends.first].id;
    const std::string& to = boxes[ends.second].id;
    if (e.copy) {
      fmt::format_to(std::back_inserter(out), "  {} -> {} [color=\"#d62728\", penwidth=2, label={}];\n", from, to,
                     DotString("copy " + estimates::Human(e.bytes, "B")));
    } else {
      fmt::format_to(std::back_inserter(out), "  {} -> {}{};\n", from, to, e.control ? " [style=dashed]" : "");
    }
  }
  out += "  subgraph cluster_legend {\n    label=\"devices\"; style=rounded; color=\"#999999\";\n";
  int i = 0;
  for (const auto& [device, fill] : colour) {
    fmt::format_to(std::back_inserter(out), "    legend{} [label={}, fillcolor=\"{}\"];\n", i++,
                   DotString(ShortDeviceName(device)), fill);
  }
  out += "  }\n}\n";
  return out;
}

}  // namespace tessera
