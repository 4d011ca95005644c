#include "src/runtime/cpu_device.h"

namespace tessera {

static DeviceAttributes CpuAttributes(int id) {
  DeviceAttributes a;
  a.name = DeviceName::Local(DeviceType::kCpu, id).ToString();
  a.device_type = "CPU";
  a.memory_limit_bytes = 256LL << 20;  // TF reports 256 MiB for CPU devices
  return a;
}

CpuDevice::CpuDevice(int id, CpuContext* context)
    : Device(DeviceName::Local(DeviceType::kCpu, id), CpuAttributes(id)),
      context_(context),
      streams_{CpuStream("CPU:" + std::to_string(id) + "/compute"), CpuStream("CPU:" + std::to_string(id) + "/h2d"),
               CpuStream("CPU:" + std::to_string(id) + "/d2h")} {}

}  // namespace tessera
