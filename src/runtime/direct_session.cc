#include "src/runtime/direct_session.h"

#include <algorithm>
#include <cstdio>

#include "placement/placement_log.h"
#include "src/framework/kernel_registry.h"
#include "src/framework/op_registry.h"
#include "src/runtime/copy_cost.h"
#include "src/runtime/copy_kernel.h"
#include "src/runtime/denormal.h"
#include "src/runtime/logging.h"

namespace tessera {

namespace {

// The plan-cache key of a signature: the identities of the feeds, fetches and
// targets, in the caller's order (one allocation, no name formatting).
std::string SignatureKey(const std::vector<std::pair<Output, Tensor>>& feeds, const std::vector<Output>& fetches,
                         const std::vector<Operation>& targets) {
  std::string key;
  key.reserve((feeds.size() + fetches.size() + targets.size()) * (sizeof(void*) + sizeof(int)) + 2);
  auto add = [&key](const void* node, int index) {
    key.append(reinterpret_cast<const char*>(&node), sizeof(node));
    key.append(reinterpret_cast<const char*>(&index), sizeof(index));
  };
  for (const auto& f : feeds) add(f.first.node(), f.first.index());
  key.push_back('>');
  for (const Output& f : fetches) add(f.node(), f.index());
  key.push_back('/');
  for (const Operation& t : targets) add(t.node(), -1);
  return key;
}

// The sessions whose log_sink this thread is inside (innermost last).
thread_local std::vector<const DirectSession*> tls_sinks;

// Session option limits: larger values are almost certainly mistakes, and
// some would exhaust memory or hang (Eigen's pool start-up is quadratic in
// its thread count).
Status ValidateOptions(const SessionOptions& o) {
  auto threads = [](const char* name, int v) -> Status {
    if (v < 0 || v > kMaxSessionThreads) {
      return InvalidArgumentError(std::string(name) + " must be in [0, " + std::to_string(kMaxSessionThreads) +
                                  "] (0: one per hardware thread), got " + std::to_string(v));
    }
    return Status::OK();
  };
  TESSERA_RETURN_IF_ERROR(threads("inter_op_parallelism_threads", o.inter_op_parallelism_threads));
  TESSERA_RETURN_IF_ERROR(threads("intra_op_parallelism_threads", o.intra_op_parallelism_threads));
  if (auto it = o.device_count.find("CPU"); it != o.device_count.end() && it->second > kMaxCpuDevices) {
    return InvalidArgumentError("device_count[\"CPU\"] must be at most " + std::to_string(kMaxCpuDevices) + ", got " +
                                std::to_string(it->second));
  }
  if (o.operation_timeout_in_ms < 0) {
    return InvalidArgumentError("operation_timeout_in_ms must be >= 0, got " +
                                std::to_string(o.operation_timeout_in_ms));
  }
  const double f = o.gpu_options.per_process_gpu_memory_fraction;
  if (!(f >= 0.0 && f <= 1.0)) {
    return InvalidArgumentError(
        "gpu_options.per_process_gpu_memory_fraction must be in [0, 1] (0: all but a reserve; "
        "tessera has no unified-memory oversubscription), got " +
        std::to_string(f));
  }
  if (o.min_log_level < -1 || o.min_log_level > 3) {
    return InvalidArgumentError(
        "min_log_level must be in [-1, 3] (-1: TESSERA_MIN_LOG_LEVEL; 0 all, 1 warnings, 2 "
        "errors, 3 nothing), got " +
        std::to_string(o.min_log_level));
  }
  if (o.round_trip_warning_bytes < -1) {
    return InvalidArgumentError("round_trip_warning_bytes must be >= -1 (-1: never warn), got " +
                                std::to_string(o.round_trip_warning_bytes));
  }
  if (o.plan_cache_capacity < 1) {
    return InvalidArgumentError("plan_cache_capacity must be >= 1, got " + std::to_string(o.plan_cache_capacity));
  }
  return Status::OK();
}

}  // namespace

DirectSession::DirectSession(std::shared_ptr<Graph> graph, const SessionOptions& options)
    : graph_(std::move(graph)), options_(options) {
  if (options_.min_log_level < 0) options_.min_log_level = MinLogLevelFromEnvironment();
}

DirectSession::~DirectSession() { Close().IgnoreError(); }

StatusOr<std::shared_ptr<DirectSession>> DirectSession::Create(std::shared_ptr<Graph> graph,
                                                               const SessionOptions& options) {
  if (graph == nullptr)
    return InvalidArgumentError("Session::Create needs a graph (got a null std::shared_ptr<Graph>)");
  TESSERA_RETURN_IF_ERROR(ValidateOptions(options));
  auto s = std::shared_ptr<DirectSession>(new DirectSession(std::move(graph), options));
  TESSERA_ASSIGN_OR_RETURN(s->devices_, DeviceMgr::Create(options));
  s->Start();
  return s;
}

StatusOr<std::shared_ptr<DirectSession>> DirectSession::CreateWith(std::shared_ptr<Graph> graph,
                                                                   const SessionOptions& options,
                                                                   std::unique_ptr<DeviceMgr> devices,
                                                                   const KernelRegistry* registry) {
  if (graph == nullptr || devices == nullptr || registry == nullptr) {
    return InvalidArgumentError("DirectSession::CreateWith needs a graph, devices and a kernel registry");
  }
  TESSERA_RETURN_IF_ERROR(ValidateOptions(options));
  auto s = std::shared_ptr<DirectSession>(new DirectSession(std::move(graph), options));
  s->devices_ = std::move(devices);
  s->registry_ = registry;
  s->Start();
  return s;
}

void DirectSession::Start() {
  inter_op_threads_ = ResolveThreadCount(options_.inter_op_parallelism_threads);
  if (inter_op_threads_ > 1) inter_op_pool_ = std::make_unique<ThreadPool>(inter_op_threads_);
  if (options_.log_device_placement) {
    Log(LogRecord::Kind::kDeviceMapping, devices_->DeviceMappingString());
    // The device-level cause, once: the node lines then just say "no GPU".
    if (!devices_->no_gpu_reason().empty()) Log(LogRecord::Kind::kNoGpu, "No GPU: " + devices_->no_gpu_reason());
  }
}

int DirectSession::intra_op_threads() const { return devices_->cpu_context()->num_threads(); }

bool DirectSession::InSink() const {
  return !tls_sinks.empty() && std::find(tls_sinks.begin(), tls_sinks.end(), this) != tls_sinks.end();
}

void DirectSession::Log(const LogRecord& record) const {
  if (!options_.log_sink && !options_.log_record_sink) {
    if (record.level > 0) {
      PrintLogMessage(static_cast<LogSeverity>(record.level), record.text);
    } else {
      std::fprintf(stderr, "%.*s\n", static_cast<int>(record.text.size()), record.text.data());
    }
    return;
  }
  // Marks this thread as inside the sinks (see InSink).
  tls_sinks.push_back(this);
  if (options_.log_sink) {
    if (record.level > 0) {
      const char tag = record.level == 1 ? 'W' : 'E';
      options_.log_sink(std::string(1, tag) + " tessera] " + std::string(record.text));
    } else {
      options_.log_sink(record.text);
    }
  }
  if (options_.log_record_sink) options_.log_record_sink(record);
  tls_sinks.pop_back();
}

bool DirectSession::closed() const {
  std::lock_guard<std::mutex> l(mu_);
  return closed_;
}

Status DirectSession::Close() {
  if (InSink()) {
    return FailedPreconditionError(
        "Session::Close was called from inside the session's log_sink, during a Run it would wait for; close the "
        "session after Run returns");
  }
  std::unique_lock<std::mutex> l(mu_);
  if (closed_) return Status::OK();
  closed_ = true;
  for (StepState* step = active_steps_.next(); step != &active_steps_; step = step->next()) {
    step->Abort(CancelledError("Run call was cancelled"));
  }
  idle_cv_.wait(l, [this] { return in_flight_ == 0; });
  plans_.clear();
  plan_lru_.clear();
  stateful_kernels_.clear();
  l.unlock();
  resources_.Clear();
  inter_op_pool_.reset();
  return Status::OK();
}

std::vector<PlacementRecord> DirectSession::placement_records() const {
  if (!options_.place_pruned_graph) {
    std::lock_guard<std::mutex> l(place_mu_);
    return graph_placement_.records;
  }
  std::lock_guard<std::mutex> l(mu_);
  return last_placement_;
}

StatusOr<std::shared_ptr<const OpKernel>> DirectSession::GetKernel(const Node& node, Device* device,
                                                                   const KernelDef& def) {
  const bool stateful = node.op_def().stateful;
  const std::string key = node.name() + "@" + device->name();
  if (stateful) {
    std::lock_guard<std::mutex> l(mu_);
    auto it = stateful_kernels_.find(key);
    if (it != stateful_kernels_.end()) return it->second;
  }
  KernelConstruction kc{node, device, &resources_};
  StatusOr<std::unique_ptr<OpKernel>> k = def.factory(kc);
  if (!k.ok()) return k.status().WithSuffix("\n\t [[{{node " + node.name() + "}}" + node.DefinedAt() + "]]");
  std::shared_ptr<const OpKernel> shared(std::move(*k));
  if (stateful) {
    std::lock_guard<std::mutex> l(mu_);
    auto [it, inserted] = stateful_kernels_.emplace(key, shared);
    return it->second;
  }
  return shared;
}

void DirectSession::LogPlacement(const Placement& placement) {
  if (options_.log_device_placement) {
    for (const PlacementLogLine& line : PlacementLog(placement, devices_->no_gpu_reason())) {
      Log(LogRecord{line.kind, 0, line.text, line.record});
    }
    return;
  }
  // With the log off, soft fallbacks are one warning per session.
  if (options_.min_log_level > static_cast<int>(LogSeverity::kWarning) || warned_soft_placement_.load()) return;
  const std::string w = SoftPlacementWarning(placement);
  if (w.empty() || warned_soft_placement_.exchange(true)) return;
  const PlacementRecord* first = nullptr;
  for (const PlacementRecord& r : placement.records) {
    if (first == nullptr && IsSoftFallback(r.reason)) first = &r;
  }
  Log(LogRecord{LogRecord::Kind::kSoftPlacementWarning, static_cast<int>(LogSeverity::kWarning), w, first});
}

void DirectSession::WarnRoundTrips(const Plan& plan, const std::vector<int64_t>& copy_bytes) const {
  if (options_.min_log_level > static_cast<int>(LogSeverity::kWarning)) return;
  for (const RoundTrip& trip : plan.round_trips) {
    int64_t bytes = 0;
    for (int c : trip.copies) bytes += std::max<int64_t>(0, copy_bytes[static_cast<size_t>(c)]);
    if (bytes <= options_.round_trip_warning_bytes && options_.round_trip_warning_bytes > 0) continue;
    const std::string w = RoundTripWarning(plan, trip, bytes);
    Log(LogRecord{LogRecord::Kind::kRoundTripWarning, static_cast<int>(LogSeverity::kWarning), w, nullptr});
  }
}

DirectSession::FallbackResult DirectSession::RuntimeFallback(const Plan& plan, int failed, Status* s) {
  const PlanNode& pn = plan.nodes[static_cast<size_t>(failed)];
  if (!options_.allow_soft_placement || s->code() != Code::kUnimplemented || pn.is_copy ||
      pn.device->device_type() == DeviceType::kCpu) {
    return FallbackResult::kNone;
  }
  const Node& node = *pn.node;
  const KernelDef* cpu = registry_->Find(node, DeviceType::kCpu);
  bool movable = cpu != nullptr && !node.op_def().is_variable && node.colocate_with().empty();
  for (int k = 0; k < node.num_inputs(); ++k) movable &= !node.op_def().is_ref_input(k);
  if (!movable) return FallbackResult::kNone;
  const std::string error = s->message().substr(0, s->message().find('\n'));
  const std::string detail = "its " + std::string(DeviceTypeString(pn.device->device_type())) +
                             " kernel failed at run time: " + std::string(CodeName(s->code())) + ": " + error;
  {
    std::lock_guard<std::mutex> l(place_mu_);
    runtime_fallbacks_[node.name()] = detail;
    if (static_cast<size_t>(node.id()) < graph_placement_.records.size()) {
      ApplyRuntimeFallback(static_cast<size_t>(node.id()), detail, &graph_placement_);
    }
  }
  {
    std::lock_guard<std::mutex> l(mu_);
    plans_.clear();  // every plan is built again, with the node on the CPU
    plan_lru_.clear();
  }
  // A step that updates variables is not run twice: the next Run uses the CPU.
  bool rerun = true;
  for (const PlanNode& n : plan.nodes) {
    for (int k = 0; !n.is_copy && k < n.node->num_inputs(); ++k) rerun &= !n.node->op_def().is_ref_input(k);
  }
  const std::string where = devices_->client_device()->name();
  const std::string w =
      "Run-time fallback: " + node.name() + " (" + node.op() + node.DefinedAt() + ") failed on " + pn.device->name() +
      " with " + std::string(CodeName(s->code())) + ": " + error + "; it runs on " + where + " from now on" +
      (rerun ? ", and this step ran again there." : "; this step updates variables, so it was not run again.");
  if (options_.min_log_level <= static_cast<int>(LogSeverity::kWarning)) {
    Log(LogRecord{LogRecord::Kind::kRuntimeFallback, static_cast<int>(LogSeverity::kWarning), w, nullptr});
  }
  if (rerun) return FallbackResult::kRerun;
  *s = s->WithSuffix("\n(" + node.name() + " runs on " + where + " from the next Run: run the step again)");
  return FallbackResult::kNextRun;
}

void DirectSession::ApplyRuntimeFallbacks(const std::vector<const Node*>& nodes, size_t first, Placement* p) const {
  for (size_t i = first; i < nodes.size(); ++i) {
    if (auto it = runtime_fallbacks_.find(nodes[i]->name()); it != runtime_fallbacks_.end()) {
      ApplyRuntimeFallback(i, it->second, p);
    }
  }
}

void DirectSession::ApplyRuntimeFallback(size_t i, const std::string& detail, Placement* p) const {
  Device* cpu = devices_->client_device();
  const std::vector<Device*>& all = devices_->devices();
  p->device_index[i] = static_cast<int>(std::find(all.begin(), all.end(), cpu) - all.begin());
  PlacementRecord& r = p->records[i];
  StatusOr<Operation> op = graph_->FindOperation(r.node);
  p->kernels[i] = op.ok() ? registry_->Find(*op->node(), DeviceType::kCpu) : nullptr;
  r.assigned = cpu->name();
  r.reason = PlacementReason::kSoftRuntimeFallback;
  r.detail = detail;
}

PlacerOptions DirectSession::BasePlacerOptions() const {
  PlacerOptions o;
  o.allow_soft_placement = options_.allow_soft_placement;
  o.reduce_copies = options_.reduce_copies;
  o.no_gpu_reason = devices_->no_gpu_reason();
  return o;
}

static std::vector<DeviceName> DeviceNames(const DeviceMgr& devices) {
  std::vector<DeviceName> names;
  for (Device* d : devices.devices()) names.push_back(d->parsed_name());
  return names;
}

Status DirectSession::PlaceGraph() {
  std::lock_guard<std::mutex> l(place_mu_);
  const std::vector<Node*> all = graph_->nodes();
  const size_t placed = graph_placement_.records.size();
  if (all.size() <= placed) return Status::OK();
  std::vector<const Node*> nodes(all.begin(), all.end());
  PlacerOptions o = BasePlacerOptions();
  for (size_t i = 0; i < nodes.size(); ++i) {
    for (const Output& in : nodes[i]->inputs()) {
      if (in.node()->id() >= nodes[i]->id()) {
        return InvalidArgumentError("Graph contains a cycle: node '" + nodes[i]->name() + "' depends on '" +
                                    in.node()->name() + "', which does not precede it");
      }
    }
    if (i < placed) o.pinned.emplace(nodes[i]->name(), graph_placement_.records[i].assigned);
  }
  TESSERA_ASSIGN_OR_RETURN(Placement p, Place(nodes, DeviceNames(*devices_), *registry_, o));
  ApplyRuntimeFallbacks(nodes, placed, &p);
  Placement added;
  for (size_t i = placed; i < nodes.size(); ++i) {
    graph_placement_.device_index.push_back(p.device_index[i]);
    graph_placement_.kernels.push_back(p.kernels[i]);
    graph_placement_.records.push_back(p.records[i]);
    added.records.push_back(std::move(p.records[i]));
  }
  for (std::string& note : p.notes) {
    if (logged_notes_.insert(note).second) added.notes.push_back(std::move(note));
  }
  placed_nodes_.store(static_cast<int>(nodes.size()), std::memory_order_release);
  LogPlacement(added);
  return Status::OK();
}

StatusOr<Placement> DirectSession::PlaceForPlan(const std::vector<const Node*>& nodes) {
  if (!options_.place_pruned_graph) {
    TESSERA_RETURN_IF_ERROR(PlaceGraph());  // nodes added since the Run began
    std::lock_guard<std::mutex> l(place_mu_);
    Placement p;
    for (const Node* n : nodes) {
      const auto id = static_cast<size_t>(n->id());
      p.device_index.push_back(graph_placement_.device_index[id]);
      p.kernels.push_back(graph_placement_.kernels[id]);
      p.records.push_back(graph_placement_.records[id]);
    }
    return p;
  }
  PlacerOptions o = BasePlacerOptions();
  {
    std::lock_guard<std::mutex> l(mu_);
    o.pinned = stateful_placements_;
  }
  TESSERA_ASSIGN_OR_RETURN(Placement p, Place(nodes, DeviceNames(*devices_), *registry_, o));
  {
    std::lock_guard<std::mutex> l(place_mu_);
    ApplyRuntimeFallbacks(nodes, 0, &p);
  }
  LogPlacement(p);
  std::lock_guard<std::mutex> l(mu_);
  for (size_t i = 0; i < nodes.size(); ++i) {
    if (nodes[i]->op_def().stateful) stateful_placements_.emplace(nodes[i]->name(), p.records[i].assigned);
  }
  return p;
}

StatusOr<std::shared_ptr<Plan>> DirectSession::BuildPlan(const std::vector<Output>& feeds,
                                                         const std::vector<Output>& fetches,
                                                         const std::vector<Operation>& targets) {
  PlanEnv env;
  env.devices = devices_.get();
  env.resources = &resources_;
  env.place = [this](const std::vector<const Node*>& nodes) { return PlaceForPlan(nodes); };
  env.get_kernel = [this](const Node& node, Device* device, const KernelDef& def) {
    return GetKernel(node, device, def);
  };
  TESSERA_ASSIGN_OR_RETURN(std::shared_ptr<Plan> plan, tessera::BuildPlan(env, *graph_, feeds, fetches, targets));
  plan->round_trips = FindRoundTrips(*plan);
  return plan;
}

StatusOr<std::shared_ptr<const Plan>> DirectSession::GetOrCreatePlan(
    const std::vector<std::pair<Output, Tensor>>& feeds, const std::vector<Output>& fetches,
    const std::vector<Operation>& targets, std::shared_ptr<DirectSession>* keep_alive) {
  if (!options_.place_pruned_graph && graph_->num_nodes() != placed_nodes_.load(std::memory_order_acquire)) {
    // The graph grew (or has never been placed): its new nodes are placed,
    // and a node that cannot be placed fails this Run whatever it fetches.
    *keep_alive = weak_from_this().lock();
    TESSERA_RETURN_IF_ERROR(PlaceGraph());
  }
  const std::string key = SignatureKey(feeds, fetches, targets);
  {
    // A cached plan stays right when the graph grows: nodes are immutable and
    // new nodes can only consume old ones, never feed them.
    std::lock_guard<std::mutex> l(mu_);
    auto it = plans_.find(key);
    if (it != plans_.end()) {
      plan_lru_.splice(plan_lru_.begin(), plan_lru_, it->second.lru);
      return it->second.plan;
    }
  }
  *keep_alive = weak_from_this().lock();
  std::vector<Output> feed_outputs;
  for (const auto& f : feeds) feed_outputs.push_back(f.first);
  // Built without the lock; if another thread built the same plan meanwhile, it wins.
  TESSERA_ASSIGN_OR_RETURN(std::shared_ptr<Plan> plan, BuildPlan(feed_outputs, fetches, targets));
  std::lock_guard<std::mutex> l(mu_);
  last_placement_ = plan->placement;
  auto [it, inserted] = plans_.try_emplace(key);
  if (!inserted) return it->second.plan;
  plan_lru_.push_front(&it->first);
  it->second = CachedPlan{plan, plan_lru_.begin()};
  // Least recently used first out; a plan still running stays alive through its shared_ptr.
  while (plans_.size() > static_cast<size_t>(options_.plan_cache_capacity)) {
    plans_.erase(*plan_lru_.back());
    plan_lru_.pop_back();
  }
  return std::shared_ptr<const Plan>(plan);
}

Status DirectSession::ValidateRequest(const std::vector<std::pair<Output, Tensor>>& feeds,
                                      const std::vector<Output>& fetches, const std::vector<Operation>& targets) const {
  if (graph_->has_error()) {
    Status gs = graph_->status();
    if (!gs.ok()) {
      return Status(gs.code(),
                    "The graph has a construction error, so it cannot run until Graph::ResetStatus(): " + gs.message());
    }
  }
  if (fetches.empty() && targets.empty())
    return InvalidArgumentError("Must specify at least one target to fetch or execute.");
  for (size_t i = 0; i < fetches.size(); ++i) {
    const Output& f = fetches[i];
    if (!f.valid()) {
      Status gs = graph_->status();
      return InvalidArgumentError(
          "Fetch " + std::to_string(i) + " is an invalid Output" +
          (gs.ok() ? std::string() : "; the op that should have made it failed: " + gs.message()));
    }
    if (f.node()->graph() != graph_.get()) {
      return InvalidArgumentError("Fetch " + f.name() + " belongs to a different Graph than this session's");
    }
    if (f.index() < 0 || f.index() >= f.node()->num_outputs()) {
      return NotFoundError("Tensor " + f.name() + " not found: node '" + f.node()->name() + "' has " +
                           std::to_string(f.node()->num_outputs()) + " output(s)");
    }
  }
  for (size_t i = 0; i < targets.size(); ++i) {
    if (!targets[i].valid()) {
      Status gs = graph_->status();
      return InvalidArgumentError(
          "Target " + std::to_string(i) + " is an invalid Operation" +
          (gs.ok() ? std::string() : "; the op that should have made it failed: " + gs.message()));
    }
    if (targets[i].node()->graph() != graph_.get()) {
      return InvalidArgumentError("Target " + targets[i].name() + " belongs to a different Graph than this session's");
    }
  }
  for (size_t i = 0; i < feeds.size(); ++i) {
    const Output& key = feeds[i].first;
    const Tensor& value = feeds[i].second;
    if (!key.valid()) return InvalidArgumentError("Feed " + std::to_string(i) + " names an invalid Output");
    if (key.node()->graph() != graph_.get()) {
      return InvalidArgumentError("Feed " + key.name() + " belongs to a different Graph than this session's");
    }
    if (key.index() < 0 || key.index() >= key.node()->num_outputs()) {
      return NotFoundError("Feed " + key.name() + " not found: node '" + key.node()->name() + "' has " +
                           std::to_string(key.node()->num_outputs()) + " output(s)");
    }
    for (size_t j = 0; j < i; ++j) {
      if (feeds[j].first == key) return InvalidArgumentError("Endpoint \"" + key.name() + "\" fed more than once.");
    }
    if (!value.valid())
      return InvalidArgumentError("The value fed for Tensor " + key.name() + " is an invalid (empty) Tensor");
    if (!value.on_host())
      return InvalidArgumentError("The value fed for Tensor " + key.name() + " must be a host tensor");
    if (value.dtype() != key.dtype()) {
      return InvalidArgumentError("Cannot feed value of type " + std::string(DataTypeString(value.dtype())) +
                                  " for Tensor " + key.name() + ", which has type " +
                                  std::string(DataTypeString(key.dtype())));
    }
    if (!key.shape().IsCompatibleWith(value.shape())) {
      return InvalidArgumentError("Cannot feed value of shape " + value.shape().DebugString() + " for Tensor " +
                                  key.name() + ", which has shape " + key.shape().DebugString());
    }
  }
  return Status::OK();
}

Status DirectSession::Run(const RunOptions& run_options, const std::vector<std::pair<Output, Tensor>>& feeds,
                          const std::vector<Output>& fetches, const std::vector<Operation>& targets,
                          std::vector<Tensor>* outputs, RunMetadata* metadata) {
  if (outputs == nullptr) return InvalidArgumentError("Session::Run: outputs must not be null");
  const ScopedFlushDenormal flush_denormals;  // as TF, for the kernels run on this thread
  if (InSink()) {
    return FailedPreconditionError(
        "Session::Run was called from inside the same session's log_sink (the sink runs while a plan is built); "
        "run it after the outer Run returns");
  }
  // Declared before the step: on a plan-cache miss it keeps this session
  // alive until the Run has returned (the sink may drop the last reference).
  std::shared_ptr<DirectSession> keep_alive;
  // Validate the request before taking a slot.
  TESSERA_RETURN_IF_ERROR(ValidateRequest(feeds, fetches, targets));

  StepState step;
  {
    std::lock_guard<std::mutex> l(mu_);
    if (closed_) return CancelledError("Session has been closed.");
    ++in_flight_;
    step.LinkAfter(&active_steps_);
  }
  auto release = [&] {
    std::lock_guard<std::mutex> l(mu_);
    step.Unlink();
    if (--in_flight_ == 0) idle_cv_.notify_all();
  };

  StatusOr<std::shared_ptr<const Plan>> plan = GetOrCreatePlan(feeds, fetches, targets, &keep_alive);
  if (!plan.ok()) {
    release();
    return plan.status();
  }
  ExecutorArgs args;
  args.inter_op_pool = inter_op_pool_.get();
  args.timeout_ms = run_options.timeout_in_ms > 0 ? run_options.timeout_in_ms : options_.operation_timeout_in_ms;
  if (args.timeout_ms > 0) {
    args.deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(args.timeout_ms);
  }
  args.trace = metadata != nullptr && run_options.trace_level == RunOptions::TraceLevel::kFullTrace;
  args.step = &step;
  std::vector<Tensor> feed_values;
  feed_values.reserve(feeds.size());
  for (const auto& f : feeds) feed_values.push_back(f.second);
  std::atomic<int> failed{-1};
  args.failed_node = &failed;
  std::vector<NodeExecStats> stats;
  // Bytes per copy step: for RunMetadata, and at a plan's first Run for its round trips.
  const bool check_trips = !(*plan)->round_trips.empty() && options_.round_trip_warning_bytes >= 0 &&
                           !(*plan)->round_trips_checked.exchange(true);
  std::vector<int64_t> copy_bytes;
  if (metadata != nullptr || check_trips) {
    copy_bytes.assign((*plan)->copies.size(), -1);
    args.copy_bytes = copy_bytes.data();
  }
  Status s = ExecutePlan(**plan, std::move(feed_values), args, outputs, args.trace ? &stats : nullptr);
  release();
  if (!s.ok() && failed.load() >= 0) {
    // An unsupported kernel under soft placement moves to the CPU, and the step runs again when that is safe.
    switch (RuntimeFallback(**plan, failed.load(), &s)) {
      case FallbackResult::kNone:
        break;
      case FallbackResult::kRerun:
        return Run(run_options, feeds, fetches, targets, outputs, metadata);
      case FallbackResult::kNextRun:
        return s;
    }
  }
  if (check_trips && s.ok()) WarnRoundTrips(**plan, copy_bytes);
  if (metadata != nullptr) {
    metadata->placement = (*plan)->placement;
    metadata->copies = (*plan)->copies;
    for (size_t i = 0; i < copy_bytes.size(); ++i) metadata->copies[i].bytes = copy_bytes[i];
    metadata->step_stats = std::move(stats);
  }
  return s;
}

}  // namespace tessera
