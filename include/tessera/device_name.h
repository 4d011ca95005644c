// DeviceName: a device identity or a partial device specification.
//
//   DeviceName::Parse("/gpu:1")          -> type GPU, id 1
//   DeviceName::Parse("/device:GPU:*")   -> type GPU, any id
//   DeviceName::Parse("/job:localhost/replica:0/task:0/device:CPU:0")
//   DeviceName::Parse("/cpu:zero")       -> InvalidArgument "Malformed device specification '/cpu:zero'"
//
// TensorFlow's grammar: any subset of /job:<name>/replica:<n>/task:<n>/device:<TYPE>:<id>,
// '*' for any field, the legacy forms /cpu:N /CPU:N /gpu:N /GPU:N, and
// /device:GPU with no id meaning any id. Unset fields match anything.
//
// Thread-safety: value type.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "tessera/status.h"

namespace tessera {

// The kinds of device tessera has kernels for.
enum class DeviceType : uint8_t { kCpu, kGpu, kCount };
inline constexpr int kNumDeviceTypes = static_cast<int>(DeviceType::kCount);

// "CPU", "GPU".
const char* DeviceTypeString(DeviceType type);
// The type named "CPU" or "GPU" (as in a DeviceName); nullopt for any other name.
std::optional<DeviceType> ParseDeviceType(std::string_view name);
// "GPU:0" for "/job:localhost/replica:0/task:0/device:GPU:0": what follows
// "/device:" (the whole name when there is none), for tables and pictures.
std::string ShortDeviceName(std::string_view full);
// Placement priority (higher first): GPU 210, CPU 70, as in TF.
int DeviceTypePriority(DeviceType type);

struct DeviceName {
  bool has_job = false;
  std::string job;
  bool has_replica = false;
  int replica = 0;
  bool has_task = false;
  int task = 0;
  bool has_type = false;
  std::string type;  // "CPU", "GPU"
  bool has_id = false;
  int id = 0;

  static StatusOr<DeviceName> Parse(std::string_view spec);
  // The full name of a local device: /job:localhost/replica:0/task:0/device:TYPE:id.
  static DeviceName Local(DeviceType type, int id);

  bool empty() const { return !has_job && !has_replica && !has_task && !has_type && !has_id; }
  bool fully_specified() const { return has_job && has_replica && has_task && has_type && has_id; }

  // Canonical form of the fields that are set, e.g. "/device:GPU:1",
  // "/job:localhost/replica:0/task:0/device:CPU:0", "/device:GPU:*"; "" when empty.
  std::string ToString() const;
  // Legacy short form "/gpu:1" or "/cpu:0" when only type and id are set, else ToString().
  std::string ToShortString() const;

  // True when every field set in `spec` equals this name's field.
  bool Matches(const DeviceName& spec) const;

  // Scope merging: fields set in `inner` override this one's.
  DeviceName MergedWith(const DeviceName& inner) const;

  // Colocation merging: fields set on both must agree. A job, replica or task
  // conflict is always an error; a type or id conflict is an error unless
  // `allow_soft_placement`, in which case type and id become unset.
  static StatusOr<DeviceName> MergeForColocation(const DeviceName& a, const DeviceName& b, bool allow_soft_placement);

  friend bool operator==(const DeviceName& a, const DeviceName& b) { return a.ToString() == b.ToString(); }
};

}  // namespace tessera
