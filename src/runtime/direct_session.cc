#include "src/runtime/direct_session.h"

#include <algorithm>
#include <cstdio>

#include "src/framework/kernel_registry.h"
#include "src/framework/op_registry.h"
#include "src/runtime/copy_kernel.h"
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

}  // namespace

DirectSession::DirectSession(std::shared_ptr<Graph> graph, const SessionOptions& options)
    : graph_(std::move(graph)), options_(options) {}

DirectSession::~DirectSession() { Close().IgnoreError(); }

StatusOr<std::shared_ptr<DirectSession>> DirectSession::Create(std::shared_ptr<Graph> graph,
                                                               const SessionOptions& options) {
  if (graph == nullptr) return InvalidArgumentError("Session::Create needs a graph (got a null std::shared_ptr<Graph>)");
  if (options.inter_op_parallelism_threads < 0) {
    return InvalidArgumentError("inter_op_parallelism_threads must be >= 0, got " +
                                std::to_string(options.inter_op_parallelism_threads));
  }
  if (options.operation_timeout_in_ms < 0) return InvalidArgumentError("operation_timeout_in_ms must be >= 0");
  if (options.gpu_options.per_process_gpu_memory_fraction < 0) {
    return InvalidArgumentError("gpu_options.per_process_gpu_memory_fraction must be >= 0");
  }
  auto s = std::shared_ptr<DirectSession>(new DirectSession(std::move(graph), options));
  TESSERA_ASSIGN_OR_RETURN(s->devices_, DeviceMgr::Create(options));
  s->inter_op_threads_ = ResolveThreadCount(options.inter_op_parallelism_threads);
  if (s->inter_op_threads_ > 1) s->inter_op_pool_ = std::make_unique<ThreadPool>(s->inter_op_threads_);
  if (options.log_device_placement) s->Log(s->devices_->DeviceMappingString());
  return s;
}

int DirectSession::intra_op_threads() const { return devices_->cpu_context()->num_threads(); }

void DirectSession::Log(std::string_view line) const {
  if (options_.log_sink) {
    options_.log_sink(line);
  } else {
    std::fprintf(stderr, "%.*s\n", static_cast<int>(line.size()), line.data());
  }
}

bool DirectSession::closed() const {
  std::lock_guard<std::mutex> l(mu_);
  return closed_;
}

Status DirectSession::Close() {
  std::unique_lock<std::mutex> l(mu_);
  if (closed_) return Status::OK();
  closed_ = true;
  for (StepState* step = active_steps_.next(); step != &active_steps_; step = step->next()) {
    step->Abort(CancelledError("Run call was cancelled"));
  }
  idle_cv_.wait(l, [this] { return in_flight_ == 0; });
  plans_.clear();
  stateful_kernels_.clear();
  l.unlock();
  resources_.Clear();
  inter_op_pool_.reset();
  return Status::OK();
}

std::vector<PlacementRecord> DirectSession::last_placement() const {
  std::lock_guard<std::mutex> l(mu_);
  return last_placement_;
}

StatusOr<std::shared_ptr<const OpKernel>> DirectSession::GetKernel(const Node& node, Device* device) {
  const bool stateful = node.op_def().stateful;
  const std::string key = node.name() + "@" + device->name();
  if (stateful) {
    std::lock_guard<std::mutex> l(mu_);
    auto it = stateful_kernels_.find(key);
    if (it != stateful_kernels_.end()) return it->second;
  }
  const KernelDef* def = KernelRegistry::Global().Find(node, device->device_type());
  if (def == nullptr) {
    return InternalError(std::string("No ") + DeviceTypeString(device->device_type()) + " kernel for " + node.op() + " (node " + node.name() +
                         ") although the placer chose " + device->name());
  }
  KernelConstruction kc{node, device, &resources_};
  StatusOr<std::unique_ptr<OpKernel>> k = def->factory(kc);
  if (!k.ok()) return k.status().WithSuffix("\n\t [[{{node " + node.name() + "}}]]");
  std::shared_ptr<const OpKernel> shared(std::move(*k));
  if (stateful) {
    std::lock_guard<std::mutex> l(mu_);
    auto [it, inserted] = stateful_kernels_.emplace(key, shared);
    return it->second;
  }
  return shared;
}

