#include "tessera/device_name.h"

#include <cctype>
#include <iterator>
#include <vector>

namespace tessera {
namespace {

Status Malformed(std::string_view spec) {
  return InvalidArgumentError("Malformed device specification '" + std::string(spec) +
                              "': expected a form such as /cpu:0, /gpu:1, /device:GPU:0, /device:GPU:* or "
                              "/job:localhost/replica:0/task:0/device:CPU:0");
}

bool ParseInt(std::string_view s, int* out) {
  if (s.empty() || s.size() > 9) return false;
  int v = 0;
  for (char c : s) {
    if (c < '0' || c > '9') return false;
    v = v * 10 + (c - '0');
  }
  *out = v;
  return true;
}

bool ValidJob(std::string_view s) {
  if (s.empty() || !std::isalpha(static_cast<unsigned char>(s[0]))) return false;
  for (char c : s) {
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '_') return false;
  }
  return true;
}

bool ValidType(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s) {
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '_') return false;
  }
  return true;
}

std::string CanonicalType(std::string_view t) {
  if (t == "cpu") return "CPU";
  if (t == "gpu") return "GPU";
  return std::string(t);
}

// "*" leaves the field unset; otherwise an integer.
bool ParseIdField(std::string_view s, bool* has, int* v) {
  if (s == "*") {
    *has = false;
    return true;
  }
  *has = true;
  return ParseInt(s, v);
}

}  // namespace

StatusOr<DeviceName> DeviceName::Parse(std::string_view spec) {
  DeviceName d;
  std::string_view rest = spec;
  if (rest.empty() || rest == "/") return d;
  if (rest.front() == '/') rest.remove_prefix(1);
  std::vector<std::string_view> parts;
  while (true) {
    size_t slash = rest.find('/');
    parts.push_back(rest.substr(0, slash));
    if (slash == std::string_view::npos) break;
    rest.remove_prefix(slash + 1);
  }
  bool seen[4] = {};  // job, replica, task, device: each at most once
  for (std::string_view part : parts) {
    size_t colon = part.find(':');
    if (colon == std::string_view::npos) return Malformed(spec);
    std::string_view key = part.substr(0, colon), val = part.substr(colon + 1);
    const int field = key == "job" ? 0 : key == "replica" ? 1 : key == "task" ? 2 : 3;
    if (seen[field]) {
      return InvalidArgumentError("Malformed device specification '" + std::string(spec) + "': the " +
                                  (field == 3 ? std::string("device") : std::string(key)) +
                                  " field is given more than once");
    }
    seen[field] = true;
    if (key == "job") {
      if (val == "*") continue;
      if (!ValidJob(val)) return Malformed(spec);
      d.has_job = true;
      d.job = std::string(val);
    } else if (key == "replica") {
      if (!ParseIdField(val, &d.has_replica, &d.replica)) return Malformed(spec);
    } else if (key == "task") {
      if (!ParseIdField(val, &d.has_task, &d.task)) return Malformed(spec);
    } else if (key == "device") {
      // TYPE, TYPE:ID, TYPE:*, or *
      size_t c2 = val.find(':');
      std::string_view type = val.substr(0, c2);
      if (type != "*") {
        if (!ValidType(type)) return Malformed(spec);
        d.has_type = true;
        d.type = CanonicalType(type);
      }
      if (c2 != std::string_view::npos) {
        if (!ParseIdField(val.substr(c2 + 1), &d.has_id, &d.id)) return Malformed(spec);
      }
    } else if (key == "cpu" || key == "CPU" || key == "gpu" || key == "GPU") {
      d.has_type = true;
      d.type = CanonicalType(key == "cpu" || key == "CPU" ? "cpu" : "gpu");
      if (!ParseIdField(val, &d.has_id, &d.id)) return Malformed(spec);
    } else {
      return Malformed(spec);
    }
  }
  return d;
}

const char* DeviceTypeString(DeviceType type) {
  static constexpr const char* kNames[] = {"CPU", "GPU"};
  static_assert(std::size(kNames) == kNumDeviceTypes);
  return kNames[static_cast<int>(type)];
}

std::string ShortDeviceName(std::string_view full) {
  const size_t at = full.find("/device:");
  return std::string(at == std::string_view::npos ? full : full.substr(at + 8));
}

