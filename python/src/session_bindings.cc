// Session, its options, RunMetadata and the device list. Run releases the GIL;
// the session's log reaches a Python callable (the package routes it to the
// `logging` module).
#include <nanobind/stl/map.h>
#include <nanobind/stl/optional.h>
#include <nanobind/stl/pair.h>
#include <nanobind/stl/shared_ptr.h>
#include <nanobind/stl/string.h>
#include <nanobind/stl/vector.h>

#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "python/src/common.h"
#include "tessera/session.h"

using namespace nanobind::literals;

namespace tessera::python {
namespace {

// A Python object whose last reference may be dropped on any thread: the
// decrement takes the GIL (and is skipped once the interpreter is gone).
std::shared_ptr<PyObject> HoldAcrossThreads(nb::handle obj) {
  Py_INCREF(obj.ptr());
  return std::shared_ptr<PyObject>(obj.ptr(), [](PyObject* p) {
    if (!Py_IsInitialized()) return;
    PyGILState_STATE s = PyGILState_Ensure();
    Py_DECREF(p);
    PyGILState_Release(s);
  });
}

void SetLogHandler(SessionOptions& options, nb::handle handler) {
  if (handler.is_none()) return;
  std::shared_ptr<PyObject> held = HoldAcrossThreads(handler);
  options.log_record_sink = [held](const LogRecord& r) {
    if (!Py_IsInitialized()) return;
    PyGILState_STATE s = PyGILState_Ensure();
    try {
      nb::handle(held.get())(r.level, static_cast<int>(r.kind), nb::str(r.text.data(), r.text.size()));
    } catch (nb::python_error& e) {
      e.discard_as_unraisable(held.get());
    }
    PyGILState_Release(s);
  };
}

nb::list RunSession(PySession& self, const std::vector<std::pair<Output, nb::handle>>& feed_values,
                    const std::vector<Output>& fetches, const std::vector<Node*>& target_nodes, int64_t timeout_ms,
                    bool trace, RunMetadata* metadata) {
  if (!self.session) RaiseStatus(CancelledError("Session has been closed."));
  Session::FeedList feeds;
  feeds.reserve(feed_values.size());
  for (const auto& [out, value] : feed_values) feeds.emplace_back(out, TensorFromArray(value));
  std::vector<Operation> targets(target_nodes.begin(), target_nodes.end());
  StatusOr<std::vector<Tensor>> result = std::vector<Tensor>();
  {
    nb::gil_scoped_release release;
    if (timeout_ms == 0 && !trace && metadata == nullptr) {
      result = self.session->Run(feeds, fetches, targets);
    } else {
      RunOptions o;
      o.timeout_in_ms = timeout_ms;
      o.trace_level = trace ? RunOptions::TraceLevel::kFullTrace : RunOptions::TraceLevel::kNoTrace;
      result = self.session->Run(o, feeds, fetches, targets, metadata);
    }
  }
  if (!result.ok()) RaiseStatus(result.status());
  nb::list out;
  for (const Tensor& t : *result) out.append(ArrayFromTensor(t));
  return out;
}

// The common case, run(tensor, feed_dict), without the general path's
// conversions: `feed_list` is a list of (Output, array) tuples.
nb::object RunOne(PySession& self, nb::handle feed_list, const Output& fetch) {
  if (!self.session) RaiseStatus(CancelledError("Session has been closed."));
  if (!PyList_Check(feed_list.ptr())) throw nb::type_error("run1: feeds must be a list of (Output, array) tuples");
  Session::FeedList feeds;
  const Py_ssize_t n = PyList_GET_SIZE(feed_list.ptr());
  feeds.reserve(static_cast<size_t>(n));
  for (Py_ssize_t i = 0; i < n; ++i) {
    PyObject* pair = PyList_GET_ITEM(feed_list.ptr(), i);
    if (!PyTuple_Check(pair) || PyTuple_GET_SIZE(pair) != 2) throw nb::type_error("run1: a feed is an (Output, array)");
    feeds.emplace_back(nb::cast<const Output&>(nb::handle(PyTuple_GET_ITEM(pair, 0))),
                       TensorFromArray(PyTuple_GET_ITEM(pair, 1)));
  }
  const std::vector<Output> fetches{fetch};
  StatusOr<std::vector<Tensor>> result = std::vector<Tensor>();
  {
    nb::gil_scoped_release release;
    result = self.session->Run(feeds, fetches);
  }
  if (!result.ok()) RaiseStatus(result.status());
  return ArrayFromTensor((*result)[0]);
}

void BindOptions(nb::module_& m) {
  nb::class_<GPUOptions>(m, "GPUOptions")
      .def(nb::init<>())
      .def_rw("per_process_gpu_memory_fraction", &GPUOptions::per_process_gpu_memory_fraction)
      .def_rw("allow_growth", &GPUOptions::allow_growth)
      .def_rw("visible_device_list", &GPUOptions::visible_device_list);
  nb::class_<SessionOptions>(m, "SessionOptions")
      .def(nb::init<>())
      .def_rw("device_count", &SessionOptions::device_count)
      .def_rw("intra_op_parallelism_threads", &SessionOptions::intra_op_parallelism_threads)
      .def_rw("inter_op_parallelism_threads", &SessionOptions::inter_op_parallelism_threads)
      .def_rw("allow_soft_placement", &SessionOptions::allow_soft_placement)
      .def_rw("log_device_placement", &SessionOptions::log_device_placement)
      .def_rw("place_pruned_graph", &SessionOptions::place_pruned_graph)
      .def_rw("min_log_level", &SessionOptions::min_log_level)
      .def_rw("operation_timeout_in_ms", &SessionOptions::operation_timeout_in_ms)
      .def_rw("plan_cache_capacity", &SessionOptions::plan_cache_capacity)
      .def_rw("gpu_options", &SessionOptions::gpu_options);
}

void BindMetadata(nb::module_& m) {
  nb::class_<NodeExecStats>(m, "NodeExecStats")
      .def_ro("node_name", &NodeExecStats::node_name)
      .def_ro("op", &NodeExecStats::op)
      .def_ro("device", &NodeExecStats::device)
      .def_ro("all_start_micros", &NodeExecStats::start_micros)
      .def_ro("all_end_micros", &NodeExecStats::end_micros)
      .def_ro("outputs", &NodeExecStats::outputs)
      .def_ro("bytes", &NodeExecStats::bytes);
  nb::class_<PlacementRecord>(m, "PlacementRecord")
      .def_ro("node", &PlacementRecord::node)
      .def_ro("op", &PlacementRecord::op)
      .def_ro("requested", &PlacementRecord::requested)
      .def_ro("assigned", &PlacementRecord::assigned)
      .def_prop_ro("reason", [](const PlacementRecord& r) { return std::string(PlacementReasonName(r.reason)); })
      .def_ro("detail", &PlacementRecord::detail)
      .def_ro("source", &PlacementRecord::source);
  nb::class_<CopyRecord>(m, "CopyRecord")
      .def_ro("tensor", &CopyRecord::tensor)
      .def_ro("src_device", &CopyRecord::src_device)
      .def_ro("dst_device", &CopyRecord::dst_device)
      .def_ro("bytes", &CopyRecord::bytes);
  nb::class_<RunMetadata>(m, "RunMetadata")
      .def(nb::init<>())
      .def_ro("step_stats", &RunMetadata::step_stats)
      .def_ro("placement", &RunMetadata::placement)
      .def_ro("copies", &RunMetadata::copies)
      .def("to_chrome_trace", [](const RunMetadata& md) { return RunMetadataToChromeTrace(md); })
      .def("placement_json", [](const RunMetadata& md) { return PlacementRecordsToJson(md.placement); });
  nb::class_<DeviceAttributes>(m, "DeviceAttributes")
      .def_ro("name", &DeviceAttributes::name)
      .def_ro("device_type", &DeviceAttributes::device_type)
      .def_ro("memory_limit_bytes", &DeviceAttributes::memory_limit_bytes)
      .def_ro("physical_device_desc", &DeviceAttributes::physical_device_desc);
}

}  // namespace

Session& PySession::get() const {
  if (!session) RaiseStatus(CancelledError("Session has been closed."));
  return *session;
}

void BindSession(nb::module_& m) {
  BindOptions(m);
  BindMetadata(m);
  nb::class_<PySession>(m, "Session")
      .def_static("create",
                  [](std::shared_ptr<Graph> graph, SessionOptions options, nb::handle log_handler) {
                    SetLogHandler(options, log_handler);
                    StatusOr<std::unique_ptr<Session>> s = std::unique_ptr<Session>();
                    {
                      nb::gil_scoped_release release;
                      s = Session::Create(std::move(graph), options);
                    }
                    auto* py = new PySession{ValueOrThrow(std::move(s))};
                    return py;
                  })
      .def("run", &RunSession, "feeds"_a, "fetches"_a, "targets"_a, "timeout_ms"_a = 0, "trace"_a = false,
           "metadata"_a = nullptr)
      .def("run1", &RunOne)
      .def("close",
           [](PySession& self) {
             if (!self.session) return;
             Status s;
             {
               nb::gil_scoped_release release;
               s = self.session->Close();
             }
             ThrowIfError(s);
           })
      .def_prop_ro("closed", [](const PySession& self) { return !self.session || self.session->closed(); })
      .def("list_devices", [](const PySession& self) { return self.session->ListDevices(); })
      .def("no_gpu_reason", [](const PySession& self) { return self.session->NoGpuReason(); })
      .def("placement_records", [](const PySession& self) { return self.session->PlacementRecords(); });
}

}  // namespace tessera::python
