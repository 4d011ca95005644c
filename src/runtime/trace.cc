// RunMetadataToChromeTrace (declared in tessera/session.h): Chrome's trace
// event format, "X" (complete) events with "M" metadata naming processes
// (devices) and threads (tracks).
#include <fmt/format.h>

#include <map>
#include <tuple>

#include "src/framework/json.h"
#include "tessera/device_name.h"
#include "tessera/session.h"

namespace tessera {
namespace {

bool IsHostDevice(const std::string& device) { return device.find("/device:CPU:") != std::string::npos; }

// "1234.567": nanoseconds as the microseconds the format counts in.
std::string Micros(int64_t nanos) { return fmt::format("{}.{:03d}", nanos / 1000, static_cast<int>(nanos % 1000)); }

const char* Direction(const NodeExecStats& st) {
  const bool from_host = IsHostDevice(st.src_device);
  const bool to_host = IsHostDevice(st.device);
  if (from_host && to_host) return "host to host";
  if (from_host) return "host to device";
  if (to_host) return "device to host";
  return "device to device";
}

// The track of an event: its kind and executing thread, within its device.
struct Track {
  int pid;
  int tid;
};

class TraceWriter {
 public:
  std::string Write(const RunMetadata& md) {
    for (const NodeExecStats& st : md.step_stats) Event(st);
    std::string out = "{\"displayTimeUnit\": \"ns\", \"traceEvents\": [";
    bool first = true;
    for (const std::string& e : metadata_) {
      out += (first ? "\n" : ",\n") + e;
      first = false;
    }
    for (const std::string& e : events_) {
      out += (first ? "\n" : ",\n") + e;
      first = false;
    }
    return out + "\n]}\n";
  }

 private:
  int Process(const std::string& device) {
    auto [it, added] = pids_.emplace(device, static_cast<int>(pids_.size()));
    if (added) {
      metadata_.push_back(
          fmt::format("{{\"ph\": \"M\", \"name\": \"process_name\", \"pid\": {}, \"args\": {{\"name\": {}}}}}",
                      it->second, JsonString(device.empty() ? "host (the Run's caller)" : device)));
      metadata_.push_back(fmt::format(
          "{{\"ph\": \"M\", \"name\": \"process_sort_index\", \"pid\": {}, \"args\": {{\"sort_index\": {}}}}}",
          it->second, it->second));
    }
    return it->second;
  }

  // The track of an event: per device, its kind and executing thread; the
  // device's own compute stream (device times) is one more track.
  Track TrackOf(const NodeExecStats& st, bool device_time = false) {
    const int pid = Process(st.device);
    static constexpr const char* kRole[] = {"compute", "copies in", "host waits", "compute stream (device time)"};
    const int role = device_time ? 3 : static_cast<int>(st.kind);
    auto thread = device_time ? 0 : threads_.emplace(st.thread_id, static_cast<int>(threads_.size())).first->second;
    auto [it, added] = tids_.emplace(std::make_tuple(pid, role, thread), static_cast<int>(tids_.size()));
    if (added) {
      metadata_.push_back(fmt::format(
          "{{\"ph\": \"M\", \"name\": \"thread_name\", \"pid\": {}, \"tid\": {}, \"args\": {{\"name\": \"{}\"}}}}", pid,
          it->second, device_time ? std::string(kRole[role]) : fmt::format("{}, thread {}", kRole[role], thread)));
    }
    return Track{pid, it->second};
  }

  void Event(const NodeExecStats& st) {
    const Track t = TrackOf(st);
    std::string args = fmt::format("\"op\": {}, \"device\": {}", JsonString(st.op), JsonString(st.device));
    if (!st.outputs.empty()) {
      args += ", \"outputs\": [";
      for (size_t i = 0; i < st.outputs.size(); ++i) args += (i ? ", " : "") + JsonString(st.outputs[i]);
      args += "]";
    }
    if (st.kind != NodeExecStats::Kind::kHostWait)
      fmt::format_to(std::back_inserter(args), ", \"bytes\": {}", st.bytes);
    const char* cat = "op";
    if (st.kind == NodeExecStats::Kind::kCopy) {
      cat = "copy";
      fmt::format_to(std::back_inserter(args), ", \"from\": {}, \"to\": {}, \"direction\": \"{}\"",
                     JsonString(st.src_device), JsonString(st.device), Direction(st));
      // A copy to the host blocks its thread until the device has finished.
      if (!IsHostDevice(st.src_device) && IsHostDevice(st.device)) args += ", \"host_waits\": true";
    } else if (st.kind == NodeExecStats::Kind::kHostWait) {
      cat = "wait";
    }
    const std::string name = st.kind == NodeExecStats::Kind::kCopy
                                 ? fmt::format("{} {} -> {}", st.node_name.substr(0, st.node_name.find(" -> ")),
                                               ShortDeviceName(st.src_device), ShortDeviceName(st.device))
                                 : st.node_name;
    events_.push_back(fmt::format(
        "{{\"ph\": \"X\", \"name\": {}, \"cat\": \"{}\", \"pid\": {}, \"tid\": {}, \"ts\": {}, \"dur\": {}, \"args\": "
        "{{{}}}}}",
        JsonString(name), cat, t.pid, t.tid, Micros(st.start_nanos), Micros(st.end_nanos - st.start_nanos), args));
    if (st.device_start_nanos >= 0 && st.device_end_nanos >= st.device_start_nanos) {
      const Track d = TrackOf(st, /*device_time=*/true);
      events_.push_back(fmt::format(
          "{{\"ph\": \"X\", \"name\": {}, \"cat\": \"device\", \"pid\": {}, \"tid\": {}, \"ts\": {}, \"dur\": {}, "
          "\"args\": {{{}}}}}",
          JsonString(name), d.pid, d.tid, Micros(st.device_start_nanos),
          Micros(st.device_end_nanos - st.device_start_nanos), args));
    }
  }

  std::map<std::string, int> pids_;
  std::map<uint64_t, int> threads_;
  std::map<std::tuple<int, int, int>, int> tids_;
  std::vector<std::string> metadata_;
  std::vector<std::string> events_;
};

}  // namespace

std::string RunMetadataToChromeTrace(const RunMetadata& metadata) { return TraceWriter().Write(metadata); }

}  // namespace tessera