std::optional<DeviceType> ParseDeviceType(std::string_view name) {
  for (int i = 0; i < kNumDeviceTypes; ++i) {
    if (name == DeviceTypeString(static_cast<DeviceType>(i))) return static_cast<DeviceType>(i);
  }
  return std::nullopt;
}

int DeviceTypePriority(DeviceType type) { return type == DeviceType::kGpu ? 210 : 70; }

DeviceName DeviceName::Local(DeviceType type, int id) {
  DeviceName d;
  d.has_job = d.has_replica = d.has_task = d.has_type = d.has_id = true;
  d.job = "localhost";
  d.type = DeviceTypeString(type);
  d.id = id;
  return d;
}

std::string DeviceName::ToString() const {
  std::string s;
  if (has_job) s += "/job:" + job;
  if (has_replica) s += "/replica:" + std::to_string(replica);
  if (has_task) s += "/task:" + std::to_string(task);
  if (has_type) {
    s += "/device:" + type + ":" + (has_id ? std::to_string(id) : "*");
  } else if (has_id) {
    s += "/device:*:" + std::to_string(id);
  }
  return s;
}

std::string DeviceName::ToShortString() const {
  if (!has_job && !has_replica && !has_task && has_type && has_id && (type == "CPU" || type == "GPU")) {
    return std::string(type == "CPU" ? "/cpu:" : "/gpu:") + std::to_string(id);
  }
  return ToString();
}

bool DeviceName::Matches(const DeviceName& spec) const {
  if (spec.has_job && (!has_job || job != spec.job)) return false;
  if (spec.has_replica && (!has_replica || replica != spec.replica)) return false;
  if (spec.has_task && (!has_task || task != spec.task)) return false;
  if (spec.has_type && (!has_type || type != spec.type)) return false;
  if (spec.has_id && (!has_id || id != spec.id)) return false;
  return true;
}

DeviceName DeviceName::MergedWith(const DeviceName& inner) const {
  DeviceName d = *this;
  if (inner.has_job) {
    d.has_job = true;
    d.job = inner.job;
  }
  if (inner.has_replica) {
    d.has_replica = true;
    d.replica = inner.replica;
  }
  if (inner.has_task) {
    d.has_task = true;
    d.task = inner.task;
  }
  if (inner.has_type) {
    d.has_type = true;
    d.type = inner.type;
  }
  if (inner.has_id) {
    d.has_id = true;
    d.id = inner.id;
  }
  return d;
}

StatusOr<DeviceName> DeviceName::MergeForColocation(const DeviceName& a, const DeviceName& b,
                                                    bool allow_soft_placement) {
  DeviceName d = a;
  if (b.has_job) {
    if (d.has_job && d.job != b.job) {
      return InvalidArgumentError("Cannot merge devices with incompatible jobs: '" + a.ToString() + "' and '" +
                                  b.ToString() + "'");
    }
    d.has_job = true;
    d.job = b.job;
  }
  if (b.has_replica) {
    if (d.has_replica && d.replica != b.replica) {
      return InvalidArgumentError("Cannot merge devices with incompatible replicas: '" + a.ToString() + "' and '" +
                                  b.ToString() + "'");
    }
    d.has_replica = true;
    d.replica = b.replica;
  }
  if (b.has_task) {
    if (d.has_task && d.task != b.task) {
      return InvalidArgumentError("Cannot merge devices with incompatible tasks: '" + a.ToString() + "' and '" +
                                  b.ToString() + "'");
    }
    d.has_task = true;
    d.task = b.task;
  }
  if (b.has_type) {
    if (d.has_type && d.type != b.type) {
      if (!allow_soft_placement) {
        return InvalidArgumentError("Cannot merge devices with incompatible types: '" + a.ToString() + "' and '" +
                                    b.ToString() + "'");
      }
      d.has_type = d.has_id = false;
      d.type.clear();
      return d;
    }
    d.has_type = true;
    d.type = b.type;
  }
  if (b.has_id) {
    if (d.has_id && d.id != b.id) {
      if (!allow_soft_placement) {
        return InvalidArgumentError("Cannot merge devices with incompatible ids: '" + a.ToString() + "' and '" +
                                    b.ToString() + "'");
      }
      d.has_id = false;
      return d;
    }
    d.has_id = true;
    d.id = b.id;
  }
  return d;
}

}  // namespace tessera
