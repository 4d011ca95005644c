#include "placement/placer.h"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <deque>
#include <map>
#include <numeric>
#include <unordered_map>

#include "src/framework/op_registry.h"

namespace tessera {
namespace {

struct UnionFind {
  std::vector<int> parent;
  explicit UnionFind(int n) : parent(static_cast<size_t>(n)) { std::iota(parent.begin(), parent.end(), 0); }
  int Find(int x) {
    while (parent[static_cast<size_t>(x)] != x) {
      parent[static_cast<size_t>(x)] = parent[static_cast<size_t>(parent[static_cast<size_t>(x)])];
      x = parent[static_cast<size_t>(x)];
    }
    return x;
  }
  // The smaller index (earlier in topological order) becomes the root.
  void Union(int a, int b) {
    a = Find(a);
    b = Find(b);
    if (a == b) return;
    if (b < a) std::swap(a, b);
    parent[static_cast<size_t>(b)] = a;
  }
};

struct Group {
  std::vector<int> members;
  bool has_request = false;
  DeviceName request;
  std::string request_spec;  // as the user wrote it (canonical form)
  int requester = -1;        // the member whose request decides
  // Device types supported by every member, in priority order: the member's
  // shared list for a single node, else `own_types`.
  const std::vector<DeviceType>* types = nullptr;
  std::vector<DeviceType> own_types;
  bool soft_colocation = false;
  std::string colocation_note;
};

bool IsMetadataOp(const Node& n) { return n.op() == "Shape" || n.op() == "Size" || n.op() == "Rank"; }
bool IsGenerator(const Node& n) {
  return n.num_inputs() == 0 && n.num_outputs() == 1 && !n.op_def().is_variable && n.control_inputs().empty();
}

std::string AvailableDevices(const std::vector<DeviceName>& devices) {
  std::string s;
  for (const DeviceName& d : devices) s += (s.empty() ? "" : ", ") + d.ToString();
  return s;
}

class PlacerRun {
 public:
  PlacerRun(const std::vector<const Node*>& nodes, const std::vector<DeviceName>& devices,
            const KernelRegistry& registry, const PlacerOptions& options)
      : nodes_(nodes), devices_(devices), registry_(registry), options_(options) {}

  StatusOr<Placement> Run();

 private:
  // Pass 1: colocation groups.
  void BuildGroups();
  // Pass 2: a group's merged request and supported types.
  void ConstrainGroup(Group& g);
  // Passes 3-5: the device of one group, or an error recorded in errors_.
  void PlaceGroup(Group& g);
  // A group with a member placed by an earlier plan keeps that device.
  bool PlacePinned(Group& g);
  // Passes 3-4: the explicit request, else soft placement, else an error.
  void PlaceRequested(Group& g);
  // Pass 5: the highest-priority device, after the metadata heuristic.
  void PlaceUnconstrained(Group& g);
  // Pass 6: deferred source nodes go with their consumers.
  void PlaceGenerators();

  std::vector<int> Candidates(const Group& g, const DeviceName& spec) const;
  void Assign(const Group& g, int device, PlacementReason reason, const std::string& detail);
  void SetRecord(int node, int device, PlacementReason reason, std::string detail);
  std::string NoKernelDetail(const Group& g, const std::string& type) const;

  const std::vector<const Node*>& nodes_;
  const std::vector<DeviceName>& devices_;
  const KernelRegistry& registry_;
  const PlacerOptions& options_;

  // Plan index of a node by its graph id (-1: not in this plan).
  int IndexOf(const Node* n) const {
    const size_t id = static_cast<size_t>(n->id());
    return id < index_of_id_.size() ? index_of_id_[id] : -1;
  }
  int IndexOfName(const Graph& g, const std::string& name) const {
    StatusOr<Operation> op = g.FindOperation(name);
    return op.ok() ? IndexOf(op->node()) : -1;
  }