void DirectSession::LogPlacement(const Placement& placement) {
  std::map<std::string, int> per_device;
  int soft = 0;
  for (const PlacementRecord& r : placement.records) {
    ++per_device[r.assigned];
    if (IsSoftFallback(r.reason)) {
      ++soft;
      // A fallback is a warning even when the log is off.
      std::string w = "W tessera] Soft placement moved " + r.node + " (" + r.op + ") from " + r.requested + " to " +
                      r.assigned + ": " + r.detail;
      if (options_.log_sink) options_.log_sink(w);
      else LogMessage(LogSeverity::kWarning, w.substr(11));
    }
  }
  if (!options_.log_device_placement) return;
  for (const std::string& note : placement.notes) Log(note);
  for (const PlacementRecord& r : placement.records) {
    std::string line = r.node + ": (" + r.op + "): " + r.assigned;
    if (r.reason != PlacementReason::kRequested && r.reason != PlacementReason::kDefaultPriority) {
      line += "  [" + std::string(PlacementReasonName(r.reason)) + ": " + r.detail + "]";
    }
    Log(line);
  }
  std::string summary = "Placement summary: " + std::to_string(placement.records.size()) + " nodes";
  for (const auto& [dev, n] : per_device) summary += "; " + std::to_string(n) + " on " + dev;
  summary += "; " + std::to_string(soft) + " soft fallback" + (soft == 1 ? "" : "s");
  Log(summary);
}

Device* DirectSession::CopyDestination(Device* src, Device* dst, DataType dtype, bool host_memory_input) const {
  const bool src_host = InHostMemory(src->allocator()->on_host(), dtype);
  const bool dst_is_host = dst->allocator()->on_host();
  const bool need_host = InHostMemory(dst_is_host, dtype) || host_memory_input;
  if (src == dst) return src_host == need_host ? nullptr : devices_->client_device();
  // Across host devices (CPU:0 -> CPU:1) the copy is real, so multi-CPU runs
  // exercise the same copy steps as CPU <-> GPU.
  if (dst_is_host) return dst;
  if (need_host) return src_host ? nullptr : devices_->client_device();
  return dst;
}

