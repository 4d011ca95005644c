#include "src/framework/kernel_registry.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>

#include "src/framework/op_registry.h"

namespace tessera {

const KernelRegistry& KernelRegistry::Global() {
  static KernelRegistry* registry = [] {
    auto* r = new KernelRegistry();
    Status s = RegisterCpuKernels(*r);
    if (s.ok()) s = RegisterCudaKernels(*r);
    // The tables are ours: a conflict is a bug in tessera, found by every test.
    if (!s.ok()) internal::DieBadStatusOrAccess(s);
    return r;
  }();
  return *registry;
}

// Two constraint lists overlap when some node could satisfy both: every
// attribute the two share has a dtype in common.
static bool Overlaps(const KernelDef& a, const KernelDef& b) {
  for (const auto& [attr, allowed] : a.type_constraints) {
    for (const auto& [battr, ballowed] : b.type_constraints) {
      if (attr != battr) continue;
      bool common = false;
      for (DataType t : allowed) common |= std::find(ballowed.begin(), ballowed.end(), t) != ballowed.end();
      if (!common) return false;
    }
  }
  return true;
}

Status KernelRegistry::Register(KernelDef def) {
  auto [lo, hi] = kernels_.equal_range(def.op);
  for (auto it = lo; it != hi; ++it) {
    if (it->second.device_type == def.device_type && Overlaps(it->second, def)) {
      return AlreadyExistsError(
          fmt::format("A kernel for {} on {} is already registered for an overlapping set of dtypes", def.op,
                      DeviceTypeString(def.device_type)));
    }
  }
  std::string op = def.op;
  kernels_.emplace(std::move(op), std::move(def));
  return Status::OK();
}

bool KernelRegistry::HasKernels(std::string_view op, DeviceType device_type) const {
  auto [lo, hi] = kernels_.equal_range(op);
  for (auto it = lo; it != hi; ++it) {
    if (it->second.device_type == device_type) return true;
  }
  return false;
}

static bool Satisfies(const KernelDef& k, const Node& node) {
  for (const auto& [attr, allowed] : k.type_constraints) {
    const DataType* dt = node.attr<DataType>(attr);
    if (dt == nullptr || std::find(allowed.begin(), allowed.end(), *dt) == allowed.end()) return false;
  }
  return true;
}

const KernelDef* KernelRegistry::Find(const Node& node, DeviceType device_type) const {
  auto [lo, hi] = kernels_.equal_range(node.op());
  for (auto it = lo; it != hi; ++it) {
    if (it->second.device_type == device_type && Satisfies(it->second, node)) return &it->second;
  }
  return nullptr;
}

std::vector<DeviceType> KernelRegistry::SupportedDeviceTypes(const Node& node) const {
  std::vector<DeviceType> types;
  auto [lo, hi] = kernels_.equal_range(node.op());
  for (auto it = lo; it != hi; ++it) {
    if (Satisfies(it->second, node) && std::find(types.begin(), types.end(), it->second.device_type) == types.end()) {
      types.push_back(it->second.device_type);
    }
  }
  std::stable_sort(types.begin(), types.end(),
                   [](DeviceType a, DeviceType b) { return DeviceTypePriority(a) > DeviceTypePriority(b); });
  return types;
}

std::string KernelRegistry::ListKernels(std::string_view op) const {
  std::string out;
  auto [lo, hi] = kernels_.equal_range(op);
  for (auto it = lo; it != hi; ++it) {
    fmt::format_to(std::back_inserter(out), "  device='{}'", DeviceTypeString(it->second.device_type));
    for (const auto& [attr, allowed] : it->second.type_constraints) {
      std::vector<std::string_view> names;
      for (DataType t : allowed) names.push_back(DataTypeEnumString(t));
      fmt::format_to(std::back_inserter(out), "; {} in [{}]", attr, fmt::join(names, ", "));
    }
    out += "\n";
  }
  if (out.empty()) out = "  <no registered kernels>\n";
  return out;
}

KernelRegistry KernelRegistry::Subset(const std::function<bool(const KernelDef&)>& keep) const {
  KernelRegistry out;
  for (const auto& [op, def] : kernels_) {
    if (keep(def)) out.kernels_.emplace(op, def);
  }
  return out;
}

std::vector<std::pair<std::string, DeviceType>> KernelRegistry::Keys() const {
  std::vector<std::pair<std::string, DeviceType>> keys;
  for (const auto& [op, k] : kernels_) keys.emplace_back(op, k.device_type);
  return keys;
}

bool InHostMemory(bool device_on_host, DataType dtype) {
  return device_on_host || dtype == DataType::kInt32 || dtype == DataType::kString;
}

CopyTarget CopyNeeded(bool same_device, bool src_on_host, bool dst_on_host, DataType dtype, bool host_memory_input) {
  const bool src_host = InHostMemory(src_on_host, dtype);
  const bool need_host = InHostMemory(dst_on_host, dtype) || host_memory_input;
  if (same_device) return src_host == need_host ? CopyTarget::kNone : CopyTarget::kHost;
  // Across host devices (CPU:0 -> CPU:1) the copy is real, so multi-CPU runs
  // exercise the same copy steps as CPU <-> GPU.
  if (dst_on_host) return CopyTarget::kDestination;
  if (need_host) return src_host ? CopyTarget::kNone : CopyTarget::kHost;
  return CopyTarget::kDestination;
}

std::vector<DataType> KernelDTypes(const Node& node) {
  std::vector<DataType> out;
  for (const std::string& a : node.op_def().type_attrs) {
    if (const DataType* dt = node.attr<DataType>(a)) out.push_back(*dt);
  }
  return out;
}

std::string KernelDTypesString(const Node& node) {
  std::string s;
  for (const std::string& a : node.op_def().type_attrs) {
    if (const DataType* dt = node.attr<DataType>(a)) {
      if (!s.empty()) s += ", ";
      s += a + "=" + std::string(DataTypeString(*dt));
    }
  }
  return s;
}

}  // namespace tessera