  std::vector<int> index_of_id_;
  std::vector<std::string> device_strings_;  // full names, computed once
  std::vector<DeviceType> device_types_;     // per device
  std::vector<int> device_order_;            // device indices by priority, then name
  // What the registry has for a node: the device types with a kernel, in
  // priority order, and the kernel per device type.
  struct NodeKernels {
    std::vector<DeviceType> types;
    std::array<const KernelDef*, kNumDeviceTypes> defs{};
  };
  const NodeKernels& KernelsOf(const Node& node);
  std::deque<NodeKernels> uncached_;  // nodes with more than 16 dtype attributes (none today)
  struct TypesKeyHash {
    size_t operator()(const std::pair<const OpDef*, uint64_t>& k) const {
      return std::hash<const void*>()(k.first) ^ (std::hash<uint64_t>()(k.second) * 0x9E3779B97F4A7C15ull);
    }
  };
  std::unordered_map<std::pair<const OpDef*, uint64_t>, NodeKernels, TypesKeyHash> types_cache_;
  // Per node, shared by nodes of the same op and dtypes.
  std::vector<const NodeKernels*> node_kernels_;
  std::vector<Group> groups_;
  std::vector<int> group_of_;
  std::vector<int> deferred_;  // group indices of generators
  Placement out_;
  // Why nodes cannot be placed. Errors with the same cause (the same
  // request and reason, or the same op without a kernel) are reported as one:
  // the first node's full text, the other nodes by name, the advice once.
  struct PlaceError {
    std::string node;
    std::string text;
    std::string cause;           // "": a cause of its own
    std::string fallback;        // where soft placement would put it ("": nowhere)
    std::string no_kernel_type;  // the device type without a kernel ("": the device is missing)
    bool advise = false;         // add "To fix it: ..."
  };
  void AddError(std::string node, std::string text, std::string cause = {}) {
    errors_.push_back(PlaceError{std::move(node), std::move(text), std::move(cause), {}, {}, false});
  }
  std::string ErrorMessage() const;
  std::vector<PlaceError> errors_;
};

// A node in a list of nodes: "mlp/MatMul (mlp_inference.cc:42)".
std::string Label(const Node& n) {
  return n.source().known() ? n.name() + " (" + n.source().ToString() + ")" : n.name();
}

// "To fix it: ..." for `n` nodes that asked for a device they cannot have.
std::string FixAdvice(const std::string& fallback, const std::string& no_kernel_type, size_t n) {
  const bool one = n == 1;
  std::string advice = "To fix it: pass allow_soft_placement=true";
  if (!fallback.empty()) advice += fmt::format(" ({} would run on {})", one ? "it" : "they", fallback);
  advice += fmt::format(", or pin {} to /cpu:0", one ? "it" : "them");
  if (!no_kernel_type.empty())
    advice += fmt::format(", or cast {} inputs to a dtype with a {} kernel", one ? "its" : "their", no_kernel_type);
  return advice + ".";
}

std::string PlacerRun::ErrorMessage() const {
  // Group by cause, in first-seen order.
  std::vector<std::vector<const PlaceError*>> groups;
  std::map<std::string, size_t> group_of;
  for (const PlaceError& e : errors_) {
    if (e.cause.empty()) {
      groups.push_back({&e});
      continue;
    }
    auto [it, added] = group_of.emplace(e.cause, groups.size());
    if (added) groups.emplace_back();
    groups[it->second].push_back(&e);
  }
  std::string msg;
  if (errors_.size() > 1) msg = fmt::format("{} nodes cannot be placed:", errors_.size());
  for (const auto& group : groups) {
    const PlaceError& first = *group.front();
    if (!msg.empty()) msg += "\n";
    msg += first.text;
    if (group.size() > 1) {
      std::string names;
      for (size_t i = 1; i < group.size(); ++i) names += (i == 1 ? "" : ", ") + group[i]->node;
      fmt::format_to(std::back_inserter(msg), "\nThe same holds for {} more node{}: {}.", group.size() - 1,
                     group.size() == 2 ? "" : "s", names);
    }
    if (first.advise)
      msg += (group.size() > 1 ? "\n" : " ") + FixAdvice(first.fallback, first.no_kernel_type, group.size());
  }
  return msg;
}

void PlacerRun::BuildGroups() {
  const int n = static_cast<int>(nodes_.size());
  UnionFind uf(n);
  for (int i = 0; i < n; ++i) {
    const Node& node = *nodes_[static_cast<size_t>(i)];
    for (int k = 0; k < node.num_inputs(); ++k) {
      if (!node.op_def().is_ref_input(k)) continue;
      const int src = IndexOf(node.inputs()[static_cast<size_t>(k)].node());
      if (src >= 0) uf.Union(i, src);
    }
    for (const std::string& other : node.colocate_with()) {
      const int j = IndexOfName(*node.graph(), other);
      if (j >= 0) uf.Union(i, j);
    }
  }
  // Roots are the smallest member, so a root is always seen before its members.
  group_of_.assign(static_cast<size_t>(n), -1);
  for (int i = 0; i < n; ++i) {
    const int root = uf.Find(i);
    if (root == i) {
      group_of_[static_cast<size_t>(i)] = static_cast<int>(groups_.size());
      groups_.emplace_back();
    } else {
      group_of_[static_cast<size_t>(i)] = group_of_[static_cast<size_t>(root)];
    }
    groups_[static_cast<size_t>(group_of_[static_cast<size_t>(i)])].members.push_back(i);
  }
}

void PlacerRun::ConstrainGroup(Group& g) {
  // Merge requests. A variable's own request is its resource device and wins.
  int resource = -1;
  for (int m : g.members) {
    const Node& node = *nodes_[static_cast<size_t>(m)];
    if (node.op_def().is_variable && !node.requested_device().empty()) resource = m;
  }
  for (int m : g.members) {
    const Node& node = *nodes_[static_cast<size_t>(m)];
    if (node.requested_device().empty()) continue;
    StatusOr<DeviceName> spec = DeviceName::Parse(node.requested_device());
    if (!spec.ok()) {
      AddError(Label(node), spec.status().message() + " in node: " + node.name() + node.DefinedAt());
      continue;
    }
    if (resource >= 0) {
      if (m == resource) {
        g.has_request = true;
        g.request = *spec;
        g.request_spec = node.requested_device();
        g.requester = m;
      } else if (node.requested_device() != nodes_[static_cast<size_t>(resource)]->requested_device()) {
        out_.notes.push_back("Ignoring device specification " + node.requested_device() + " for node '" + node.name() +
                             "' because the input edge from '" + nodes_[static_cast<size_t>(resource)]->name() +
                             "' is a reference connection and already has a device field set to " +
                             nodes_[static_cast<size_t>(resource)]->requested_device());
      }
      continue;
    }
    if (!g.has_request) {
      g.has_request = true;
      g.request = *spec;
      g.request_spec = node.requested_device();
      g.requester = m;
      continue;
    }
    StatusOr<DeviceName> merged = DeviceName::MergeForColocation(g.request, *spec, options_.allow_soft_placement);
    if (!merged.ok()) {
      AddError(Label(node), "Cannot colocate nodes {{colocation_node " +
                                nodes_[static_cast<size_t>(g.requester)]->name() + "}} and {{colocation_node " +
                                node.name() + "}}: " + merged.status().message() +
                                ". Colocated nodes must run on one device: remove one of the requests, or pass "
                                "allow_soft_placement=true to let tessera choose.");
      continue;
    }
    if (!(merged->type == g.request.type && merged->has_type == g.request.has_type && merged->id == g.request.id &&
          merged->has_id == g.request.has_id) &&
        g.request.has_type && spec->has_type) {
      g.soft_colocation = true;
      g.colocation_note = "the requests " + g.request.ToString() + " (" +
                          nodes_[static_cast<size_t>(g.requester)]->name() + ") and " + spec->ToString() + " (" +
                          node.name() + ") of one colocation group conflict";
    }
    g.request = *merged;
    g.request_spec = merged->ToString();
  }
  if (g.has_request && g.request.empty()) g.has_request = false;
  // Intersect the supported types, keeping priority order.
  g.types = &node_kernels_[static_cast<size_t>(g.members.front())]->types;
  if (g.members.size() == 1) return;
  g.own_types = *g.types;
  for (int m : g.members) {
    const std::vector<DeviceType>& t = node_kernels_[static_cast<size_t>(m)]->types;
    std::erase_if(g.own_types, [&](DeviceType x) { return std::find(t.begin(), t.end(), x) == t.end(); });
  }
  g.types = &g.own_types;
}

std::vector<int> PlacerRun::Candidates(const Group& g, const DeviceName& spec) const {
  std::vector<int> c;
  for (int i : device_order_) {
    const DeviceName& d = devices_[static_cast<size_t>(i)];
    if (!d.Matches(spec)) continue;
    const DeviceType type = device_types_[static_cast<size_t>(i)];
    if (std::find(g.types->begin(), g.types->end(), type) == g.types->end()) continue;
    c.push_back(i);
  }
  return c;
}

void PlacerRun::SetRecord(int node, int device, PlacementReason reason, std::string detail) {
  const Node& n = *nodes_[static_cast<size_t>(node)];
  PlacementRecord& r = out_.records[static_cast<size_t>(node)];
  r.node = n.name();
  r.op = n.op();
  r.dtypes = KernelDTypes(n);
  r.requested = n.requested_device();
  r.assigned = device_strings_[static_cast<size_t>(device)];
  r.reason = reason;
  r.detail = std::move(detail);
  r.source = n.source().ToString();
  out_.device_index[static_cast<size_t>(node)] = device;
}

void PlacerRun::Assign(const Group& g, int device, PlacementReason reason, const std::string& detail) {
  const int decider = g.requester >= 0 ? g.requester : g.members.front();
  for (int m : g.members) {
    const Node& n = *nodes_[static_cast<size_t>(m)];
    const bool own =
        m == decider || (g.has_request && !n.requested_device().empty() && n.requested_device() == g.request_spec);
    if (g.members.size() == 1 || own) {
      SetRecord(m, device, reason, detail);
    } else if (g.soft_colocation && !n.requested_device().empty()) {
      SetRecord(m, device, PlacementReason::kSoftColocation, g.colocation_note);
    } else {
      std::string d = "colocated with " + nodes_[static_cast<size_t>(decider)]->name();
      if (IsSoftFallback(reason)) d += " (" + detail + ")";
      SetRecord(m, device, PlacementReason::kColocated, d);
    }
  }
}

std::string PlacerRun::NoKernelDetail(const Group& g, const std::string& type) const {
  // Name the member that lacks the kernel, with its dtypes.
  const std::optional<DeviceType> known = ParseDeviceType(type);
  for (int m : g.members) {
    const std::vector<DeviceType>& t = node_kernels_[static_cast<size_t>(m)]->types;
    if (!known || std::find(t.begin(), t.end(), *known) == t.end()) {
      const Node& n = *nodes_[static_cast<size_t>(m)];
      std::string dt = KernelDTypesString(n);
      std::string s = "no " + type + " kernel for " + n.op() + (dt.empty() ? "" : " with " + dt);
      if (g.members.size() > 1 && m != (g.requester >= 0 ? g.requester : g.members.front())) {
        s += " (node " + n.name() + ", colocated with " +
             nodes_[static_cast<size_t>(g.requester >= 0 ? g.requester : g.members.front())]->name() + ")";
      }
      return s;
    }
  }
  return "no " + type + " kernel";
}

void PlacerRun::PlaceGroup(Group& g) {
  if (PlacePinned(g)) return;
  if (g.has_request) {
    PlaceRequested(g);
  } else {
    PlaceUnconstrained(g);
  }
}

bool PlacerRun::PlacePinned(Group& g) {
  for (int m : g.members) {
    auto it = options_.pinned.find(nodes_[static_cast<size_t>(m)]->name());
    if (it == options_.pinned.end()) continue;
    for (int d = 0; d < static_cast<int>(devices_.size()); ++d) {
      if (device_strings_[static_cast<size_t>(d)] == it->second) {
        g.requester = m;  // the pinned member decides for its group
        Assign(g, d, PlacementReason::kResourceDevice, "keeps the device of its first placement in this session");
        return true;
      }
    }
  }
  return false;
}

void PlacerRun::PlaceRequested(Group& g) {
  const int decider = g.requester >= 0 ? g.requester : g.members.front();
  const Node& dn = *nodes_[static_cast<size_t>(decider)];
  std::vector<int> c = Candidates(g, g.request);
  if (!c.empty()) {
    if (g.soft_colocation) {
      Assign(g, c.front(), PlacementReason::kSoftColocation, g.colocation_note);
    } else {
      Assign(g, c.front(), PlacementReason::kRequested, "explicit request " + g.request_spec);
    }
    return;
  }
  bool device_exists = false;
  for (const DeviceName& d : devices_) device_exists |= d.Matches(g.request);
  const std::string type = g.request.has_type ? g.request.type : "any";
  std::string why;
  std::string soft_detail;
  if (device_exists) {
    why = "no supported kernel for " + type + " devices is available (" + NoKernelDetail(g, type) + ")";
    soft_detail = NoKernelDetail(g, type);
  } else {
    why = "no devices matching that specification are registered in this process";
    if (g.request.has_type && g.request.type == "GPU" && !options_.no_gpu_reason.empty()) {
      why += " (" + options_.no_gpu_reason + ")";
    }
    soft_detail = g.request_spec + " does not exist";
    if (g.request.has_type && g.request.type == "GPU" && !options_.no_gpu_reason.empty()) {
      soft_detail += " (" + options_.no_gpu_reason + ")";
    }
  }
  if (options_.allow_soft_placement) {
    DeviceName relaxed = g.request;
    relaxed.has_type = relaxed.has_id = false;
    relaxed.type.clear();
    std::vector<int> c2 = Candidates(g, relaxed);
    if (!c2.empty()) {
      Assign(g, c2.front(), device_exists ? PlacementReason::kSoftNoKernel : PlacementReason::kSoftNoDevice,
             soft_detail);
      return;
    }
  }
  // Suggest the fallback device the user would get.
  DeviceName relaxed = g.request;
  relaxed.has_type = relaxed.has_id = false;
  std::vector<int> fallback = Candidates(g, relaxed);
  const std::string text = "Cannot assign a device for operation " + dn.name() + dn.DefinedAt() +
                           ": Could not satisfy explicit device specification '" + g.request_spec + "' because " + why +
                           ". Available devices: [ " + AvailableDevices(devices_) + " ].";
  AddError(Label(dn), text, g.request_spec + "|" + why);
  PlaceError& e = errors_.back();
  if (!fallback.empty()) e.fallback = devices_[static_cast<size_t>(fallback.front())].ToString();
  // Casting helps only an op with kernels of that type for other dtypes.
  const std::optional<DeviceType> t = ParseDeviceType(type);
  if (device_exists && t && registry_.HasKernels(dn.op(), *t)) e.no_kernel_type = type;
  e.advise = true;
}

void PlacerRun::PlaceUnconstrained(Group& g) {
  std::vector<int> c = Candidates(g, DeviceName());
  if (c.empty()) return;  // reported as "no kernel on any device" already
  if (g.members.size() == 1) {
    const Node& n = *nodes_[static_cast<size_t>(g.members.front())];
    if (IsMetadataOp(n) && n.num_inputs() > 0) {
      // The input may be outside the plan (fed, so pruned): then there is nothing to follow.
      const int src = IndexOf(n.inputs()[0].node());
      const int d = src >= 0 ? out_.device_index[static_cast<size_t>(src)] : -1;
      if (d >= 0 && d != c.front() && std::find(c.begin(), c.end(), d) != c.end()) {
        Assign(g, d, PlacementReason::kMetadataHeuristic,
               "metadata op placed with its input " + nodes_[static_cast<size_t>(src)]->name());
        return;
      }
    }
    if (IsGenerator(n)) {
      deferred_.push_back(group_of_[static_cast<size_t>(g.members.front())]);
      return;
    }
  }
  Assign(g, c.front(), PlacementReason::kDefaultPriority, "default: highest-priority device with a kernel");
}

void PlacerRun::PlaceGenerators() {
  // Consumers of each node within the plan.
  std::vector<std::vector<int>> consumers(nodes_.size());
  for (size_t i = 0; i < nodes_.size(); ++i) {
    for (const Output& in : nodes_[i]->inputs()) {
      const int src = IndexOf(in.node());
      if (src >= 0) consumers[static_cast<size_t>(src)].push_back(static_cast<int>(i));
    }
  }
  for (int gi : deferred_) {
    Group& g = groups_[static_cast<size_t>(gi)];
    const int m = g.members.front();
    std::vector<int> c = Candidates(g, DeviceName());
    int common = -1;
    bool agree = !consumers[static_cast<size_t>(m)].empty();
    for (int consumer : consumers[static_cast<size_t>(m)]) {
      int d = out_.device_index[static_cast<size_t>(consumer)];
      if (d < 0 || (common >= 0 && d != common)) agree = false;
      common = d;
    }
    if (agree && common != c.front() && std::find(c.begin(), c.end(), common) != c.end()) {
      Assign(g, common, PlacementReason::kGeneratorHeuristic,
             "source node placed with its consumer " +
                 nodes_[static_cast<size_t>(consumers[static_cast<size_t>(m)].front())]->name());
    } else {
      Assign(g, c.front(), PlacementReason::kDefaultPriority, "default: highest-priority device with a kernel");
    }
  }
}

const PlacerRun::NodeKernels& PlacerRun::KernelsOf(const Node& node) {
  // Kernel constraints are on dtype-valued attributes only: the op and those
  // dtypes (4 bits each, in attribute-name order) decide the answer.
  uint64_t packed = 0;
  int shift = 0;
  bool cacheable = true;
  for (const auto& [name, value] : node.attrs()) {
    const DataType* dt = std::get_if<DataType>(&value);
    if (dt == nullptr) continue;
    if (shift >= 64) {
      cacheable = false;
      break;
    }
    packed |= (static_cast<uint64_t>(*dt) + 1) << shift;
    shift += 4;
  }
  auto lookup = [&](NodeKernels* k) {
    k->types = registry_.SupportedDeviceTypes(node);
    for (DeviceType t : k->types) k->defs[static_cast<size_t>(t)] = registry_.Find(node, t);
  };
  if (!cacheable) {
    lookup(&uncached_.emplace_back());
    return uncached_.back();
  }
  auto [it, inserted] = types_cache_.try_emplace({&node.op_def(), packed});
  if (inserted) lookup(&it->second);
  return it->second;
}

StatusOr<Placement> PlacerRun::Run() {
  if (devices_.empty()) return FailedPreconditionError("No devices are registered");
  const size_t n = nodes_.size();
  out_.device_index.assign(n, -1);
  out_.records.resize(n);
  node_kernels_.resize(n);
  std::string registered_devices;
  for (const DeviceName& d : devices_) {
    if (registered_devices.find(d.type) == std::string::npos) {
      registered_devices += (registered_devices.empty() ? "" : ", ") + d.type;
    }
  }
  for (const DeviceName& d : devices_) {
    std::optional<DeviceType> type = ParseDeviceType(d.type);
    if (!type) return InvalidArgumentError("Device " + d.ToString() + " has an unknown device type");
    device_types_.push_back(*type);
    device_strings_.push_back(d.ToString());
  }
  for (int i = 0; i < static_cast<int>(devices_.size()); ++i) device_order_.push_back(i);
  std::stable_sort(device_order_.begin(), device_order_.end(), [&](int a, int b) {
    const int pa = DeviceTypePriority(device_types_[static_cast<size_t>(a)]);
    const int pb = DeviceTypePriority(device_types_[static_cast<size_t>(b)]);
    if (pa != pb) return pa > pb;
    return device_strings_[static_cast<size_t>(a)] < device_strings_[static_cast<size_t>(b)];
  });
  int max_id = -1;
  for (const Node* node : nodes_) max_id = std::max(max_id, node->id());
  index_of_id_.assign(static_cast<size_t>(max_id + 1), -1);
  for (size_t i = 0; i < n; ++i) {
    index_of_id_[static_cast<size_t>(nodes_[i]->id())] = static_cast<int>(i);
    node_kernels_[i] = &KernelsOf(*nodes_[i]);
    if (node_kernels_[i]->types.empty()) {
      const Node& node = *nodes_[i];
      AddError(Label(node),
               "No OpKernel was registered to support Op '" + node.op() + "' used by {{node " + node.name() + "}}" +
                   node.DefinedAt() + " with these attrs: [" + KernelDTypesString(node) + "]\nRegistered devices: [" +
                   registered_devices + "]\nRegistered kernels:\n" + registry_.ListKernels(node.op()),
               "no kernel|" + node.op() + "|" + KernelDTypesString(node));
    }
  }
  BuildGroups();
  for (Group& g : groups_) {
    ConstrainGroup(g);
    bool member_without_kernel = false;
    for (int m : g.members) member_without_kernel |= node_kernels_[static_cast<size_t>(m)]->types.empty();
    if (member_without_kernel) continue;
    if (g.types->empty()) {
      std::string names;
      for (int m : g.members) {
        names += (names.empty() ? "" : ", ") + nodes_[static_cast<size_t>(m)]->name() + " (" +
                 nodes_[static_cast<size_t>(m)]->op() + ")";
      }
      AddError(Label(*nodes_[static_cast<size_t>(g.members.front())]),
               "Cannot colocate nodes " + names +
                   " because no device type supports both of those nodes and the other nodes colocated with them.");
    }
  }
  if (errors_.empty()) {
    for (Group& g : groups_) PlaceGroup(g);
    PlaceGenerators();
  }
  if (!errors_.empty()) return InvalidArgumentError(ErrorMessage());
  // The chosen kernel travels with the placement: the plan need not look it up again.
  out_.kernels.resize(n);
  std::vector<DeviceType> types;  // the device types of the list, once each
  for (DeviceType t : device_types_) {
    if (std::find(types.begin(), types.end(), t) == types.end()) types.push_back(t);
  }
  for (size_t i = 0; i < n; ++i) {
    const DeviceType type = device_types_[static_cast<size_t>(out_.device_index[i])];
    out_.kernels[i] = node_kernels_[i]->defs[static_cast<size_t>(type)];
    for (DeviceType t : types) {
      if (node_kernels_[i]->defs[static_cast<size_t>(t)] == nullptr) {
        out_.records[i].no_kernel_on.emplace_back(DeviceTypeString(t));
      }
    }
  }
  return std::move(out_);
}

}  // namespace

StatusOr<Placement> Place(const std::vector<const Node*>& nodes, const std::vector<DeviceName>& devices,
                          const KernelRegistry& registry, const PlacerOptions& options) {
  PlacerRun run(nodes, devices, registry, options);
  StatusOr<Placement> p = run.Run();
  if (p.ok() && options.reduce_copies) ReduceCopies(nodes, devices, registry, &*p);
  return p;
}

}  // namespace tessera