StatusOr<std::shared_ptr<Plan>> DirectSession::BuildPlan(const std::vector<Output>& feeds,
                                                         const std::vector<Output>& fetches,
                                                         const std::vector<Operation>& targets) {
  auto plan = std::make_shared<Plan>();
  std::vector<Node*> all = graph_->nodes();
  plan->graph_version = static_cast<int64_t>(all.size());
  auto is_fed = [&](const Output& o) { return std::find(feeds.begin(), feeds.end(), o) != feeds.end(); };

  // 1. Prune: nodes reverse-reachable from fetches and targets, stopping at fed tensors.
  std::vector<char> needed(all.size(), 0);
  std::vector<Node*> stack;
  auto want = [&](Node* n) {
    if (!needed[static_cast<size_t>(n->id())]) {
      needed[static_cast<size_t>(n->id())] = 1;
      stack.push_back(n);
    }
  };
  for (const Output& f : fetches) {
    if (!is_fed(f)) want(f.node());
  }
  for (const Operation& t : targets) want(t.node());
  while (!stack.empty()) {
    Node* n = stack.back();
    stack.pop_back();
    for (const Output& in : n->inputs()) {
      if (in.node()->id() >= n->id()) {
        return InvalidArgumentError("Graph contains a cycle: node '" + n->name() + "' depends on '" +
                                    in.node()->name() + "', which does not precede it");
      }
      if (!is_fed(in)) want(in.node());
    }
    for (Node* c : n->control_inputs()) want(c);
  }
  std::vector<const Node*> order;
  std::vector<int> plan_index(all.size(), -1);
  for (Node* n : all) {
    if (needed[static_cast<size_t>(n->id())]) {
      plan_index[static_cast<size_t>(n->id())] = static_cast<int>(order.size());
      order.push_back(n);
    }
  }

  // 2. Place.
  std::vector<DeviceName> device_names;
  for (Device* d : devices_->devices()) device_names.push_back(d->parsed_name());
  PlacerOptions popts;
  popts.allow_soft_placement = options_.allow_soft_placement;
  popts.no_gpu_reason = devices_->no_gpu_reason();
  {
    std::lock_guard<std::mutex> l(mu_);
    popts.pinned = stateful_placements_;
  }
  TESSERA_ASSIGN_OR_RETURN(Placement placement, Place(order, device_names, KernelRegistry::Global(), popts));
  LogPlacement(placement);
  {
    std::lock_guard<std::mutex> l(mu_);
    for (size_t i = 0; i < order.size(); ++i) {
      if (order[i]->op_def().stateful) stateful_placements_.emplace(order[i]->name(), placement.records[i].assigned);
    }
  }

  // 3. Slots, edges, copy steps and kernels.
  plan->nodes.resize(order.size());
  int slot = 0;
  std::vector<Device*> slot_device;  // where each slot's tensor lives
  for (size_t i = 0; i < order.size(); ++i) {
    PlanNode& pn = plan->nodes[i];
    pn.node = order[i];
    pn.name = order[i]->name();
    pn.device = devices_->devices()[static_cast<size_t>(placement.device_index[i])];
    pn.output_base = slot;
    slot += order[i]->num_outputs();
    slot_device.insert(slot_device.end(), static_cast<size_t>(order[i]->num_outputs()), pn.device);
  }
  for (size_t i = 0; i < feeds.size(); ++i) {
    plan->feed_slots.push_back(slot++);
    slot_device.push_back(devices_->client_device());  // feeds arrive on the host
  }
  auto feed_slot = [&](const Output& o) -> int {
    for (size_t i = 0; i < feeds.size(); ++i) {
      if (feeds[i] == o) return plan->feed_slots[i];
    }
    return -1;
  };
  // The slot holding `o` and the plan node producing it (-1 for a feed).
  auto source_of = [&](const Output& o, int* producer) -> int {
    const int fs = feed_slot(o);
    if (fs >= 0) {
      *producer = -1;
      return fs;
    }
    *producer = plan_index[static_cast<size_t>(o.node()->id())];
    return plan->nodes[static_cast<size_t>(*producer)].output_base + o.index();
  };
  // One copy step per (tensor, destination device); returns the copy's plan node.
  std::map<std::pair<int, Device*>, int> copy_of;
  auto copy_to = [&](const Output& o, int src_slot, int producer, Device* dst) -> int {
    auto it = copy_of.find({src_slot, dst});
    if (it != copy_of.end()) return it->second;
    Device* src = slot_device[static_cast<size_t>(src_slot)];
    PlanNode cp;
    cp.node = o.node();
    cp.name = o.name() + " -> " + dst->name();
    cp.is_copy = true;
    cp.device = dst;
    cp.input_slots = {src_slot};
    cp.input_is_ref = {false};
    cp.input_sources = {o.node()};
    if (producer >= 0 && o.node()->op_def().is_variable) cp.input_vars = {resources_.LookupOrCreate(o.node()->name())};
    cp.output_base = slot++;
    slot_device.push_back(dst);
    cp.kernel = std::make_shared<CopyKernel>(*o.node(), src);
    cp.expensive = true;
    const int index = static_cast<int>(plan->nodes.size());
    if (producer >= 0) {
      plan->nodes[static_cast<size_t>(producer)].consumers.push_back(index);
      cp.initial_pending = 1;
    }
    plan->nodes.push_back(std::move(cp));
    plan->copies.push_back(CopyRecord{o.name(), src->name(), dst->name()});
    copy_of[{src_slot, dst}] = index;
    return index;
  };
  for (size_t i = 0; i < order.size(); ++i) {
    const Node& node = *order[i];
    Device* device = plan->nodes[i].device;
    const KernelDef* def = KernelRegistry::Global().Find(node, device->device_type());
    for (int k = 0; k < node.num_inputs(); ++k) {
      const Output& in = node.inputs()[static_cast<size_t>(k)];
      const bool is_ref = node.op_def().is_ref_input(k);
      int producer;
      int in_slot = source_of(in, &producer);
      int notify = producer;  // the plan node that makes this input ready
      if (!is_ref) {
        Device* dst = CopyDestination(slot_device[static_cast<size_t>(in_slot)], device, in.dtype(),
                                      def != nullptr && def->IsHostMemoryInput(k, node.num_inputs()));
        if (dst != nullptr) {
          notify = copy_to(in, in_slot, producer, dst);
          in_slot = plan->nodes[static_cast<size_t>(notify)].output_base;
        }
      }
      PlanNode& pn = plan->nodes[i];
      pn.input_slots.push_back(in_slot);
      pn.input_is_ref.push_back(is_ref);
      pn.input_sources.push_back(in.node());
      if (!is_ref && in.node()->op_def().is_variable && notify == producer && producer >= 0) {
        pn.input_vars.resize(static_cast<size_t>(node.num_inputs()));
        pn.input_vars[static_cast<size_t>(k)] = resources_.LookupOrCreate(in.node()->name());
      }
      if (notify >= 0) {
        plan->nodes[static_cast<size_t>(notify)].consumers.push_back(static_cast<int>(i));
        ++plan->nodes[i].initial_pending;
      }
    }
    for (Node* c : node.control_inputs()) {
      const int src = plan_index[static_cast<size_t>(c->id())];
      plan->nodes[static_cast<size_t>(src)].consumers.push_back(static_cast<int>(i));
      ++plan->nodes[i].initial_pending;
    }
    TESSERA_ASSIGN_OR_RETURN(plan->nodes[i].kernel, GetKernel(node, device));
    // Kernels on a non-host device only enqueue work: run them inline (TF: GPU kernels are not expensive).
    plan->nodes[i].expensive = plan->nodes[i].kernel->IsExpensive() && device->allocator()->on_host();
  }
  // Fetches come back on the host: a tensor in device memory gets a copy to the client device.
  for (const Output& f : fetches) {
    int producer;
    int fslot = source_of(f, &producer);
    if (!InHostMemory(slot_device[static_cast<size_t>(fslot)]->allocator()->on_host(), f.dtype())) {
      fslot = plan->nodes[static_cast<size_t>(copy_to(f, fslot, producer, devices_->client_device()))].output_base;
    }
    plan->fetch_nodes.push_back(f.node());
    plan->fetch_slots.push_back(fslot);
  }
  plan->num_slots = slot;
  plan->slot_uses.assign(static_cast<size_t>(slot), 0);
  for (const PlanNode& pn : plan->nodes) {
    for (int s : pn.input_slots) ++plan->slot_uses[static_cast<size_t>(s)];
  }
  for (int s : plan->fetch_slots) ++plan->slot_uses[static_cast<size_t>(s)];  // kept for the caller
  for (size_t i = 0; i < plan->nodes.size(); ++i) {
    if (plan->nodes[i].initial_pending == 0) plan->roots.push_back(static_cast<int>(i));
  }
  // Run roots in creation order (the ready stack pops from the back).
  std::reverse(plan->roots.begin(), plan->roots.end());
  plan->placement = std::move(placement.records);
  return plan;
}

