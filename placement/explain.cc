#include "tessera/explain.h"

#include <fmt/format.h>

#include <algorithm>
#include <set>

#include "placement/estimates.h"
#include "placement/placer.h"
#include "src/framework/json.h"
#include "src/framework/kernel_registry.h"
#include "src/framework/op_registry.h"

namespace tessera {
namespace {

using estimates::Elements;

// Ops that only move, describe or hold data: no arithmetic to count.
bool MovesDataOnly(const std::string& op) {
  static const std::set<std::string, std::less<>> kOps = {"Assign",
                                                          "ConcatV2",
                                                          "Const",
                                                          "ExpandDims",
                                                          "Fill",
                                                          "GatherV2",
                                                          "Identity",
                                                          "InitializedValue",
                                                          "IsVariableInitialized",
                                                          "NoOp",
                                                          "OneHot",
                                                          "OnesLike",
                                                          "Pack",
                                                          "Pad",
                                                          "PadV2",
                                                          "Placeholder",
                                                          "Print",
                                                          "Range",
                                                          "Rank",
                                                          "Reshape",
                                                          "Shape",
                                                          "Size",
                                                          "Slice",
                                                          "Split",
                                                          "SplitV",
                                                          "Squeeze",
                                                          "StopGradient",
                                                          "StridedSlice",
                                                          "Tile",
                                                          "Transpose",
                                                          "Unpack",
                                                          "VariableV2",
                                                          "Where",
                                                          "ZerosLike"};
  return kOps.count(op) > 0;
}

bool ReducesInput(const std::string& op) {
  static const std::set<std::string, std::less<>> kOps = {"All", "Any",  "ArgMax", "ArgMin", "Cumprod", "Cumsum",
                                                          "Max", "Mean", "Min",    "Prod",   "Sum"};
  return kOps.count(op) > 0;
}

double Percent(int64_t part, int64_t whole) {
  return whole > 0 ? 100.0 * static_cast<double>(part) / static_cast<double>(whole) : 0.0;
}

// The nodes a set of fetches needs (inputs and control inputs), in graph
// order; every node when there are no fetches.
StatusOr<std::vector<const Node*>> NodesToPlace(const Graph& graph, const std::vector<std::string>& fetches) {
  const std::vector<Node*> all = graph.nodes();
  if (fetches.empty()) return std::vector<const Node*>(all.begin(), all.end());
  std::vector<bool> needed(all.size(), false);
  std::vector<const Node*> stack;
  for (const std::string& name : fetches) {
    const Node* node = nullptr;
    if (name.find(':') != std::string::npos) {
      StatusOr<Output> o = graph.FindOutput(name);
      if (!o.ok()) return NotFoundError("ExplainOptions::fetches: " + o.status().message());
      node = o->node();
    } else {
      StatusOr<Operation> op = graph.FindOperation(name);
      if (!op.ok()) return NotFoundError("ExplainOptions::fetches: " + op.status().message());
      node = op->node();
    }
    stack.push_back(node);
  }
  while (!stack.empty()) {
    const Node* n = stack.back();
    stack.pop_back();
    if (needed[static_cast<size_t>(n->id())]) continue;
    needed[static_cast<size_t>(n->id())] = true;
    for (const Output& in : n->inputs()) stack.push_back(in.node());
    for (const Node* c : n->control_inputs()) stack.push_back(c);
  }
  std::vector<const Node*> nodes;
  for (const Node* n : all) {
    if (needed[static_cast<size_t>(n->id())]) nodes.push_back(n);
  }
  return nodes;
}

// The copies the plan builder would make for this placement (one per tensor
// and destination), with their bytes where the shape is known.
std::vector<PlannedCopy> PlannedCopies(const std::vector<const Node*>& nodes, const Placement& p,
                                       const std::vector<DeviceName>& devices, int64_t unknown_dim) {
  std::vector<int> index_of_id;
  for (size_t i = 0; i < nodes.size(); ++i) {
    const auto id = static_cast<size_t>(nodes[i]->id());
    if (index_of_id.size() <= id) index_of_id.resize(id + 1, -1);
    index_of_id[id] = static_cast<int>(i);
  }
  std::vector<PlannedCopy> copies;
  std::set<std::pair<std::string, std::string>> seen;
  for (size_t i = 0; i < nodes.size(); ++i) {
    const Node& node = *nodes[i];
    const int dst = p.device_index[i];
    for (int k = 0; k < node.num_inputs(); ++k) {
      if (node.op_def().is_ref_input(k)) continue;  // a variable is used where it lives
      const Output& in = node.inputs()[static_cast<size_t>(k)];
      const int src = index_of_id[static_cast<size_t>(in.node()->id())];
      const int src_dev = p.device_index[static_cast<size_t>(src)];
      const bool hmi = p.kernels[i] != nullptr && p.kernels[i]->IsHostMemoryInput(k, node.num_inputs());
      const DeviceName& s = devices[static_cast<size_t>(src_dev)];
      const DeviceName& d = devices[static_cast<size_t>(dst)];
      const CopyTarget t = CopyNeeded(src_dev == dst, s.type == "CPU", d.type == "CPU", in.dtype(), hmi);
      if (t == CopyTarget::kNone) continue;
      const std::string to = t == CopyTarget::kHost ? devices.front().ToString() : d.ToString();
      if (!seen.emplace(in.name(), to).second) continue;
      copies.push_back(PlannedCopy{in.name(), s.ToString(), to, estimates::Bytes(in, unknown_dim)});
    }
  }
  return copies;
}

}  // namespace

int64_t EstimateFlops(const Node& node, int64_t unknown_dim) {
  const std::string& op = node.op();
  if (MovesDataOnly(op)) return 0;
  if (op == "MatMul" && node.num_inputs() == 2) {
    const PartialShape& a = node.inputs()[0].shape();
    const PartialShape& b = node.inputs()[1].shape();
    if (a.rank() != 2 || b.rank() != 2) return 0;
    const bool* ta = node.attr<bool>("transpose_a");
    const bool* tb = node.attr<bool>("transpose_b");
    auto dim = [unknown_dim](int64_t d) { return d < 0 ? unknown_dim : d; };
    const int64_t m = dim((ta && *ta) ? a.dim(1) : a.dim(0));
    const int64_t k = dim((ta && *ta) ? a.dim(0) : a.dim(1));
    const int64_t n = dim((tb && *tb) ? b.dim(0) : b.dim(1));
    return estimates::Mul(estimates::Mul(estimates::Mul(2, m), n), k);
  }
  if (ReducesInput(op) && node.num_inputs() > 0)
    return std::max<int64_t>(0, Elements(node.inputs()[0].shape(), unknown_dim));
  int64_t flops = 0;
  for (int i = 0; i < node.num_outputs(); ++i) {
    flops = estimates::Add(flops, std::max<int64_t>(0, Elements(node.output_shape(i), unknown_dim)));
  }
  return flops;
}

StatusOr<PlacementExplanation> ExplainPlacement(const Graph& graph, const ExplainOptions& options) {
  if (options.num_cpus < 1 || options.num_cpus > 256) {
    return InvalidArgumentError("ExplainOptions::num_cpus must be in [1, 256], got " +
                                std::to_string(options.num_cpus));
  }
  if (options.num_gpus < 0 || options.num_gpus > 256) {
    return InvalidArgumentError("ExplainOptions::num_gpus must be in [0, 256], got " +
                                std::to_string(options.num_gpus));
  }
  if (options.unknown_dim < 0) {
    return InvalidArgumentError("ExplainOptions::unknown_dim must be >= 0, got " + std::to_string(options.unknown_dim));
  }
  TESSERA_ASSIGN_OR_RETURN(std::vector<const Node*> nodes, NodesToPlace(graph, options.fetches));
  std::vector<DeviceName> devices;
  for (int i = 0; i < options.num_cpus; ++i) devices.push_back(DeviceName::Local(DeviceType::kCpu, i));
  for (int i = 0; i < options.num_gpus; ++i) devices.push_back(DeviceName::Local(DeviceType::kGpu, i));
  std::optional<KernelRegistry> subset;
  if (options.gpu_ops) {
    const std::set<std::string, std::less<>> ops(options.gpu_ops->begin(), options.gpu_ops->end());
    subset = KernelRegistry::Global().Subset(
        [&ops](const KernelDef& d) { return d.device_type != DeviceType::kGpu || ops.count(d.op) > 0; });
  }
  PlacerOptions po;
  po.allow_soft_placement = options.allow_soft_placement;
  po.reduce_copies = options.reduce_copies;
  if (options.num_gpus == 0) po.no_gpu_reason = "the machine explained has no GPU";
  TESSERA_ASSIGN_OR_RETURN(Placement p, Place(nodes, devices, subset ? *subset : KernelRegistry::Global(), po));

  PlacementExplanation e;
  e.machine = fmt::format("{} CPU{}", options.num_cpus, options.num_cpus == 1 ? "" : "s");
  if (options.num_gpus > 0)
    fmt::format_to(std::back_inserter(e.machine), ", {} GPU{}", options.num_gpus, options.num_gpus == 1 ? "" : "s");
  for (const DeviceName& d : devices) e.devices.push_back(DeviceShare{d.ToString(), 0, 0});
  for (size_t i = 0; i < nodes.size(); ++i) {
    const int64_t f = EstimateFlops(*nodes[i], options.unknown_dim);
    DeviceShare& share = e.devices[static_cast<size_t>(p.device_index[i])];
    ++share.nodes;
    share.flops = estimates::Add(share.flops, f);
    e.total_flops = estimates::Add(e.total_flops, f);
    for (const std::string& t : p.records[i].no_kernel_on) ++e.no_kernel[t][nodes[i]->op()];
  }
  e.copies = PlannedCopies(nodes, p, devices, options.unknown_dim);
  for (const PlannedCopy& c : e.copies) e.copy_bytes = estimates::Add(e.copy_bytes, std::max<int64_t>(0, c.bytes));
  e.records = std::move(p.records);
  return e;
}

std::string PlacementExplanation::ToTable() const {
  size_t wn = 4, wo = 2, wd = 6;
  for (const PlacementRecord& r : records) {
    wn = std::max(wn, r.node.size());
    wo = std::max(wo, r.op.size());
    wd = std::max(wd, ShortDeviceName(r.assigned).size());
  }
  std::string out =
      fmt::format("Placement of {} node{} on {}:\n", records.size(), records.size() == 1 ? "" : "s", machine);
  size_t ws = 6;
  for (const PlacementRecord& r : records) ws = std::max(ws, r.source.size());
  fmt::format_to(std::back_inserter(out), "  {:<{}}  {:<{}}  {:<{}}  {:<{}}  why\n", "node", wn, "op", wo, "device", wd,
                 "source", ws);
  for (const PlacementRecord& r : records) {
    const bool plain = r.reason == PlacementReason::kRequested || r.reason == PlacementReason::kDefaultPriority;
    fmt::format_to(std::back_inserter(out), "  {:<{}}  {:<{}}  {:<{}}  {:<{}}  {}\n", r.node, wn, r.op, wo,
                   ShortDeviceName(r.assigned), wd, r.source, ws,
                   plain ? std::string(PlacementReasonName(r.reason)) : r.detail);
  }
  out += "Coverage (estimated FLOPs, unknown dimensions as set):\n";
  for (const DeviceShare& d : devices) {
    fmt::format_to(std::back_inserter(out), "  {:<{}}  {:>5} node{} ({:5.1f}%)  {:>11} ({:5.1f}%)\n",
                   ShortDeviceName(d.device), wd, d.nodes, d.nodes == 1 ? " " : "s",
                   Percent(d.nodes, static_cast<int64_t>(records.size())), estimates::Human(d.flops, "FLOP"),
                   Percent(d.flops, total_flops));
  }
  for (const auto& [type, ops] : no_kernel) {
    fmt::format_to(std::back_inserter(out), "No {} kernel ({} op type{}):", type, ops.size(),
                   ops.size() == 1 ? "" : "s");
    bool first = true;
    for (const auto& [op, n] : ops) {
      fmt::format_to(std::back_inserter(out), "{} {} \u00d7{}", first ? "" : ",", op, n);
      first = false;
    }
    out += "\n";
  }
  fmt::format_to(std::back_inserter(out), "Copies between devices: {}", copies.size());
  if (!copies.empty()) fmt::format_to(std::back_inserter(out), ", {} per step", estimates::Human(copy_bytes, "B"));
  out += "\n";
  for (const PlannedCopy& c : copies) {
    fmt::format_to(std::back_inserter(out), "  {}  {} -> {}  {}\n", c.tensor, ShortDeviceName(c.src_device),
                   ShortDeviceName(c.dst_device), estimates::Human(c.bytes, "B"));
  }
  return out;
}

std::string PlacementExplanation::ToJson() const {
  std::string out =
      "{\"machine\": " + JsonString(machine) + ", \"nodes\": " + PlacementRecordsToJson(records) + ", \"devices\": [";
  for (size_t i = 0; i < devices.size(); ++i) {
    fmt::format_to(std::back_inserter(out), "{}{{\"device\": {}, \"nodes\": {}, \"flops\": {}}}", i ? ", " : "",
                   JsonString(devices[i].device), devices[i].nodes, devices[i].flops);
  }
  out += "], \"no_kernel\": {";
  bool first_type = true;
  for (const auto& [type, ops] : no_kernel) {
    out += (first_type ? "" : ", ") + JsonString(type) + ": {";
    first_type = false;
    bool first = true;
    for (const auto& [op, n] : ops) {
      fmt::format_to(std::back_inserter(out), "{}{}: {}", first ? "" : ", ", JsonString(op), n);
      first = false;
    }
    out += "}";
  }
  out += "}, \"copies\": [";
  for (size_t i = 0; i < copies.size(); ++i) {
    fmt::format_to(std::back_inserter(out), "{}{{\"tensor\": {}, \"src\": {}, \"dst\": {}, \"bytes\": {}}}",
                   i ? ", " : "", JsonString(copies[i].tensor), JsonString(copies[i].src_device),
                   JsonString(copies[i].dst_device), copies[i].bytes);
  }
  fmt::format_to(std::back_inserter(out), "], \"total_flops\": {}, \"copy_bytes\": {}}}", total_flops, copy_bytes);
  return out;
}

}  // namespace tessera
