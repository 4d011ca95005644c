#include "src/runtime/device_mgr.h"

#include <algorithm>

#include "src/runtime/cpu_device.h"
#include "src/runtime/gpu_backend.h"
#include "src/runtime/logging.h"
#include "src/runtime/thread_pool.h"

namespace tessera {

size_t GpuMemoryLimit(int64_t total_memory, const GPUOptions& options) {
  const auto total = static_cast<size_t>(total_memory);
  if (options.per_process_gpu_memory_fraction > 0) {
    return static_cast<size_t>(static_cast<double>(total) * std::min(options.per_process_gpu_memory_fraction, 1.0));
  }
  const size_t reserve = total < (size_t{2} << 30) ? size_t{225} << 20 : std::max(size_t{300} << 20, total / 20);
  return total > reserve ? total - reserve : total / 2;
}

StatusOr<std::vector<int>> ParseVisibleDeviceList(const std::string& list, int visible_count) {
  std::vector<int> ids;
  if (list.empty()) {
    for (int i = 0; i < std::max(visible_count, 0); ++i) ids.push_back(i);
    return ids;
  }
  size_t start = 0;
  while (start <= list.size()) {
    size_t comma = list.find(',', start);
    std::string entry = list.substr(start, comma == std::string::npos ? std::string::npos : comma - start);
    bool digits = !entry.empty() && entry.size() < 9 && entry.find_first_not_of("0123456789") == std::string::npos;
    if (!digits) {
      return InvalidArgumentError("Could not parse entry in 'visible_device_list': '" + entry +
                                  "'. visible_device_list = " + list);
    }
    int id = std::stoi(entry);
    if (visible_count >= 0 && id >= visible_count) {
      return InvalidArgumentError("'visible_device_list' listed an invalid GPU id '" + entry +
                                  "' but visible device count is " + std::to_string(visible_count));
    }
    if (std::find(ids.begin(), ids.end(), id) != ids.end()) {
      return InvalidArgumentError("visible_device_list contained a duplicate entry: " + list);
    }
    ids.push_back(id);
    if (comma == std::string::npos) break;
    start = comma + 1;
  }
  return ids;
}

StatusOr<std::unique_ptr<DeviceMgr>> DeviceMgr::Create(const SessionOptions& options) {
  auto it = options.device_count.find("GPU");
  if (it != options.device_count.end() && it->second == 0) {
    // device_count {"GPU": 0}: CUDA is not even probed.
    static const GpuProbe* none = new GpuProbe();
    return CreateWith(options, *none, CreateGpuDevice);
  }
  return CreateWith(options, ProbeGpus(), CreateGpuDevice);
}

StatusOr<std::unique_ptr<DeviceMgr>> DeviceMgr::CreateWith(const SessionOptions& options, const GpuProbe& probe,
                                                           const GpuFactory& create_gpu) {
  auto mgr = std::unique_ptr<DeviceMgr>(new DeviceMgr());
  for (const auto& [type, count] : options.device_count) {
    if (count < 0) {
      return InvalidArgumentError("device_count[\"" + type + "\"] must be >= 0, got " + std::to_string(count));
    }
    if (type != "CPU" && type != "GPU") {
      return InvalidArgumentError("device_count names an unknown device type '" + type + "' (known: CPU, GPU)");
    }
  }
  int num_cpus = 1;
  if (auto it = options.device_count.find("CPU"); it != options.device_count.end()) num_cpus = it->second;
  if (num_cpus < 1)
    return InvalidArgumentError("device_count[\"CPU\"] must be at least 1: the CPU is the client device");
  if (options.intra_op_parallelism_threads < 0) {
    return InvalidArgumentError("intra_op_parallelism_threads must be >= 0");
  }
  mgr->cpu_context_ = std::make_unique<CpuContext>(ResolveThreadCount(options.intra_op_parallelism_threads));
  for (int i = 0; i < num_cpus; ++i) {
    mgr->owned_.push_back(std::make_unique<CpuDevice>(i, mgr->cpu_context_.get()));
  }

  int max_gpus = -1;
  if (auto it = options.device_count.find("GPU"); it != options.device_count.end()) max_gpus = it->second;
  if (max_gpus == 0) {
    mgr->no_gpu_reason_ = "GPUs are disabled by device_count {\"GPU\": 0}";
    // Still check the syntax of the visible list, so a typo is never silent.
    TESSERA_RETURN_IF_ERROR(ParseVisibleDeviceList(options.gpu_options.visible_device_list, -1).status());
  } else {
    const bool backend_up = !probe.gpus.empty();
    TESSERA_ASSIGN_OR_RETURN(std::vector<int> visible,
                             ParseVisibleDeviceList(options.gpu_options.visible_device_list,
                                                    backend_up ? static_cast<int>(probe.gpus.size()) : -1));
    if (!backend_up) {
      mgr->no_gpu_reason_ = probe.no_gpu_reason;
      LogOnce(LogSeverity::kInfo, "no-gpu", "No GPU devices: " + probe.no_gpu_reason);
    } else {
      int tf_id = 0;
      for (int physical : visible) {
        if (max_gpus >= 0 && tf_id >= max_gpus) break;
        StatusOr<std::unique_ptr<Device>> gpu =
            create_gpu(tf_id, probe.gpus[static_cast<size_t>(physical)], options.gpu_options);
        if (!gpu.ok()) {
          // A CUDA error at start-up is not a failure: the GPUs from here on are
          // left out, and the reason is kept and logged.
          mgr->no_gpu_reason_ =
              "GPU " + std::to_string(physical) + " could not be initialised: " + gpu.status().ToString();
          LogOnce(LogSeverity::kWarning, "gpu-init-" + std::to_string(physical), mgr->no_gpu_reason_);
          break;
        }
        mgr->owned_.push_back(std::move(*gpu));
        ++tf_id;
      }
      if (tf_id == 0 && mgr->no_gpu_reason_.empty()) {
        mgr->no_gpu_reason_ = "no GPU is visible (visible_device_list / device_count)";
      }
    }
  }
  for (auto& d : mgr->owned_) mgr->devices_.push_back(d.get());
  return mgr;
}

DeviceMgr::~DeviceMgr() = default;

Device* DeviceMgr::Find(std::string_view full_name) const {
  for (Device* d : devices_) {
    if (d->name() == full_name) return d;
  }
  return nullptr;
}

std::string DeviceMgr::DeviceMappingString() const {
  std::string lines;
  for (Device* d : devices_) {
    if (!d->attributes().physical_device_desc.empty()) {
      lines += d->name() + " -> " + d->attributes().physical_device_desc + "\n";
    }
  }
  if (lines.empty()) return "Device mapping: no known devices.";
  return "Device mapping:\n" + lines.substr(0, lines.size() - 1);
}

}  // namespace tessera