StatusOr<std::shared_ptr<const Plan>> DirectSession::GetOrCreatePlan(
    const std::vector<std::pair<Output, Tensor>>& feeds, const std::vector<Output>& fetches,
    const std::vector<Operation>& targets) {
  const std::string key = SignatureKey(feeds, fetches, targets);
  const int64_t version = graph_->version();
  {
    std::lock_guard<std::mutex> l(mu_);
    auto it = plans_.find(key);
    if (it != plans_.end() && it->second->graph_version == version) return it->second;
  }
  std::vector<Output> feed_outputs;
  for (const auto& f : feeds) feed_outputs.push_back(f.first);
  // Built without the lock; if another thread built the same plan meanwhile, it wins.
  TESSERA_ASSIGN_OR_RETURN(std::shared_ptr<Plan> plan, BuildPlan(feed_outputs, fetches, targets));
  std::lock_guard<std::mutex> l(mu_);
  last_placement_ = plan->placement;
  auto& slot = plans_[key];
  if (slot == nullptr || slot->graph_version < plan->graph_version) slot = plan;
  return slot;
}

Status DirectSession::Run(const RunOptions& run_options, const std::vector<std::pair<Output, Tensor>>& feeds,
                          const std::vector<Output>& fetches, const std::vector<Operation>& targets,
                          std::vector<Tensor>* outputs, RunMetadata* metadata) {
  if (outputs == nullptr) return InvalidArgumentError("Session::Run: outputs must not be null");
  // Validate the request before taking a slot.
  if (fetches.empty() && targets.empty()) return InvalidArgumentError("Must specify at least one target to fetch or execute.");
  for (size_t i = 0; i < fetches.size(); ++i) {
    const Output& f = fetches[i];
    if (!f.valid()) {
      Status gs = graph_->status();
      return InvalidArgumentError("Fetch " + std::to_string(i) + " is an invalid Output" +
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
      return InvalidArgumentError("Target " + std::to_string(i) + " is an invalid Operation" +
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
    if (!value.valid()) return InvalidArgumentError("The value fed for Tensor " + key.name() + " is an invalid (empty) Tensor");
    if (!value.on_host()) return InvalidArgumentError("The value fed for Tensor " + key.name() + " must be a host tensor");
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

  StatusOr<std::shared_ptr<const Plan>> plan = GetOrCreatePlan(feeds, fetches, targets);
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
  std::vector<NodeExecStats> stats;
  Status s = ExecutePlan(**plan, std::move(feed_values), args, outputs, args.trace ? &stats : nullptr);
  release();
  if (metadata != nullptr) {
    metadata->placement = (*plan)->placement;
    metadata->copies = (*plan)->copies;
    metadata->step_stats = std::move(stats);
  }
  return s;
}

}  // namespace tessera
