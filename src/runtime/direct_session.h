// DirectSession: the implementation behind Session (TF's DirectSession).
//
// Owns the devices, the thread pools, the variables and the plan cache of one
// session. Session and InteractiveSession are thin facades over it; the
// thread-local default-session stack holds weak references to it.
//
// Thread-safety: Run is thread-safe; Close may race with Run (in-flight runs
// are cancelled and awaited).
#pragma once

#include <atomic>
#include <condition_variable>
#include <list>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <unordered_map>
#include <vector>

#include "placement/placer.h"
#include "src/framework/op_kernel.h"
#include "src/runtime/device_mgr.h"
#include "src/runtime/executor.h"
#include "src/runtime/plan.h"
#include "src/runtime/plan_builder.h"
#include "src/runtime/resource_mgr.h"
#include "src/runtime/thread_pool.h"
#include "tessera/session.h"

namespace tessera {

class DirectSession : public std::enable_shared_from_this<DirectSession> {
 public:
  static StatusOr<std::shared_ptr<DirectSession>> Create(std::shared_ptr<Graph> graph, const SessionOptions& options);
  // The same over given devices and kernels, which must outlive the session
  // (tests: fake GPUs whose kernels run on the host, on any machine).
  static StatusOr<std::shared_ptr<DirectSession>> CreateWith(std::shared_ptr<Graph> graph,
                                                             const SessionOptions& options,
                                                             std::unique_ptr<DeviceMgr> devices,
                                                             const KernelRegistry* registry);
  ~DirectSession();

  Status Run(const RunOptions& run_options, const std::vector<std::pair<Output, Tensor>>& feeds,
             const std::vector<Output>& fetches, const std::vector<Operation>& targets, std::vector<Tensor>* outputs,
             RunMetadata* metadata);
  Status Close();
  bool closed() const;

  const std::shared_ptr<Graph>& graph() const { return graph_; }
  const SessionOptions& options() const { return options_; }
  const DeviceMgr& device_mgr() const { return *devices_; }
  int inter_op_threads() const { return inter_op_threads_; }
  int intra_op_threads() const;
  // Every node placed so far, in graph order (place_pruned_graph: the most recent plan's nodes).
  std::vector<PlacementRecord> placement_records() const;

  // The facade that owns this session (null once it is destroyed).
  Session* facade() const { return facade_.load(); }
  void set_facade(Session* s) { facade_.store(s); }

 private:
  DirectSession(std::shared_ptr<Graph> graph, const SessionOptions& options);

  // The request's fetches, targets and feeds belong to this graph and fit it.
  Status ValidateRequest(const std::vector<std::pair<Output, Tensor>>& feeds, const std::vector<Output>& fetches,
                         const std::vector<Operation>& targets) const;
  // On a cache miss, *keep_alive holds this session for the rest of the Run:
  // the log sink the new plan calls may drop the last reference to it.
  StatusOr<std::shared_ptr<const Plan>> GetOrCreatePlan(const std::vector<std::pair<Output, Tensor>>& feeds,
                                                        const std::vector<Output>& fetches,
                                                        const std::vector<Operation>& targets,
                                                        std::shared_ptr<DirectSession>* keep_alive);
  StatusOr<std::shared_ptr<Plan>> BuildPlan(const std::vector<Output>& feeds, const std::vector<Output>& fetches,
                                            const std::vector<Operation>& targets);
  StatusOr<std::shared_ptr<const OpKernel>> GetKernel(const Node& node, Device* device, const KernelDef& def);
  PlacerOptions BasePlacerOptions() const;
  // Run-time fallback: under soft placement, a node whose non-CPU kernel
  // failed with Unimplemented (an unsupported configuration) is moved to the
  // CPU for every later plan; the step is run again unless it updates
  // variables (then *s says to run it again).
  enum class FallbackResult { kNone, kRerun, kNextRun };
  FallbackResult RuntimeFallback(const Plan& plan, int failed, Status* s);
  // Entry i of `p` moves to the client CPU with reason kSoftRuntimeFallback.
  void ApplyRuntimeFallback(size_t i, const std::string& detail, Placement* p) const;
  // The same for every entry from `first` on whose node fell back earlier. Requires place_mu_.
  void ApplyRuntimeFallbacks(const std::vector<const Node*>& nodes, size_t first, Placement* p) const;
  // The warning for each round trip of `plan` over round_trip_warning_bytes.
  void WarnRoundTrips(const Plan& plan, const std::vector<int64_t>& copy_bytes) const;
  // Session set-up after the devices exist (thread pool, Device mapping header).
  void Start();
  // Whole-graph placement (TF's default): places the nodes added to the graph
  // since the last call (every node at the first), the earlier ones pinned
  // where they are, and logs only the new ones. On an error nothing is kept,
  // so every later Run fails the same way until the graph is fixed.
  Status PlaceGraph();
  // The devices and kernels of a plan's pruned nodes: looked up in the
  // whole-graph placement, or (place_pruned_graph) placed afresh with the
  // session's stateful nodes pinned.
  StatusOr<Placement> PlaceForPlan(const std::vector<const Node*>& nodes);
  void LogPlacement(const Placement& placement);
  // Sends one message to the sinks (log_sink, then log_record_sink), or to
  // stderr when neither is set (INFO lines bare, others "W tessera] ...").
  // The caller has filtered by min_log_level.
  void Log(const LogRecord& record) const;
  void Log(LogRecord::Kind kind, std::string_view text) const { Log(LogRecord{kind, 0, text, nullptr}); }
  // True on a thread that is inside this session's log_sink: Run and Close
  // from there would wait for the Run that called the sink.
  bool InSink() const;

  std::shared_ptr<Graph> graph_;
  SessionOptions options_;
  std::unique_ptr<DeviceMgr> devices_;
  std::unique_ptr<ThreadPool> inter_op_pool_;  // null when inter_op threads == 1
  int inter_op_threads_ = 1;
  ResourceMgr resources_;
  std::atomic<Session*> facade_{nullptr};

  mutable std::mutex mu_;
  std::condition_variable idle_cv_;
  bool closed_ = false;
  int in_flight_ = 0;
  StepState active_steps_;  // head of the intrusive list of in-flight steps
  // The plan cache: at most options_.plan_cache_capacity plans, most
  // recently used first in plan_lru_ (which points at the map's keys).
  struct CachedPlan {
    std::shared_ptr<const Plan> plan;
    std::list<const std::string*>::iterator lru;
  };
  std::unordered_map<std::string, CachedPlan> plans_;
  std::list<const std::string*> plan_lru_;
  std::map<std::string, std::string> stateful_placements_;                   // node -> device
  std::map<std::string, std::shared_ptr<const OpKernel>> stateful_kernels_;  // "node@device"
  std::vector<PlacementRecord> last_placement_;

  // The whole-graph placement, indexed by node id (empty under place_pruned_graph).
  mutable std::mutex place_mu_;  // serialises PlaceGraph; guards the three below
  Placement graph_placement_;
  std::set<std::string> logged_notes_;  // a placer note is logged once per session
  std::atomic<int> placed_nodes_{0};    // graph_placement_'s size, read without the lock
  std::atomic<bool> warned_soft_placement_{false};
  const KernelRegistry* registry_ = &KernelRegistry::Global();
  // Nodes moved to the CPU by a run-time fallback, with why (guarded by place_mu_).
  std::map<std::string, std::string> runtime_fallbacks_;  // the log-off fallback warning was printed
};

}  // namespace tessera
